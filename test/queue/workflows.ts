/**
 * The workflows the queue-mode test activates: Webhook (POST, answers with the Damai node's items
 * when the execution is done) → Split Out (`body.orders` → one item per order) → Damai, Cancel Stock
 * Lock. Production work in queue mode: the main receives the webhook and enqueues the execution, a
 * worker runs it.
 */
import { buildWorkflow, damaiNode, type NodeJson, type WorkflowJson } from '../e2e/helpers';

let counter = 0;

export function webhookNode(webhookPath: string): NodeJson & { webhookId: string } {
	counter++;
	return {
		id: `10000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
		webhookId: `20000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

export function splitOrders(): NodeJson {
	counter++;
	return {
		id: `30000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
		name: 'Orders',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [200, 0],
		parameters: { fieldToSplitOut: 'body.orders', include: 'noOtherFields', options: {} },
	};
}

/** Webhook `path` → Split Out → Damai "Cancel" with the given options. Ids are at most 21 characters. */
export function cancelWorkflow(
	id: string,
	webhookPath: string,
	credential: { id: string; name: string },
	options: Record<string, unknown>,
): WorkflowJson {
	return buildWorkflow(
		id,
		`Queue mode: ${webhookPath}`,
		[webhookNode(webhookPath), splitOrders(), damaiNode('Cancel', credential, { options })],
		[
			['Webhook', 'Orders'],
			['Orders', 'Cancel'],
		],
	);
}
