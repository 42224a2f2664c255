import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterPull } from '../../scripts/lib/build-chain.ts';
import { fixtureContent, makeSite, removeSite, ROOT } from '../../scripts/lib/site-copy.ts';
import { fetchHttpSource, type HttpOptions } from '../../src/lib/pull/http.ts';
import { pullControls } from '../../src/lib/pull/run.ts';
import { shownUrl } from '../../src/lib/pull/records.ts';
import { readSource } from '../../src/lib/pull/sources.ts';
import { parseContent, type Problem } from '../../src/lib/content/problems.ts';
import { ControlSourceSchema, HttpSourceSchema } from '../../src/schemas/control-sources.ts';

/** A compliance API on loopback with one route per behaviour under test. Counts hits per route. */
const hits: Record<string, number> = {};
const asked: Record<string, number> = {};
const controls = ['M.1', 'M.2', 'M.3', 'M.4'].map((id, i) => ({
	ref: id,
	result: i === 2 ? 'not-applicable' : 'implemented',
	tested: '2026-11-20',
}));
const routes: Record<string, (req: IncomingMessage, res: ServerResponse, url: URL) => void> = {
	'/next-link': (_req, res, url) => {
		const page = Number(url.searchParams.get('cursor') ?? 0);
		json(res, {
			items: controls.slice(page * 2, page * 2 + 2),
			links: { next: page < 1 ? `/next-link?cursor=${page + 1}` : null },
		});
	},
	'/page-param': (_req, res, url) => {
		const page = Number(url.searchParams.get('page'));
		json(res, { items: controls.slice((page - 1) * 3, page * 3) });
	},
	'/auth': (req, res) =>
		req.headers.authorization === 'Bearer s3cret'
			? json(res, { items: controls })
			: status(res, 401, 'Unauthorized'),
	'/always-500': (_req, res) => status(res, 500, 'Internal Server Error'),
	'/flaky-500': (_req, res) =>
		hits['/flaky-500']! < 3
			? status(res, 503, 'Service Unavailable')
			: json(res, { items: controls }),
	'/rate-limited': (_req, res) =>
		hits['/rate-limited'] === 1
			? status(res, 429, 'Too Many Requests', { 'Retry-After': '1' })
			: json(res, { items: controls }),
	// 429 with the Retry-After given in the query the first time each query is asked, then the controls.
	'/retry-after': (_req, res, url) => {
		asked[url.search] = (asked[url.search] ?? 0) + 1;
		if (asked[url.search] === 1)
			status(res, 429, 'Too Many Requests', { 'Retry-After': url.searchParams.get('value')! });
		else json(res, { items: controls });
	},
	// Five pages, each linking to the next.
	'/next-self': (_req, res) =>
		json(res, { items: controls.slice(0, 2), links: { next: '/next-self' } }),
	'/ignores-page': (_req, res) => json(res, { items: controls.slice(0, 2) }),
	'/five-pages': (_req, res, url) => {
		const page = Number(url.searchParams.get('page') ?? 1);
		json(res, {
			items: [controls[page % 4]],
			links: { next: page < 5 ? `/five-pages?page=${page + 1}` : null },
		});
	},
	// Redirects: within the origin, to another one (where the credentials must not go), and in a loop.
	'/redirect-same': (_req, res) => res.writeHead(302, { Location: '/api-key' }).end(),
	'/redirect-away': (_req, res) =>
		res.writeHead(302, { Location: `${elsewhere}/api-key?from=redirect` }).end(),
	'/redirect-loop': (_req, res) => res.writeHead(302, { Location: '/redirect-loop' }).end(),
	'/api-key': (req, res) =>
		req.headers['x-api-key'] === 's3cret'
			? json(res, { items: controls })
			: status(res, 401, 'Unauthorized'),
	'/next-away': (_req, res) =>
		json(res, { items: controls.slice(0, 2), links: { next: `${elsewhere}/api-key?from=next` } }),
	'/next-malformed': (_req, res) =>
		json(res, { items: controls.slice(0, 2), links: { next: 'http://[::1' } }),
	'/next-userinfo': (_req, res) =>
		json(res, {
			items: controls.slice(0, 2),
			links: { next: base.replace('//', '//admin:hunter2pass@') + '/next-link?cursor=1' },
		}),
	'/hang': () => {},
	// Headers and the start of a body, then nothing.
	'/stall-mid-body': (_req, res) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.write('{"assessment-results": {');
	},
	// Says it is 3 GB; the pull must not start reading it.
	'/huge-declared': (_req, res) => {
		res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '3000000000' });
		res.write('{"items": [');
	},
	// No Content-Length, and more bytes than the limit: the pull must stop reading at the limit.
	'/huge-chunked': (_req, res) => {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.write(`{"items": [${'{"ref": "M.1"},'.repeat(200)}`);
		res.end('{}]}');
	},
	'/sign-in': (_req, res) =>
		res
			.writeHead(200, { 'Content-Type': 'text/html' })
			.end('<!DOCTYPE html><html><body><form>Sign in</form></body></html>'),
	'/empty': (_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(''),
	'/malformed': (_req, res) =>
		res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"items": [ {"ref": "M.1",'),
	'/bad-status': (_req, res) =>
		json(res, { items: [{ ref: 'M.1', result: 'green', tested: '2026-11-20' }] }),
	'/oscal/ssp.yaml': (_req, res) =>
		res
			.writeHead(200, { 'Content-Type': 'application/yaml' })
			.end(readFileSync(join(ROOT, 'test/fixtures/oscal/nist/ifa_ssp-example.yaml'))),
	'/oscal/sign-in.json': (_req, res) =>
		res
			.writeHead(200, { 'Content-Type': 'text/html' })
			.end('<!DOCTYPE html>\n<html><body><form action="/login">Sign in</form></body></html>'),
	'/oscal/flaky': (_req, res) =>
		hits['/oscal/flaky']! < 3
			? status(res, 503, 'Service Unavailable')
			: res
					.writeHead(200, { 'Content-Type': 'application/json' })
					.end(
						readFileSync(
							join(ROOT, 'test/fixtures/oscal/nist/ifa_assessment-results-example.json'),
						),
					),
	'/oscal/latest': (_req, res) =>
		res
			.writeHead(200, { 'Content-Type': 'application/json' })
			.end(
				readFileSync(join(ROOT, 'test/fixtures/oscal/nist/ifa_assessment-results-example.json')),
			),
};
function json(res: ServerResponse, body: unknown) {
	res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}
function status(
	res: ServerResponse,
	code: number,
	text: string,
	headers: Record<string, string> = {},
) {
	res.writeHead(code, text, headers).end(text);
}

let server: Server;
let base: string;
/** Another origin, which records the API key of every request that reaches it: there must be none. */
let other: Server;
let elsewhere: string;
const keysElsewhere: (string | undefined)[] = [];
beforeAll(async () => {
	other = createServer((req, res) => {
		keysElsewhere.push(req.headers['x-api-key'] as string | undefined);
		json(res, { items: controls });
	});
	await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
	elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
	server = createServer((req, res) => {
		const url = new URL(req.url!, 'http://x');
		hits[url.pathname] = (hits[url.pathname] ?? 0) + 1;
		(routes[url.pathname] ?? ((_q, r) => status(r, 404, 'Not Found')))(req, res, url);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	await new Promise((resolve) => other.close(resolve));
});

const fields = { id: 'ref', status: 'result', evidenceDate: 'tested' };
const httpSource = (path: string, extra: Record<string, unknown> = {}) =>
	HttpSourceSchema.parse({
		id: 'grc-api',
		kind: 'http',
		catalog: 'mini',
		url: `${base}${path}`,
		itemsPath: 'items',
		fields,
		// Long enough that a busy machine never times out an answer that comes; the tests of timeouts set 300.
		timeoutMs: 10_000,
		retries: 2,
		...extra,
	});
const fetchIds = async (
	path: string,
	extra: Record<string, unknown> = {},
	env: NodeJS.ProcessEnv = {},
) =>
	(await fetchHttpSource(httpSource(path, extra), { backoffMs: 10, env })).records.map(
		(r) => r.externalId,
	);
/** The waits between attempts, recorded by an injected sleep (nothing really waits), and how the fetch ended. */
async function waitsFor(
	path: string,
	extra: Record<string, unknown> = {},
	options: HttpOptions = {},
) {
	const waits: number[] = [];
	const outcome = await fetchHttpSource(httpSource(path, extra), {
		backoffMs: 10,
		sleep: async (ms) => void waits.push(ms),
		...options,
	}).then(
		(r) => `${r.records.length} records`,
		(e: Error) => e.message,
	);
	return { waits, outcome };
}
const failure = (path: string, extra: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) =>
	fetchHttpSource(httpSource(path, extra), { backoffMs: 10, env }).then(
		() => 'no error',
		(e: Error) => e.message.replaceAll(base, 'http://127.0.0.1:PORT'),
	);

/** How reading an OSCAL document from `path` on the test server fails. */
const oscalFailure = (path: string, extra: Record<string, unknown> = {}) =>
	readSource(
		ControlSourceSchema.parse({
			id: 'oscal-url',
			kind: 'oscal',
			catalog: 'mini',
			location: `${base}${path}`,
			...extra,
		}),
		{ path: '/nonexistent', shown: 'content' },
		{ backoffMs: 10 },
	).then(
		() => 'no error',
		(e: Error) => `${e.name}: ${e.message.replaceAll(base, 'http://127.0.0.1:PORT')}`,
	);

describe('HTTP sources', () => {
	it('follows next links until there are none', async () => {
		expect(
			await fetchIds('/next-link', { pagination: { type: 'next-link', path: 'links.next' } }),
		).toEqual(['M.1', 'M.2', 'M.3', 'M.4']);
		expect(hits['/next-link']).toBe(2);
	});

	it('counts up a page parameter until a page comes back empty', async () => {
		expect(
			await fetchIds('/page-param', {
				pagination: { type: 'page-param', param: 'page', start: 1 },
			}),
		).toEqual(['M.1', 'M.2', 'M.3', 'M.4']);
		expect(hits['/page-param']).toBe(3);
	});

	it('sends the token from the environment variable as a bearer header', async () => {
		expect(
			await fetchIds('/auth', { auth: { env: 'GRC_TOKEN' } }, { GRC_TOKEN: 's3cret' }),
		).toHaveLength(4);
	});

	it('refuses to start without the token, naming the variable', async () => {
		expect(await failure('/auth', { auth: { env: 'GRC_TOKEN' } })).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/auth): environment variable GRC_TOKEN is not set; export it (in CI, pass it from a secret)"`,
		);
	});

	it('fails at once on a 401, without retrying, pointing at the token', async () => {
		const before = hits['/auth'] ?? 0;
		expect(
			await failure('/auth', { auth: { env: 'GRC_TOKEN' } }, { GRC_TOKEN: 'wrong' }),
		).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/auth): HTTP 401 Unauthorized: the credentials were refused; check the token in GRC_TOKEN"`,
		);
		expect(hits['/auth']! - before).toBe(1);
	});

	it('retries 5xx with backoff and succeeds when the server recovers', async () => {
		expect(await fetchIds('/flaky-500', { retries: 3 })).toHaveLength(4);
		expect(hits['/flaky-500']).toBe(3);
	});

	it('gives up on a server that keeps answering 500, saying how often it tried', async () => {
		expect(await failure('/always-500')).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/always-500): HTTP 500 Internal Server Error, after 3 attempts"`,
		);
		expect(hits['/always-500']).toBe(3);
	});

	it('doubles the wait after each failed attempt', async () => {
		const { waits, outcome } = await waitsFor('/always-500', { retries: 3 });
		expect(waits).toEqual([10, 20, 40]);
		expect(outcome).toContain('HTTP 500 Internal Server Error, after 4 attempts');
	});

	it('waits as long as Retry-After says on a 429, in seconds, instead of the backoff', async () => {
		const log: string[] = [];
		const { waits, outcome } = await waitsFor('/rate-limited', {}, { log: (l) => log.push(l) });
		expect(waits).toEqual([1000]);
		expect(outcome).toBe('4 records');
		expect(log).toContain('  grc-api: HTTP 429 Too Many Requests; retrying in 1000 ms');
	});

	it('reads Retry-After as an HTTP date, measured from now', async () => {
		const now = Date.UTC(2026, 10, 23, 5, 0, 0);
		const at = (seconds: number) =>
			encodeURIComponent(new Date(now + seconds * 1000).toUTCString());
		expect(await waitsFor(`/retry-after?value=${at(7)}`, {}, { clock: () => now })).toEqual({
			waits: [7000],
			outcome: '4 records',
		});
		expect(await waitsFor(`/retry-after?value=${at(-30)}`, {}, { clock: () => now })).toEqual({
			waits: [0],
			outcome: '4 records',
		});
	});

	it('caps a long Retry-After at maxRetryAfterMs, one minute by default', async () => {
		expect(await waitsFor('/retry-after?value=86400')).toEqual({
			waits: [60_000],
			outcome: '4 records',
		});
		expect(await waitsFor('/retry-after?value=86401', {}, { maxRetryAfterMs: 5000 })).toEqual({
			waits: [5000],
			outcome: '4 records',
		});
	});

	it('falls back to the backoff when Retry-After is neither seconds nor a date', async () => {
		expect(await waitsFor('/retry-after?value=soon')).toEqual({
			waits: [10],
			outcome: '4 records',
		});
	});

	it('stops at maxPages, naming the page it did not fetch', async () => {
		const before = hits['/five-pages'] ?? 0;
		expect(
			await failure('/five-pages', {
				pagination: { type: 'next-link', path: 'links.next' },
				maxPages: 2,
			}),
		).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/five-pages?page=3): more than 2 pages; raise maxPages if that is expected"`,
		);
		expect(hits['/five-pages']! - before).toBe(2);
		expect(
			await fetchIds('/five-pages', {
				pagination: { type: 'next-link', path: 'links.next' },
				maxPages: 5,
			}),
		).toHaveLength(5);
	});

	it('stops at the first page read twice, an API that ignores the page parameter or links back, saying which', async () => {
		const before = { self: hits['/next-self'] ?? 0, ignores: hits['/ignores-page'] ?? 0 };
		expect(
			await failure('/next-self', { pagination: { type: 'next-link', path: 'links.next' } }),
		).toBe(
			'source "grc-api" (http://127.0.0.1:PORT/next-self): the next link at links.next points back to a page already read, so the pages never end: check pagination.path, which must name the link to the following page',
		);
		expect(
			await failure('/ignores-page', { pagination: { type: 'page-param', param: 'p', start: 1 } }),
		).toBe(
			'source "grc-api" (http://127.0.0.1:PORT/ignores-page?p=***): page 2 holds the same records as page 1, so the API ignores the "p" parameter: set pagination.param to the API\'s own name for the page number, or use pagination type next-link',
		);
		expect({
			self: hits['/next-self']! - before.self,
			ignores: hits['/ignores-page']! - before.ignores,
		}).toEqual({ self: 1, ignores: 2 });
	});

	it('times out a server that never answers', async () => {
		expect(await failure('/hang', { retries: 1, timeoutMs: 300 })).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/hang): no response within 300 ms, after 2 attempts"`,
		);
	});

	it('names a sign-in page and an empty answer for what they are', async () => {
		expect(await failure('/sign-in')).toBe(
			'source "grc-api" (http://127.0.0.1:PORT/sign-in): received HTML, probably a sign-in or error page, not JSON: point url at the API\'s own address (not the web app\'s pages), and give the source `auth` if the API needs a token',
		);
		expect(await failure('/empty')).toBe(
			'source "grc-api" (http://127.0.0.1:PORT/empty): the response is empty, not JSON: check the URL and its query, which should name a list of records',
		);
	});

	it('rejects malformed JSON', async () => {
		expect(await failure('/malformed')).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/malformed): response is not valid JSON (Expected double-quoted property name in JSON at position 26 (line 1 column 27))"`,
		);
	});

	it('rejects a status word it cannot map, naming the record and the fix', async () => {
		expect(await failure('/bad-status')).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/bad-status): 1 invalid record: record 1 of page 1 (M.1): status "green" in field "result" is not one of implemented, partial, planned, failing, not-applicable; add it to statusMap"`,
		);
	});

	it('reads an OSCAL document from a URL: YAML by its extension, JSON by its first character', async () => {
		const oscal = async (path: string) => {
			const result = await readSource(
				ControlSourceSchema.parse({
					id: 'oscal-url',
					kind: 'oscal',
					catalog: 'mini',
					location: `${base}${path}`,
				}),
				{ path: '/nonexistent', shown: 'content' },
			);
			return [result.detail, ...result.records.map((r) => `${r.externalId} ${r.status}`)];
		};
		expect(await oscal('/oscal/ssp.yaml')).toEqual([
			'OSCAL system security plan, YAML',
			'ac-6.1 implemented',
		]);
		expect(await oscal('/oscal/latest')).toEqual([
			'OSCAL assessment results, JSON',
			'ac-6.1 failing',
		]);
	});

	it('says that an OSCAL URL answered with HTML, probably a sign-in page, whatever its extension', async () => {
		expect(await oscalFailure('/oscal/sign-in.json')).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/oscal/sign-in.json): received HTML, probably a sign-in page, not an OSCAL document. The pull sends no credentials for an OSCAL URL: point location at a URL that serves the JSON or YAML itself without signing in, or download it in CI (the secret from an environment variable) and point location at the file."`,
		);
	});

	it('retries an OSCAL URL on 5xx like an HTTP source, and fails at once on a 401, saying it sends no credentials', async () => {
		const log: string[] = [];
		const result = await readSource(
			ControlSourceSchema.parse({
				id: 'oscal-url',
				kind: 'oscal',
				catalog: 'mini',
				location: `${base}/oscal/flaky`,
			}),
			{ path: '/nonexistent', shown: 'content' },
			{ backoffMs: 10, log: (l) => log.push(l) },
		);
		expect(result.records.map((r) => `${r.externalId} ${r.status}`)).toEqual(['ac-6.1 failing']);
		expect(log).toEqual([
			'  oscal-url: HTTP 503 Service Unavailable; retrying in 10 ms',
			'  oscal-url: HTTP 503 Service Unavailable; retrying in 20 ms',
		]);
		expect(await oscalFailure('/always-500', { retries: 1 })).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/always-500): HTTP 500 Internal Server Error, after 2 attempts"`,
		);
		expect(await oscalFailure('/auth')).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/auth): HTTP 401 Unauthorized: the server wants credentials, and the pull sends none for a document URL; publish the document where it needs none, or download it in CI (the secret from an environment variable) and point location at the file"`,
		);
	});

	it('refuses a body whose Content-Length is over maxBytes without reading it, naming the limit and the fix', async () => {
		expect(await failure('/huge-declared', { maxBytes: 1000 })).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/huge-declared): the response is over this source's limit of 1000 bytes (its Content-Length says 3000000000); if the source really is that large, raise maxBytes for it in site.yaml"`,
		);
	});

	it('stops reading a body without Content-Length as soon as it passes maxBytes', async () => {
		expect(await failure('/huge-chunked', { maxBytes: 1000 })).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/huge-chunked): the response is over this source's limit of 1000 bytes (reading stopped there); if the source really is that large, raise maxBytes for it in site.yaml"`,
		);
		expect(
			await fetchIds('/huge-chunked', { maxBytes: 10_000 }).catch((e: Error) => e.message),
		).toContain('invalid record');
	});

	it('times out an OSCAL URL whose server stalls mid-body, as a source error', async () => {
		expect(await oscalFailure('/stall-mid-body', { timeoutMs: 300 })).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/stall-mid-body): no response within 300 ms, after 4 attempts"`,
		);
	});

	it('refuses an OSCAL document over maxBytes', async () => {
		expect(await oscalFailure('/huge-declared', { maxBytes: 1000 })).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/huge-declared): the response is over this source's limit of 1000 bytes (its Content-Length says 3000000000); if the source really is that large, raise maxBytes for it in site.yaml"`,
		);
		expect(await oscalFailure('/huge-chunked', { maxBytes: 1000 })).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/huge-chunked): the response is over this source's limit of 1000 bytes (reading stopped there); if the source really is that large, raise maxBytes for it in site.yaml"`,
		);
	});

	const apiKey = { auth: { env: 'GRC_KEY', header: 'X-Api-Key', scheme: '' } };
	const elsewhereShown = (message: string) =>
		message.replaceAll(elsewhere, 'http://127.0.0.1:OTHER');

	it('follows a redirect within the origin, sending the credentials there', async () => {
		expect(await fetchIds('/redirect-same', apiKey, { GRC_KEY: 's3cret' })).toHaveLength(4);
	});

	it('refuses a redirect to another origin, naming both, and sends it nothing', async () => {
		expect(
			elsewhereShown(await failure('/redirect-away', apiKey, { GRC_KEY: 's3cret' })),
		).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/redirect-away): redirects to http://127.0.0.1:OTHER, another origin than http://127.0.0.1:PORT; credentials are only ever sent to the configured origin, so the pull does not follow it. If http://127.0.0.1:OTHER is the right server, configure the URL on it in site.yaml"`,
		);
		expect(keysElsewhere).toEqual([]);
	});

	it('gives up after five redirects', async () => {
		expect(await failure('/redirect-loop')).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/redirect-loop): more than 5 redirects; configure the final URL in site.yaml"`,
		);
		expect(hits['/redirect-loop']).toBe(6);
	});

	it('refuses a next link to another origin, naming both, and sends it nothing', async () => {
		expect(
			elsewhereShown(
				await failure(
					'/next-away',
					{
						...apiKey,
						url: `${base}/next-away`,
						pagination: { type: 'next-link', path: 'links.next' },
					},
					{ GRC_KEY: 's3cret' },
				),
			),
		).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/next-away): next link at links.next points to http://127.0.0.1:OTHER, another origin than http://127.0.0.1:PORT; credentials are only ever sent to the configured origin, so the pull does not follow it. If http://127.0.0.1:OTHER is the right server, configure the URL on it in site.yaml"`,
		);
		expect(keysElsewhere).toEqual([]);
	});

	it('refuses a next link that is not a URL', async () => {
		expect(
			await failure('/next-malformed', { pagination: { type: 'next-link', path: 'links.next' } }),
		).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/next-malformed): next link at links.next is not a URL: "http://[::1""`,
		);
	});

	it('refuses an OSCAL URL that redirects to another origin', async () => {
		expect(elsewhereShown(await oscalFailure('/redirect-away'))).toMatchInlineSnapshot(
			`"SourceError: source "oscal-url" (http://127.0.0.1:PORT/redirect-away): redirects to http://127.0.0.1:OTHER, another origin than http://127.0.0.1:PORT; credentials are only ever sent to the configured origin, so the pull does not follow it. If http://127.0.0.1:OTHER is the right server, configure the URL on it in site.yaml"`,
		);
		expect(keysElsewhere).toEqual([]);
	});

	it('shows URLs in messages without query values, where tokens hide, except a short number such as the page', async () => {
		expect(await failure('/always-500?api_key=t0ken&page=2', { retries: 0 })).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/always-500?api_key=***&page=2): HTTP 500 Internal Server Error, after 1 attempt"`,
		);
		expect(
			shownUrl(
				'https://grc.example.com/c?token=123456&page=2&offset=100&cursor=abc&limit=1234567&pin=4821&otp=123456',
			),
		).toBe(
			'https://grc.example.com/c?token=***&page=2&offset=100&cursor=***&limit=***&pin=***&otp=***',
		);
	});

	it('refuses a next link with a user name and password, without showing them', async () => {
		const message = await failure('/next-userinfo', {
			pagination: { type: 'next-link', path: 'links.next' },
		});
		expect(message).toMatchInlineSnapshot(
			`"source "grc-api" (http://127.0.0.1:PORT/next-link?cursor=***): a URL to fetch has a user name or password in it, and the pull never sends credentials in a URL; the token belongs in an environment variable named in auth"`,
		);
		expect(message).not.toContain('hunter2pass');
	});

	it('refuses a user name and password in a configured URL, pointing at auth, without echoing them', () => {
		const problems = (raw: Record<string, unknown>) =>
			parseContent(ControlSourceSchema, { catalog: 'mini', ...raw }, 'content/site.yaml').problems;
		const http = problems({
			id: 'grc-api',
			kind: 'http',
			url: 'https://admin:hunter2pass@grc.example.com/api',
			fields,
		});
		const oscal = problems({
			id: 'ssp',
			kind: 'oscal',
			location: 'https://admin:hunter2pass@grc.example.com/ssp.json',
		});
		expect(http.map((p) => `${p.field}: ${p.message}`)).toMatchInlineSnapshot(`
			[
			  "url: expected a URL without a user name or password in it: site.yaml is committed. Put the secret in an environment variable and name it in auth: { env: … } (for HTTP Basic, scheme: Basic and the base64 of user:password in the variable)",
			]
		`);
		expect(oscal.map((p) => `${p.field}: ${p.message}`)).toMatchInlineSnapshot(`
			[
			  "location: expected a path or a URL without a user name or password in it: site.yaml is committed, and the pull sends no credentials for an OSCAL URL. Publish the document where it needs none, or download it in CI (the secret from an environment variable) and point location at the file",
			]
		`);
		expect(JSON.stringify([http, oscal])).not.toContain('hunter2pass');
	});

	it('fails on an unreachable server', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		const message = await fetchHttpSource(
			HttpSourceSchema.parse({
				id: 'down',
				kind: 'http',
				catalog: 'mini',
				url: `http://127.0.0.1:${port}/x`,
				fields,
				retries: 0,
			}),
		).then(
			() => 'no error',
			(e: Error) => e.message,
		);
		expect(message.replaceAll(String(port), 'PORT')).toMatchInlineSnapshot(
			`"source "down" (http://127.0.0.1:PORT/x): network error (connect ECONNREFUSED 127.0.0.1:PORT), after 1 attempt"`,
		);
	});
});

describe('the pull, end to end in a site copy', () => {
	let dir: string;
	let snapshotPath: string;
	let previous: string;
	beforeAll(() => {
		dir = makeSite('pull', { content: fixtureContent('minimal') });
		snapshotPath = join(dir, 'content/control-status.json');
		previous = readFileSync(snapshotPath, 'utf8');
	});
	afterAll(() => removeSite(dir));

	const configure = (sources: unknown[], extra: Record<string, unknown> = {}) => {
		const sitePath = join(dir, 'content/site.yaml');
		const site = parse(readFileSync(sitePath, 'utf8'));
		site.controlStatus = { sources, ...extra };
		writeFileSync(sitePath, stringify(site));
	};
	const api = (path: string) => ({
		id: 'grc-api',
		kind: 'http',
		catalog: 'mini',
		url: `${base}${path}`,
		itemsPath: 'items',
		fields,
		timeoutMs: 10_000,
		retries: 1,
	});

	it('keeps the previous snapshot byte for byte when a source fails and the policy is keep', async () => {
		configure([api('/always-500')]);
		const log: string[] = [];
		const outcome = await pullControls({ root: dir, backoffMs: 10, log: (l) => log.push(l) });
		expect(outcome).toEqual({ status: 'kept', asOf: '2026-11-20T06:00:00Z' });
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
		expect(log.at(-1)).toBe(
			'Keeping the last good snapshot (as of 2026-11-20T06:00:00Z): 1 source failed. Set controlStatus.onSourceError: fail in content/site.yaml to fail the build instead.',
		);
	});

	it('keeps the previous snapshot when an OSCAL URL stalls mid-body and the policy is keep', async () => {
		configure([
			{
				id: 'oscal-url',
				kind: 'oscal',
				catalog: 'mini',
				location: `${base}/stall-mid-body`,
				timeoutMs: 300,
			},
		]);
		const log: string[] = [];
		const outcome = await pullControls({ root: dir, backoffMs: 10, log: (l) => log.push(l) });
		expect(outcome).toEqual({ status: 'kept', asOf: '2026-11-20T06:00:00Z' });
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
		expect(log.at(-2)!.replace(base, 'http://127.0.0.1:PORT')).toBe(
			'  source "oscal-url" (http://127.0.0.1:PORT/stall-mid-body): no response within 300 ms, after 4 attempts',
		);
	});

	it('keeps the previous snapshot when an export has only its header row, instead of emptying it', async () => {
		mkdirSync(join(dir, 'content/exports'), { recursive: true });
		writeFileSync(join(dir, 'content/exports/empty.csv'), 'ref,result,tested\r\n');
		configure([
			{ id: 'grc-export', kind: 'file', catalog: 'mini', path: 'exports/empty.csv', fields },
		]);
		const outcome = await pullControls({ root: dir, log: () => {} });
		expect(outcome).toEqual({ status: 'kept', asOf: '2026-11-20T06:00:00Z' });
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
	});

	it('keeps the previous snapshot when an OSCAL plan names its controls but states no status for any', async () => {
		mkdirSync(join(dir, 'content/exports'), { recursive: true });
		copyFileSync(
			join(ROOT, 'test/fixtures/oscal/lula/valid-generated-ssp.yaml'),
			join(dir, 'content/exports/generated-ssp.yaml'),
		);
		configure([
			{ id: 'ssp', kind: 'oscal', catalog: 'mini', location: 'exports/generated-ssp.yaml' },
		]);
		const log: string[] = [];
		const outcome = await pullControls({ root: dir, log: (l) => log.push(l) });
		expect(outcome).toEqual({ status: 'kept', asOf: '2026-11-20T06:00:00Z' });
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
		expect(log[1]).toContain(
			'names 3 controls (ac-1, ac-2, ac-3) but states no implementation-status',
		);
	});

	it('exits 3 from npm run controls:pull when it kept the last good snapshot, and the build chain goes on with a warning', () => {
		configure([
			{ id: 'grc-export', kind: 'file', catalog: 'mini', path: 'exports/empty.csv', fields },
		]);
		const run = spawnSync(process.execPath, [join(dir, 'scripts/pull-controls.ts')], {
			cwd: dir,
			encoding: 'utf8',
		});
		expect(run.status).toBe(3);
		expect(run.stderr).toBe(
			'Control status was NOT refreshed: the snapshot as of 2026-11-20T06:00:00Z was kept (exit code 3).\n',
		);
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
		expect(afterPull(0)).toEqual({ go: true });
		expect(afterPull(1)).toEqual({ go: false });
		expect(afterPull(3).go).toBe(true);
		expect(afterPull(3).warning).toMatchInlineSnapshot(`
			"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
			!!! Control status was NOT refreshed: a source failed (see the pull's messages above), so this
			!!! build shows the last good snapshot. Fix the source; npm run controls:pull exits 3 until
			!!! then. To stop the build instead, set controlStatus.onSourceError: fail.
			!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"
		`);
	});

	it('fails without an earlier snapshot, naming the source error, instead of claiming to keep one', async () => {
		rmSync(snapshotPath);
		try {
			const log: string[] = [];
			const outcome = await pullControls({ root: dir, log: (l) => log.push(l) });
			expect(outcome.status).toBe('failed');
			expect((outcome as { message: string }).message).toMatchInlineSnapshot(`
				"Control-status pull failed: 1 source failed, and there is no earlier snapshot to keep (content/control-status.json is missing or is not a snapshot):
				  source "grc-export" (content/exports/empty.csv): gave no records, and reading it as empty would drop every control it reports from the snapshot. Check the export (an empty file, a header row only, or the wrong itemsPath)
				Fix the source, then run npm run controls:pull again."
			`);
			expect(log.join('\n')).not.toContain('Keeping');
		} finally {
			writeFileSync(snapshotPath, previous);
		}
	});

	it('refuses a mapping target in no catalog as a mistake of the mapping file, with its line and the closest id, writing nothing', async () => {
		writeFileSync(
			join(dir, 'content/control-mapping.yaml'),
			'all:\n  CTRL-1: [mini:M.1, mini:M.l]\nsources:\n  grc-apl:\n    X: mini:M.2\n',
		);
		configure([api('/next-link')], { mappingFile: 'control-mapping.yaml' });
		const outcome = await pullControls({ root: dir, log: () => {} });
		expect(outcome.status).toBe('content-invalid');
		expect(
			(outcome as { problems: Problem[] }).problems.map(
				(p) => `${p.file}:${p.line} ${p.field}: ${p.message}. ${p.hint}`,
			),
		).toMatchInlineSnapshot(`
			[
			  "content/control-mapping.yaml:2 all.CTRL-1[1]: unknown control "M.l" in catalog "mini", in the target "mini:M.l" of "CTRL-1". Did you mean "mini:M.1"? The controls are in content/catalogs/mini.yaml.",
			  "content/control-mapping.yaml:5 sources.grc-apl: no source "grc-apl" is configured (controlStatus.sources in site.yaml has "grc-api"), so these mappings would never apply. Did you mean "grc-api"?",
			]
		`);
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
	});

	it('fails, naming the source, URL and reason, when the policy is fail', async () => {
		configure([api('/malformed')], { onSourceError: 'fail' });
		const outcome = await pullControls({ root: dir, backoffMs: 10, log: () => {} });
		expect(outcome.status).toBe('failed');
		expect((outcome as { message: string }).message.replace(base, 'http://127.0.0.1:PORT'))
			.toMatchInlineSnapshot(`
			"Control-status pull failed (onSourceError: fail):
			  source "grc-api" (http://127.0.0.1:PORT/malformed): response is not valid JSON (Expected double-quoted property name in JSON at position 26 (line 1 column 27))"
		`);
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
	});

	it('fails in strict mode when controls are unknown or uncovered, writing nothing', async () => {
		configure([{ ...api('/next-link'), url: `${base}/next-link?cursor=1` }], { strict: true });
		const log: string[] = [];
		const outcome = await pullControls({ root: dir, backoffMs: 10, log: (l) => log.push(l) });
		expect(log).toContain('  2 catalog controls no source covers: mini:M.1, mini:M.2');
		expect((outcome as { message: string }).message).toMatchInlineSnapshot(
			`"Control-status pull failed (controlStatus.strict: true): 0 unknown ids and 2 uncovered controls, listed above. Map them in the mapping file, or fix the source."`,
		);
		expect(readFileSync(snapshotPath, 'utf8')).toBe(previous);
	});

	it('writes a validated snapshot with sources, per-control source and a digest that verifies', async () => {
		configure([{ ...api('/next-link'), pagination: { type: 'next-link', path: 'links.next' } }]);
		const log: string[] = [];
		const outcome = await pullControls({
			root: dir,
			now: new Date('2026-11-23T05:00:00Z'),
			log: (l) => log.push(l),
		});
		expect(outcome).toMatchObject({ status: 'written', controls: 4 });
		const written = JSON.parse(readFileSync(snapshotPath, 'utf8'));
		expect(written.asOf).toBe('2026-11-23T05:00:00Z');
		expect(written.sources).toEqual([
			{ id: 'grc-api', kind: 'http', location: `${base}/next-link`, fetched: 4, mapped: 4 },
		]);
		expect(written.controls[2]).toEqual({
			catalog: 'mini',
			control: 'M.3',
			status: 'not-applicable',
			evidenceDate: '2026-11-20',
			source: 'grc-api',
		});
		const { snapshotDigest } = await import('../../src/lib/pull/snapshot-file.ts');
		expect(written.digest).toBe(snapshotDigest(written));
		expect(log).toContain('  grc-api: 4 of 4 records decided catalog controls');
	});

	it('leaves the snapshot file alone, as-of time included, when a later pull finds the same status', async () => {
		const before = readFileSync(snapshotPath, 'utf8');
		const log: string[] = [];
		const outcome = await pullControls({
			root: dir,
			now: new Date('2026-11-24T05:00:00Z'),
			log: (l) => log.push(l),
		});
		expect(outcome).toEqual({ status: 'unchanged', asOf: '2026-11-23T05:00:00Z' });
		expect(readFileSync(snapshotPath, 'utf8')).toBe(before);
		expect(log.at(-1)).toBe(
			'content/control-status.json is unchanged: the sources report what it says (as of 2026-11-23T05:00:00Z); not rewritten.',
		);
	});

	it('prints one line per control two sources disagree on, naming the source that wins, and counts only deciding records as mapped', async () => {
		mkdirSync(join(dir, 'content/exports'), { recursive: true });
		writeFileSync(
			join(dir, 'content/exports/plan.csv'),
			'ref,result,tested\nM.1,implemented,2026-11-20\nM.2,implemented,2026-11-20\n',
		);
		writeFileSync(
			join(dir, 'content/exports/assessor.csv'),
			'ref,result,tested\nM.1,failing,2026-11-21\nM.2,implemented,2026-11-21\nM.3,failing,2026-11-21\n',
		);
		const file = (id: string) => ({
			id,
			kind: 'file',
			catalog: 'mini',
			path: `exports/${id}.csv`,
			fields,
		});
		const before = readFileSync(snapshotPath, 'utf8');
		configure([file('plan'), file('assessor')], { strict: true });
		const log: string[] = [];
		await pullControls({ root: dir, log: (l) => log.push(l) });
		expect(log.slice(3, 6)).toEqual([
			'  plan: 2 of 2 records decided catalog controls',
			'  assessor: 1 of 3 records decided catalog controls; 2 only for controls an earlier source decided',
			'  sources disagree on mini:M.1: plan says implemented, assessor says failing; plan wins (it comes first in controlStatus.sources)',
		]);
		writeFileSync(snapshotPath, before);
	});

	it('dates an undated planned row by the pull that first saw it, so the next pull leaves the snapshot alone', async () => {
		writeFileSync(
			join(dir, 'content/exports/undated.csv'),
			'ref,result,tested\nM.1,implemented,2026-11-20\nM.2,planned,\nM.3,not-applicable,\nM.4,implemented,2026-11-20\n',
		);
		configure([
			{ id: 'grc-export', kind: 'file', catalog: 'mini', path: 'exports/undated.csv', fields },
		]);
		const pull = (day: string) =>
			pullControls({ root: dir, now: new Date(`${day}T05:00:00Z`), log: () => {} });
		expect(await pull('2026-11-23')).toMatchObject({ status: 'written' });
		const dates = () =>
			JSON.parse(readFileSync(snapshotPath, 'utf8')).controls.map(
				(c: { control: string; status: string; evidenceDate: string }) =>
					`${c.control} ${c.status} ${c.evidenceDate}`,
			);
		expect(dates()).toEqual([
			'M.1 implemented 2026-11-20',
			'M.2 planned 2026-11-23',
			'M.3 not-applicable 2026-11-23',
			'M.4 implemented 2026-11-20',
		]);
		expect(await pull('2026-11-24')).toEqual({ status: 'unchanged', asOf: '2026-11-23T05:00:00Z' });
	});

	it('writes the URL into the snapshot and the log without its query values', async () => {
		configure([
			{
				...api('/next-link?api_key=t0ken-s3cret'),
				pagination: { type: 'next-link', path: 'links.next' },
			},
		]);
		const log: string[] = [];
		const outcome = await pullControls({
			root: dir,
			now: new Date('2026-11-25T05:00:00Z'),
			log: (l) => log.push(l),
		});
		expect(outcome).toMatchObject({ status: 'written' });
		const text = readFileSync(snapshotPath, 'utf8');
		expect(JSON.parse(text).sources[0].location).toBe(`${base}/next-link?api_key=***`);
		expect(text).not.toContain('t0ken');
		expect(log.join('\n')).not.toContain('t0ken');
		expect(log).toContain(
			`  grc-api: fetched 4 records from ${base}/next-link?api_key=*** (2 pages)`,
		);
	});

	it('pulls a real OSCAL plan: a control it names without a status is listed as not reported and gets no entry', async () => {
		mkdirSync(join(dir, 'content/exports'), { recursive: true });
		copyFileSync(
			join(ROOT, 'test/fixtures/oscal/trestle/leveraged_ssp.json'),
			join(dir, 'content/exports/ssp.json'),
		);
		writeFileSync(
			join(dir, 'content/control-mapping.yaml'),
			stringify({ all: { 'ac-1': 'mini:M.1', 'ac-2': 'mini:M.2', 'ac-2.1': 'mini:M.3' } }),
		);
		configure([{ id: 'ssp', kind: 'oscal', catalog: 'mini', location: 'exports/ssp.json' }], {
			mappingFile: 'control-mapping.yaml',
		});
		const log: string[] = [];
		const outcome = await pullControls({
			root: dir,
			now: new Date('2026-11-23T05:00:00Z'),
			log: (l) => log.push(l),
		});
		expect(log.slice(1, 4)).toEqual([
			'  ssp: fetched 2 records from content/exports/ssp.json (OSCAL system security plan, JSON)',
			'  ssp: 2 of 2 records decided catalog controls; named without a status (not reported): ac-2',
			'  2 catalog controls no source covers: mini:M.2, mini:M.4',
		]);
		expect(outcome).toMatchObject({ status: 'written', controls: 2 });
		const written = JSON.parse(readFileSync(snapshotPath, 'utf8'));
		expect(written.sources).toEqual([
			{
				id: 'ssp',
				kind: 'oscal',
				location: 'content/exports/ssp.json',
				fetched: 2,
				mapped: 2,
				notReported: 1,
			},
		]);
		expect(
			written.controls.map((c: { control: string; status: string }) => `${c.control} ${c.status}`),
		).toEqual(['M.1 implemented', 'M.3 partial']);
	});
});
