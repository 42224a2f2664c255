// The gate's database under stress: replicas opening a fresh PostgreSQL at once.
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/gate/db.ts';
import { startPostgres, type PgCluster } from '../helpers/postgres.ts';

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
