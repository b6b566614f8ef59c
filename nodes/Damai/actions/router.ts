import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { readOptions } from '../helpers/options';
import { createClient } from '../helpers/executionClient';
import { CredentialConfigError, resolveCredentials, type RawCredentials } from '../transport';
import type { ExecutionContext } from './context';
import * as custom from './custom/Custom.resource';
import * as order from './order/Order.resource';

type Operation = (this: IExecuteFunctions, context: ExecutionContext) => Promise<INodeExecutionData[]>;

const operations: Record<string, Record<string, Operation>> = {
	order: { cancelStockLock: order.cancelStockLock.execute },
	custom: { apiCall: custom.apiCall.execute },
};

/** Reads the credential and options once, builds one client, and runs the chosen operation. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation];
	if (!run) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported`);
	}

	const rawCredentials = (await this.getCredentials('damaiApi')) as RawCredentials;
	let credentials;
	try {
		credentials = resolveCredentials(rawCredentials);
	} catch (error) {
		if (error instanceof CredentialConfigError) {
			throw new NodeOperationError(this.getNode(), error.message, {
				description: error.description ?? `Fix the field "${error.field}" of the Damai credential.`,
			});
		}
		throw new NodeOperationError(this.getNode(), error as Error);
	}
	const options = readOptions(this);
	const client = createClient(this, credentials, options);
	try {
		return [await run.call(this, { client, credentials, options })];
	} finally {
		client.close();
	}
}
