/* eslint-disable n8n-nodes-base/node-filename-against-convention */
import { NodeConnectionTypes, type INodeTypeDescription } from 'n8n-workflow';

import * as custom from './custom/Custom.resource';
import * as order from './order/Order.resource';

export const versionDescription: INodeTypeDescription = {
	displayName: 'Damai',
	name: 'damai',
	icon: { light: 'file:damai.svg', dark: 'file:damai.dark.svg' },
	group: ['output'],
	version: 1,
	subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
	description:
		'Damai ticketing cloud distribution (大麦票务云分销) through the Alibaba/Taobao open-platform gateway: cancel the stock lock of Damai orders',
	defaults: { name: 'Damai' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'damaiApi', required: true, testedBy: 'damaiApiTest' }],
	properties: [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Order', value: 'order' },
				{ name: 'Custom API Call', value: 'custom' },
			],
			default: 'order',
		},
		...order.description,
		...custom.description,
	],
};
