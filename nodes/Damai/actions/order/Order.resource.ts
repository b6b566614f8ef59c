import type { INodeProperties } from 'n8n-workflow';

import * as cancelStockLock from './cancelStockLock.operation';

export { cancelStockLock };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Cancel Stock Lock',
				value: 'cancelStockLock',
				description: 'Release the tickets locked for a Damai order (irreversible)',
				action: 'Cancel the stock lock of an order',
			},
		],
		default: 'cancelStockLock',
	},
	...cancelStockLock.description,
];
