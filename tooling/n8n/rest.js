// @ts-check
'use strict';

/**
 * n8n's REST API as the editor uses it, for a running instance (`env.start()`): create the owner
 * account of a fresh instance, log in, and call /rest/* with the session cookie. n8n 2.8.4 and
 * 2.41.1 (the same routes and bodies in both). Used by the demo's editor (tooling/scripts/demo-ui.js),
 * the screenshot script and the end-to-end tests of what the editor shows.
 */

/** @typedef {{ email: string, firstName: string, lastName: string, password: string }} Owner */

/**
 * POST /rest/owner/setup (no auth needed while the instance has no owner). n8n answers /healthz
 * before its REST routes exist, so a 404 or a refused connection is retried for a while.
 * @param {string} baseUrl
 * @param {Owner} owner
 * @returns {Promise<number | string>} 200 on success, else the last status or error
 */
async function setupOwner(baseUrl, owner) {
	/** @type {number | string} */
	let last = 'no answer';
	const deadline = Date.now() + 30_000;
	while (Date.now() < deadline) {
		try {
			const res = await fetch(`${baseUrl}/rest/owner/setup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(owner),
			});
			await res.arrayBuffer();
			if (res.ok) return 200;
			last = `HTTP ${res.status}`;
			if (res.status !== 404 && res.status < 500) return last;
		} catch (e) {
			last = /** @type {Error} */ (e).message;
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	return last;
}

/**
 * Logs in (POST /rest/login) and returns a client that sends the session cookie.
 * @param {string} baseUrl
 * @param {{ email: string, password: string }} owner
 */
async function login(baseUrl, owner) {
	const res = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`POST /rest/login: HTTP ${res.status} ${text.slice(0, 300)}`);
	const cookie = (res.headers.getSetCookie?.() ?? [res.headers.get('set-cookie') ?? ''])
		.map((c) => c.split(';')[0])
		.filter((c) => c.startsWith('n8n-auth='))
		.join('; ');
	if (!cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
	return {
		cookie,
		/**
		 * @param {'GET' | 'POST' | 'PATCH' | 'DELETE'} method
		 * @param {string} route e.g. /rest/credentials/test or /types/credentials.json
		 * @param {unknown} [body]
		 * @returns {Promise<{ status: number, body: any }>}
		 */
		async request(method, route, body) {
			const r = await fetch(`${baseUrl}${route}`, {
				method,
				headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			const raw = await r.text();
			let parsed;
			try {
				parsed = JSON.parse(raw);
			} catch {
				parsed = raw;
			}
			return { status: r.status, body: parsed };
		},
	};
}

module.exports = { setupOwner, login };
