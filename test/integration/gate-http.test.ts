// The gate over HTTP: headers on every response, forgery defences, body limits, clear 4xx for bad
// input, rate limits, health, graceful shutdown, and a fuzz run of malformed requests.
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyChain } from '../../src/gate/lib/audit-chain.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { startGate } from '../../src/gate/server.ts';
import { formToken, startTestGate } from '../helpers/gate.ts';

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
const post = (body: string, headers: Record<string, string> = {}) =>
	fetch(`${gate.url}/api/access-requests`, {
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
		const asset = /href="(\/_astro\/[^"]+\.css)"/.exec(
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
			expect(res.headers.get('referrer-policy')).toBe('same-origin');
			expect(res.headers.get('permissions-policy')).toContain('camera=()');
			expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
			expect(res.headers.get('x-powered-by')).toBeNull();
			expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
		}
		expect(responses[1]!.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(await responses[4]!.json()).toEqual({ status: 'ok', database: 'pglite' });
	});

	it('logs one JSON line per request with its id, and never the query string that carries tokens', async () => {
		await fetch(`${gate.url}/access/confirm/?token=${'s'.repeat(43)}`);
		const line = gate.logs
			.map((l) => JSON.parse(l) as Record<string, unknown>)
			.findLast((l) => l['path'] === '/access/confirm/');
		expect(line).toMatchObject({
			level: 'info',
			msg: 'request',
			method: 'GET',
			status: 200,
			ip: '127.0.0.1',
		});
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

	it('names an unknown form field by its own name on the page, even one called constructor or __proto__', async () => {
		const formBody = new URLSearchParams({
			...valid(),
			documents: 'whitepaper',
			accept: 'yes',
			csrf: form.token,
		});
		formBody.append('constructor', 'x');
		formBody.append('__proto__', 'y');
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
		expect(html).toContain(
			'<li><strong>constructor</strong>: is not a field of this form; remove it</li>',
		);
		expect(html).toContain(
			'<li><strong>__proto__</strong>: is not a field of this form; remove it</li>',
		);
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
			/Too many requests from you in a short time\. Please wait \d+ minute\(s\) and try again\./,
		);
	});
});

describe('a fuzz run', () => {
	it('answers 10,000 malformed requests with 4xx only, no stack traces, and the audit chain still verifies', async () => {
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
		const requests: Array<() => Promise<Response>> = [];
		for (let i = 0; i < 10_000; i++) {
			const kind = i % 10;
			if (kind === 0)
				requests.push(() =>
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
				);
			else if (kind === 1)
				requests.push(() => post(JSON.stringify({ ...base, [pick(fields)]: pick(wrongTypes) })));
			else if (kind === 2) {
				// Each value carries at least one character the schema refuses, plus random junk.
				const field = pick(['name', 'company', 'role', 'typedName', 'email'] as const);
				requests.push(() =>
					post(
						JSON.stringify({
							...base,
							[field]: `${base[field]}${pick(['\u202E', '\u200B', '\0', '\uD800', '\r\nBcc: x@y.z', '\u0085'])}${pick(junk)}`,
						}),
					),
				);
			} else if (kind === 3)
				requests.push(() =>
					post(JSON.stringify({ ...base, documents: [pick(junk)], extra: pick(junk) })),
				);
			else if (kind === 4)
				requests.push(() => post(JSON.stringify({ ...base, ndaSha256: pick(junk) })));
			else if (kind === 5)
				requests.push(() =>
					post(
						JSON.stringify(base),
						pick([
							{
								'content-type': pick([
									'text/plain',
									'multipart/form-data; boundary=x',
									'application/json-patch+json',
									'',
								]),
							},
							{ origin: pick(['null', 'https://evil.example', 'http://127.0.0.1.evil.example']) },
							{
								'x-csrf-token': pick(
									junk.filter((j) => !/[\r\n\0\u0085\u202E\u200B\uFEFF\uD800ñ😀Ａ]/u.test(j)),
								),
							},
						]),
					),
				);
			else if (kind === 6)
				requests.push(() =>
					fetch(
						`${gate.url}/download/?${pick(['', 'grant=a', `grant=${pick(junk)}&doc=whitepaper&link=l&iat=1&exp=9999999999&kid=test&sig=AAAA`, 'grant=grant_0000000000000000&doc=whitepaper&link=link_1&iat=1795430000&exp=1795430900&kid=local&sig=' + 'A'.repeat(43), 'sig=&sig=', 'exp=-1'])}`,
					),
				);
			else if (kind === 7)
				requests.push(() =>
					fetch(
						`${gate.url}/access/grant/${encodeURIComponent(pick(junk) || 'x')}/?key=${encodeURIComponent(pick(junk))}`,
					),
				);
			else if (kind === 8)
				requests.push(() =>
					fetch(`${gate.url}/access/confirm/`, {
						method: 'POST',
						headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
						body: `csrf=${encodeURIComponent(form.token)}&token=${encodeURIComponent(pick(junk))}&token=x`,
					}),
				);
			else
				requests.push(() =>
					fetch(`${gate.url}/api/access-requests`, {
						method: pick(['PUT', 'PATCH', 'DELETE', 'OPTIONS']),
						headers: { cookie: form.cookie },
					}),
				);
		}
		// Header injection and broken HTTP go over a raw socket: fetch refuses to send them.
		const raw = (text: string) =>
			new Promise<string>((resolve) => {
				const socket = connect(Number(new URL(gate.url).port), '127.0.0.1', () => socket.end(text));
				let data = '';
				socket.on('data', (d) => (data += d));
				socket.on('close', () => resolve(data));
				socket.on('error', () => resolve(data));
			});
		const rawCases = [
			'GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.1.1.1\r\n Injected: yes\r\n\r\n',
			'POST /api/access-requests HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
			`GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
			'GET / HTTP/1.1\r\nHost: x\r\nBad\u0001Header: 1\r\n\r\n',
			'POST /api/access-requests HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
		];
		const statuses = new Map<number, number>();
		const bodies: string[] = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: 16 }, async () => {
				while (next < requests.length) {
					const res = await requests[next++]!();
					statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
					const text = await res.text();
					if (/\n\s+at |node_modules|\.ts:\d+/.test(text)) bodies.push(text.slice(0, 300));
				}
			}),
		);
		for (const text of rawCases) {
			const reply = await raw(text);
			const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 400);
			statuses.set(status, (statuses.get(status) ?? 0) + 1);
		}
		const counts = Object.fromEntries([...statuses].sort(([a], [b]) => a - b));
		expect(
			[...statuses.keys()].filter((s) => s < 400 || s > 499),
			JSON.stringify(counts),
		).toEqual([]);
		expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(10_000 + rawCases.length);
		expect(bodies).toEqual([]);
		expect(gate.logs.filter((l) => l.includes('"level":"error"'))).toEqual([]);
		expect(verifyChain(await readAudit(gate.gate.db)).ok).toBe(true);
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
		// Headers and half the body now; the rest after shutdown has begun.
		socket.write(
			`POST /api/access-requests HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nCookie: ${cookie}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 50)}`,
		);
		await new Promise((resolve) => setTimeout(resolve, 200));
		const stopping = other.close();
		await new Promise((resolve) => setTimeout(resolve, 100));
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
