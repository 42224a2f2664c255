// The gate on its own machine: who else may read its data folder.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createRequest } from '../../src/gate/services/requests.ts';
import { startGate, type RunningGate } from '../../src/gate/server.ts';
import { gateRoot, requestFor } from '../helpers/gate.ts';

const dist = join(inject('exampleSite'), 'dist');
const asRoot = process.getuid?.() === 0;
const meta = { ip: '203.0.113.7', userAgent: 'vitest' };

let root: string;
let dataDir: string;
let gate: RunningGate;
/** Modes of the data folder, the outbox and a mail as a fresh install made them. */
let fresh: { dataDir: number; outbox: number; mail: number };
/** Every path under the data folder when the gate had started, to tell the files PGlite made later. */
let atStart: Set<string>;

/** Every folder and file under `dir`, without following links. */
const entries = (dir: string): string[] =>
	readdirSync(dir, { recursive: true, withFileTypes: true }).map((d) => join(d.parentPath, d.name));
const mode = (path: string) => lstatSync(path).mode & 0o777;
/** What others than the owner may do with each entry: anything but nothing is listed. */
const openToOthers = (paths: string[]) =>
	paths
		.filter((p) => mode(p) & 0o077)
		.map((p) => `${mode(p).toString(8)} ${p.slice(dataDir.length + 1)}`);

const start = () =>
	startGate(root, dist, { PORT: '0', HOST: '127.0.0.1', GATE_DATA_DIR: dataDir }, () => {});

beforeAll(async () => {
	root = await gateRoot();
	// A project folder is usually open to other users (a home or /srv folder); mkdtemp's 0700 would hide data/ alone.
	chmodSync(root, 0o755);
	dataDir = join(root, 'data');
	// A first start makes a fresh data folder and a mail; the gate used below starts again on that folder
	// after its modes were opened up, as an install made by an earlier version has them.
	gate = await start();
	await createRequest(gate.gate, requestFor(gate.gate, 'ada@fabrikam.example'), meta);
	const mail = entries(join(dataDir, 'outbox'))[0]!;
	fresh = { dataDir: mode(dataDir), outbox: mode(join(dataDir, 'outbox')), mail: mode(mail) };
	await gate.close();
	execFileSync('chmod', ['-R', 'go+rwX', dataDir]);
	gate = await start();
	atStart = new Set(entries(dataDir));
});
afterAll(async () => {
	await gate?.close();
	execFileSync('rm', ['-rf', root]);
});

/** Runs a command as the unprivileged user `nobody`. */
const asNobody = (command: string[]) =>
	promisify(execFile)('runuser', ['-u', 'nobody', '--', ...command], { encoding: 'utf8' }).then(
		() => 'allowed',
		(error: { stderr: string }) => error.stderr.trim(),
	);

describe('the data folder', () => {
	it('is made for its owner alone: the folder and the outbox 0700, each mail 0600', () => {
		expect(fresh).toEqual({ dataDir: 0o700, outbox: 0o700, mail: 0o600 });
	});

	it('is closed to others again on start, however its modes were left', () => {
		expect(openToOthers(entries(dataDir))).toEqual([]);
		expect(mode(dataDir)).toBe(0o700);
	});

	it.runIf(asRoot)(
		'refuses another user the outbox, the WAL and the signing key, and writing pg_control',
		async () => {
			const mail = entries(join(dataDir, 'outbox'))[0]!;
			const wal = entries(join(dataDir, 'pglite/pg_wal')).find((p) => statSync(p).isFile())!;
			for (const file of [mail, wal, join(dataDir, 'signing-key')])
				expect(await asNobody(['cat', file])).toBe(`cat: ${file}: Permission denied`);
			const control = join(dataDir, 'pglite/global/pg_control');
			expect(await asNobody(['sh', '-c', `: >> '${control}'`])).toMatch(/Permission denied/);
			// Even with the folder itself opened, the files in it stay closed.
			chmodSync(dataDir, 0o755);
			try {
				expect(await asNobody(['cat', mail])).toBe(`cat: ${mail}: Permission denied`);
				expect(await asNobody(['sh', '-c', `: >> '${control}'`])).toMatch(/Permission denied/);
			} finally {
				chmodSync(dataDir, 0o700);
			}
		},
	);

	it('keeps files made after start to their owner: new tables, WAL segments and mails', async () => {
		await gate.gate.db.exec(
			'CREATE TABLE later_rows AS SELECT g, repeat(md5(g::text), 30) AS filler FROM generate_series(1, 40000) g; CHECKPOINT',
		);
		await createRequest(gate.gate, requestFor(gate.gate, 'bo@fabrikam.example'), meta);
		const made = entries(dataDir).filter((p) => !atStart.has(p));
		expect(made.filter((p) => p.includes('/pg_wal/')).length).toBeGreaterThan(0);
		expect(made.filter((p) => p.includes('/outbox/')).length).toBe(1);
		expect(openToOthers(made)).toEqual([]);
	});
});
