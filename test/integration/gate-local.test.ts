// The gate on its own machine: who else may read its data folder, who may use its admin socket and under
// which name, what a hostile PDF sent to trace can cost, and npm start on a build that is up to date.
import { execFile, execFileSync, spawn } from 'node:child_process';
import {
	chmodSync,
	cpSync,
	lstatSync,
	mkdirSync,
	readdirSync,
	statSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildInputs, newestMtime } from '../../scripts/lib/build-freshness.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { startGate, type RunningGate } from '../../src/gate/server.ts';
import { gateRoot, lastLink, requestFor } from '../helpers/gate.ts';

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

/** A request from a free-mail address, confirmed, so it waits for review. */
async function pendingRequest(email: string): Promise<string> {
	const { id } = await createRequest(gate.gate, requestFor(gate.gate, email), meta);
	const token = new URL(lastLink(readOutbox(join(dataDir, 'outbox')), '/access/confirm/'));
	await confirmEmail(gate.gate, token.searchParams.get('token')!, meta);
	return id;
}

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
		'refuses another user the outbox and the WAL (which holds the signing keys), and writing pg_control',
		async () => {
			const mail = entries(join(dataDir, 'outbox'))[0]!;
			const wal = entries(join(dataDir, 'pglite/pg_wal')).find((p) => statSync(p).isFile())!;
			for (const file of [mail, wal])
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

/** Sends a raw message to the admin socket, as any program could. */
function adminSocket(body: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ socketPath: join(dataDir, 'gate.sock'), method: 'POST', path: '/' },
			(res) => {
				let text = '';
				res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
				res.on('end', () => resolve({ status: res.statusCode!, body: text }));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

describe('the admin socket', () => {
	it('is 0600, and another user cannot connect even when the folder lets them through', async () => {
		const socket = join(dataDir, 'gate.sock');
		expect(lstatSync(socket).isSocket()).toBe(true);
		expect(mode(socket)).toBe(0o600);
		if (!asRoot) return;
		chmodSync(dataDir, 0o711);
		try {
			const script = `require('net').connect(${JSON.stringify(socket)}).on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.error(e.code); process.exit(1); })`;
			expect(await asNobody([process.execPath, '-e', script])).toBe('EACCES');
		} finally {
			chmodSync(dataDir, 0o700);
		}
	});

	it('refuses a command outside the CLI’s bounds, an actor in the message, and unknown commands, changing nothing', async () => {
		const id = await pendingRequest('cy@gmail.com');
		const send = async (message: unknown) => {
			const res = await adminSocket(JSON.stringify(message));
			return { status: res.status, ...(JSON.parse(res.body || 'null') as object) };
		};
		expect(await send({ command: { name: 'approve', id, days: 100000 } })).toEqual({
			status: 400,
			code: 2,
			stdout: '',
			stderr:
				'The gate refused the command: approve: --days expects a whole number of days from 1 to 730, received number 100000.\n',
		});
		expect(
			await send({ command: { name: 'approve', id, days: 30 }, actor: 'cli:someone-else' }),
		).toEqual({
			status: 400,
			code: 2,
			stdout: '',
			stderr:
				'The gate refused the command: "actor" is not accepted: the gate names the user from the connecting process itself.\n',
		});
		expect(await send({ command: { name: 'frobnicate' } })).toMatchObject({
			status: 400,
			code: 2,
			stderr: expect.stringMatching(/^The gate refused the command: unknown command "frobnicate"/),
		});
		expect(await send({ command: { name: 'deny', id, reason: 'x'.repeat(5000) } })).toMatchObject({
			status: 400,
			code: 2,
		});
		expect((await adminSocket('not json')).status).toBe(400);
		const { rows } = await gate.gate.db.query<{ status: string }>(
			'SELECT status FROM access_requests WHERE id = $1',
			[id],
		);
		expect(rows[0]?.status).toBe('pending');
		expect(
			(await gate.gate.db.query('SELECT 1 FROM grants g WHERE g.request_id = $1', [id])).rows,
		).toEqual([]);
	});

	it('records the connecting process’s user as the actor, and refuses a user other than the owner and root', async () => {
		const mine = await pendingRequest('di@gmail.com');
		// As if nobody had logged in and become this user with sudo: the kernel keeps the login user (loginuid).
		// Setting it takes root with audit support; without, the CLI runs with the login user it has.
		const nobodyUid = execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim();
		const cli = await promisify(execFile)(
			'sh',
			[
				'-c',
				`echo ${nobodyUid} > /proc/self/loginuid 2>/dev/null && echo "login set"; exec "$0" "$@"`,
				process.execPath,
				join(ROOT, 'scripts/gate.ts'),
				'approve',
				mine,
				'--days',
				'30',
			],
			{ cwd: root, encoding: 'utf8', env: { ...process.env, GATE_DATA_DIR: dataDir } },
		);
		const loginSet = cli.stdout.startsWith('login set\n');
		expect(cli.stdout.replace('login set\n', '')).toMatch(
			new RegExp(`^Approved ${mine}: grant grant_[0-9a-f]{16}`),
		);
		const user = execFileSync('id', ['-un'], { encoding: 'utf8' }).trim();
		const approvals = async (subject: string) =>
			(await readAudit(gate.gate.db))
				.filter((e) => e.subject === subject && e.type === 'request.approved')
				.map((e) => e.actor);
		expect(await approvals(mine)).toEqual([
			loginSet ? `cli:${user} (login nobody)` : `cli:${user}`,
		]);
		if (!asRoot) return;
		// Opened to everyone for this test, the socket still runs nothing for another user, whom the kernel names.
		const theirs = await pendingRequest('ed@gmail.com');
		const socket = join(dataDir, 'gate.sock');
		chmodSync(dataDir, 0o711);
		chmodSync(socket, 0o666);
		try {
			const message = JSON.stringify({ command: { name: 'approve', id: theirs } });
			const script = `const r = require('http').request({ socketPath: ${JSON.stringify(socket)}, method: 'POST', path: '/' }, (res) => res.pipe(process.stdout)); r.end(${JSON.stringify(message)});`;
			const out = await promisify(execFile)(
				'runuser',
				['-u', 'nobody', '--', process.execPath, '-e', script],
				{ encoding: 'utf8' },
			);
			expect(JSON.parse(out.stdout)).toEqual({
				code: 2,
				stdout: '',
				stderr: `The gate refused the command: nobody (uid ${nobodyUid}) may not run gate commands: only root may.\n`,
			});
		} finally {
			chmodSync(socket, 0o600);
			chmodSync(dataDir, 0o700);
		}
		expect(await approvals(theirs)).toEqual([]);
	});

	it('writes an audit export that only its owner may read, whatever the umask, also over a readable file', async () => {
		const out = join(root, 'audit-export.jsonl');
		writeFileSync(out, 'an older export\n', { mode: 0o644 });
		chmodSync(out, 0o644);
		const cli = await promisify(execFile)(
			'sh',
			[
				'-c',
				'umask 022; exec "$0" "$@"',
				process.execPath,
				join(ROOT, 'scripts/gate.ts'),
				'audit',
				'export',
				'--out',
				out,
			],
			{ cwd: root, encoding: 'utf8', env: { ...process.env, GATE_DATA_DIR: dataDir } },
		);
		expect(cli.stdout).toMatch(/^Wrote \d+ entries and the head to /);
		expect(mode(out)).toBe(0o600);
	});
});

/** A PDF of `streams` Flate streams of zeros that each inflate to `bytes`: a few hundred KB on disk. */
function zeroStreamsPdf(streams: number, bytes: number): Buffer {
	const data = deflateSync(Buffer.alloc(bytes), { level: 9 });
	const parts: Buffer[] = [Buffer.from('%PDF-1.7\n')];
	for (let i = 1; i <= streams; i++)
		parts.push(
			Buffer.from(`${i} 0 obj\n<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`),
			data,
			Buffer.from('\nendstream\nendobj\n'),
		);
	parts.push(Buffer.from('trailer\n<< /Size 9 >>\n%%EOF\n'));
	return Buffer.concat(parts);
}

const traceOver = (pdf: Buffer, file: string) =>
	adminSocket(
		JSON.stringify({ command: { name: 'trace', file, pdfBase64: pdf.toString('base64') } }),
	).then((res) => JSON.parse(res.body) as { code: number; stdout: string; stderr: string });

describe('trace of a hostile PDF', () => {
	it('refuses a decompression bomb with its message, in bounded memory', async () => {
		// 8 streams of 64 MB each in 0.5 MB: the file of the review that doubled the gate's memory.
		const bomb = zeroStreamsPdf(8, 64 * 1024 * 1024);
		expect(bomb.length).toBeLessThan(600_000);
		const peakBefore = process.resourceUsage().maxRSS;
		expect(await traceOver(bomb, 'bomb.pdf')).toEqual({
			code: 1,
			stdout: '',
			stderr:
				'bomb.pdf: not traced: its compressed streams inflate to more than trace reads (32 MB in one stream, 128 MB in all, images not counted). No copy the gate serves comes near that; this file may be made to exhaust memory.\n',
		});
		// maxRSS is the process's peak in KB, the trace worker's memory included.
		expect(process.resourceUsage().maxRSS - peakBefore).toBeLessThan(200 * 1024);
	});

	it('leaves the gate answering /healthz while it reads a large PDF', async () => {
		const large = zeroStreamsPdf(3, 30 * 1024 * 1024);
		let done = false;
		const traced = traceOver(large, 'large.pdf').finally(() => (done = true));
		let answeredMeanwhile = 0;
		while (!done) {
			const res = await fetch(`${gate.url}/healthz`);
			if (res.status === 200 && !done) answeredMeanwhile++;
		}
		expect((await traced).stderr).toMatch(/^large\.pdf: not identified\. /);
		expect(answeredMeanwhile).toBeGreaterThanOrEqual(3);
	});
});

/** Runs `command` (npm start, one way or another) in `site` on a free port, once it says where it serves. */
async function serving(site: string, [command, ...args]: string[], dataDir: string) {
	const child = spawn(command!, args, {
		cwd: site,
		env: { ...process.env, PORT: '0', HOST: '127.0.0.1', GATE_DATA_DIR: join(root, dataDir) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stderr.on('data', (d: Buffer) => (out += d.toString()));
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout.on('data', (d: Buffer) => {
			out += d.toString();
			const found = /Trust center and access gate: (http:\/\/\S+\/)/.exec(out);
			if (found) resolve(found[1]!);
		});
		child.on('exit', () => reject(new Error(`npm start exited:\n${out}`)));
	});
	return { child, url, output: () => out };
}

describe('npm start', () => {
	it('serves an up-to-date build without building it again', async () => {
		// A copy of the example site: the whitepaper this test adds must not reach the shared one, whose own
		// whitepaper test/build/whitepaper.test.ts makes and reads meanwhile. What that build writes
		// (private/, and Astro's .astro/ and the chain's .cache/) is left out: npm start reads none of it here.
		const shared = inject('exampleSite');
		const site = join(root, 'start-site');
		const written = ['private', '.astro', '.cache'].map((name) => join(shared, name));
		cpSync(shared, site, { recursive: true, filter: (path) => !written.includes(path) });
		// Copying made its files and folders newer than its build: date the build, and the whitepaper,
		// after the newest of them, as building them would have.
		const now = (newestMtime(site, buildInputs(site)) + 1000) / 1000;
		utimesSync(join(site, 'dist/index.html'), now, now);
		const builtAt = statSync(join(site, 'dist/index.html')).mtimeMs;
		// The tests' build makes the public site only; with the gate on, npm start would make the whitepaper.
		mkdirSync(join(site, 'private'), { recursive: true });
		writeFileSync(join(site, 'private/whitepaper.pdf'), '%PDF-1.7\n');
		utimesSync(join(site, 'private/whitepaper.pdf'), now, now);
		const { child, url, output } = await serving(
			site,
			[process.execPath, join(site, 'scripts/start.ts')],
			'start-data',
		);
		try {
			expect((await fetch(url)).status).toBe(200);
		} finally {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		}
		expect(output()).toContain('dist/ is up to date; serving it.');
		expect(output()).not.toContain('Building the trust center');
		expect(statSync(join(site, 'dist/index.html')).mtimeMs).toBe(builtAt);
	});

	it('passes a SIGTERM sent to npm on to the gate, which finishes and lets go of its port and database', async () => {
		const site = inject('exampleSite');
		// A process manager or `docker stop` signals npm, the process it started, not npm's child.
		const {
			child: npm,
			url,
			output,
		} = await serving(site, ['npm', 'start', '--', '--no-build'], 'sigterm-data');
		expect((await fetch(`${url}healthz`)).status).toBe(200);
		const exited = new Promise((resolve) => npm.once('exit', resolve));
		npm.kill('SIGTERM');
		await exited;
		expect(output()).toContain('SIGTERM: finishing requests in flight, then stopping');
		// The gate itself stopped, not just npm: nothing answers on its port any more.
		await expect(fetch(`${url}healthz`)).rejects.toThrow();
	});
});
