import { readdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Something SQL can run on: the database, or one transaction. */
export interface Queryable {
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
	/** Runs statements without parameters (a migration file). */
	exec(sql: string): Promise<void>;
}

/** The gate's database: PGlite in a folder, or PostgreSQL at a URL. Same SQL for both. */
export interface Db extends Queryable {
	kind: 'pglite' | 'postgres';
	/** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
	tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

// Two replicas starting together must not both apply a migration, and audit appends must be serial.
export const MIGRATION_LOCK = 7_240_001;
export const AUDIT_LOCK = 7_240_002;

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
	const pool = new pg.Pool({ connectionString: url, max: 10 });
	// An idle client losing its connection must not crash the gate; the next query reconnects.
	pool.on('error', () => {});
	const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
		query: async <T>(sql: string, params?: unknown[]) => ({
			rows: (await q.query(sql, params)).rows as T[],
		}),
		exec: async (sql: string) => void (await q.query(sql)),
	});
	await pool.query('SELECT 1');
	return {
		kind: 'postgres',
		...wrap(pool),
		tx: async (fn) => {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const result = await fn(wrap(client));
				await client.query('COMMIT');
				return result;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => {});
				throw error;
			} finally {
				client.release();
			}
		},
		close: () => pool.end(),
	};
}

/** Applies every `migrations/NNN-name.sql` not yet recorded in `gate_migrations`, in order, each in a transaction. */
export async function migrate(db: Db): Promise<string[]> {
	const files = readdirSync(MIGRATIONS_DIR)
		.filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
		.sort();
	return db.tx(async (q) => {
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
			await q.query('INSERT INTO gate_migrations (version, name) VALUES ($1, $2)', [version, file]);
			applied.push(file);
		}
		return applied;
	});
}
