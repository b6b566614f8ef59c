import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { router } from './actions/router';
import { versionDescription } from './actions/versionDescription';
import { damaiApiTest } from './methods/credentialTest';

export class Damai implements INodeType {
	description: INodeTypeDescription = versionDescription;

	methods = { credentialTest: { damaiApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
