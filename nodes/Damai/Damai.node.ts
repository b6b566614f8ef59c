import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as custom from './actions/custom/Custom.resource';
import * as order from './actions/order/Order.resource';
import { router } from './actions/router';
import { damaiApiTest } from './methods/credentialTest';

export class Damai implements INodeType {
	// Written out here (not imported) so that n8n's lint rules and community-package scanner,
	// which read the description from the node class, can check it.
	description: INodeTypeDescription = {
		displayName: 'Damai',
		name: 'damai',
		icon: { light: 'file:damai.svg', dark: 'file:damai.dark.svg' },
		group: ['output'],
		version: 1,
		// On the canvas: "Order: Cancel Stock Lock", or "Custom API Call: <method>".
		subtitle: '={{ $parameter["resource"] === "custom" ? "Custom API Call: " + $parameter["method"] : "Order: Cancel Stock Lock" }}',
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

	methods = { credentialTest: { damaiApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
