import type { NodeOptions } from '../helpers/options';
import type { DamaiCredentials, TopClient } from '../transport';

/** What the router prepares once per execution and hands to the operation. */
export interface ExecutionContext {
	client: TopClient;
	credentials: DamaiCredentials;
	options: NodeOptions;
}
