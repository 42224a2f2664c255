// npm run bench:console: the console's pages with a busy gate's data, on the embedded database and on a
// throwaway PostgreSQL, in one run. For each: 1,000 pending requests and 100,000 audit entries (a valid
// chain, hashed by the chain's own code) are written before the gate starts; an admin's session is made
// through the session service; then every page in the console's navigation and its second page is
// fetched over HTTP from the gate in its own process, 200 times after a warm-up, and its p50 and p99
// printed; then POST /admin/audit/verify is timed while /healthz is polled every 10 ms. Prints the
// figures beside the goals, and the load average; asserts nothing.
//   --requests <n>  pending requests (default 1000)   --audit <n>  audit entries (default 100000)
//   --runs <n>      measured requests per page (default 200)   --only pglite|postgres
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings } from '../src/gate/config.ts';
import type { Queryable } from '../src/gate/db.ts';
import { chainEntry, type AuditEntry } from '../src/gate/lib/audit-chain.ts';
import { NAV } from '../src/gate/routes/console/pages.ts';
import { openGate } from '../src/gate/server.ts';
import { chooseContentDir, CONTENT_DIR } from '../src/lib/content/dir.ts';
import { staffCookie } from './lib/console-session.ts';
import { startGateProcess } from './lib/gate-process.ts';
import { startPostgres } from './lib/postgres.ts';
import { ROOT } from './lib/site-copy.ts';
import { benchFlags } from './lib/bench/cli.ts';

const GOAL_P99_MS = 50;
const GOAL_VERIFY_S = 3;
const WARM_UP = 20;
const ADMIN_EMAIL = 'bench.admin@bench.example';

const flags = benchFlags('npm run bench:console', {
	requests: { type: 'string', default: '1000' },
	audit: { type: 'string', default: '100000' },
	runs: { type: 'string', default: '200' },
	only: { type: 'string' },
});
const count = (name: 'requests' | 'audit' | 'runs', max: number) => {
	const n = Number(flags[name]);
	if (!Number.isInteger(n) || n < 1 || n > max)
		throw new Error(`--${name} expects a whole number from 1 to ${max}, received ${flags[name]}`);
	return n;
};
const requests = count('requests', 1_000_000);
const auditEntries = count('audit', 10_000_000);
const runs = count('runs', 100_000);
if (flags.only !== undefined && !['pglite', 'postgres'].includes(flags.only))
	throw new Error(`--only expects pglite or postgres, received ${flags.only}`);

/** Pending requests, oldest a few days ago, as the review queue holds them. */
async function seedRequests(db: Queryable, n: number, nda: { version: string; sha256: string }) {
	await db.query(
		`INSERT INTO access_requests (id, created_at, name, email, company, role, documents, reason, typed_name,
			nda_version, nda_sha256, ip, user_agent, status, verify_hash, verify_expires_at, verified_at, rule, pending_documents)
		SELECT 'req_' || lpad(to_hex(i), 16, '0'), now() - i * interval '5 minutes', 'Buyer ' || i,
			'buyer' || i || '@gmail.com', 'Company ' || (i % 97), 'Procurement', '["whitepaper"]', 'Vendor review',
			'Buyer ' || i, $2, $3, '203.0.113.1', 'bench', 'pending', 'bench-' || i, now(), now(),
			'free-mail domain', '["whitepaper"]'
		FROM generate_series(1, $1::int) AS i`,
		[n, nda.version, nda.sha256],
	);
}

/** `n` audit entries after the chain's head, hashed by the chain's code, inserted 2,000 at a time. */
async function seedAudit(db: Queryable, n: number) {
	let last: Pick<AuditEntry, 'seq' | 'hash'> | undefined = (
		await db.query<{ seq: number; hash: string }>(
			'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
		)
	).rows[0];
	const start = Date.now() - n * 1000;
	for (let done = 0; done < n;) {
		const batch: AuditEntry[] = [];
		for (; batch.length < 2000 && done < n; done++) {
			const entry: AuditEntry = chainEntry(
				last,
				{
					type: done % 3 ? 'download.served' : 'request.created',
					actor: `requester:buyer${done % 1000}@gmail.com`,
					subject: `req_${(done % 1000).toString(16).padStart(16, '0')}`,
					data: { ip: '203.0.113.1', n: done },
				},
				new Date(start + done * 1000),
			);
			batch.push(entry);
			last = entry;
		}
		await db.query(
			`INSERT INTO audit_log (seq, at, type, actor, subject, data, prev_hash, hash)
			SELECT seq, at, type, actor, subject, data::jsonb, prev_hash, hash
			FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
				AS t(seq, at, type, actor, subject, data, prev_hash, hash)`,
			[
				batch.map((e) => e.seq),
				batch.map((e) => e.at),
				batch.map((e) => e.type),
				batch.map((e) => e.actor),
				batch.map((e) => e.subject),
				batch.map((e) => JSON.stringify(e.data)),
				batch.map((e) => e.prevHash),
				batch.map((e) => e.hash),
			],
		);
	}
}

const quantile = (sorted: number[], q: number) =>
	sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** p50 and p99 of GET `path`, `runs` times in a row after a warm-up. */
async function measure(url: string, path: string, cookie: string) {
	const times: number[] = [];
	for (let i = 0; i < WARM_UP + runs; i++) {
		const t = performance.now();
		const res = await fetch(url + path, { headers: { cookie }, redirect: 'manual' });
		await res.arrayBuffer();
		if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
		if (i >= WARM_UP) times.push(performance.now() - t);
	}
	times.sort((a, b) => a - b);
	return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/** The page's link to its next (or older) page, if it has one. */
async function secondPage(url: string, path: string, cookie: string): Promise<string | undefined> {
	const html = await (await fetch(url + path, { headers: { cookie } })).text();
	return /href="(\/admin\/[^"]*[?&](?:amp;)?(?:after|before)=[^"]*)"/
		.exec(html)?.[1]
		?.replace(/&amp;/g, '&');
}

/** Times POST /admin/audit/verify while /healthz is asked every 10 ms; undefined when the route is not there. */
async function timeVerify(url: string, cookie: string) {
	const page = await fetch(`${url}/admin/`, { headers: { cookie } });
	const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
	const csrfCookie = page.headers
		.getSetCookie()
		.find((c) => c.startsWith('tc_console_csrf='))
		?.split(';')[0];
	if (!csrf || !csrfCookie) throw new Error('the console page has no form token');
	let verifying = true;
	let healthMax = 0;
	let polls = 0;
	const poller = (async () => {
		while (verifying) {
			const t = performance.now();
			await (await fetch(`${url}/healthz`)).arrayBuffer();
			healthMax = Math.max(healthMax, performance.now() - t);
			polls++;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	})();
	const t = performance.now();
	const res = await fetch(`${url}/admin/audit/verify`, {
		method: 'POST',
		headers: {
			cookie: `${cookie}; ${csrfCookie}`,
			origin: url,
			'content-type': 'application/x-www-form-urlencoded',
			accept: 'text/html',
		},
		body: new URLSearchParams({ csrf }),
		redirect: 'manual',
	});
	const body = await res.text();
	const seconds = (performance.now() - t) / 1000;
	verifying = false;
	await poller;
	if (res.status === 404) return undefined;
	if (res.status >= 400)
		throw new Error(`POST /admin/audit/verify answered ${res.status}: ${body.slice(0, 300)}`);
	return { seconds, status: res.status, healthMax, polls };
}

/** Seeds, starts the gate and measures it on one database. */
async function bench(name: string, databaseUrl: string | undefined) {
	const root = mkdtempSync(join(tmpdir(), 'bench-console-'));
	const dist = mkdtempSync(join(tmpdir(), 'bench-console-dist-'));
	let child: Awaited<ReturnType<typeof startGateProcess>>['child'] | undefined;
	try {
		cpSync(join(ROOT, chooseContentDir(ROOT)), join(root, CONTENT_DIR), { recursive: true });
		writeFileSync(
			join(root, CONTENT_DIR, 'staff.yaml'),
			`people:\n  - { email: ${ADMIN_EMAIL}, role: admin, name: Bench Admin }\n`,
		);
		writeFileSync(
			join(dist, 'index.html'),
			'<!doctype html><html lang="en"><head><title>Trust center</title></head><body><main><h1>Trust center</h1></main></body></html>',
		);
		mkdirSync(join(root, 'data'));
		const env: Record<string, string> = {
			GATE_DATA_DIR: join(root, 'data'),
			GATE_LIMIT_PAGES_PER_IP: '1000000000',
			...(databaseUrl
				? {
						DATABASE_URL: databaseUrl,
						GATE_SIGNING_KEYS: `bench:${Buffer.alloc(32, 7).toString('base64')}`,
					}
				: {}),
		};
		const read = readSettings(env, root);
		if (!read.ok) throw new Error(read.errors.join('\n'));
		const { gate, unlock } = await openGate(root, read.settings, () => {}, dist);
		const seedStart = performance.now();
		await seedRequests(gate.db, requests, {
			version: gate.config.nda.data.version,
			sha256: gate.config.nda.sha256,
		});
		await seedAudit(gate.db, auditEntries);
		const cookie = await staffCookie(gate, ADMIN_EMAIL);
		const seeded = ((performance.now() - seedStart) / 1000).toFixed(1);
		await gate.db.close();
		unlock();

		const started = await startGateProcess(root, dist, env);
		child = started.child;
		const { url } = started;
		console.log(
			`\n${name}: ${requests} pending requests and ${auditEntries} audit entries seeded in ${seeded} s; ${runs} requests per page after ${WARM_UP} to warm up`,
		);
		console.log(
			`${'page'.padEnd(60)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  goal p99 ≤ ${GOAL_P99_MS} ms`,
		);
		for (const { href } of NAV) {
			const next = await secondPage(url, href, cookie);
			for (const path of next ? [href, next] : [href]) {
				const { p50, p99 } = await measure(url, path, cookie);
				const shown = path.length > 58 ? `${path.slice(0, 57)}…` : path;
				console.log(
					`${shown.padEnd(60)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}  ${p99 <= GOAL_P99_MS ? 'met' : 'MISSED'}`,
				);
			}
		}
		const verify = await timeVerify(url, cookie);
		console.log(
			verify
				? `verify: ${verify.seconds.toFixed(2)} s for the whole chain (goal ≤ ${GOAL_VERIFY_S} s, ${verify.seconds <= GOAL_VERIFY_S ? 'met' : 'MISSED'}), answered ${verify.status}; /healthz max ${verify.healthMax.toFixed(1)} ms over ${verify.polls} polls meanwhile`
				: 'verify: not on this branch (POST /admin/audit/verify answered 404)',
		);
	} finally {
		if (child && child.exitCode === null) {
			const exited = new Promise((resolve) => child!.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		rmSync(root, { recursive: true, force: true });
		rmSync(dist, { recursive: true, force: true });
	}
}

const load = () =>
	loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');
console.log(`Load average at the start (1, 5, 15 min): ${load()}`);
if (flags.only !== 'postgres') await bench('PGlite (embedded)', undefined);
if (flags.only !== 'pglite') {
	const cluster = await startPostgres();
	try {
		await bench('PostgreSQL', cluster.url);
	} finally {
		cluster.stop();
	}
}
console.log(`\nLoad average at the end (1, 5, 15 min): ${load()}`);
