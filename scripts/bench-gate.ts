// npm run bench:gate: load-test the gate on loopback with autocannon, in one run:
//   req/s, p50 and p99 for a static page (brotli, as browsers ask for it) at 10 and 64 connections, for a
//   refused (forged) download link and for a valid watermarked download;
//   a plain node:http server sending the same precompressed bytes, as the ceiling, with the ratios;
//   the time to watermark the example whitepaper and a 100-page PDF, beside the watermark of a baseline revision.
// Needs the built site and whitepaper (npm run build), except with --watermark-only. Prints the figures; asserts nothing.
//   --watermark-only     time the watermark only (a stand-in is generated when the whitepaper is not built)
//   --static-only        the static page runs only (needs the built site, not the whitepaper)
//   --baseline <rev>     the git revision whose watermark is timed beside today's (default 0eb47c3, the Helvetica-only watermark; "none" to skip)
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { WHITEPAPER_PDF } from '../src/whitepaper/paths.ts';
import { readOutbox } from '../src/gate/mail/mailer.ts';
import { benchWatermark, WATERMARK_BASELINE } from './lib/bench/watermark.ts';
import { startGateProcess } from './lib/gate-process.ts';
import { ROOT } from './lib/site-copy.ts';
import { chooseContentDir, CONTENT_DIR } from '../src/lib/content/dir.ts';

const SECONDS = 10;
const DOWNLOADS = 20;
const dist = join(ROOT, 'dist');
const whitepaper = join(ROOT, WHITEPAPER_PDF);
const { values: flags } = parseArgs({
	options: {
		'watermark-only': { type: 'boolean' },
		'static-only': { type: 'boolean' },
		baseline: { type: 'string' },
	},
});
const staticOnly = flags['static-only'] ?? false;
const baseline = flags.baseline === 'none' ? undefined : (flags.baseline ?? WATERMARK_BASELINE);
if (!flags['watermark-only']) {
	for (const [path, what] of [
		// The brotli copy the build writes beside the page: both servers send it.
		[join(dist, 'index.html.br'), 'the built site with its brotli copies'],
		...(staticOnly ? [] : [[whitepaper, 'the whitepaper'] as const]),
	] as const) {
		if (!existsSync(path)) {
			console.error(
				`bench:gate needs ${what} (${path}). Run npm run build first, or time the watermark alone with --watermark-only.`,
			);
			process.exit(1);
		}
	}
}

type Figures = Awaited<ReturnType<typeof load>>;

/** Runs autocannon against `url` (or a rotating list of paths) and returns requests per second and the status counts. */
async function load(
	title: string,
	url: string,
	options: {
		paths?: string[];
		connections?: number;
		amount?: number;
		headers?: Record<string, string>;
	} = {},
) {
	let next = 0;
	const result = await autocannon({
		url,
		connections: options.connections ?? 10,
		...(options.headers ? { headers: options.headers } : {}),
		...(options.amount ? { amount: options.amount } : { duration: SECONDS }),
		...(options.paths
			? {
					requests: [
						{
							setupRequest: (req: autocannon.Request) => ({
								...req,
								path: options.paths![next++ % options.paths!.length]!,
							}),
						},
					],
				}
			: {}),
	});
	const statuses = Object.fromEntries(
		Object.entries({
			'2xx': result['2xx'],
			'3xx': result['3xx'],
			'4xx': result['4xx'],
			'5xx': result['5xx'],
			errors: result.errors,
		}).filter(([, n]) => n),
	);
	const rps = result.requests.total / (result.duration || 1);
	console.log(
		`${title.padEnd(44)} ${rps.toFixed(1).padStart(9)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ${JSON.stringify(statuses)}`,
	);
	return { rps, statuses, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * The ceiling: node:http sending the same brotli bytes the gate sends for `file` (its .br copy, from
 * memory as the gate does), with the same content headers, in its own process like the gate.
 */
function startPlainChild(file: string): Promise<{ child: ChildProcess; url: string }> {
	const code = `const { createServer } = require('node:http'); const body = require('node:fs').readFileSync(${JSON.stringify(`${file}.br`)});
createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'br', Vary: 'Accept-Encoding', 'Content-Length': body.length }); res.end(body); })
  .listen(0, '127.0.0.1', function () { console.log(JSON.stringify({ listening: 'http://127.0.0.1:' + this.address().port })); });`;
	const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve) => {
		child.stdout!.on('data', (d) =>
			resolve({ child, url: /"listening":"([^"]+)"/.exec(String(d))![1]! }),
		);
	});
}

/** Goes through the request flow over HTTP and returns download links, reading the mails from the outbox. */
async function downloadLinks(url: string, root: string, count: number): Promise<string[]> {
	const form = await fetch(`${url}/access/`);
	const html = await form.text();
	const csrf = /value="([^"]+)" data-gate-csrf/.exec(html)![1]!;
	const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
	const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
	const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf };
	await fetch(`${url}/api/access-requests`, {
		method: 'POST',
		headers,
		body: JSON.stringify({
			name: 'Bench Mark',
			email: 'bench@fabrikam.example',
			company: 'Fabrikam',
			role: 'QA',
			documents: ['whitepaper'],
			typedName: 'Bench Mark',
			accept: true,
			ndaVersion: field('ndaVersion'),
			ndaSha256: field('ndaSha256'),
		}),
	});
	const outbox = join(root, 'data', 'outbox');
	const mail = () => readOutbox(outbox).join('\n');
	const token = /confirm\/\?token=([A-Za-z0-9_-]{43})/.exec(mail())![1]!;
	await fetch(`${url}/access/confirm/`, {
		method: 'POST',
		headers,
		body: JSON.stringify({ token }),
	});
	const grant = /(\/access\/grant\/grant_[0-9a-f]{16}\/\?key=[A-Za-z0-9_-]{43})/.exec(mail())![1]!;
	// The mailed link trades its key for a cookie and redirects to the page's bare URL.
	const opened = await fetch(`${url}${grant}`, { redirect: 'manual' });
	const page = {
		url: `${url}${opened.headers.get('location')!}`,
		cookie: opened.headers.get('set-cookie')!.split(';')[0]!,
	};
	const links: string[] = [];
	while (links.length < count) {
		const html = await (await fetch(page.url, { headers: { cookie: page.cookie } })).text();
		links.push(
			...[...html.matchAll(/href="(\/download\/\?[^"]+)"/g)].map((m) =>
				m[1]!.replaceAll('&amp;', '&'),
			),
		);
	}
	return links.slice(0, count);
}

const watermark = staticOnly ? undefined : await benchWatermark(baseline);
if (flags['watermark-only']) {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	writeFileSync(join(ROOT, '.tmp/bench-gate.json'), JSON.stringify({ watermark }, null, 2));
	process.exit(0);
}

const root = mkdtempSync(join(tmpdir(), 'bench-gate-'));
const children: ChildProcess[] = [];
try {
	cpSync(join(ROOT, chooseContentDir(ROOT)), join(root, CONTENT_DIR), { recursive: true });
	mkdirSync(join(root, 'private'));
	if (existsSync(whitepaper)) cpSync(whitepaper, join(root, WHITEPAPER_PDF));

	const gate = await startGateProcess(root, dist, {
		GATE_LIMIT_REQUESTS_PER_IP: '1000000',
		GATE_LIMIT_PAGES_PER_IP: '100000000',
	});
	children.push(gate.child);
	const plain = await startPlainChild(join(dist, 'index.html'));
	children.push(plain.child);
	const br = { 'accept-encoding': 'gzip, deflate, br, zstd' };
	console.log(
		`\nLoad on loopback, ${SECONDS} s per run; the static page with Accept-Encoding as Chromium sends it (brotli). Load average ${loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}:`,
	);
	const statics: Record<number, { ceiling: Figures; gate: Figures }> = {};
	for (const connections of [10, 64]) {
		statics[connections] = {
			ceiling: await load(
				`plain node:http, same brotli bytes, ${connections} conn.`,
				`${plain.url}/`,
				{ connections, headers: br },
			),
			gate: await load(`gate: static page (/), ${connections} conn.`, `${gate.url}/`, {
				connections,
				headers: br,
			}),
		};
	}
	const revalidated = await load(
		'gate: 304 for a matching If-None-Match, 64 conn.',
		`${gate.url}/`,
		{
			connections: 64,
			headers: {
				...br,
				'if-none-match': (await fetch(`${gate.url}/`, { headers: br })).headers.get('etag')!,
			},
		},
	);
	let refused: Figures | undefined;
	let downloads: Figures | undefined;
	if (!staticOnly) {
		console.log(`(downloads: ${DOWNLOADS} requests, 2 connections)`);
		const links = await downloadLinks(gate.url, root, DOWNLOADS);
		refused = await load(
			'gate: refused forged download link (403)',
			`${gate.url}/download/?grant=grant_0000000000000000&doc=whitepaper&link=link_x&iat=1795430000&exp=1795430900&kid=local&sig=${'A'.repeat(43)}`,
		);
		downloads = await load('gate: valid download, watermarked whitepaper', gate.url, {
			paths: links,
			connections: 2,
			amount: DOWNLOADS,
		});
	}
	console.log('');
	for (const [connections, { ceiling, gate: through }] of Object.entries(statics)) {
		const ratio = through.rps / ceiling.rps;
		console.log(
			`Static page through the gate, ${connections} connections: ${(ratio * 100).toFixed(0)}% of the plain node:http ceiling (ratio ${ratio.toFixed(2)}, goal ≥ 0.90), p99 ${through.p99} ms (plain ${ceiling.p99} ms${connections === '64' ? ', goal ≤ 20 ms' : ''}).`,
		);
	}
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	writeFileSync(
		join(ROOT, '.tmp/bench-gate.json'),
		JSON.stringify(
			{
				load: loadavg(),
				watermark,
				statics,
				revalidated,
				refused,
				downloads,
				ratios: Object.fromEntries(
					Object.entries(statics).map(([n, { ceiling, gate: g }]) => [n, g.rps / ceiling.rps]),
				),
			},
			null,
			2,
		),
	);
} finally {
	for (const child of children) child.kill('SIGTERM');
	rmSync(root, { recursive: true, force: true });
}
