import { ENGLISH, wordsFor } from '../../src/lib/words/words.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { AstroIntegrationLogger } from 'astro';
import { describe, expect, it } from 'vitest';
import { walkFiles } from '../../src/lib/files.ts';
import { brotliOptions, precompress, precompressTotals } from '../../src/lib/precompress.ts';
import { precompressed } from '../../src/integration/precompress.ts';
import { pageKind } from '../../src/lib/routing/kind.ts';
import { resolveStatic, staticRoutes } from '../../src/gate/routes/static.ts';

const dir = mkdtempSync(join(tmpdir(), 'static-'));
mkdirSync(join(dir, 'policies'));
writeFileSync(join(dir, 'index.html'), 'home');
writeFileSync(join(dir, 'policies/index.html'), 'policies');
writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');

describe('static file resolution', () => {
	it('maps directory URLs to their index.html', () => {
		expect(resolveStatic(dir, '/policies/')).toBe(join(dir, 'policies/index.html'));
		expect(resolveStatic(dir, '/?q=1')).toBe(join(dir, 'index.html'));
	});

	it('never resolves a path outside the served folder', () => {
		expect(resolveStatic(dir, '/../secret.txt')).toBeUndefined();
		expect(resolveStatic(dir, '/%2e%2e/secret.txt')).toBeUndefined();
		expect(resolveStatic(dir, '/%00')).toBeUndefined();
		expect(resolveStatic(dir, '/%E0%A4%A')).toBeUndefined();
	});

	it('serves no dot folder or file but /.well-known/', () => {
		mkdirSync(join(dir, '.prerender/chunks'), { recursive: true });
		mkdirSync(join(dir, '.well-known'), { recursive: true });
		writeFileSync(join(dir, '.prerender/chunks/content.mjs'), 'export const body = "NDA"');
		writeFileSync(join(dir, '.env'), 'SECRET=1');
		writeFileSync(join(dir, '.well-known/security.txt'), 'Contact: mailto:security@example.com');
		for (const path of [
			'/.prerender/chunks/content.mjs',
			'/%2eprerender/chunks/content.mjs',
			'/.env',
			'/.well-known/../.env',
			'/policies/..%2f.env',
		])
			expect(resolveStatic(dir, path), path).toBeUndefined();
		expect(resolveStatic(dir, '/.well-known/security.txt')).toBe(
			join(dir, '.well-known/security.txt'),
		);
	});
});

describe('page kinds for the search filter', () => {
	it('tags each part of the site with its kind', () => {
		expect(
			['/', '/policies/access-control/', '/security/encryption/', '/faq/', '/about/'].map((path) =>
				pageKind(path, ENGLISH),
			),
		).toEqual(['Overview', 'Policy', 'Doc', 'FAQ', undefined]);
		expect(['/', '/policies/x/', '/faq/'].map((path) => pageKind(path, wordsFor('ja')))).toEqual([
			'概要',
			'ポリシー',
			'よくある質問',
		]);
	});

	it('gives the access request and subscribe pages the kind of the section they belong with', () => {
		expect(['/access/', '/subscribe/'].map((path) => pageKind(path, ENGLISH))).toEqual([
			'Document',
			'Update',
		]);
	});
});

/** A small built site: a page and a stylesheet large enough to compress, a tiny file, a 404 page. */
async function compressedSite() {
	const parent = mkdtempSync(join(tmpdir(), 'precompressed-'));
	const site = join(parent, 'dist');
	mkdirSync(join(site, 'guide'), { recursive: true });
	const page = `<!doctype html><title>Guide</title>${'<p>Encryption at rest and in transit.</p>\n'.repeat(80)}`;
	writeFileSync(join(site, 'guide/index.html'), page);
	writeFileSync(join(site, 'style.css'), `body { color: #123; }\n`.repeat(100));
	writeFileSync(join(site, 'tiny.txt'), 'tiny');
	writeFileSync(join(site, 'logo.png'), Buffer.alloc(4096, 1));
	// Pagefind gzips its index itself, after a signature.
	mkdirSync(join(site, 'pagefind'));
	writeFileSync(
		join(site, 'pagefind/en.pf_index'),
		gzipSync(
			`pagefind_dcd${Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 10007}`).join(' ')}`,
		),
	);
	writeFileSync(
		join(site, '404.html'),
		`<!doctype html><title>Not found</title>${'<p>Gone.</p>'.repeat(200)}`,
	);
	// A secret and its copies beside the served folder, where no request may reach them.
	writeFileSync(join(parent, 'secret.txt'), 'secret '.repeat(400));
	writeFileSync(join(parent, 'secret.txt.br'), brotliCompressSync('secret '.repeat(400)));
	const totals = precompressTotals((await precompress(site)).read.values());
	rmSync(join(site, 'style.css.br'));
	return { site, page, totals, app: staticRoutes(site) };
}

/** `bytes` as the build's brotli copy of them at `quality`. */
const brotliAt = (bytes: Buffer, quality: number) =>
	brotliCompressSync(bytes, brotliOptions(quality, bytes.length));

describe('precompressed files', () => {
	it('leaves out files an earlier pass compressed, unless they changed since, and files not included', async () => {
		const { site } = await compressedSite();
		const page = join(site, 'guide/index.html');
		const first = await precompress(site, { include: (path) => path.endsWith('.html') });
		expect([...first.read.keys()].map((f) => f.slice(site.length + 1)).sort()).toEqual([
			'404.html',
			'guide/index.html',
		]);
		const changed = `<!doctype html><title>Guide, changed</title>${'<p>Keys rotate yearly.</p>\n'.repeat(80)}`;
		writeFileSync(page, changed);
		utimesSync(page, new Date(), new Date(Date.now() + 5000));
		const second = await precompress(site, { before: first.read });
		expect([...second.read.keys()].map((f) => f.slice(site.length + 1)).sort()).toEqual([
			'guide/index.html',
			'pagefind/en.pf_index',
			'style.css',
			'tiny.txt',
		]);
		expect(brotliDecompressSync(readFileSync(`${page}.br`)).toString()).toBe(changed);
	});

	it("gives brotli's best quality to the WebAssembly of the site's language only, as named in Pagefind's entry", async () => {
		const site = mkdtempSync(join(tmpdir(), 'precompressed-wasm-'));
		mkdirSync(join(site, 'pagefind'));
		writeFileSync(
			join(site, 'pagefind/pagefind-entry.json'),
			JSON.stringify({ version: '1.6.0', languages: { en: { hash: 'en_1', wasm: 'en' } } }),
		);
		const wasm = Buffer.from(
			`pagefind_dcd${Array.from({ length: 4000 }, (_, i) => `f${(i * 7919) % 10007}`).join(';')}`,
		);
		for (const name of ['wasm.en.pagefind', 'wasm.unknown.pagefind'])
			writeFileSync(join(site, 'pagefind', name), gzipSync(wasm));
		await precompress(site);
		expect(readFileSync(join(site, 'pagefind/wasm.en.pagefind.br'))).toEqual(brotliAt(wasm, 11));
		expect(readFileSync(join(site, 'pagefind/wasm.unknown.pagefind.br'))).toEqual(
			brotliAt(wasm, 5),
		);
	});

	it("gives brotli's best quality to Pagefind's page list and filters, which every query loads, and not to its index chunks or its worker", async () => {
		const site = mkdtempSync(join(tmpdir(), 'precompressed-index-'));
		mkdirSync(join(site, 'pagefind/filter'), { recursive: true });
		mkdirSync(join(site, 'pagefind/index'));
		const bytes = Buffer.from(
			`pagefind_dcd${Array.from({ length: 4000 }, (_, i) => `p${(i * 7919) % 10007}`).join(';')}`,
		);
		const files = {
			'pagefind/pagefind.en_4c1d2f9a0b.pf_meta': gzipSync(bytes),
			'pagefind/filter/en_5dbe1ba.pf_filter': gzipSync(bytes),
			'pagefind/index/en_ab8d73b.pf_index': gzipSync(bytes),
			'pagefind/pagefind-worker.js': bytes,
		};
		for (const [name, content] of Object.entries(files)) writeFileSync(join(site, name), content);
		await precompress(site);
		const qualities = Object.keys(files).map((name) => {
			const copy = readFileSync(join(site, `${name}.br`));
			return copy.equals(brotliAt(bytes, 11)) ? 11 : copy.equals(brotliAt(bytes, 5)) ? 5 : 'other';
		});
		expect(qualities).toEqual([11, 11, 5, 5]);
	});

	it('compresses the pages when Astro has written them and the rest when the build is done, leaving no stale copy', async () => {
		const { site } = await compressedSite();
		for (const file of walkFiles(site, (name) => /\.(br|gz)$/.test(name))) rmSync(file);
		mkdirSync(join(site, '.prerender'));
		writeFileSync(join(site, '.prerender/chunk.mjs'), 'export const page = 1;\n'.repeat(100));
		const { hooks } = precompressed({ enabled: true });
		const logged: string[] = [];
		// Only info is called; the rest of Astro's logger is not needed here.
		const logger = {
			info: (message: string) => void logged.push(message),
		} as unknown as AstroIntegrationLogger;
		const dir = new URL(`file://${site}/`);
		await hooks['astro:build:generated']!({ dir, routeToHeaders: new Map(), logger });
		// As Astro does before the build is done; Pagefind then writes its files.
		rmSync(join(site, '.prerender'), { recursive: true });
		const later = `<!doctype html><title>Not found</title>${'<p>Moved.</p>'.repeat(200)}`;
		writeFileSync(join(site, '404.html'), later);
		utimesSync(join(site, '404.html'), new Date(), new Date(Date.now() + 5000));
		writeFileSync(join(site, 'pagefind/pagefind.js'), 'export const search = 1;\n'.repeat(100));
		await hooks['astro:build:done']!({ dir, pages: [], assets: new Map(), logger });
		expect(
			walkFiles(site, (name) => /\.br$/.test(name)).map((f) => f.slice(site.length + 1)),
		).toEqual([
			'404.html.br',
			'guide/index.html.br',
			'pagefind/en.pf_index.br',
			'pagefind/pagefind.js.br',
			'style.css.br',
		]);
		expect(brotliDecompressSync(readFileSync(join(site, '404.html.br'))).toString()).toBe(later);
		expect(logged).toEqual([expect.stringMatching(/^Precompressed 5 files: /)]);
	});

	it('writes brotli and gzip copies beside text files big enough to gain, with the same bytes inside', async () => {
		const { site, page, totals } = await compressedSite();
		expect(brotliDecompressSync(readFileSync(join(site, 'guide/index.html.br'))).toString()).toBe(
			page,
		);
		expect(gunzipSync(readFileSync(join(site, 'guide/index.html.gz'))).toString()).toBe(page);
		expect(walkFiles(site).map((f) => f.slice(site.length + 1))).toEqual([
			'404.html',
			'404.html.br',
			'404.html.gz',
			'guide/index.html',
			'guide/index.html.br',
			'guide/index.html.gz',
			'logo.png',
			'pagefind/en.pf_index',
			'pagefind/en.pf_index.br',
			'style.css',
			'style.css.gz',
			'tiny.txt',
		]);
		expect(totals).toMatchObject({ files: 4 });
	});

	it('sends the copy the client accepts best, with Vary, and the file itself to clients that accept none', async () => {
		const { app, page } = await compressedSite();
		const get = (accept?: string, path = '/guide/') =>
			app.request(path, { headers: accept === undefined ? {} : { 'accept-encoding': accept } });
		const cases = [
			[undefined, undefined],
			['gzip, deflate, br, zstd', 'br'],
			['gzip', 'gzip'],
			['br;q=0, gzip', 'gzip'],
			['gzip;q=0.5, br;q=0.4', 'gzip'],
			['br;q=0.4, gzip;q=0.4', 'br'],
			['*', 'br'],
			['*;q=0', undefined],
			['br;q=0, *', 'gzip'],
			['identity;q=1, br;q=0.5', undefined],
			['br;q=2, gzip;q=0.001', 'gzip'],
			['deflate', undefined],
		] as const;
		for (const [accept, encoding] of cases) {
			const res = await get(accept);
			expect([accept, res.status, res.headers.get('content-encoding') ?? undefined]).toEqual([
				accept,
				200,
				encoding,
			]);
			expect(res.headers.get('vary')).toBe('Accept-Encoding');
			const body = Buffer.from(await res.arrayBuffer());
			expect(res.headers.get('content-length')).toBe(String(body.length));
			const text =
				encoding === 'br'
					? brotliDecompressSync(body)
					: encoding === 'gzip'
						? gunzipSync(body)
						: body;
			expect(text.toString()).toBe(page);
		}
		// Pagefind's brotli copy holds its inflated bytes, which Pagefind reads as they are (after the
		// signature); a client without brotli gets Pagefind's own gzip bytes, not announced as a coding.
		const index = await get('br, gzip', '/pagefind/en.pf_index');
		expect(index.headers.get('content-encoding')).toBe('br');
		expect(
			brotliDecompressSync(Buffer.from(await index.arrayBuffer()))
				.toString()
				.startsWith('pagefind_dcdw0 w7919'),
		).toBe(true);
		const gzipOnly = await get('gzip', '/pagefind/en.pf_index');
		expect(gzipOnly.headers.get('content-encoding')).toBeNull();
		expect(gunzipSync(Buffer.from(await gzipOnly.arrayBuffer())).toString()).toMatch(
			/^pagefind_dcd/,
		);
		// No brotli copy beside style.css: gzip, even for a client that prefers brotli.
		expect((await get('br, gzip', '/style.css')).headers.get('content-encoding')).toBe('gzip');
		const tiny = await get('br, gzip', '/tiny.txt');
		expect([tiny.headers.get('content-encoding'), tiny.headers.get('vary')]).toEqual([null, null]);
		const missing = await get('br', '/no-such-page/');
		expect([missing.status, missing.headers.get('content-encoding')]).toEqual([404, 'br']);
		expect(missing.headers.get('etag')).toBeNull();
	});

	it('never sends a file or copy from outside the served folder, whatever the coding asked for', async () => {
		const { app } = await compressedSite();
		for (const path of [
			'/%2e%2e/secret.txt',
			'/..%2fsecret.txt',
			'/%2E%2E%5Csecret.txt',
			'/../secret.txt',
		]) {
			const res = await app.request(path, { headers: { 'accept-encoding': 'br' } });
			expect(res.status, path).toBe(404);
			const body = brotliDecompressSync(Buffer.from(await res.arrayBuffer())).toString();
			expect(body, path).toContain('Not found');
			expect(body, path).not.toContain('secret');
		}
	});

	it('answers a matching conditional GET with 304, per coding, and HEAD with the headers of GET', async () => {
		const { app } = await compressedSite();
		const get = (headers: Record<string, string>, method = 'GET') =>
			app.request('/guide/', { method, headers: { 'accept-encoding': 'br', ...headers } });
		const first = await get({});
		const etag = first.headers.get('etag')!;
		const lastModified = first.headers.get('last-modified')!;
		expect(etag).toMatch(/^"[\w-]{27}-br"$/);
		expect(new Date(lastModified).toUTCString()).toBe(lastModified);
		const gzipTag = (await get({ 'accept-encoding': 'gzip' })).headers.get('etag');
		expect(gzipTag).toBe(etag.replace('-br"', '-gzip"'));
		const status = async (headers: Record<string, string>) => (await get(headers)).status;
		expect(await status({ 'if-none-match': etag })).toBe(304);
		expect(await status({ 'if-none-match': `W/${etag}` })).toBe(304);
		expect(await status({ 'if-none-match': `"other", ${etag}` })).toBe(304);
		expect(await status({ 'if-none-match': '*' })).toBe(304);
		expect(await status({ 'if-none-match': gzipTag! })).toBe(200);
		expect(await status({ 'if-modified-since': lastModified })).toBe(304);
		expect(await status({ 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).toBe(200);
		expect(await status({ 'if-modified-since': 'not a date' })).toBe(200);
		// If-None-Match decides when both are sent.
		expect(await status({ 'if-none-match': '"other"', 'if-modified-since': lastModified })).toBe(
			200,
		);
		const notModified = await get({ 'if-none-match': etag });
		expect(await notModified.text()).toBe('');
		expect(Object.fromEntries(notModified.headers)).toMatchObject({
			etag,
			vary: 'Accept-Encoding',
			'cache-control': 'public, max-age=0, must-revalidate',
		});
		const head = await get({}, 'HEAD');
		expect(await head.text()).toBe('');
		expect(Object.fromEntries(head.headers)).toEqual(Object.fromEntries(first.headers));
	});
});

describe('a file a build replaced while the gate runs', () => {
	/** A served folder holding `files`, and a GET or HEAD of it. */
	function served(files: Record<string, Buffer>) {
		const site = mkdtempSync(join(tmpdir(), 'replaced-'));
		for (const [name, bytes] of Object.entries(files)) writeFileSync(join(site, name), bytes);
		const app = staticRoutes(site);
		const send = async (path: string, method = 'GET') => {
			const res = await app.request(path, { method });
			const body = Buffer.from(await res.arrayBuffer());
			return { length: res.headers.get('content-length'), etag: res.headers.get('etag'), body };
		};
		return { site, send };
	}
	/** Writes `bytes` to `file` with a modification time other than the one it had. */
	const replace = (file: string, bytes: Buffer) => {
		writeFileSync(file, bytes);
		utimesSync(file, new Date('2030-01-01'), new Date('2030-01-01'));
	};

	it('sends a large file, read from disk each time, with the length and tag of the new one', async () => {
		const { site, send } = served({ 'big.png': Buffer.alloc(300_000, 1) });
		const first = await send('/big.png');
		expect(first.length).toBe('300000');
		replace(join(site, 'big.png'), Buffer.alloc(400_000, 2));
		const second = await send('/big.png');
		expect([second.length, second.body.length, second.body[0]]).toEqual(['400000', 400_000, 2]);
		expect(second.etag).not.toBe(first.etag);
		rmSync(site, { recursive: true, force: true });
	});

	it('sends a small file asked for by HEAD only before the build with the new length, and then keeps it', async () => {
		const { site, send } = served({ 'note.txt': Buffer.from('old text') });
		expect((await send('/note.txt', 'HEAD')).length).toBe('8');
		replace(join(site, 'note.txt'), Buffer.from('the new, longer text'));
		const got = await send('/note.txt');
		expect([got.length, got.body.toString()]).toEqual(['20', 'the new, longer text']);
		// Once in memory, it is sent as it was read: a restarted gate serves a newer build.
		replace(join(site, 'note.txt'), Buffer.from('newest'));
		expect((await send('/note.txt')).body.toString()).toBe('the new, longer text');
		rmSync(site, { recursive: true, force: true });
	});
});
