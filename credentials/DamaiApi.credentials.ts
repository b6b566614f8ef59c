import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

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
				{ name: 'None', value: 'none', description: 'If your Damai documents ask for no signature' },
			],
			default: 'md5',
			description: 'How the supplier part of each call is signed. Follow your Damai onboarding documents; the default is MD5.',
		},
	];
}
