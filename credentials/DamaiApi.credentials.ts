import type { ICredentialType, IDisplayOptions, INodeProperties, Icon } from 'n8n-workflow';

/** The template recipe's fields show only when Head Sign Method is Template. */
const TEMPLATE_ONLY: IDisplayOptions = { show: { headSignMethod: ['template'] } };

/**
 * Two identities sign every call: the open-platform application (app key + app secret, TOP's
 * `sign`) and the Damai supplier (supplier key + secret, the request `head`). Tested by the
 * Damai node's `damaiApiTest` (a signed call through the same client), since TOP signatures
 * cannot be expressed as a declarative credential test.
 */
export class DamaiApi implements ICredentialType {
	name = 'damaiApi';

	displayName = 'Damai API';

	icon: Icon = { light: 'file:damai.svg', dark: 'file:damai.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-damai/n8n-nodes-damai#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{
					name: 'Production',
					value: 'production',
					description: "Alibaba's open-platform gateway in mainland China: what most suppliers use",
				},
				{
					name: 'Overseas',
					value: 'overseas',
					description: 'The open-platform gateway for calls from outside mainland China',
				},
				{
					name: 'Sandbox (Legacy Taobao Sandbox)',
					value: 'sandbox',
					description: "Taobao's old test gateway. Damai may not answer there.",
				},
				{
					name: 'Custom URL',
					value: 'custom',
					description: 'An address you enter: a company proxy, or the test gateway that comes with this package',
				},
			],
			default: 'production',
			description: 'Where the node sends its calls. Production unless Damai told you otherwise.',
		},
		{
			displayName: 'Gateway URL',
			name: 'gatewayUrl',
			type: 'string',
			default: '',
			placeholder: 'https://gw.api.taobao.com/router/rest',
			description: 'The full address, ending in /router/rest. It must start with https:// (http:// only for this machine, or with Allow Insecure HTTP).',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description: 'Whether to allow a plain http:// gateway URL on a non-loopback host. Signed requests carry the supplier secret: only for private networks you trust.',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
			description: 'The App Key of your application on the Alibaba open platform (open.taobao.com → console → your application)',
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The App Secret shown next to the App Key in the open-platform console',
		},
		{
			displayName: 'Sign Method',
			name: 'signMethod',
			type: 'options',
			options: [
				{ name: 'HMAC-SHA256', value: 'hmac-sha256' },
				{ name: 'HMAC (HMAC-MD5)', value: 'hmac' },
				{ name: 'MD5', value: 'md5' },
			],
			default: 'hmac-sha256',
			description: 'How calls are signed with the App Secret. All three work: keep the default unless told otherwise.',
		},
		{
			displayName: 'Session',
			name: 'session',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. Only if the open platform gave your application a session key; most suppliers leave it empty.',
		},
		{
			displayName: 'Supplier Key',
			name: 'supplierKey',
			type: 'string',
			default: '',
			required: true,
			description: 'Your supplier key from Damai (cloud distribution onboarding)',
		},
		{
			displayName: 'Supplier Secret',
			name: 'supplierSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Your supplier secret from Damai, given with the supplier key',
		},
		{
			displayName: 'Head Sign Method',
			name: 'headSignMethod',
			type: 'options',
			options: [
				{
					name: 'MD5',
					value: 'md5',
					description: 'The default',
				},
				{
					name: 'HMAC-SHA256',
					value: 'hmac-sha256',
					description: 'If your Damai documents say HMAC-SHA256',
				},
				{
					name: 'Template',
					value: 'template',
					description: 'If your Damai documents give their own recipe: fill in Head Sign Template, Head Sign Hash and Hex Case below',
				},
				{ name: 'None', value: 'none', description: 'If your Damai documents ask for no signature' },
			],
			default: 'md5',
			description: 'How the supplier part of each call is signed. Follow your Damai onboarding documents; the default is MD5.',
		},
		{
			displayName: 'Head Sign Template',
			name: 'headSignTemplate',
			type: 'string',
			default: '',
			required: true,
			placeholder: '{supplier_key}{time_stamp}{supplier_secret}',
			description:
				'The text whose hash is head.signed, as your onboarding document writes it. Placeholders: {msg_id}, {supplier_key}, {supplier_secret}, {time_stamp}, {version}; any other text is taken as it is.',
			displayOptions: TEMPLATE_ONLY,
		},
		{
			displayName: 'Head Sign Hash',
			name: 'headSignHash',
			type: 'options',
			options: [
				{ name: 'MD5', value: 'md5', description: 'MD5 of the filled template' },
				{ name: 'SHA-256', value: 'sha256', description: 'SHA-256 of the filled template' },
				{ name: 'HMAC-MD5', value: 'hmac-md5', description: 'HMAC-MD5 of the filled template, keyed with the supplier secret' },
				{ name: 'HMAC-SHA256', value: 'hmac-sha256', description: 'HMAC-SHA256 of the filled template, keyed with the supplier secret' },
			],
			default: 'md5',
			description: 'The hash of the filled Head Sign Template, written as hex in head.signed',
			displayOptions: TEMPLATE_ONLY,
		},
		{
			displayName: 'Hex Case',
			name: 'headSignCase',
			type: 'options',
			options: [
				{ name: 'Upper Case (A-F)', value: 'upper' },
				{ name: 'Lower Case (a-f)', value: 'lower' },
			],
			default: 'upper',
			description: 'Whether head.signed is written with upper- or lower-case hex letters',
			displayOptions: TEMPLATE_ONLY,
		},
		{
			displayName: 'Time Stamp Format',
			name: 'timeStampFormat',
			type: 'options',
			options: [
				{ name: 'Epoch Milliseconds', value: 'epoch-ms', description: 'e.g. 1764900000000' },
				{ name: 'Epoch Seconds', value: 'epoch-s', description: 'e.g. 1764900000' },
				{ name: 'Date and Time in GMT+8', value: 'gmt8', description: 'yyyy-MM-dd HH:mm:ss in China time, e.g. 2025-12-05 10:00:00' },
			],
			default: 'epoch-ms',
			description: 'How head.time_stamp is written. Not publicly documented: follow your Damai onboarding documents.',
		},
		{
			displayName: 'Proxy',
			name: 'proxy',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'http://user:password@proxy.example.com:3128',
			description:
				"A forward proxy for every call, as http://[user:password@]host:port (calls go through it in CONNECT tunnels). Set it for a fixed exit address the open platform allow-lists. It wins over n8n's environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY), which is used when this is empty.",
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				"Whether to accept the gateway's TLS certificate even when it cannot be verified (self-signed, expired, wrong name). For a private gateway only; for a private certificate authority, set NODE_EXTRA_CA_CERTS in n8n's environment instead.",
		},
	];
}
