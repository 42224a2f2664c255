import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { within } from './lib/deadline.ts';

/** Something SQL can run on: the database, or one transaction. */
export interface Queryable {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
	/** Runs statements without parameters (a migration file). */
	exec(sql: string): Promise<void>;
}

/** The gate's database: PGlite in a folder, or PostgreSQL at a URL. Same SQL for both. */
export interface Db extends Queryable {
	kind: 'pglite' | 'postgres';
	/**
	 * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. `long` is for
	 * migrations, which may wait for locks: their statements get MIGRATION_TIMEOUT_MS from the client.
	 */
	tx<T>(fn: (q: Queryable) => Promise<T>, options?: { long?: boolean }): Promise<T>;
	close(): Promise<void>;
}

// Two replicas starting together must not both apply a migration, and audit appends must be serial.
export const MIGRATION_LOCK = 7_240_001;
export const AUDIT_LOCK = 7_240_002;

/** Connections to PostgreSQL each replica keeps at most. */
const POOL_SIZE = 10;
/** How long a query waits for a connection, pooled or new, before it fails (ms). */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * How long a query waits for PostgreSQL's answer before it fails and its connection is dropped (ms). The
 * longest the gate asks is a batch of 2,000 audit entries, well under a second.
 */
export const QUERY_TIMEOUT_MS = 15_000;
/**
 * How long a migration's statements may take, waiting for the migration lock or a table's lock included
 * (ms). PostgreSQL itself gives up first (MIGRATION_LOCK_TIMEOUT, MIGRATION_STATEMENT_TIMEOUT), so it
 * cancels the statement cleanly rather than leaving it queued behind the lock when the client leaves.
 */
const MIGRATION_TIMEOUT_MS = 330_000;
const MIGRATION_LOCK_TIMEOUT = '120s';
const MIGRATION_STATEMENT_TIMEOUT = '300s';
/** How long closing waits for PostgreSQL to say goodbye before it cuts the connections (ms). */
export const CLOSE_TIMEOUT_MS = 2_000;

// Errors of a socket that could not connect or broke, PostgreSQL's classes 08 (connection exception)
// and 57P0x (the server shutting down or restarting), and "too many clients": the database is away.
const UNAVAILABLE_ERRNOS = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
]);
// pg's own errors for a connection that timed out or broke carry no code, only these messages.
const UNAVAILABLE_MESSAGES = [
	'Query read timeout',
	'timeout exceeded when trying to connect',
	'Connection terminated',
	'Client has encountered a connection error',
];

/**
 * Whether `error` says the database cannot be reached now (refused, cut, timed out, shutting down),
 * rather than that a statement is wrong: the gate answers 503 and tries again later.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const { code } = error as { code?: unknown };
	if (typeof code === 'string')
		return (
			UNAVAILABLE_ERRNOS.has(code) ||
			code.startsWith('08') ||
			/^57P0\d$/.test(code) ||
			code === '53300'
		);
	return UNAVAILABLE_MESSAGES.some((m) => error.message.startsWith(m));
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** Opens PGlite in `dataDir` (created if missing) or PostgreSQL at `databaseUrl`, and migrates it. */
export async function openDb(target: { databaseUrl: string } | { dataDir: string }): Promise<Db> {
	const db =
		'databaseUrl' in target
			? await openPostgres(target.databaseUrl)
			: await openPglite(target.dataDir);
	try {
		await migrate(db);
	} catch (error) {
		await db.close();
		throw error;
	}
	return db;
}

async function openPglite(dataDir: string): Promise<Db> {
	const lite = await PGlite.create(dataDir);
	const wrap = (q: { query: PGlite['query']; exec: PGlite['exec'] }): Queryable => ({
		query: async <T>(sql: string, params?: unknown[]) => ({
			rows: (await q.query<T>(sql, params)).rows,
		}),
		exec: async (sql: string) => void (await q.exec(sql)),
	});
	return {
		kind: 'pglite',
		...wrap(lite),
		tx: (fn) => lite.transaction((t) => fn(wrap(t))),
		close: () => lite.close(),
	};
}

async function openPostgres(url: string): Promise<Db> {
	// Every wait on the server is bounded: a server that stops answering (a frozen host, a black-holed
	// network) fails queries after QUERY_TIMEOUT_MS instead of holding them forever, and keep-alive
	// probes find a dead peer long before TCP's retransmissions give up (some 15 minutes). The timeout is
	// the client's own, not statement_timeout: a server that does not answer cannot cancel anything, and
	// PgBouncer refuses statement_timeout as a start-up parameter.
	const pool = new pg.Pool({
		connectionString: url,
		max: POOL_SIZE,
		connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
		query_timeout: QUERY_TIMEOUT_MS,
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
	});
	// An idle client losing its connection must not crash the gate; the next query reconnects.
	pool.on('error', () => {});
	const clients = new Set<pg.PoolClient>();
	pool.on('connect', (client) => clients.add(client));
	pool.on('remove', (client) => clients.delete(client));
	// pg reads a query's own query_timeout (not in its types) before the pool's.
	const config = (text: string, values: unknown[] | undefined, timeout: number): pg.QueryConfig =>
		({ text, values, query_timeout: timeout }) as pg.QueryConfig;
	const wrap = (q: pg.Pool | pg.PoolClient, timeout = QUERY_TIMEOUT_MS): Queryable => ({
		query: async <T>(sql: string, params?: unknown[]) => ({
			rows: (await q.query(config(sql, params, timeout))).rows as T[],
		}),
		exec: async (sql: string) => void (await q.query(config(sql, undefined, timeout))),
	});
	try {
		await pool.query('SELECT 1');
	} catch (error) {
		await pool.end().catch(() => {});
		throw error;
	}
	return {
		kind: 'postgres',
		...wrap(pool),
		tx: async (fn, options = {}) => {
			const client = await pool.connect();
			let broken: Error | undefined;
			try {
				await client.query('BEGIN');
				if (options.long)
					await client.query(
						`SET LOCAL lock_timeout = '${MIGRATION_LOCK_TIMEOUT}'; SET LOCAL statement_timeout = '${MIGRATION_STATEMENT_TIMEOUT}'`,
					);
				const result = await fn(wrap(client, options.long ? MIGRATION_TIMEOUT_MS : undefined));
				await client.query('COMMIT');
				return result;
			} catch (error) {
				// A connection that broke or timed out is dropped, which rolls back on the server; a ROLLBACK
				// would only wait behind the unanswered query.
				if (isDatabaseUnavailable(error)) broken = error as Error;
				else
					await client.query('ROLLBACK').catch((rollback: Error) => {
						broken = rollback;
					});
				throw error;
			} finally {
				client.release(broken);
			}
		},
		close: async () => {
			// A server that does not answer never acknowledges the goodbye: cut its connections instead.
			await within(pool.end(), CLOSE_TIMEOUT_MS, 'closing the database').catch(() => {
				for (const client of clients) client.connection.stream.destroy();
			});
		},
	};
}

/** Applies every `migrations/NNN-name.sql` not yet recorded in `gate_migrations`, in order, each in a transaction. */
export async function migrate(db: Db): Promise<string[]> {
	const files = readdirSync(MIGRATIONS_DIR)
		.filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
		.sort();
	return db.tx(
		async (q) => {
			await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
			// Under the lock: replicas creating the table at once on a fresh database collide in PostgreSQL's
			// catalog (duplicate key in pg_type_typname_nsp_index), IF NOT EXISTS notwithstanding.
			await q.exec(
				'CREATE TABLE IF NOT EXISTS gate_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
			);
			const done = new Set(
				(await q.query<{ version: number }>('SELECT version FROM gate_migrations')).rows.map(
					(r) => r.version,
				),
			);
			const applied: string[] = [];
			for (const file of files) {
				const version = Number(file.slice(0, 3));
				if (done.has(version)) continue;
				await q.exec(readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'));
				await q.query('INSERT INTO gate_migrations (version, name) VALUES ($1, $2)', [
					version,
					file,
				]);
				applied.push(file);
			}
			return applied;
		},
		{ long: true },
	);
}
