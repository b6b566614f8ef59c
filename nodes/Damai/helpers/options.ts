import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { DEFAULTS, type ResponseFormat } from '../transport';
import { AUDIT_LOG_MODES, DEFAULT_AUDIT_LOG, type AuditLogMode } from './auditTrail';

/** The node's `options` collection, read once per execution (they configure the whole batch). */
export interface NodeOptions {
	responseFormat: ResponseFormat;
	timeout: number;
	maxRetries: number;
	retryDelay: number;
	successReturnCodes: string;
	headVersion: string;
	headParam: string;
	includeRawResponse: boolean;
	concurrency: number;
	minIntervalMs: number;
	/** Output each item's signed request instead of sending it. */
	dryRun: boolean;
	/** Whether the option Message ID is set: then each item's msg_id is its value (read per item). */
	customMessageId: boolean;
	/** Option Audit Log: how much of each order goes into n8n's log (helpers/auditTrail.ts). */
	auditLog: AuditLogMode;
}

/**
 * The range of each number option: the editor's typeOptions (actions/common.descriptions.ts) and
 * the check here read this one table, so the editor refuses what the node would refuse.
 */
export const OPTION_LIMITS = {
	concurrency: { minValue: 1, maxValue: DEFAULTS.maxConcurrency },
	maxRetries: { minValue: 0, maxValue: 10 },
	minIntervalMs: { minValue: 0, maxValue: 60_000 },
	retryDelay: { minValue: 0, maxValue: 60_000 },
	timeout: { minValue: 100, maxValue: 600_000 },
} as const satisfies Record<string, { minValue: number; maxValue: number }>;

export type NumberOption = keyof typeof OPTION_LIMITS;

function integer(ctx: IExecuteFunctions, raw: IDataObject, name: NumberOption, fallback: number): number {
	const { minValue: min, maxValue: max } = OPTION_LIMITS[name];
	const value = raw[name] === undefined || raw[name] === '' ? fallback : Number(raw[name]);
	if (!Number.isFinite(value) || Math.floor(value) !== value || value < min || value > max) {
		throw new NodeOperationError(ctx.getNode(), `Option "${name}" must be a whole number from ${min} to ${max}`, {
			description: `It is ${JSON.stringify(raw[name])}.`,
		});
	}
	return value;
}

/**
 * Whether an option is set to something: the option added in the editor but left empty counts as
 * not set. Read from the node's stored (unresolved) parameters, so an expression is "set" whatever
 * it gives for one item.
 */
function isSet(stored: unknown, name: string): boolean {
	if (!stored || typeof stored !== 'object') return false;
	const value = (stored as IDataObject)[name];
	return value !== undefined && value !== null && String(value).trim() !== '' && String(value).trim() !== '=';
}

export function readOptions(ctx: IExecuteFunctions): NodeOptions {
	const raw = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const responseFormat = (raw.responseFormat ?? 'json') as ResponseFormat;
	if (responseFormat !== 'json' && responseFormat !== 'xml') {
		throw new NodeOperationError(ctx.getNode(), 'Option "responseFormat" must be json or xml');
	}
	const successReturnCodes = String(raw.successReturnCodes ?? DEFAULTS.successReturnCodes);
	if (!successReturnCodes.split(',').some((code) => code.trim() !== '')) {
		throw new NodeOperationError(ctx.getNode(), 'Option "successReturnCodes" must list at least one code');
	}
	const auditLog = (raw.auditLog ?? DEFAULT_AUDIT_LOG) as AuditLogMode;
	if (!AUDIT_LOG_MODES.includes(auditLog)) {
		throw new NodeOperationError(ctx.getNode(), `Option "auditLog" must be one of ${AUDIT_LOG_MODES.join(', ')}`);
	}
	return {
		responseFormat,
		timeout: integer(ctx, raw, 'timeout', DEFAULTS.timeout),
		maxRetries: integer(ctx, raw, 'maxRetries', DEFAULTS.maxRetries),
		retryDelay: integer(ctx, raw, 'retryDelay', DEFAULTS.retryDelay),
		successReturnCodes,
		headVersion: String(raw.headVersion ?? DEFAULTS.headVersion),
		headParam: String(raw.headParam ?? ''),
		includeRawResponse: raw.includeRawResponse === true,
		concurrency: integer(ctx, raw, 'concurrency', DEFAULTS.concurrency),
		minIntervalMs: integer(ctx, raw, 'minIntervalMs', DEFAULTS.minIntervalMs),
		dryRun: raw.dryRun === true,
		customMessageId: isSet(ctx.getNode().parameters.options, 'messageId'),
		auditLog,
	};
}
