export interface RateLimit {
	perSecond: number;
	banSeconds: number;
}

export type ExtraMethod = (
	appParams: Record<string, string>,
	ctx: { method: string; appKey: string },
) => Record<string, unknown>;

export interface HeadTemplateRecipe {
	/** e.g. '{supplier_key}{time_stamp}{supplier_secret}' */
	template: string;
	hash: 'md5' | 'sha256' | 'hmac-md5' | 'hmac-sha256';
	hexCase: 'upper' | 'lower';
}

export interface SandboxConfig {
	/** app_key → app secret. Default { 'sandbox-app-key': 'sandbox-app-secret' }. */
	apps: Record<string, string>;
	/** supplier_key → supplier secret. Default { 'sandbox-supplier-key': 'sandbox-supplier-secret' }. */
	suppliers: Record<string, string>;
	/** Default 'any' (md5, hmac-sha256 or absent). */
	headSignMethod: 'any' | 'md5' | 'hmac-sha256' | 'template' | 'none';
	/** For headSignMethod 'template': the recipe the supplier's document gives. Default null. */
	headTemplate?: HeadTemplateRecipe | null;
	/** How head.time_stamp must be written. Default 'epoch-ms'. */
	timeStampFormat?: 'epoch-ms' | 'epoch-s' | 'gmt8';
	/** Default 600. Applies to the TOP `timestamp` and to head `time_stamp`. */
	maxSkewSeconds: number;
	/** Delay before every gateway answer. Default 0. */
	latencyMs: number;
	/** Token bucket per app_key. Default null (off). */
	rateLimit: RateLimit | null;
	/** When set, a `session` param that is present must be one of these. Default null (any). */
	sessions?: string[] | Record<string, unknown> | null;
	/** method name → handler. Default includes 'alibaba.damai.yuntoc.order.query' (echo). */
	extraMethods: Record<string, ExtraMethod>;
	/** Oldest records are dropped beyond this. Default 100000. */
	maxRecordedRequests: number;
}

export interface RecordedRequest {
	at: string;
	method: string | null;
	appKey: string | null;
	format: 'json' | 'xml';
	signMethod: string | null;
	msgId: string | null;
	orderId: string | null;
	/** 'success' | 'business:<return_code>' | 'error:<code>' | 'http:502' | 'garbled' | 'empty' | 'reset' */
	outcome: string;
	/** 0 when the socket was reset */
	httpStatus: number;
	/** Request params with `sign` and `session` removed and head.supplier_secret = '<redacted>'. */
	params: Record<string, unknown>;
	/** true when the msg_id had already been answered and the stored answer was replayed */
	replayed?: boolean;
}

export interface SandboxStats {
	total: number;
	byOutcome: Record<string, number>;
	connections: number;
	openConnections: number;
	cancelled: Record<string, number>;
	attemptsByMsgId: Record<string, number>;
	/** msg_id → the order id of its first attempt that passed the head checks (received, answered or not) */
	orderByMsgId: Record<string, string>;
	maxConcurrent: number;
	inFlight: number;
	replays: number;
}

export interface SandboxOptions extends Partial<SandboxConfig> {
	/** Default 0 (a free port). */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Called after each gateway request is recorded. */
	onRecord?: (record: RecordedRequest) => void;
	/** A PEM key and certificate: the sandbox then speaks HTTPS (its url starts with https://). */
	tls?: { key: string | Buffer; cert: string | Buffer };
}

export interface Sandbox {
	/** http://127.0.0.1:PORT/router/rest */
	readonly url: string;
	readonly port: number;
	readonly host: string;
	readonly config: SandboxConfig;
	readonly stats: SandboxStats;
	readonly requests: RecordedRequest[];
	reset(): void;
	configure(partial: Partial<SandboxConfig>): void;
	close(): Promise<void>;
}

export declare function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
export declare function defaultConfig(): SandboxConfig;
export declare const CANCEL_METHOD: 'alibaba.damai.yuntoc.order.cancellockstock';
export declare const TIME_METHOD: 'taobao.time.get';
