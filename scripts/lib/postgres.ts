// A throwaway PostgreSQL cluster on 127.0.0.1 for tests and benchmarks: Debian's `postgresql` package, started by the
// test or bench itself. As root, the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PgCluster {
	url: string;
	/** Connection URL of the superuser, for tests that tamper with the audit table. */
	superuserUrl: string;
	stop(): void;
}

function binDir(): string {
	const base = '/usr/lib/postgresql';
	const version = existsSync(base)
		? readdirSync(base).sort((a, b) => Number(b) - Number(a))[0]
		: undefined;
	if (!version)
		throw new Error(
			'PostgreSQL is not installed: /usr/lib/postgresql is missing. Install it with: apt-get install -y postgresql',
		);
	return join(base, version, 'bin');
}

/** A loopback port that was free a moment ago: another process may take it before it is bound. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/**
 * Runs `start` on a free port, and when it fails because `taken` says another process took the port
 * meanwhile, on the next free one: three tries in all, then the last error.
 */
export async function onFreePort<T>(
	start: (port: number) => T | Promise<T>,
	taken: (error: unknown) => boolean,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		try {
			return await start(port);
		} catch (error) {
			if (attempt === 3 || !taken(error)) throw error;
		}
	}
}

/** Starts a fresh cluster with a `gate` role (no superuser) and a `gate` database. */
export async function startPostgres(): Promise<PgCluster> {
	const bin = binDir();
	const dir = mkdtempSync(join(tmpdir(), 'gate-pg-'));
	chmodSync(dir, 0o777);
	const asRoot = process.getuid?.() === 0;
	const run = (cmd: string, args: string[]) => {
		const full = asRoot
			? (['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] as const)
			: ([join(bin, cmd), args] as const);
		const result = spawnSync(full[0], full[1], { encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
	};
	const data = join(dir, 'data');
	run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	// pg_ctl's failure does not say why, so any failed start is tried again on the next free port.
	const port = await onFreePort(
		(candidate) => {
			run('pg_ctl', [
				'-D',
				data,
				'-l',
				join(dir, 'log'),
				'-w',
				'-o',
				`-p ${candidate} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
				'start',
			]);
			return candidate;
		},
		() => true,
	);
	const superuserUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
	execFileSync(join(bin, 'psql'), [
		superuserUrl,
		'-q',
		'-c',
		"CREATE ROLE gate LOGIN PASSWORD 'gate'",
		'-c',
		'CREATE DATABASE gate OWNER gate',
	]);
	return {
		url: `postgres://gate:gate@127.0.0.1:${port}/gate`,
		superuserUrl: `postgres://postgres@127.0.0.1:${port}/gate`,
		stop: () => {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		},
	};
}
