// The gate over HTTP: headers on every response, forgery defences, body limits, clear 4xx for bad
// input, rate limits, health, graceful shutdown, and a fuzz run of malformed requests.
import { staffCookie } from '../../scripts/lib/console-session.ts';
import { execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { HttpBindings } from '@hono/node-server';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApps } from '../../src/gate/app.ts';
import { readSettings } from '../../src/gate/config.ts';
import { verifyChain } from '../../src/gate/lib/audit-chain.ts';
import { signLink } from '../../src/gate/lib/signed-link.ts';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { csrfToken } from '../../src/gate/middleware/csrf.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { startGate } from '../../src/gate/server.ts';
import { formToken, gateRoot, lastLink, makeGate, startTestGate } from '../helpers/gate.ts';

const dist = join(inject('exampleSite'), 'dist');
let gate: Awaited<ReturnType<typeof startTestGate>>;
let form: { token: string; cookie: string };

beforeAll(async () => {
	gate = await startTestGate(dist, {
		GATE_LIMIT_REQUESTS_PER_IP: '1000000',
		GATE_LIMIT_PAGES_PER_IP: '1000000',
		GATE_LIMIT_REQUESTS_PER_EMAIL: '2',
	});
	form = await formToken(gate.url);
});
afterAll(() => gate?.stop());

const valid = () => {
	const { nda } = gate.gate.config;
	return {
		name: 'Ada Quinn',
		email: 'ada@fabrikam.example',
		company: 'Fabrikam',
		role: 'Procurement',
		documents: ['whitepaper'],
		typedName: 'Ada Quinn',
		accept: true,
		ndaVersion: nda.data.version,
		ndaSha256: nda.sha256,
	};
};
/** The gate's own signing keys (made in its database on first start), to sign what the gate would sign. */
const gateKeys = () => gate.gate.keyring.keys;
/** A mailed link as a path on the test server (mails name the gate's public URL). */
const onGate = (link: string) => {
	const url = new URL(link);
	return `${gate.url}${url.pathname}${url.search}`;
};
const json = async (res: Response) => [res.status, ((await res.json()) as { error: string }).error];
const FORM = 'application/x-www-form-urlencoded';
const auditCount = async () => (await readAudit(gate.gate.db)).length;

/** Requests the whitepaper for `email` over HTTP and confirms it; returns the mailed grant link. */
async function grantLink(email: string): Promise<string> {
	expect((await post(JSON.stringify({ ...valid(), email }))).status).toBe(202);
	const outbox = join(gate.dataDir, 'outbox');
	const token = new URL(lastLink(readOutbox(outbox), '/access/confirm/')).searchParams.get('token');
	const confirmed = await post(JSON.stringify({ token }), {}, '/access/confirm/');
	expect(confirmed.status).toBe(200);
	return lastLink(readOutbox(outbox), '/access/grant/');
}

/** Opens a mailed grant link as a browser would: the key buys a cookie for the grant's bare page. */
async function openGrant(link: string): Promise<{ page: string; html: string; cookie: string }> {
	const first = await fetch(onGate(link), { redirect: 'manual' });
	const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
	const page = `${gate.url}${first.headers.get('location')}`;
	return { page, cookie, html: await (await fetch(page, { headers: { cookie } })).text() };
}

/**
 * Sends `text` over a raw socket (fetch refuses to send broken HTTP) and reads the one answer: its
 * status, lower-cased headers and body; `status` is 0 when the connection closed without an answer.
 */
function raw(text: string, url = gate.url) {
	return new Promise<{ status: number; headers: Map<string, string>; body: string }>((resolve) => {
		const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.end(text));
		let data = '';
		socket.on('data', (d) => (data += d));
		const done = () => {
			const [head = '', ...rest] = data.split('\r\n\r\n');
			const [statusLine = '', ...lines] = head.split('\r\n');
			const headers = new Map(
				lines.map((l) => [
					l.slice(0, l.indexOf(':')).toLowerCase(),
					l.slice(l.indexOf(':') + 1).trim(),
				]),
			);
			resolve({
				status: Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1] ?? 0),
				headers,
				body: rest.join('\r\n\r\n'),
			});
		};
		socket.on('close', done);
		socket.on('error', () => {});
	});
}

/**
 * What the gate answers the next request sent with `X-Test: tag`, read off Node's response as the gate
 * writes it, for the client may be gone by then. `headersRead` settles once Node has read the
 * request's headers (it announces each request on a diagnostics channel).
 */
function answerTo(tag: string) {
	let headersSeen = () => {};
	const headersRead = new Promise<void>((resolve) => (headersSeen = resolve));
	const answer = new Promise<string>((resolve) => {
		const seen = ({
			request,
			response,
		}: {
			request: IncomingMessage;
			response: ServerResponse;
		}) => {
			if (request.headers['x-test'] !== tag) return;
			unsubscribe('http.server.request.start', seen as (message: unknown) => void);
			const chunks: Buffer[] = [];
			const keep = (chunk: unknown) => {
				if (typeof chunk === 'string' || chunk instanceof Uint8Array)
					chunks.push(Buffer.from(chunk));
			};
			const { write, end } = response;
			response.write = ((...args: Parameters<typeof write>) => {
				keep(args[0]);
				return write.apply(response, args);
			}) as typeof write;
			response.end = ((...args: Parameters<typeof end>) => {
				keep(args[0]);
				resolve(Buffer.concat(chunks).toString());
				return end.apply(response, args);
			}) as typeof end;
			headersSeen();
		};
		subscribe('http.server.request.start', seen as (message: unknown) => void);
	});
	return { headersRead, answer };
}

const post = (body: string, headers: Record<string, string> = {}, path = '/api/access-requests') =>
	fetch(`${gate.url}${path}`, {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			cookie: form.cookie,
			'x-csrf-token': form.token,
			...headers,
		},
		body,
	});

describe('every response', () => {
	it('carries the security headers and no X-Powered-By, static files included', async () => {
		const asset = /src="(\/_astro\/[^"]+\.js)"/.exec(
			await (await fetch(`${gate.url}/`)).text(),
		)![1]!;
		const responses = await Promise.all([
			fetch(`${gate.url}/`),
			fetch(`${gate.url}${asset}`),
			fetch(`${gate.url}/no-such-page/`),
			fetch(`${gate.url}/access/`),
			fetch(`${gate.url}/healthz`),
			fetch(`${gate.url}/download/?grant=x`),
			post('{'),
			fetch(`${gate.url}/`, { method: 'DELETE' }),
		]);
		expect(responses.map((r) => r.status)).toEqual([200, 200, 404, 200, 200, 403, 400, 405]);
		for (const res of responses) {
			expect(res.headers.get('content-security-policy'), res.url).toMatch(
				/^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'( 'sha256-[A-Za-z0-9+/=]{44}')+; .*object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'$/,
			);
			expect(res.headers.get('strict-transport-security')).toBe(
				'max-age=63072000; includeSubDomains',
			);
			expect(res.headers.get('x-content-type-options')).toBe('nosniff');
			expect(res.headers.get('x-frame-options')).toBe('DENY');
			expect(res.headers.get('referrer-policy')).toBe('strict-origin');
			expect(res.headers.get('permissions-policy')).toContain('camera=()');
			expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
			expect(res.headers.get('x-powered-by')).toBeNull();
			expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		}
		expect(responses[1]!.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(await responses[4]!.json()).toEqual({ status: 'ok', database: 'pglite' });
	});

	it("sends a stylesheet, JSON and Pagefind's files without the headers only documents act on", async () => {
		const page = await (await fetch(`${gate.url}/`)).text();
		const css = /href="(\/_astro\/[^"]+\.css)"/.exec(page)![1]!;
		const kinds = {
			stylesheet: css,
			json: '/status.json',
			'search index': '/pagefind/pagefind-entry.json',
			'search bytes': '/pagefind/wasm.en.pagefind',
			svg: '/favicon.svg',
			script: '/pagefind/pagefind.js',
			'missing stylesheet (the 404 page)': '/_astro/gone.css',
		};
		const seen: Record<string, unknown> = {};
		for (const [kind, path] of Object.entries(kinds)) {
			const res = await fetch(`${gate.url}${path}`);
			const revalidated = await fetch(`${gate.url}${path}`, {
				headers: { 'if-none-match': res.headers.get('etag') ?? '' },
			});
			seen[kind] = [res, revalidated].map((r) => ({
				status: r.status,
				documentHeaders: [
					'content-security-policy',
					'cross-origin-opener-policy',
					'x-frame-options',
					'permissions-policy',
				].filter((name) => r.headers.has(name)).length,
				nosniff: r.headers.get('x-content-type-options'),
				hsts: Boolean(r.headers.get('strict-transport-security')),
				referrer: r.headers.get('referrer-policy'),
				requestId: Boolean(r.headers.get('x-request-id')),
			}));
		}
		const kept = { nosniff: 'nosniff', hsts: true, referrer: 'strict-origin', requestId: true };
		const without = (status: number) => ({ status, documentHeaders: 0, ...kept });
		const all = (status: number) => ({ status, documentHeaders: 4, ...kept });
		expect(seen).toEqual({
			stylesheet: [without(200), without(304)],
			json: [without(200), without(304)],
			'search index': [without(200), without(304)],
			'search bytes': [without(200), without(304)],
			// An SVG opened as a page runs its scripts, and a script may be a worker's.
			svg: [all(200), all(304)],
			script: [all(200), all(304)],
			'missing stylesheet (the 404 page)': [all(404), all(404)],
		});
	});

	it('compresses the access form it makes for each request, as the build compressed its pages', async () => {
		const res = await fetch(`${gate.url}/access/`, { headers: { 'accept-encoding': 'gzip' } });
		expect([res.status, res.headers.get('content-encoding'), res.headers.get('vary')]).toEqual([
			200,
			'gzip',
			'Accept-Encoding',
		]);
		expect(await res.text()).toContain('data-gate-csrf');
	});

	it("links the console's pages to the site's icon, which the gate serves: a browser asks for no /favicon.ico", async () => {
		const page = await fetch(`${gate.url}/admin/signin/`);
		expect(page.status).toBe(200);
		const icon = /<link rel="icon" href="([^"]+)" type="image\/svg\+xml"/.exec(await page.text());
		expect(icon?.[1]).toBe('/favicon.svg');
		const res = await fetch(`${gate.url}${icon![1]}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
	});

	it('logs one JSON line per request with its id, and never the query string that carries tokens', async () => {
		// Not behind a proxy (GATE_TRUST_PROXY=0), X-Forwarded-For is the client's to forge: ignored.
		await fetch(`${gate.url}/access/confirm/?token=${'s'.repeat(43)}`, {
			redirect: 'manual',
			headers: { 'x-forwarded-for': '198.51.100.77' },
		});
		const line = gate.logs
			.map((l) => JSON.parse(l) as Record<string, unknown>)
			.findLast((l) => l['path'] === '/access/confirm/');
		expect(line).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			status: 303,
			ip: '127.0.0.1',
		});
		// That a proxy's header arrived while no proxy is trusted is said once.
		await fetch(`${gate.url}/healthz`, { headers: { 'x-forwarded-for': '198.51.100.78' } });
		expect(gate.logs.filter((l) => l.includes('GATE_TRUST_PROXY is 0'))).toEqual([
			JSON.stringify({
				level: 'warn',
				msg: "A request from 127.0.0.1 came with X-Forwarded-For, and GATE_TRUST_PROXY is 0, so clients are counted by the address that connected. If that address is a proxy of yours, every visitor is one client to the rate limits: set GATE_TRUST_PROXY to the number of proxies in front of the gate. If the gate has no proxy in front, leave it at 0: the header is then the client's to forge.",
			}),
		]);
		expect(gate.logs.join('\n')).not.toContain('s'.repeat(43));
	});
});

describe('POST /api/access-requests', () => {
	it('refuses a request from another site, or without a valid form token', async () => {
		const evil = await post(JSON.stringify(valid()), { origin: 'https://evil.example' });
		expect([evil.status, await evil.json()]).toMatchObject([
			403,
			{
				error: 'cross-site',
				message:
					'This form can only be sent from this site. Open /access/ and submit it from there.',
			},
		]);
		const crossSite = await post(JSON.stringify(valid()), { 'sec-fetch-site': 'cross-site' });
		expect(crossSite.status).toBe(403);
		for (const headers of [
			{ 'x-csrf-token': '' },
			{ cookie: '' },
			{ 'x-csrf-token': `${form.token}x` },
			{ cookie: 'tc_csrf=other', 'x-csrf-token': 'other' },
		]) {
			const res = await post(JSON.stringify(valid()), headers);
			expect([res.status, await res.json()], JSON.stringify(headers)).toMatchObject([
				403,
				{
					error: 'csrf',
					message:
						'The form token is missing or has expired (forms stay valid for two hours, and need cookies). Reload /access/ and submit the form again.',
				},
			]);
		}
	});

	it('limits the body size, the content type and the JSON shape, each with its message', async () => {
		const bigBody = JSON.stringify({ ...valid(), reason: 'x'.repeat(20_000) });
		const big = await post(bigBody);
		expect([big.status, ((await big.json()) as { message: string }).message]).toEqual([
			413,
			`The request body is ${Buffer.byteLength(bigBody)} bytes; at most 16384 are accepted.`,
		]);
		const chunked = await fetch(`${gate.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				cookie: form.cookie,
				'x-csrf-token': form.token,
			},
			body: new ReadableStream({
				start(c) {
					for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1024)));
					c.close();
				},
			}),
			duplex: 'half',
		} as RequestInit);
		expect([chunked.status, ((await chunked.json()) as { message: string }).message]).toEqual([
			413,
			'The request body is over 16384 bytes, the most accepted.',
		]);
		const xml = await post('<a/>', {
			'content-type': 'application/xml',
			accept: 'application/json',
		});
		expect([xml.status, ((await xml.json()) as { message: string }).message]).toEqual([
			415,
			'Send the request as application/json or application/x-www-form-urlencoded, not "application/xml".',
		]);
		const broken = await post('{"name":');
		expect([broken.status, ((await broken.json()) as { message: string }).message]).toEqual([
			400,
			'The body is not valid JSON: Unexpected end of JSON input.',
		]);
		const list = await post('[1,2]');
		expect([list.status, ((await list.json()) as { message: string }).message]).toEqual([
			400,
			'The body must be a JSON object with the form fields, like {"name": "…", "email": "…"}.',
		]);
	});

	it('refuses a body or a form value that is not UTF-8, and a charset other than UTF-8, each with its message, and stores nothing', async () => {
		const email = 'jurgen@fabrikam.example';
		const fields = { ...valid(), documents: 'whitepaper', accept: 'yes', email, csrf: form.token };
		/** The form with `name` and `typedName` as `name`, which is sent as it is, unescaped. */
		const formWith = (name: string) =>
			`${new URLSearchParams({ ...fields, name: 'N', typedName: 'N' }).toString().replaceAll('=N&', `=${name}&`)}`;
		const send = (
			body: string | Uint8Array<ArrayBuffer>,
			type: string,
			accept = 'application/json',
		) =>
			fetch(`${gate.url}/api/access-requests`, {
				method: 'POST',
				headers: { 'content-type': type, accept, cookie: form.cookie, origin: gate.url },
				body,
			});
		const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0));
		const notUtf8 = {
			error: 'not-utf-8',
			message:
				'The request body is not valid UTF-8 text. Send the form from its page on this site, or encode the body as UTF-8.',
		};
		// Raw Latin-1 bytes, in a form and in JSON.
		const rawForm = await send(latin1(formWith('J\xfcrgen')), FORM);
		expect([rawForm.status, await rawForm.json()]).toMatchObject([400, notUtf8]);
		const rawJson = await send(
			latin1(JSON.stringify({ ...valid(), email, name: 'J\xfcrgen', typedName: 'J\xfcrgen' })),
			'application/json',
		);
		expect([rawJson.status, await rawJson.json()]).toMatchObject([400, notUtf8]);
		// A %-escape of a Latin-1 byte: the JSON answer names the field, the page shows its label.
		const escapedMessage =
			'A form field is not valid UTF-8 text once its %-escapes are decoded. Send the form from its page on this site, or encode each field as UTF-8 before %-escaping it.';
		const escaped = await send(formWith('J%FCrgen'), FORM);
		expect([escaped.status, await escaped.json()]).toMatchObject([
			400,
			{
				error: 'not-utf-8',
				message: escapedMessage,
				fields: [
					{
						field: 'name',
						message: 'is not valid UTF-8 text once its %-escapes are decoded; retype it',
					},
				],
			},
		]);
		const page = await send(formWith('J%FCrgen'), FORM, 'text/html');
		expect(page.status).toBe(400);
		const html = await page.text();
		expect(html).toContain(`<p>${escapedMessage}</p>`);
		expect(html).toContain(
			'<li><strong>Full name</strong>: is not valid UTF-8 text once its %-escapes are decoded; retype it</li>',
		);
		// A charset other than UTF-8 is refused before the body is read; UTF-8's own labels are not.
		for (const [type, charset] of [
			[`${FORM}; charset=ISO-8859-1`, 'ISO-8859-1'],
			['application/json;charset="windows-1252"', 'windows-1252'],
			[`${FORM}; charset=`, ''],
		]) {
			const res = await send(formWith('J%FCrgen'), type!);
			expect([res.status, await res.json()], type).toMatchObject([
				415,
				{
					error: 'unsupported-charset',
					message: `Send the request body as UTF-8, with charset=utf-8 or no charset in its Content-Type, not "${charset}".`,
				},
			]);
		}
		const stored = async () =>
			(
				await gate.gate.db.query<{ name: string }>(
					'SELECT name FROM access_requests WHERE email = $1',
					[email],
				)
			).rows.map((r) => r.name);
		expect(await stored()).toEqual([]);
		// The same name %-escaped as UTF-8, under a quoted UTF-8 charset in capitals, is stored as typed.
		expect((await send(formWith('J%C3%BCrgen'), `${FORM}; Charset="UTF-8"`)).status).toBe(202);
		expect(await stored()).toEqual(['Jürgen']);
	});

	it('refuses a body its client cut short as incomplete, not as a database outage, and goes on answering', async () => {
		for (const [framing, part] of [
			['Content-Length: 100', '{}'],
			['Transfer-Encoding: chunked', '2\r\n{}\r\n'],
		] as const) {
			const mark = gate.logs.length;
			const { headersRead, answer } = answerTo(framing);
			// Headers and the start of the body, then the client is gone.
			const socket = connect(Number(new URL(gate.url).port), '127.0.0.1');
			socket.on('error', () => {});
			socket.write(
				`POST /api/access-requests HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: application/json\r\nX-Test: ${framing}\r\n${framing}\r\n\r\n${part}`,
			);
			await headersRead;
			socket.destroy();
			expect(JSON.parse(await answer), framing).toMatchObject({
				error: 'body-incomplete',
				message:
					'The request body ended before the length it announced: the connection broke or the client stopped sending. Send the request again.',
			});
			await expect
				.poll(
					() =>
						gate.logs
							.slice(mark)
							.map((l) => JSON.parse(l) as Record<string, unknown>)
							.find((l) => l['msg'] === 'request' && l['path'] === '/api/access-requests'),
					{ message: framing },
				)
				.toMatchObject({ status: 400 });
			// Neither "the database is unavailable" (a warning) nor an unhandled error.
			expect(
				gate.logs.slice(mark).filter((l) => /"level":"(warn|error)"/.test(l)),
				framing,
			).toEqual([]);
		}
		const after = await post(JSON.stringify({ ...valid(), email: 'after-abort@fabrikam.example' }));
		expect(after.status).toBe(202);
	});

	it('answers bad fields with a 400 that lists each one, as JSON or as a page', async () => {
		const res = await post(JSON.stringify({ ...valid(), email: 'nope', accept: false }));
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({
			error: 'invalid-request',
			message:
				"The request has 2 problems. Use your browser's Back button to fix them; your entries are kept.",
			fields: [
				{ field: 'email', message: 'is not an email address like ada@fabrikam.com' },
				{ field: 'accept', message: 'tick "I accept on behalf of my company" to accept the NDA' },
			],
		});
		const formBody = new URLSearchParams({
			...valid(),
			documents: 'whitepaper',
			accept: 'yes',
			email: 'nope',
			csrf: form.token,
		}).toString();
		const page = await fetch(`${gate.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				cookie: form.cookie,
				origin: gate.url,
			},
			body: formBody,
		});
		expect(page.status).toBe(400);
		const html = await page.text();
		expect(html).toMatch(/<h1 id="_top"[^>]*>Please fix the form<\/h1>/);
		expect(html).toContain('<title>Please fix the form | Kestrel Ledger</title>');
		expect(html).toContain(
			'<li><strong>Work email</strong>: is not an email address like ada@fabrikam.com</li>',
		);
	});

	it('puts no field name or value a form sent on its refusal page, even one called constructor or __proto__', async () => {
		// Another site's form can post here: what it sends must not become text on our page.
		const notice = 'Security notice: your access was suspended, sign in at https://evil.example';
		const formBody = new URLSearchParams({
			...valid(),
			documents: 'Call +1 555 0100 now',
			accept: 'yes',
			csrf: form.token,
		});
		formBody.append('constructor', 'x');
		formBody.append('__proto__', 'y');
		formBody.append(notice, 'z');
		const page = await fetch(`${gate.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				cookie: form.cookie,
				origin: gate.url,
			},
			body: formBody.toString(),
		});
		expect(page.status).toBe(400);
		const html = await page.text();
		expect(/<ul class="tc-gate-errors">.*?<\/ul>/.exec(html)?.[0].split('</li>')).toEqual([
			'<ul class="tc-gate-errors"><li><strong>Documents</strong>: includes an unknown document; choose from whitepaper, cyber-insurance-certificate, iso-27001-soa, soc2-type2-report',
			'<li><strong>Unknown field</strong>: is not a field of this form; remove it',
			'<li><strong>Unknown field</strong>: is not a field of this form; remove it',
			'<li><strong>Unknown field</strong>: is not a field of this form; remove it',
			'</ul>',
		]);
		for (const sent of ['evil.example', 'Security notice', '+1 555 0100'])
			expect(html).not.toContain(sent);
		// A script's JSON answer names the fields, which it sent, but quotes no value.
		const json = await fetch(`${gate.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
				cookie: form.cookie,
				'x-csrf-token': form.token,
			},
			body: formBody.toString(),
		});
		expect(((await json.json()) as { fields: unknown }).fields).toEqual([
			{
				field: 'documents',
				message:
					'includes an unknown document; choose from whitepaper, cyber-insurance-certificate, iso-27001-soa, soc2-type2-report',
			},
			{ field: 'constructor', message: 'is not a field of this form; remove it' },
			{ field: '__proto__', message: 'is not a field of this form; remove it' },
			{ field: notice, message: 'is not a field of this form; remove it' },
		]);
	});

	it('accepts a form post, and rate-limits repeated requests for one email with Retry-After', async () => {
		const formBody = new URLSearchParams({
			...valid(),
			documents: 'whitepaper',
			accept: 'yes',
			email: 'limit@fabrikam.example',
			csrf: form.token,
		});
		formBody.append('documents', 'soc2-type2-report');
		const send = () =>
			fetch(`${gate.url}/api/access-requests`, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					cookie: form.cookie,
					origin: gate.url,
				},
				body: formBody.toString(),
			});
		const first = await send();
		expect(first.status).toBe(202);
		expect(await first.text()).toContain(
			'We sent a confirmation link to <strong>limit@fabrikam.example</strong>.',
		);
		const row = (
			await gate.gate.db.query<{ documents: string[] }>(
				"SELECT documents FROM access_requests WHERE email = 'limit@fabrikam.example'",
			)
		).rows[0];
		expect(row?.documents).toEqual(['whitepaper', 'soc2-type2-report']);
		expect((await send()).status).toBe(202);
		const third = await send();
		expect(third.status).toBe(429);
		expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(await third.text()).toMatch(
			/Too many requests from you in a short time\. Please wait \d+ minutes? and try again\./,
		);
	});

	it('refuses a form token that equals its cookie but is not ours: a wrong MAC, expired, or signed with an unknown key', async () => {
		const now = Math.floor(Date.now() / 1000);
		const mac = form.token.split('.')[3]!;
		const forged = form.token.replace(mac, `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`);
		for (const [why, token] of [
			['wrong MAC', forged],
			['expired', csrfToken(gateKeys(), now - 3 * 3600)],
			['unknown key id', csrfToken([{ kid: 'other', secret: Buffer.alloc(32, 1) }], now)],
			// A MAC the gate's key made, under a key id the gate does not have.
			['key id not ours', csrfToken(gateKeys(), now).replace(`.${gateKeys()[0]!.kid}.`, '.other.')],
		] as const) {
			const res = await post(JSON.stringify(valid()), {
				cookie: `tc_csrf=${token}`,
				'x-csrf-token': token,
			});
			expect(await json(res), why).toEqual([403, 'csrf']);
		}
		// The same shape signed with the gate's key passes: the refusals above are the MAC's, the expiry's and the key id's.
		const good = csrfToken(gateKeys(), now);
		expect(
			(
				await post(JSON.stringify({ ...valid(), email: 'signed@fabrikam.example' }), {
					cookie: `tc_csrf=${good}`,
					'x-csrf-token': good,
				})
			).status,
		).toBe(202);
	});

	it('gives scripts a form token and its cookie from GET /api/csrf', async () => {
		const res = await fetch(`${gate.url}/api/csrf`);
		expect(res.headers.get('cache-control')).toBe('no-store');
		const { token } = (await res.json()) as { token: string };
		expect(token).toMatch(
			new RegExp(`^[A-Za-z0-9_-]{22}\\.\\d+\\.${gateKeys()[0]!.kid}\\.[A-Za-z0-9_-]{43}$`),
		);
		expect(res.headers.get('set-cookie')).toBe(
			`tc_csrf=${token}; Max-Age=7200; Path=/; HttpOnly; SameSite=Strict`,
		);
		const sent = await post(JSON.stringify({ ...valid(), email: 'script@fabrikam.example' }), {
			cookie: `tc_csrf=${token}`,
			'x-csrf-token': token,
		});
		expect([sent.status, await sent.json()]).toMatchObject([
			202,
			{ status: 'confirmation-sent', email: 'script@fabrikam.example', ndaWaivedBy: null },
		]);
	});

	it('refuses a body of thousands of repeated fields before the form token or the rate limit is looked at', async () => {
		const before = await gate.gate.db.query<{ n: number }>(
			'SELECT coalesce(sum(count), 0)::int AS n FROM rate_limits',
		);
		const res = await fetch(`${gate.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/x-www-form-urlencoded',
				accept: 'application/json',
			},
			body: 'a&'.repeat(8191) + 'a',
		});
		expect([res.status, await res.json()]).toMatchObject([
			400,
			{
				error: 'too-many-fields',
				message:
					'The request has more than 64 fields; at most 64 are accepted. Send each form field once (documents once per document).',
			},
		]);
		const after = await gate.gate.db.query<{ n: number }>(
			'SELECT coalesce(sum(count), 0)::int AS n FROM rate_limits',
		);
		expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
	});

	it('counts "+tag" addresses against the mailbox they reach', async () => {
		const send = (email: string) => post(JSON.stringify({ ...valid(), email }));
		expect((await send('tagged+1@fabrikam.example')).status).toBe(202);
		expect((await send('Tagged+2@fabrikam.example')).status).toBe(202);
		expect(await json(await send('tagged+3@fabrikam.example'))).toEqual([429, 'rate-limited']);
	});

	it('takes a request without signature from an address the NDA is waived for, and records the waiver and its rule', async () => {
		const { typedName: _typed, accept: _accept, ...unsigned } = valid();
		const waived = await post(JSON.stringify({ ...unsigned, email: 'ana@agency.gov' }));
		expect([waived.status, await waived.json()]).toMatchObject([
			202,
			{ status: 'confirmation-sent', ndaWaivedBy: 'Government agencies' },
		]);
		const entry = (await readAudit(gate.gate.db)).findLast((e) => e.type === 'nda.waived');
		expect(entry).toMatchObject({
			actor: 'requester:ana@agency.gov',
			data: { rule: 'Government agencies', domains: ['*.gov', '*.mil', '*.gov.uk'] },
		});
		const refused = await post(JSON.stringify({ ...unsigned, email: 'ada@fabrikam.example' }));
		expect([refused.status, await refused.json()]).toMatchObject([
			400,
			{
				fields: [
					{ field: 'typedName', message: 'is required' },
					{ field: 'accept', message: 'tick "I accept on behalf of my company" to accept the NDA' },
				],
			},
		]);
		const page = await (await fetch(`${gate.url}/access/`)).text();
		expect(page.replace(/\s+/g, ' ')).toContain(
			'The NDA is waived for email addresses at *.gov, *.mil, *.gov.uk: with such an address, you may leave the signature and the box below blank.',
		);
		expect(page).toMatch(
			/<input id="f-typed" name="typedName" maxlength="120" autocomplete="off"\s*\/?>/,
		);
	});
});

describe('the NDA waived by rule', () => {
	it('grants a waived request on confirmation, says so in the audit log and the mail, and still watermarks every copy', async () => {
		const { typedName: _typed, accept: _accept, ...unsigned } = valid();
		const email = 'ben@treasury.agency.gov';
		expect((await post(JSON.stringify({ ...unsigned, name: 'Ben Ode', email }))).status).toBe(202);
		const outbox = join(gate.dataDir, 'outbox');
		const token = new URL(lastLink(readOutbox(outbox), '/access/confirm/')).searchParams.get(
			'token',
		);
		const confirmed = await post(JSON.stringify({ token }), {}, '/access/confirm/');
		expect(await confirmed.json()).toMatchObject({ request: { status: 'approved' } });
		expect(
			(await readAudit(gate.gate.db)).findLast((e) => e.type === 'request.approved')?.data,
		).toMatchObject({ because: 'rule "Government agencies"', ndaWaivedBy: 'Government agencies' });
		const mail = readOutbox(outbox).at(-1)!;
		expect(mail).toContain(
			'Each copy is watermarked for you. Please keep it within your organisation.',
		);
		const { html } = await openGrant(lastLink([mail], '/access/grant/'));
		expect(html).toContain('these documents are shared with you until');
		const href = /href="(\/download\/\?[^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
		const copy = new Uint8Array(await (await fetch(`${gate.url}${href}`)).arrayBuffer());
		const text = execFileSync('pdftotext', ['-', '-'], { input: copy, encoding: 'utf8' });
		expect(text).toContain(`Provided to Ben Ode (Fabrikam, ${email})`);
	});
});

describe('secrets in mailed links', () => {
	it('trades a grant key for a cookie scoped to its page, and redirects to the bare URL', async () => {
		const link = await grantLink('keys@fabrikam.example');
		const id = new URL(link).pathname.split('/')[3]!;
		const first = await fetch(onGate(link), { redirect: 'manual' });
		expect(first.status).toBe(303);
		expect(first.headers.get('location')).toBe(`/access/grant/${id}/`);
		expect(first.headers.get('set-cookie')).toMatch(
			new RegExp(
				`^tc_grant=${id}\\.\\d+\\.${gateKeys()[0]!.kid}\\.[A-Za-z0-9_-]{43}; Max-Age=3600; Path=/access/grant/${id}/; HttpOnly; SameSite=Lax$`,
			),
		);
		const { html, cookie, page } = await openGrant(link);
		expect(page).toBe(`${gate.url}/access/grant/${id}/`);
		expect(html).toContain('Download Kestrel Ledger Security Whitepaper');
		expect(html).toContain('it stays open in this browser for 60 minutes');
		// Without the cookie, or with a cookie made for another grant, the bare page lists nothing.
		const closed = (headers: Record<string, string>) =>
			fetch(page, { headers: { accept: 'application/json', ...headers } }).then(json);
		expect(await closed({})).toEqual([403, 'grant-page-closed']);
		const other = `grant_${'f'.repeat(16)}`;
		expect(await closed({ cookie: cookie.replace(id, other) })).toEqual([403, 'grant-page-closed']);
		expect(
			await fetch(`${gate.url}/access/grant/${other}/`, {
				headers: { accept: 'application/json', cookie: cookie.replace(id, other) },
			}).then(json),
		).toEqual([403, 'grant-page-closed']);
	});

	it('refuses a real grant id with a wrong key, and sets no cookie', async () => {
		const link = new URL(await grantLink('wrong-key@fabrikam.example'));
		const key = link.searchParams.get('key')!;
		const res = await fetch(
			`${gate.url}${link.pathname}?key=${key[0] === 'A' ? 'B' : 'A'}${key.slice(1)}`,
			{ redirect: 'manual', headers: { accept: 'application/json' } },
		);
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(await json(res)).toEqual([404, 'grant-unknown']);
	});

	it('trades a confirmation token for a cookie scoped to the confirmation page', async () => {
		const token = 'c'.repeat(43);
		const first = await fetch(`${gate.url}/access/confirm/?token=${token}`, { redirect: 'manual' });
		expect([first.status, first.headers.get('location')]).toEqual([303, '/access/confirm/']);
		expect(first.headers.get('set-cookie')).toBe(
			`tc_confirm=${token}; Max-Age=3600; Path=/access/confirm/; HttpOnly; SameSite=Lax`,
		);
		const page = await fetch(`${gate.url}/access/confirm/`, {
			headers: { cookie: `tc_confirm=${token}` },
		});
		expect(await page.text()).toContain(`<input type="hidden" name="token" value="${token}">`);
		expect(
			await fetch(`${gate.url}/access/confirm/`, { headers: { accept: 'application/json' } }).then(
				json,
			),
		).toEqual([404, 'confirm-unknown']);
	});
});

describe('GET and HEAD /download/', () => {
	const pageHits = async () =>
		(
			await gate.gate.db.query<{ n: number }>(
				"SELECT coalesce(sum(count), 0)::int AS n FROM rate_limits WHERE key LIKE 'page-ip:%'",
			)
		).rows[0]!.n;
	const uses = async (link: string) =>
		(
			await gate.gate.db.query<{ uses: number }>('SELECT uses FROM link_uses WHERE link_id = $1', [
				new URL(link, gate.url).searchParams.get('link'),
			])
		).rows[0]?.uses ?? 0;

	it('answers HEAD of a valid link without using it up or writing to the database', async () => {
		const { html } = await openGrant(await grantLink('head@fabrikam.example'));
		const href = /href="(\/download\/\?[^"]+)"/.exec(html)![1]!.replaceAll('&amp;', '&');
		const [audit, hits] = [await auditCount(), await pageHits()];
		const head = await fetch(`${gate.url}${href}`, { method: 'HEAD' });
		expect([head.status, head.headers.get('content-type')]).toEqual([200, 'application/pdf']);
		expect([await auditCount(), await pageHits(), await uses(href)]).toEqual([audit, hits, 0]);
		const forged = await fetch(`${gate.url}${href.replace(/sig=.{4}/, 'sig=AAAA')}`, {
			method: 'HEAD',
		});
		expect(forged.status).toBe(403);
		const got = await fetch(`${gate.url}${href}`);
		expect([got.status, got.headers.get('content-type')]).toEqual([200, 'application/pdf']);
		expect([await auditCount(), await pageHits(), await uses(href)]).toEqual([
			audit + 1,
			hits + 1,
			1,
		]);
	});

	it('checks the signature before the rate limit, so a forged link costs no database write', async () => {
		const hits = await pageHits();
		const forged = await fetch(
			`${gate.url}/download/?grant=grant_0000000000000000&doc=whitepaper&link=link_x&iat=1795430000&exp=1795430900&kid=local&sig=${'A'.repeat(43)}`,
			{ headers: { accept: 'application/json' } },
		);
		expect(await json(forged)).toEqual([403, 'link-forged']);
		expect(await pageHits()).toBe(hits);
	});

	it('refuses a link signed for a document the grant does not include, and audits it', async () => {
		const link = await grantLink('scope@fabrikam.example');
		const grant = new URL(link).pathname.split('/')[3]!;
		const iat = Math.floor(Date.now() / 1000);
		const query = signLink(
			{ grant, doc: 'soc2-type2-report', link: 'link_scope', iat, exp: iat + 600 },
			gateKeys(),
		);
		const res = await fetch(`${gate.url}/download/?${query}`, {
			headers: { accept: 'application/json' },
		});
		expect(await json(res)).toEqual([403, 'doc-not-granted']);
		expect((await readAudit(gate.gate.db)).at(-1)).toMatchObject({
			type: 'download.refused',
			subject: grant,
			data: { document: 'soc2-type2-report', link: 'link_scope', why: 'doc-not-granted' },
		});
	});
});

describe('requests refused before any route', () => {
	const securityHeaders = (headers: Map<string, string>) => ({
		csp: headers.get('content-security-policy')?.startsWith("default-src 'self'"),
		hsts: headers.get('strict-transport-security'),
		referrer: headers.get('referrer-policy'),
		nosniff: headers.get('x-content-type-options'),
		requestId: /^[0-9a-f-]{36}$/.test(headers.get('x-request-id') ?? ''),
	});
	const withHeaders = {
		csp: true,
		hsts: 'max-age=63072000; includeSubDomains',
		referrer: 'strict-origin',
		nosniff: 'nosniff',
		requestId: true,
	};

	it('answers a missing or invalid Host, broken HTTP and oversized headers with the security headers', async () => {
		for (const [text, status] of [
			['GET / HTTP/1.1\r\n\r\n', 400],
			['GET / HTTP/1.1\r\nHost: bad host\r\n\r\n', 400],
			['GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', 400],
			['GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Header: 1\r\n\r\n', 400],
			[`GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
		] as const) {
			const reply = await raw(text);
			expect([reply.status, securityHeaders(reply.headers)], text.slice(0, 40)).toEqual([
				status,
				withHeaders,
			]);
			expect(Buffer.byteLength(reply.body)).toBe(Number(reply.headers.get('content-length')));
		}
		// HTTP/1.0 needs no Host: load balancers' plain health checks keep working.
		expect((await raw('GET /healthz HTTP/1.0\r\n\r\n')).status).toBe(200);
	});
});

describe('a gate behind a proxy, over HTTPS, with the default limits and a mail server that refuses', () => {
	let proxied: Awaited<ReturnType<typeof startTestGate>>;
	let smtp: SMTPServer;
	const origin = 'https://trust.example.test';
	beforeAll(async () => {
		smtp = new SMTPServer({
			authOptional: true,
			disabledCommands: ['STARTTLS'],
			onRcptTo: (_address, _session, done) => done(new Error('Mailbox unavailable')),
		});
		await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
		proxied = await startTestGate(dist, {
			GATE_PUBLIC_URL: origin,
			GATE_TRUST_PROXY: '1',
			SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`,
			GATE_REQUEST_TIMEOUT_SECONDS: '1',
		});
		// One instant for every request, so that no count of the rate limits slides while a test runs.
		const instant = new Date();
		proxied.gate.now = () => instant;
	});
	afterAll(async () => {
		await proxied?.stop();
		await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	});
	const from = (client: string) => ({ 'x-forwarded-for': `10.9.9.9, ${client}` });
	const proxiedForm = async () => {
		const res = await fetch(`${proxied.url}/access/`);
		return {
			setCookie: res.headers.get('set-cookie')!,
			token: /value="([^"]+)" data-gate-csrf/.exec(await res.text())![1]!,
			csp: res.headers.get('content-security-policy')!,
		};
	};
	/** Posts JSON with a form token from `proxiedForm`, as `client` behind the trusted proxy. */
	const proxiedPost = (sent: { setCookie: string; token: string }, client: string, body: string) =>
		fetch(`${proxied.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				cookie: sent.setCookie.split(';')[0]!,
				'x-csrf-token': sent.token,
				origin,
				...from(client),
			},
			body,
		});

	it('takes the client address from X-Forwarded-For only when it is an IP address, and says once when it is not', async () => {
		for (const forged of ['<script>alert(1)</script>', 'x'.repeat(300)])
			await fetch(`${proxied.url}/healthz`, { headers: from(forged) });
		// An address with the port some proxies add is the address.
		for (const client of ['198.51.100.9', '198.51.100.10:51234', '[2001:db8::7]:443'])
			await fetch(`${proxied.url}/healthz`, { headers: from(client) });
		const ips = proxied.logs
			.map((l) => JSON.parse(l) as Record<string, unknown>)
			.filter((l) => l['path'] === '/healthz')
			.map((l) => l['ip']);
		expect(ips.slice(-5)).toEqual([
			'127.0.0.1',
			'127.0.0.1',
			'198.51.100.9',
			'198.51.100.10',
			'2001:db8::7',
		]);
		expect(proxied.logs.filter((l) => l.includes('other than an IP address'))).toEqual([
			JSON.stringify({
				level: 'warn',
				msg: 'X-Forwarded-For holds something other than an IP address where GATE_TRUST_PROXY=1 points (entry 1 from the right); such requests are counted by the address that connected. Check that only your proxies reach the gate and that GATE_TRUST_PROXY counts them.',
			}),
		]);
	});

	it('marks its cookies Secure, with the __Host- and __Secure- prefixes, and upgrades insecure requests', async () => {
		const { setCookie, token, csp } = await proxiedForm();
		expect(setCookie).toBe(
			`__Host-tc_csrf=${token}; Max-Age=7200; Path=/; HttpOnly; Secure; SameSite=Strict`,
		);
		expect(csp).toMatch(/; upgrade-insecure-requests$/);
		const confirm = await fetch(`${proxied.url}/access/confirm/?token=${'c'.repeat(43)}`, {
			redirect: 'manual',
		});
		expect(confirm.headers.get('set-cookie')).toBe(
			`__Secure-tc_confirm=${'c'.repeat(43)}; Max-Age=3600; Path=/access/confirm/; HttpOnly; Secure; SameSite=Lax`,
		);
		// The plain cookie name is not ours over HTTPS.
		const plain = await fetch(`${proxied.url}/api/access-requests`, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				cookie: `tc_csrf=${token}`,
				'x-csrf-token': token,
				origin,
			},
			body: '{}',
		});
		expect(await json(plain)).toEqual([403, 'csrf']);
	});

	it("names the console's cookies with __Host- and marks them Secure, and takes no cookie without the prefix", async () => {
		const signin = await fetch(`${proxied.url}/admin/signin/`, { headers: from('198.51.100.21') });
		expect(signin.status).toBe(200);
		const formCookie = signin.headers.get('set-cookie')!;
		expect(formCookie).toMatch(
			/^__Host-tc_console_csrf=[^;]+; Max-Age=7200; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
		);
		const csrf = /data-csrf="([^"]+)"/.exec(await signin.text())![1]!;
		const options = await fetch(`${proxied.url}/admin/signin/passkey/options`, {
			method: 'POST',
			headers: {
				cookie: formCookie.split(';')[0]!,
				origin,
				'content-type': 'application/x-www-form-urlencoded',
				...from('198.51.100.21'),
			},
			body: new URLSearchParams({ csrf }),
		});
		expect(options.status).toBe(200);
		expect(options.headers.get('set-cookie')).toMatch(
			/^__Host-tc_signin=[^;]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
		);
		const session = (
			await staffCookie(proxied.gate, 'ines.vasquez-lindqvist@kestrelledger.example')
		).replace(/^tc_staff=/, '');
		const open = (cookie: string) =>
			fetch(`${proxied.url}/admin/`, { headers: { cookie }, redirect: 'manual' });
		expect((await open(`__Host-tc_staff=${session}`)).status).toBe(200);
		const plain = await open(`tc_staff=${session}`);
		expect(plain.status).toBe(303);
		expect(plain.headers.get('location')).toBe('/admin/signin/');
	});

	it('answers a failing mail server with a 503, and records email.failed with the client address the proxy saw', async () => {
		const res = await proxiedPost(
			await proxiedForm(),
			'203.0.113.9',
			JSON.stringify({ ...valid(), email: 'mailfail@fabrikam.example' }),
		);
		expect([res.status, await res.json()]).toMatchObject([
			503,
			{
				error: 'mail-failed',
				message:
					'We could not send the email to mailfail@fabrikam.example just now. Please try again in a few minutes; if it keeps failing, write to security@kestrelledger.example.',
			},
		]);
		const entries = await readAudit(proxied.gate.db);
		expect(entries.find((e) => e.type === 'nda.accepted')?.data['ip']).toBe('203.0.113.9');
		expect(entries.at(-1)).toMatchObject({
			type: 'email.failed',
			data: { to: 'mailfail@fabrikam.example', kind: 'confirmation' },
		});
		expect(String(entries.at(-1)!.data['error'])).toContain('Mailbox unavailable');
	});

	it('limits pages to 120 a minute per client address, as the trusted proxy reports it', async () => {
		const page = (client: string) =>
			fetch(`${proxied.url}/access/confirm/?token=${'p'.repeat(43)}`, {
				redirect: 'manual',
				headers: from(client),
			});
		const statuses = [];
		for (let i = 0; i < 120; i++) statuses.push((await page('203.0.113.5')).status);
		expect(new Set(statuses)).toEqual(new Set([303]));
		const over = await page('203.0.113.5');
		expect(over.status).toBe(429);
		expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
		// Another client behind the same proxy is counted apart.
		expect((await page('203.0.113.6')).status).toBe(303);
	});

	it('limits access requests to 20 per 10 minutes per client address', async () => {
		const sent = await proxiedForm();
		const send = () => proxiedPost(sent, '203.0.113.8', '{}');
		for (let i = 0; i < 20; i++) expect((await send()).status).toBe(400);
		expect(await json(await send())).toEqual([429, 'rate-limited']);
	});

	it('counts IPv6 clients by their /64, so stepping through one’s own addresses gains nothing', async () => {
		const sent = await proxiedForm();
		const send = (client: string) => proxiedPost(sent, client, '{}');
		for (let i = 1; i <= 20; i++)
			expect((await send(`2001:db8:7:7:${i.toString(16)}::${i}`)).status).toBe(400);
		expect(await json(await send('2001:0db8:0007:0007:ffff:ffff:ffff:ffff'))).toEqual([
			429,
			'rate-limited',
		]);
		// The next /64 is another client.
		expect((await send('2001:db8:7:8::1')).status).toBe(400);
	});

	it('closes a request trickled in too slowly with a 408 that carries the security headers', async () => {
		const port = Number(new URL(proxied.url).port);
		const reply = await new Promise<string>((resolve) => {
			const socket = connect(port, '127.0.0.1', () =>
				socket.write(
					'POST /api/access-requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
				),
			);
			let data = '';
			socket.on('data', (d) => (data += d));
			socket.on('close', () => resolve(data));
		});
		expect(reply).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
		expect(reply).toContain('\r\ncontent-security-policy: ');
		expect(reply).toContain('\r\nConnection: close\r\n');
		expect(reply).toMatch(
			/\r\n\r\nThe request took too long to arrive\. Send it again in one go\.\nReference: [0-9a-f-]{36}\n$/,
		);
	});
});

describe('GET /healthz', () => {
	it('answers 503 while draining and while the database does not answer', async () => {
		const root = await gateRoot();
		const lone = await makeGate(root, { dataDir: join(root, 'pglite') });
		const read = readSettings({ PORT: '0', GATE_DATA_DIR: join(root, 'data') }, root);
		if (!read.ok) throw new Error(read.errors.join('\n'));
		const state = { draining: false };
		const app = createApps(lone, read.settings, { dist, scriptHashes: [] }, () => {}, state).site;
		const incoming = {
			socket: { remoteAddress: '127.0.0.1' },
			httpVersion: '1.1',
			headers: { host: 'x' },
		};
		const health = async () => {
			const outgoing = new ServerResponse(incoming as unknown as IncomingMessage);
			const res = await app.request('/healthz', {}, {
				incoming,
				outgoing,
			} as unknown as HttpBindings);
			return [res.status, await res.json()];
		};
		expect(await health()).toEqual([200, { status: 'ok', database: 'pglite' }]);
		state.draining = true;
		expect(await health()).toEqual([503, { status: 'draining' }]);
		state.draining = false;
		await lone.db.close();
		expect(await health()).toEqual([503, { status: 'database unavailable', database: 'pglite' }]);
		rmSync(lone.outbox, { recursive: true, force: true });
		rmSync(root, { recursive: true, force: true });
	});
});

describe('a fuzz run', () => {
	it('judges 10,000 hostile requests one by one: each gets its own refusal as a whole HTTP answer, odd but valid ones are stored, and the audit chain verifies over their entries', async () => {
		let seed = 20261123;
		const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
		// A lone surrogate cannot be URI-encoded; send its raw UTF-8 bytes instead.
		const encodeURIComponent = (s: string) =>
			s.isWellFormed() ? globalThis.encodeURIComponent(s) : '%ED%A0%80';
		const junk = [
			'',
			' ',
			'\u202E',
			'\u200B',
			'\uFEFF',
			'\0',
			'\uD800',
			'\r\nBcc: x@y.z',
			'<script>alert(1)</script>',
			"' OR 1=1 --",
			'../../etc/passwd',
			'%00',
			'ñ',
			'😀',
			'A'.repeat(300),
			'{{7*7}}',
			'${7*7}',
			'\u0085',
			'Ａｄａ',
		];
		// Text the schema accepts although it looks hostile: stored as typed, shown escaped.
		const oddButValid = [
			'<script>alert(1)</script>',
			"O'Brien; DROP TABLE grants; --",
			'{{7*7}} ${7*7}',
			'Zoë 😀 Ａｄａ',
			'محمد علي',
			'https://evil.example/unlock',
		];
		const wrongTypes: unknown[] = [
			null,
			0,
			-1,
			1e308,
			false,
			[],
			{},
			[[]],
			{ $ne: null },
			['a', 1],
			'🙂'.repeat(5000),
		];
		const fields = [
			'name',
			'email',
			'company',
			'role',
			'documents',
			'reason',
			'typedName',
			'accept',
			'ndaVersion',
			'ndaSha256',
		] as const;
		const base = valid();
		const keys = gateKeys();
		const realGrant = new URL(await grantLink('fuzz-grant@fabrikam.example')).pathname.split(
			'/',
		)[3]!;
		const iat = Math.floor(Date.now() / 1000);

		/** One request and the answers it may get: statuses, and for a refusal its code. */
		interface Case {
			send: () => Promise<Response>;
			status: number[];
			codes?: string[];
			/** Audit entries it writes when answered as expected. */
			writes?: number;
		}
		const cases: Case[] = [];
		for (let i = 0; i < 10_000; i++) {
			const kind = i % 50 === 7 ? 'valid' : i % 50 === 17 ? 'signed' : i % 10;
			if (kind === 'valid') {
				const text = pick(oddButValid);
				cases.push({
					send: () =>
						post(
							JSON.stringify({
								...base,
								name: text,
								typedName: text,
								company: pick(oddButValid),
								reason: `${pick(oddButValid)}\n${pick(oddButValid)}`,
								email: `fuzz-${i}@fabrikam.example`,
							}),
						),
					status: [202],
					writes: 3,
				});
			} else if (kind === 'signed') {
				// Signed with the gate's own key: only the database can refuse these, and it audits each.
				const [grant, doc, why] = pick([
					[realGrant, 'soc2-type2-report', 'doc-not-granted'],
					[`grant_${i.toString(16).padStart(16, '0')}`, 'whitepaper', 'grant-unknown'],
				] as const);
				const query = signLink({ grant, doc, link: `link_f${i}`, iat, exp: iat + 900 }, keys);
				cases.push({
					send: () =>
						fetch(`${gate.url}/download/?${query}`, { headers: { accept: 'application/json' } }),
					status: [why === 'grant-unknown' ? 404 : 403],
					codes: [why],
					writes: 1,
				});
			} else if (kind === 0)
				cases.push({
					send: () =>
						post(
							pick([
								'{',
								'{"a":',
								'{"name":"x",}',
								'{"name": undefined}',
								'\u0000',
								'{"__proto__": {"admin": true}}',
								'['.repeat(5000),
								'"string"',
								'null',
								'1e999',
								'{"a":"\\ud800"}',
								'\xff\xfe',
							]),
						),
					status: [400],
					codes: ['invalid-json', 'invalid-request'],
				});
			else if (kind === 1) {
				const value = pick(wrongTypes);
				cases.push({
					send: () => post(JSON.stringify({ ...base, [pick(fields)]: value })),
					status: typeof value === 'string' ? [413] : [400],
					codes: typeof value === 'string' ? ['body-too-large'] : ['invalid-request'],
				});
			} else if (kind === 2) {
				// Each value carries at least one character the schema refuses, plus random junk.
				const field = pick(['name', 'company', 'role', 'typedName', 'email'] as const);
				const value = `${base[field]}${pick(['\u202E', '\u200B', '\0', '\uD800', '\r\nBcc: x@y.z', '\u0085'])}${pick(junk)}`;
				cases.push({
					send: () => post(JSON.stringify({ ...base, [field]: value })),
					status: [400],
					codes: ['invalid-request'],
				});
			} else if (kind === 3) {
				const body = JSON.stringify({ ...base, documents: [pick(junk)], extra: pick(junk) });
				cases.push({ send: () => post(body), status: [400], codes: ['invalid-request'] });
			} else if (kind === 4) {
				const body = JSON.stringify({ ...base, ndaSha256: pick(junk) });
				cases.push({ send: () => post(body), status: [400], codes: ['invalid-request'] });
			} else if (kind === 5) {
				const [headers, status, code] = pick([
					[
						{
							'content-type': pick([
								'text/plain',
								'multipart/form-data; boundary=x',
								'application/json-patch+json',
								'',
							]),
						},
						415,
						'unsupported-media-type',
					],
					[
						{ origin: pick(['null', 'https://evil.example', 'http://127.0.0.1.evil.example']) },
						403,
						'cross-site',
					],
					[
						{
							'x-csrf-token': pick(
								junk.filter((j) => !/[\r\n\0\u0085\u202E\u200B\uFEFF\uD800ñ😀Ａ]/u.test(j)),
							),
						},
						403,
						'csrf',
					],
				] as const);
				cases.push({
					send: () => post(JSON.stringify(base), { ...headers, accept: 'application/json' }),
					status: [status],
					codes: [code],
				});
			} else if (kind === 6) {
				const query = pick([
					'',
					'grant=a',
					`grant=${pick(junk)}&doc=whitepaper&link=l&iat=1&exp=9999999999&kid=test&sig=AAAA`,
					'grant=grant_0000000000000000&doc=whitepaper&link=link_1&iat=1795430000&exp=1795430900&kid=local&sig=' +
						'A'.repeat(43),
					'sig=&sig=',
					'exp=-1',
				]);
				cases.push({
					send: () =>
						fetch(`${gate.url}/download/?${query}`, { headers: { accept: 'application/json' } }),
					status: [403],
					codes: ['link-malformed', 'link-forged'],
				});
			} else if (kind === 7) {
				const path = `/access/grant/${encodeURIComponent(pick(junk) || 'x')}/?key=${encodeURIComponent(pick(junk))}`;
				cases.push({
					send: () => fetch(`${gate.url}${path}`, { headers: { accept: 'application/json' } }),
					status: [404],
					codes: ['grant-unknown'],
				});
			} else if (kind === 8) {
				const token = encodeURIComponent(pick(junk));
				const body = `csrf=${encodeURIComponent(form.token)}&token=${token}&token=x`;
				cases.push({
					send: () =>
						fetch(`${gate.url}/access/confirm/`, {
							method: 'POST',
							headers: {
								'content-type': 'application/x-www-form-urlencoded',
								accept: 'application/json',
								cookie: form.cookie,
							},
							body,
						}),
					status: [400],
					// A lone surrogate's bytes are not UTF-8: refused before the token is looked at.
					codes: [token === '%ED%A0%80' ? 'not-utf-8' : 'invalid-request'],
				});
			} else {
				const method = pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS']);
				cases.push({
					send: () =>
						fetch(`${gate.url}/api/access-requests`, {
							method,
							headers: { cookie: form.cookie, accept: 'application/json' },
						}),
					status: [405],
					codes: ['method-not-allowed'],
				});
			}
		}
		const before = await auditCount();
		const wrong: string[] = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: 16 }, async () => {
				while (next < cases.length) {
					const index = next++;
					const { send, status, codes } = cases[index]!;
					const res = await send();
					const text = await res.text();
					let code: string | undefined;
					try {
						code = (JSON.parse(text) as { error?: string }).error;
					} catch {
						code = 'not JSON';
					}
					const problems = [
						!status.includes(res.status) && `status ${res.status}, expected ${status.join('|')}`,
						codes && !codes.includes(code ?? '') && `code ${code}, expected ${codes.join('|')}`,
						!res.headers.get('content-security-policy') && 'no security headers',
						/\n\s+at |node_modules|\.ts:\d+/.test(text) && 'a stack trace',
					].filter(Boolean);
					if (problems.length)
						wrong.push(`#${index}: ${problems.join(', ')}: ${text.slice(0, 120)}`);
				}
			}),
		);
		expect(wrong.slice(0, 10), `${wrong.length} of ${cases.length} answered wrongly`).toEqual([]);
		// Header injection and broken HTTP go over a raw socket: fetch refuses to send them.
		for (const [text, status] of [
			['GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.1.1.1\r\n Injected: yes\r\n\r\n', 400],
			[
				'POST /api/access-requests HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
				400,
			],
			[`GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
			['GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Header: 1\r\n\r\n', 400],
			['POST /api/access-requests HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 400],
		] as const) {
			const reply = await raw(text);
			expect(
				[reply.status, Boolean(reply.headers.get('content-security-policy'))],
				text.slice(0, 50),
			).toEqual([status, true]);
		}
		expect(gate.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
		const entries = await readAudit(gate.gate.db);
		const written = cases.reduce((sum, c) => sum + (c.writes ?? 0), 0);
		expect(entries.length - before).toBe(written);
		expect(written).toBeGreaterThan(500);
		expect(verifyChain(entries)).toMatchObject({ ok: true });
		expect((await fetch(`${gate.url}/healthz`)).status).toBe(200);
	}, 600_000);
});

describe('start-up', () => {
	const start = (dir: string, env: Record<string, string>) =>
		startGate(gate.root, dir, { HOST: '127.0.0.1', PORT: '0', ...env }, () => {}).then(
			() => 'started',
			(error: Error) => error.message,
		);

	it('explains a missing build, a port in use and an embedded database held by another gate', async () => {
		expect(await start('/nonexistent/dist', { GATE_DATA_DIR: join(gate.root, 'other-data') })).toBe(
			'/nonexistent/dist has no index.html: build the site first with npm run build.',
		);
		expect(
			await start(dist, {
				GATE_DATA_DIR: join(gate.root, 'other-data'),
				PORT: new URL(gate.url).port,
			}),
		).toBe(
			`Could not listen on 127.0.0.1:${new URL(gate.url).port}: EADDRINUSE. Set PORT to a free port.`,
		);
		// The failed start released the database: the same folder opens again.
		expect(
			await start(dist, {
				GATE_DATA_DIR: join(gate.root, 'other-data'),
				PORT: new URL(gate.url).port,
			}),
		).toMatch(/EADDRINUSE/);
		// 192.0.2.1 is a documentation address, never this machine's: HOST is named, not PORT.
		expect(
			await start(dist, { GATE_DATA_DIR: join(gate.root, 'other-data'), HOST: '192.0.2.1' }),
		).toBe(
			"Could not listen on 192.0.2.1:0: EADDRNOTAVAIL. HOST is not an address of this machine; set it to one of this machine's addresses, or unset it.",
		);
		expect(await start(dist, { GATE_DATA_DIR: gate.dataDir })).toBe(
			`The embedded database in ${join(gate.dataDir, 'pglite')} is in use by process ${process.pid}. Stop that gate first, or use PostgreSQL (DATABASE_URL) to run several.`,
		);
	});

	it('warns once at start, naming the Debian packages, when GATE_WATERMARK_FONT_DIR holds no watermark fonts', async () => {
		const fontDir = mkdtempSync(join(tmpdir(), 'no-fonts-'));
		const lines: string[] = [];
		const other = await startGate(
			gate.root,
			dist,
			{
				HOST: '127.0.0.1',
				PORT: '0',
				GATE_DATA_DIR: join(gate.root, 'font-data'),
				GATE_WATERMARK_FONT_DIR: fontDir,
			},
			(level, msg) => lines.push(`${level}: ${msg}`),
		);
		await other.close();
		const warnings = lines.filter((l) => l.startsWith('warn: Watermark fonts missing'));
		expect(warnings).toHaveLength(1);
		expect(warnings[0]).toContain(`Watermark fonts missing under ${fontDir}`);
		expect(warnings[0]).toContain('apt-get install fonts-noto-core fonts-noto-cjk');
	});

	it('warns at start when the whitepaper is missing or older than the site it serves beside', async () => {
		const pdf = join(gate.root, 'private/whitepaper.pdf');
		const startWarnings = async () => {
			const lines: string[] = [];
			const other = await startGate(
				gate.root,
				dist,
				{ HOST: '127.0.0.1', PORT: '0', GATE_DATA_DIR: join(gate.root, 'whitepaper-data') },
				(level, msg) => lines.push(`${level}: ${msg}`),
			);
			await other.close();
			return lines.filter((l) => l.includes('NDA whitepaper'));
		};
		expect(await startWarnings()).toEqual([]);
		const old = new Date('2000-01-01T00:00:00Z');
		utimesSync(pdf, old, old);
		expect(await startWarnings()).toEqual([
			'warn: the NDA whitepaper (private/whitepaper.pdf) is older than the site in dist/: the last build did not make it. Until npm run whitepaper makes it (Chromium is needed), requesters download that older copy.',
		]);
		renameSync(pdf, `${pdf}.away`);
		try {
			expect(await startWarnings()).toEqual([
				'warn: the NDA whitepaper (private/whitepaper.pdf) has not been made. Until npm run whitepaper makes it (Chromium is needed), its downloads answer 503.',
			]);
		} finally {
			renameSync(`${pdf}.away`, pdf);
			utimesSync(pdf, new Date(), new Date());
		}
	});
});

/** Whether the port takes a new connection. */
const accepts = (port: number) =>
	new Promise<boolean>((resolve) => {
		const probe = connect(port, '127.0.0.1', () => {
			probe.destroy();
			resolve(true);
		});
		probe.on('error', () => resolve(false));
	});

describe('shutdown', () => {
	it('finishes a request in flight on close, stores it, then refuses new connections', async () => {
		const other = await startTestGate(dist);
		const { token, cookie } = await formToken(other.url);
		const body = JSON.stringify({ ...valid(), email: 'inflight@fabrikam.example', csrf: token });
		const port = Number(new URL(other.url).port);
		const socket = connect(port, '127.0.0.1');
		let reply = '';
		socket.on('data', (d) => (reply += d));
		const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
		await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
		// Headers and half the body now; the rest once shutdown has begun. Node announces each request
		// it has read the headers of on a diagnostics channel: that, not a pause, says the request is in flight.
		const started = new Promise<void>((resolve) => {
			const seen = ({ request }: { request: IncomingMessage }) => {
				if (request.headers['x-test'] !== 'in-flight') return;
				unsubscribe('http.server.request.start', seen as (message: unknown) => void);
				resolve();
			};
			subscribe('http.server.request.start', seen as (message: unknown) => void);
		});
		socket.write(
			`POST /api/access-requests HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nCookie: ${cookie}\r\nX-Test: in-flight\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 50)}`,
		);
		await started;
		const stopping = other.close();
		// Shutdown has begun once the port takes no new connections.
		await expect.poll(() => accepts(port), { interval: 20 }).toBe(false);
		socket.write(body.slice(50));
		await closed;
		await stopping;
		expect(reply).toMatch(/^HTTP\/1\.1 202 /);
		await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
		const { openDb } = await import('../../src/gate/db.ts');
		const db = await openDb({ dataDir: join(other.dataDir, 'pglite') });
		expect(
			(
				await db.query<{ n: number }>(
					"SELECT count(*)::int AS n FROM access_requests WHERE email = 'inflight@fabrikam.example'",
				)
			).rows[0]!.n,
		).toBe(1);
		expect(verifyChain(await readAudit(db)).ok).toBe(true);
		await db.close();
		await other.stop();
	});
});

describe('a method an address does not take', () => {
	it('is refused with 405, the Allow header and a message naming the methods the address takes', async () => {
		const refused = async (path: string, method: string) => {
			const res = await fetch(`${gate.url}${path}`, {
				method,
				headers: { accept: 'application/json' },
			});
			const body = (await res.json()) as { error: string; message: string };
			return [res.status, res.headers.get('allow'), body.error, body.message];
		};
		expect(await refused('/api/access-requests', 'GET')).toEqual([
			405,
			'POST',
			'method-not-allowed',
			'GET is not allowed here: this address takes POST.',
		]);
		expect(await refused('/subscribe/manage/', 'PUT')).toEqual([
			405,
			'GET, HEAD, POST',
			'method-not-allowed',
			'PUT is not allowed here: this address takes GET, HEAD, POST.',
		]);
		expect(await refused('/download/', 'DELETE')).toEqual([
			405,
			'GET, HEAD',
			'method-not-allowed',
			'DELETE is not allowed here: this address takes GET, HEAD.',
		]);
		expect(await refused('/policies/', 'POST')).toEqual([
			405,
			'GET, HEAD',
			'method-not-allowed',
			'POST is not allowed here: this address takes GET, HEAD.',
		]);
		// The addresses' own methods are answered as before.
		expect((await fetch(`${gate.url}/access/`, { method: 'HEAD' })).status).toBe(200);
	});
});
