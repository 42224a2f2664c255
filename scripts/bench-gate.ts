// npm run bench:gate: load-test the gate on loopback with autocannon, in one run:
//   req/s, p50 and p99 for a static page (brotli, as browsers ask for it) at 10 and 64 connections, for a
//   refused (forged) download link and for a valid watermarked download;
//   a plain node:http server sending the same precompressed bytes, as the ceiling, with the ratios, and
//   one sending the gate's headers too (the same bytes on the wire);
//   the time to watermark the example whitepaper and a 100-page PDF, beside the watermark of a baseline revision.
// Needs the built site and whitepaper (npm run build), except with --watermark-only. Prints the figures; asserts nothing.
//   --watermark-only     time the watermark only (a stand-in is generated when the whitepaper is not built)
//   --static-only        the static page runs only (needs the built site, not the whitepaper)
//   --rounds <n>         turns each server takes at the static page, of which its median counts (default 3)
//   --baseline <rev>     the git revision whose watermark is timed beside today's (default 0eb47c3, the Helvetica-only watermark; "none" to skip)
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { WHITEPAPER_PDF } from '../src/whitepaper/paths.ts';
import { readOutbox } from '../src/gate/mail/mailer.ts';
import { ownCpuSeconds } from './lib/bench/measure.ts';
import { medianBy } from './lib/bench/report.ts';
import { benchWatermark, WATERMARK_BASELINE } from './lib/bench/watermark.ts';
import { startGateProcess } from './lib/gate-process.ts';
import { ROOT } from './lib/site-copy.ts';
import { benchFlags } from './lib/bench/cli.ts';
import { chooseContentDir, CONTENT_DIR } from '../src/lib/content/dir.ts';

const SECONDS = 10;
/** Each turn of the static page's runs (see --rounds). */
const STATIC_SECONDS = 5;
const DOWNLOADS = 20;
const dist = join(ROOT, 'dist');
const whitepaper = join(ROOT, WHITEPAPER_PDF);
const flags = benchFlags('npm run bench:gate', {
	'watermark-only': { type: 'boolean' },
	'static-only': { type: 'boolean' },
	baseline: { type: 'string' },
	rounds: { type: 'string', default: '3' },
});
const rounds = Number(flags.rounds);
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) {
	console.error(`--rounds expects a whole number from 1 to 20, received ${flags.rounds}`);
	process.exit(2);
}
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

/** The median of the runs' server CPU per request (µs), when it was measured. */
const medianCpu = (runs: Figures[]): number | undefined =>
	medianBy(
		runs.flatMap((r) => (r.cpuMicros === undefined ? [] : [r.cpuMicros])),
		(micros) => micros,
	);

/** The run of median req/s among `runs`. */
const median = (runs: Figures[]) => medianBy(runs, (r) => r.rps)!;

/** Runs autocannon against `url` (or a rotating list of paths) and returns requests per second and the status counts. */
async function load(
	title: string,
	url: string,
	options: {
		paths?: string[];
		connections?: number;
		amount?: number;
		headers?: Record<string, string>;
		seconds?: number;
		/** The server's process, whose CPU time per request is then measured too. */
		pid?: number | undefined;
	} = {},
) {
	let next = 0;
	const cpuBefore = options.pid === undefined ? undefined : ownCpuSeconds(options.pid);
	const result = await autocannon({
		url,
		connections: options.connections ?? 10,
		...(options.headers ? { headers: options.headers } : {}),
		...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? SECONDS }),
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
	const cpuAfter = options.pid === undefined ? undefined : ownCpuSeconds(options.pid);
	const cpuMicros =
		cpuBefore === undefined || cpuAfter === undefined
			? undefined
			: ((cpuAfter - cpuBefore) * 1e6) / (result.requests.total || 1);
	console.log(
		`${title.padEnd(44)} ${rps.toFixed(1).padStart(9)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms${cpuMicros === undefined ? '' : `  server CPU ${cpuMicros.toFixed(1)} µs/req`}  ${JSON.stringify(statuses)}`,
	);
	return { rps, statuses, p50: result.latency.p50, p99: result.latency.p99, cpuMicros };
}

/**
 * The ceiling: node:http sending the same brotli bytes the gate sends for `file` (its .br copy, from
 * memory as the gate does), with the same content headers, in its own process like the gate. With
 * `headers`, it sends exactly those instead, and a fresh X-Request-Id with each answer as the gate does:
 * the same bytes on the wire, headers included, so that what the load generator spends reading them is
 * the same on both sides.
 */
function startPlainChild(
	file: string,
	headers?: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
	const code = `const { createServer } = require('node:http'); const { randomUUID } = require('node:crypto'); const body = require('node:fs').readFileSync(${JSON.stringify(`${file}.br`)});
const same = process.env.BENCH_HEADERS && JSON.parse(process.env.BENCH_HEADERS);
createServer((req, res) => { res.writeHead(200, same ? { ...same, 'x-request-id': randomUUID() } : { 'Content-Type': 'text/html; charset=utf-8', 'Content-Encoding': 'br', Vary: 'Accept-Encoding', 'Content-Length': body.length }); res.end(body); })
  .listen(0, '127.0.0.1', function () { console.log(JSON.stringify({ listening: 'http://127.0.0.1:' + this.address().port })); });`;
	const child = spawn(process.execPath, ['-e', code], {
		stdio: ['ignore', 'pipe', 'inherit'],
		env: { ...process.env, BENCH_HEADERS: headers ? JSON.stringify(headers) : '' },
	});
	return new Promise((resolve) => {
		child.stdout!.on('data', (d) =>
			resolve({ child, url: /"listening":"([^"]+)"/.exec(String(d))![1]! }),
		);
	});
}

/** The headers the gate answers `url` with, but those Node adds itself and the request id (made per answer). */
async function answerHeaders(url: string, headers: Record<string, string>) {
	const response = await fetch(url, { headers });
	await response.arrayBuffer();
	return Object.fromEntries(
		[...response.headers].filter(
			([name]) => !['date', 'connection', 'keep-alive', 'x-request-id'].includes(name),
		),
	);
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
	const headed = await startPlainChild(
		join(dist, 'index.html'),
		await answerHeaders(`${gate.url}/`, br),
	);
	children.push(headed.child);
	console.log(
		`\nLoad on loopback, ${SECONDS} s per run (the static page: ${rounds} turns of ${STATIC_SECONDS} s for each server, each keeping its median); the static page with Accept-Encoding as Chromium sends it (brotli). Load average ${loadavg()
			.map((l) => l.toFixed(1))
			.join(' ')}:`,
	);
	const statics: Record<
		number,
		{
			ceiling: Figures;
			sameHeaders: Figures;
			gate: Figures;
			/** Each server's median CPU time per request, in µs. */
			cpu: {
				ceiling: number | undefined;
				sameHeaders: number | undefined;
				gate: number | undefined;
			};
		}
	> = {};
	// Each server is loaded once unmeasured first: the gate's code is compiled as it runs, the plain one's is short.
	for (const url of [plain.url, headed.url, gate.url])
		await autocannon({ url: `${url}/`, connections: 10, duration: 2, headers: br });
	// The machine's speed drifts within a run: the three servers take turns, and each keeps its median.
	for (const connections of [10, 64]) {
		const turns = { ceiling: [] as Figures[], sameHeaders: [] as Figures[], gate: [] as Figures[] };
		for (let round = 1; round <= rounds; round++) {
			const options = { connections, headers: br, seconds: STATIC_SECONDS };
			const on = (pid: number | undefined) => ({ ...options, pid });
			const of = `${connections} conn. (${round}/${rounds})`;
			turns.ceiling.push(
				await load(
					`plain node:http, same brotli bytes, ${of}`,
					`${plain.url}/`,
					on(plain.child.pid),
				),
			);
			turns.sameHeaders.push(
				await load(
					`plain node:http, same bytes and headers, ${of}`,
					`${headed.url}/`,
					on(headed.child.pid),
				),
			);
			turns.gate.push(
				await load(`gate: static page (/), ${of}`, `${gate.url}/`, on(gate.child.pid)),
			);
		}
		statics[connections] = {
			ceiling: median(turns.ceiling),
			sameHeaders: median(turns.sameHeaders),
			gate: median(turns.gate),
			cpu: {
				ceiling: medianCpu(turns.ceiling),
				sameHeaders: medianCpu(turns.sameHeaders),
				gate: medianCpu(turns.gate),
			},
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
	for (const [connections, { ceiling, sameHeaders, gate: through, cpu }] of Object.entries(
		statics,
	)) {
		const ratio = through.rps / ceiling.rps;
		console.log(
			`Static page through the gate, ${connections} connections, ${rounds === 1 ? 'one turn' : `medians of ${rounds} turns`}: ${(ratio * 100).toFixed(0)}% of the plain node:http ceiling (ratio ${ratio.toFixed(2)}, goal ≥ 0.90), p99 ${through.p99} ms (plain ${ceiling.p99} ms${connections === '64' ? ', goal ≤ 20 ms' : ''}); ${((through.rps / sameHeaders.rps) * 100).toFixed(0)}% of plain node:http sending the gate's headers too.${cpu.gate && cpu.ceiling && cpu.sameHeaders ? ` Server CPU per request: gate ${cpu.gate.toFixed(1)} µs, plain ${cpu.ceiling.toFixed(1)} µs (${(cpu.gate / cpu.ceiling).toFixed(2)}x), plain with the gate's headers ${cpu.sameHeaders.toFixed(1)} µs (${(cpu.gate / cpu.sameHeaders).toFixed(2)}x).` : ''}`,
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
					Object.entries(statics).map(([n, { ceiling, sameHeaders, gate: g }]) => [
						n,
						{ ceiling: g.rps / ceiling.rps, sameHeaders: g.rps / sameHeaders.rps },
					]),
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
