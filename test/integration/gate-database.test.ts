// The gate's database under stress: replicas opening a fresh PostgreSQL at once, and a PostgreSQL that
// stops answering (a frozen host: sockets open, no replies) or refuses connections, through a TCP relay
// that can do either: bounded waits, 503s with Retry-After, a quiet log and a bounded shutdown.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	CLOSE_TIMEOUT_MS,
	isDatabaseUnavailable,
	MIGRATION_LOCK,
	openDb,
	QUERY_TIMEOUT_MS,
} from '../../src/gate/db.ts';
import { within } from '../../src/gate/lib/deadline.ts';
import { folderTransport } from '../../src/gate/mail/delivery.ts';
import { startSender } from '../../src/gate/mail/sender.ts';
import { HEALTH_TIMEOUT_MS } from '../../src/gate/routes/health.ts';
import { gateRoot, makeGate, startTestGate } from '../helpers/gate.ts';
import { startPostgres, type PgCluster } from '../helpers/postgres.ts';
import { startRelay, type Relay } from '../helpers/tcp-relay.ts';

const dist = join(inject('exampleSite'), 'dist');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** `url` with its port replaced by the relay's. */
const through = (url: string, relay: Relay) => {
	const u = new URL(url);
	u.port = String(relay.port);
	return u.toString();
};

let cluster: PgCluster;
beforeAll(async () => {
	cluster = await startPostgres();
});
afterAll(() => cluster?.stop());

describe('replicas opening a fresh database at once', () => {
	it('all open it and apply each migration once, round after round', async () => {
		const migrations = readdirSync(new URL('../../src/gate/migrations/', import.meta.url)).filter(
			(f) => f.endsWith('.sql'),
		);
		const su = new pg.Client({ connectionString: cluster.superuserUrl });
		await su.connect();
		try {
			for (let round = 0; round < 8; round++) {
				await su.query(`CREATE DATABASE fresh_${round} OWNER gate`);
				const url = new URL(cluster.url);
				url.pathname = `/fresh_${round}`;
				const opened = await Promise.allSettled(
					Array.from({ length: 4 }, () => openDb({ databaseUrl: url.toString() })),
				);
				const dbs = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
				try {
					expect(
						opened.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : [])),
					).toEqual([]);
					const { rows } = await dbs[0]!.query('SELECT name FROM gate_migrations ORDER BY version');
					expect(rows.map((r) => r['name'])).toEqual(migrations.sort());
				} finally {
					await Promise.all(dbs.map((db) => db.close()));
				}
			}
		} finally {
			await su.end();
		}
	});
});

describe('a replica starting while another holds the migration lock', () => {
	it('waits for it longer than the query timeout, the server giving up first, and sets server-side limits', async () => {
		const su = new pg.Client({ connectionString: cluster.superuserUrl });
		await su.connect();
		await su.query('CREATE DATABASE held_lock OWNER gate');
		await su.end();
		const url = new URL(cluster.url);
		url.pathname = '/held_lock';
		// Another replica in the middle of a migration: it holds the lock past the query timeout.
		const other = new pg.Client({ connectionString: url.toString() });
		await other.connect();
		try {
			await other.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
			const opening = openDb({ databaseUrl: url.toString() });
			await sleep(QUERY_TIMEOUT_MS + 2_000);
			await other.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
			const db = await opening;
			try {
				// A long transaction tells PostgreSQL to cancel a lock wait or statement itself.
				const limits = await db.tx(
					async (q) =>
						(
							await q.query<{ lock: string; statement: string }>(
								"SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS statement",
							)
						).rows[0],
					{ long: true },
				);
				expect(limits).toEqual({ lock: '2min', statement: '5min' });
			} finally {
				await db.close();
			}
		} finally {
			await other.end();
		}
	}, 60_000);
});

describe('the database connection when PostgreSQL stops answering', () => {
	it('fails a query after the query timeout as an outage, and closes within its bound', async () => {
		const relay = await startRelay(Number(new URL(cluster.url).port));
		const db = await openDb({ databaseUrl: through(cluster.url, relay) });
		try {
			relay.freeze();
			let start = performance.now();
			const error = await db.query('SELECT 1').catch((e: unknown) => e);
			const waited = performance.now() - start;
			expect(String(error)).toBe('Error: Query read timeout');
			expect(isDatabaseUnavailable(error)).toBe(true);
			expect(waited).toBeGreaterThan(QUERY_TIMEOUT_MS - 100);
			expect(waited).toBeLessThan(QUERY_TIMEOUT_MS + 2_000);
			start = performance.now();
			await within(db.close(), 30_000, 'closing the database');
			expect(performance.now() - start).toBeLessThan(CLOSE_TIMEOUT_MS + 1_000);
		} finally {
			relay.thaw();
			await relay.close();
		}
	});
});

describe('a gate whose PostgreSQL stops answering or refuses', () => {
	let relay: Relay;
	let gate: Awaited<ReturnType<typeof startTestGate>>;
	beforeAll(async () => {
		relay = await startRelay(Number(new URL(cluster.url).port));
		gate = await startTestGate(dist, { DATABASE_URL: through(cluster.url, relay) });
	});
	afterAll(async () => {
		relay?.thaw();
		await gate?.stop();
		await relay?.close();
	});
	const timed = async <T>(work: () => Promise<T>) => {
		const start = performance.now();
		const result = await work();
		return { result, ms: performance.now() - start };
	};
	const healthz = () =>
		fetch(`${gate.url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(async (res) => ({
			status: res.status,
			body: await res.json(),
		}));

	it('answers /healthz with 503 within its deadline while frozen, and 200 once thawed', async () => {
		relay.freeze();
		try {
			const { result, ms } = await timed(healthz);
			expect(result).toEqual({
				status: 503,
				body: { status: 'database unavailable', database: 'postgres' },
			});
			expect(ms).toBeLessThan(HEALTH_TIMEOUT_MS + 1_000);
		} finally {
			relay.thaw();
		}
		expect(await healthz()).toEqual({ status: 200, body: { status: 'ok', database: 'postgres' } });
	});

	it('answers a database-backed page with 503 and Retry-After while the database refuses, and logs one line without a stack', async () => {
		await relay.refuse();
		try {
			gate.logs.length = 0;
			const json = await fetch(`${gate.url}/subscribe/manage/`, {
				headers: { accept: 'application/json' },
			});
			expect(json.status).toBe(503);
			expect(json.headers.get('retry-after')).toBe('30');
			const body = (await json.json()) as Record<string, unknown>;
			expect(body).toEqual({
				error: 'database-unavailable',
				message:
					'We cannot reach our database right now. Please try again in a minute; if you sent a form, send it again.',
				requestId: expect.any(String),
			});
			const page = await fetch(`${gate.url}/subscribe/manage/`);
			expect(page.status).toBe(503);
			expect(page.headers.get('retry-after')).toBe('30');
			const html = await page.text();
			expect(html).toContain('Temporarily unavailable');
			expect(html).toContain(
				'We cannot reach our database right now. Please try again in a minute; if you sent a form, send it again.',
			);
			const lines = gate.logs
				.map((l) => JSON.parse(l) as Record<string, unknown>)
				.filter((l) => l['msg'] === 'the database is unavailable');
			expect(lines).toEqual([
				{
					level: 'warn',
					msg: 'the database is unavailable',
					requestId: body['requestId'],
					path: '/subscribe/manage/',
					// A pooled connection the outage cut, or a new one refused.
					error: expect.stringMatching(
						/^(Connection terminated unexpectedly|connect ECONNREFUSED 127\.0\.0\.1:\d+)$/,
					),
				},
				expect.objectContaining({ msg: 'the database is unavailable', path: '/subscribe/manage/' }),
			]);
			expect(gate.logs.join('\n')).not.toContain('    at ');
		} finally {
			await relay.accept();
		}
		expect((await healthz()).status).toBe(200);
	});

	it('fails a page within the query timeout while frozen, with the same 503', async () => {
		relay.freeze();
		try {
			const { result, ms } = await timed(() =>
				fetch(`${gate.url}/subscribe/manage/`, {
					headers: { accept: 'application/json' },
					signal: AbortSignal.timeout(QUERY_TIMEOUT_MS + 10_000),
				}),
			);
			expect(result.status).toBe(503);
			expect(((await result.json()) as { error: string }).error).toBe('database-unavailable');
			expect(ms).toBeLessThan(QUERY_TIMEOUT_MS + 3_000);
		} finally {
			relay.thaw();
		}
	});
});

describe('a gate stopping while its PostgreSQL does not answer', () => {
	it('stops within a bounded time, with a warning for the work it left', async () => {
		const relay = await startRelay(Number(new URL(cluster.url).port));
		const gate = await startTestGate(dist, { DATABASE_URL: through(cluster.url, relay) });
		try {
			relay.freeze();
			// The subscription sender polls every second: wait until it has sent a statement that gets no answer.
			await within(relay.holding(), 30_000, 'the sender sending a statement');
			const start = performance.now();
			await within(gate.close(100), 30_000, 'closing the gate');
			// The sender's statement is given 3 s, the connections 2 s more.
			expect(performance.now() - start).toBeLessThan(9_000);
			expect(gate.logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual({
				level: 'warn',
				msg: 'the mail sender and the hourly clean-up in flight took longer than 3 s; stopping without it',
			});
		} finally {
			relay.thaw();
			await gate.stop();
			await relay.close();
		}
	});
});

describe('the subscription sender during a database outage', () => {
	it('logs the first failure, then at most once per period, and once when it recovers', async () => {
		const relay = await startRelay(Number(new URL(cluster.url).port));
		const root = await gateRoot();
		const outbox = mkdtempSync(join(tmpdir(), 'gate-sender-'));
		const gate = await makeGate(root, { databaseUrl: through(cluster.url, relay) });
		const logs: Array<Record<string, unknown>> = [];
		const sender = startSender(
			gate,
			folderTransport(outbox),
			{
				connections: 1,
				ratePerMinute: 0,
				leaseSeconds: 60,
				retrySeconds: 60,
				bounceLimit: 3,
				pollMs: 50,
				failureLogMs: 1_000,
			},
			(level, msg, fields) => logs.push({ level, msg, ...fields }),
		);
		try {
			await sleep(300);
			await relay.refuse();
			await sleep(2_500);
			await relay.accept();
			for (
				let i = 0;
				i < 100 && !logs.some((l) => l['msg'] === 'the subscription mail sender works again');
				i++
			)
				await sleep(50);
			// 2.5 s of failed polls every 50 ms, reminded every second: a first line, two reminders (give or
			// take one for timing), and the recovery.
			const [first, ...rest] = logs;
			const recovered = rest.pop();
			expect(first).toEqual({
				level: 'error',
				msg: 'the subscription mail sender failed; trying again',
				error: expect.any(String),
			});
			expect(rest.length).toBeGreaterThanOrEqual(1);
			expect(rest.length).toBeLessThanOrEqual(3);
			for (const line of rest)
				expect(line).toEqual({
					level: 'error',
					msg: 'the subscription mail sender still fails; trying again',
					error: expect.any(String),
					failures: expect.any(Number),
					since: expect.any(String),
				});
			expect(recovered).toEqual({
				level: 'info',
				msg: 'the subscription mail sender works again',
				failures: expect.any(Number),
				since: expect.any(String),
			});
			expect(recovered!['failures']).toBeGreaterThan(20);
		} finally {
			await sender.close();
			await gate.dispose();
			await relay.close();
			rmSync(root, { recursive: true, force: true });
			rmSync(outbox, { recursive: true, force: true });
		}
	});
});
