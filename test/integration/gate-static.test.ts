// The gate's static files over real HTTP: no response ever redirects off the site, whatever path shape
// is sent; the build's brotli copies are sent to browsers that accept them and revalidated with 304; a
// missing file under /_astro/ is not cached for a year.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestGate } from '../helpers/gate.ts';

const dist = join(inject('exampleSite'), 'dist');
let gate: Awaited<ReturnType<typeof startTestGate>>;

beforeAll(async () => {
	gate = await startTestGate(dist, {
		GATE_LIMIT_REQUESTS_PER_IP: '1000000',
		GATE_LIMIT_PAGES_PER_IP: '1000000',
	});
});
afterAll(() => gate?.stop());

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
afterAll(() => agent.destroy());

/** Sends `path` as the request target, byte for byte (fetch would normalise it first). */
const send = (path: string, method = 'GET') =>
	new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
		const url = new URL(gate.url);
		const req = request({ host: url.hostname, port: url.port, path, method, agent }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location }));
		});
		req.on('error', reject);
		req.end();
	});

/** Every folder of the built site that has an index.html, as a path without slashes at either end. */
const folders = () =>
	readdirSync(dist, { recursive: true, withFileTypes: true })
		.filter((d) => d.isFile() && d.name === 'index.html' && d.parentPath !== dist)
		.map((d) => d.parentPath.slice(dist.length + 1).replaceAll('\\', '/'));

/** A Location stays on the site: one leading slash, and it resolves to the gate's own origin. */
const expectOnSite = (path: string, location: string | undefined) => {
	if (location === undefined) return;
	expect(location, path).toMatch(/^\/(?![/\\])/);
	expect(new URL(location, 'http://gate.test/a/b/').origin, path).toBe('http://gate.test');
};

describe('redirects', () => {
	it('sends a folder URL without its slash to the folder, built from the file found, not the request', async () => {
		expect(await send('/policies')).toEqual({ status: 301, location: '/policies/' });
		expect(await send('//evil.example/..%2fpolicies')).toEqual({
			status: 301,
			location: '/policies/',
		});
		expect(await send('/%5cevil.example/..%5Cpolicies')).toMatchObject({ status: 404 });
		expect(await send('/policies', 'HEAD')).toEqual({ status: 301, location: '/policies/' });
	});

	it('never sends a Location that leaves the site, for any shape of path', async () => {
		const targets = [...folders().slice(0, 6), 'policies', 'no-such-folder', '', '_astro'];
		const prefixes = [
			'/',
			'//',
			'///',
			'/\\',
			'/\\/',
			'/%5c',
			'/%5C',
			'/%2f',
			'/%2F',
			'/%2f%2f',
			'/./',
			'/%2e/',
			'/%2E%2e/',
			'/..%2f',
			'/..%2F',
			'/..%5c',
			'/%2e%2e%2f',
			'/%2E%2E%5C',
			'//evil.example/',
			'//evil.example/..%2f',
			'//evil.example/%2e%2e/',
			'/\\evil.example/',
			'/%5cevil.example/..%2f',
			'/%5Cevil.example/..%5C',
			'/%2f%2fevil.example/..%2f',
			'/%09/evil.example/..%2f',
			'/%E2%80%AE/..%2f',
			'/%EF%BC%8Fevil.example/..%2f',
			'/é/..%2f',
			'/%C3%A9/..%2F',
			'/@evil.example/..%2f',
			'/evil.example:80/..%2f',
			`/${'a/'.repeat(300)}${'..%2f'.repeat(300)}`,
		];
		const suffixes = [
			'',
			'/',
			'/.',
			'/%2e',
			'%2f',
			'%2F',
			'%5c',
			'//',
			'?next=//evil.example',
			'.',
		];
		const paths = prefixes.flatMap((prefix) =>
			targets.flatMap((target) => suffixes.map((suffix) => `${prefix}${target}${suffix}`)),
		);
		paths.push(`/${'%2f'.repeat(2000)}evil.example`, `//${'x'.repeat(8000)}/..%2fpolicies`);
		let redirects = 0;
		for (let i = 0; i < paths.length; i += 16) {
			const batch = paths.slice(i, i + 16);
			const responses = await Promise.all(
				batch.map((path) => send(path.replaceAll('é', encodeURIComponent('é')))),
			);
			responses.forEach(({ location }, j) => {
				if (location !== undefined) redirects++;
				expectOnSite(batch[j]!, location);
			});
		}
		// The shapes reach the redirect: the property is not true only because nothing redirects.
		expect(redirects).toBeGreaterThan(100);
	});

	it('never sends a Location that leaves the site for raw bytes a client library would refuse', async () => {
		const url = new URL(gate.url);
		for (const path of [
			'//evil.example/..\\policies',
			'/\\evil.example/..%2fpolicies',
			'//é.example/..%2fpolicies',
		]) {
			const head = await new Promise<string>((resolve, reject) => {
				const socket = connect(Number(url.port), url.hostname, () =>
					socket.end(
						Buffer.from(`GET ${path} HTTP/1.1\r\nHost: gate.test\r\nConnection: close\r\n\r\n`),
					),
				);
				let text = '';
				socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
				socket.on('end', () => resolve(text.split('\r\n\r\n')[0]!));
				socket.on('error', reject);
			});
			expect(head, path).toMatch(/^HTTP\/1\.1 \d{3}/);
			expectOnSite(path, /^location: (.*)$/im.exec(head)?.[1]);
		}
	});
});

describe('caching', () => {
	it('keeps built assets for a year, but never a file missing under /_astro/', async () => {
		const missing = await fetch(`${gate.url}/_astro/no-such-file.js`);
		expect(missing.status).toBe(404);
		expect(missing.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
		const script = readdirSync(join(dist, '_astro')).find((f) => f.endsWith('.js'))!;
		const found = await fetch(`${gate.url}/_astro/${script}`);
		expect(found.status).toBe(200);
		expect(found.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
	});

	it("sends the built pages and Pagefind's script as the brotli copies the build wrote, and 304 when unchanged", async () => {
		for (const path of ['/', '/pagefind/pagefind.js']) {
			const file = join(dist, path === '/' ? 'index.html' : path);
			const res = await fetch(`${gate.url}${path}`, { headers: { 'accept-encoding': 'br' } });
			expect([res.status, res.headers.get('content-encoding'), res.headers.get('vary')]).toEqual([
				200,
				'br',
				'Accept-Encoding',
			]);
			expect(res.headers.get('content-length')).toBe(String(statSync(`${file}.br`).size));
			expect(await res.text()).toBe(readFileSync(file, 'utf8'));
			const again = await fetch(`${gate.url}${path}`, {
				headers: { 'accept-encoding': 'br', 'if-none-match': res.headers.get('etag')! },
			});
			expect(again.status).toBe(304);
		}
	});
});

describe('content types', () => {
	it('serves the Atom feed as Atom and the JSON Feed as a feed, and other XML as XML', async () => {
		const types = await Promise.all(
			['/updates.xml', '/updates.json', '/sitemap-index.xml', '/subprocessors.json'].map(
				async (path) => (await fetch(`${gate.url}${path}`)).headers.get('content-type'),
			),
		);
		expect(types).toEqual([
			'application/atom+xml; charset=utf-8',
			'application/feed+json; charset=utf-8',
			'application/xml',
			'application/json',
		]);
	});
});
