// The gate's database under stress: replicas opening a fresh PostgreSQL at once, and a PostgreSQL that
// stops answering (a frozen host: sockets open, no replies) or refuses connections, through a TCP relay
// that can do either: bounded waits and a bounded shutdown.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
	CLOSE_TIMEOUT_MS,
	isDatabaseUnavailable,
	openDb,
	QUERY_TIMEOUT_MS,
} from '../../src/gate/db.ts';
import { within } from '../../src/gate/lib/deadline.ts';
import { HEALTH_TIMEOUT_MS } from '../../src/gate/routes/health.ts';
import { startTestGate } from '../helpers/gate.ts';
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
});

describe('a gate stopping while its PostgreSQL does not answer', () => {
	it('stops within a bounded time, with a warning for the work it left', async () => {
		const relay = await startRelay(Number(new URL(cluster.url).port));
		const gate = await startTestGate(dist, { DATABASE_URL: through(cluster.url, relay) });
		try {
			relay.freeze();
			// The subscription sender polls every second: let it send a statement that gets no answer.
			await sleep(1_500);
			const start = performance.now();
			await within(gate.close(100), 30_000, 'closing the gate');
			// The sender's statement is given 3 s, the connections 2 s more.
			expect(performance.now() - start).toBeLessThan(9_000);
			expect(gate.logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual({
				level: 'warn',
				msg: 'the database work in flight took longer than 3 s; stopping without it',
			});
		} finally {
			relay.thaw();
			await gate.stop();
			await relay.close();
		}
	});
});
