// `npm run gate -- …` as the security team runs it: a child process with its shell's environment, on
// PostgreSQL (where it opens the database itself) and on PGlite with no gate running.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink.ts';
import { decodeQuotedPrintable, readOutbox } from '../../src/gate/mail/mailer.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { gateRoot, lastLink, makeGate, requestFor, startTestGate } from '../helpers/gate.ts';
import { startPostgres, type PgCluster } from '../helpers/postgres.ts';

const meta = { ip: '203.0.113.7', userAgent: 'vitest' };
const asRoot = process.getuid?.() === 0;
/** The settings a developer's shell may hold; each test names the ones it runs with. */
const GATE_VARIABLES = [
	'DATABASE_URL',
	'GATE_PUBLIC_URL',
	'GATE_ADMIN_URL',
	'SMTP_URL',
	'MAIL_FROM',
];

/** Runs the CLI with `env` on top of this process's environment without the gate's settings. */
function cli(
	args: string[],
	env: Record<string, string>,
	user?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
	const base = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !GATE_VARIABLES.includes(name)),
	);
	return new Promise((resolve) => {
		const command = [process.execPath, join(ROOT, 'scripts/gate.ts'), ...args];
		execFile(
			user ? 'runuser' : command[0]!,
			user ? ['-u', user, '--', ...command] : command.slice(1),
			{ cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } },
			(error, stdout, stderr) =>
				resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
		);
	});
}

let root: string;
let work: string;
beforeAll(async () => {
	root = await gateRoot();
	work = mkdtempSync(join(tmpdir(), 'gate-cli-'));
});
afterAll(() => {
	rmSync(root, { recursive: true, force: true });
	rmSync(work, { recursive: true, force: true });
});

/** A request from a free-mail address, confirmed, so it waits for review; made on `target`'s database. */
async function pendingRequest(
	target: { databaseUrl: string } | { dataDir: string },
	email: string,
): Promise<string> {
	const gate = await makeGate(root, target);
	try {
		const { id } = await createRequest(gate, requestFor(gate, email), meta);
		const link = new URL(lastLink(readOutbox(gate.outbox), '/access/confirm/'));
		await confirmEmail(gate, link.searchParams.get('token')!, meta);
		return id;
	} finally {
		await gate.dispose();
	}
}

async function requestStatus(
	target: { databaseUrl: string } | { dataDir: string },
	id: string,
): Promise<string | undefined> {
	const gate = await makeGate(root, target);
	try {
		const { rows } = await gate.db.query<{ status: string }>(
			'SELECT status FROM access_requests WHERE id = $1',
			[id],
		);
		return rows[0]?.status;
	} finally {
		await gate.dispose();
	}
}

describe('the CLI on PostgreSQL', () => {
	let cluster: PgCluster;
	let sink: SmtpSink;
	beforeAll(async () => {
		[cluster, sink] = await Promise.all([startPostgres(), startSmtpSink()]);
	});
	afterAll(async () => {
		cluster?.stop();
		await sink?.close();
	});

	it('refuses a command that mails someone without the gate’s GATE_PUBLIC_URL and SMTP_URL, doing nothing', async () => {
		const target = { databaseUrl: cluster.url };
		const id = await pendingRequest(target, 'cy@gmail.com');
		const env = { DATABASE_URL: cluster.url, GATE_DATA_DIR: join(work, 'pg-data') };
		expect(await cli(['approve', id, '--days', '7'], env)).toEqual({
			code: 2,
			stdout: '',
			stderr:
				"approve: this command e-mails someone, and this shell has no GATE_PUBLIC_URL and SMTP_URL. With PostgreSQL (DATABASE_URL) the CLI does not go through the running gate: it opens the database itself with this shell's environment, so the mail would go to data/outbox/ on this machine, with links to http://localhost. Nothing was done. Run the CLI with the gate's environment: DATABASE_URL, GATE_PUBLIC_URL, SMTP_URL and MAIL_FROM (and GATE_ADMIN_URL if the gate has one).\n",
		});
		expect(
			(
				await cli(['staff', 'invite', 'ines@kestrelledger.example'], {
					...env,
					GATE_PUBLIC_URL: 'https://trust.example.test',
				})
			).stderr,
		).toMatch(/^staff invite: this command e-mails someone, and this shell has no SMTP_URL\. /);
		expect(await requestStatus(target, id)).toBe('pending');
	});

	it('mails through SMTP_URL with the gate’s environment, with links to GATE_PUBLIC_URL', async () => {
		const target = { databaseUrl: cluster.url };
		const id = await pendingRequest(target, 'di@gmail.com');
		const approved = await cli(['approve', id, '--days', '7'], {
			DATABASE_URL: cluster.url,
			GATE_DATA_DIR: join(work, 'pg-data'),
			GATE_PUBLIC_URL: 'https://trust.example.test',
			SMTP_URL: sink.url,
			MAIL_FROM: '"Example Trust" <trust@example.test>',
		});
		expect(approved.stdout).toMatch(
			new RegExp(
				`^Approved ${id}: grant grant_[0-9a-f]{16} for whitepaper, 7 days\\. The requester has been emailed\\.\\n$`,
			),
		);
		expect(sink.count('di@gmail.com')).toBe(1);
		expect(decodeQuotedPrintable(sink.mails.at(-1)!.raw)).toContain(
			'https://trust.example.test/access/grant/',
		);
	});

	it('lists the open console sessions, judging idle ones by the idle limit of its own environment', async () => {
		const env = { DATABASE_URL: cluster.url, GATE_DATA_DIR: join(work, 'pg-sessions') };
		expect(await cli(['staff', 'sessions'], env)).toEqual({
			code: 0,
			stdout: 'Nobody is signed in to the console.\n',
			stderr: '',
		});
		const gate = await makeGate(root, { databaseUrl: cluster.url });
		try {
			const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
			const session = (id: string, email: string, name: string, method: string, lastSeen: number) =>
				gate.db.query(
					`INSERT INTO staff_sessions (id, token_hash, email, name, method, issuer, subject, ip, user_agent,
						created_at, last_seen_at, expires_at)
					VALUES ($1, $1, $2, $3, $4, 'https://idp.example', $2, '192.0.2.4', 'vitest', $5, $6, $7)`,
					[
						id,
						email,
						name,
						method,
						minutesAgo(90),
						minutesAgo(lastSeen),
						new Date(Date.now() + 3_600_000),
					],
				);
			await session('sess_active', 'ada@kestrelledger.example', 'Ada Admin', 'oidc', 2);
			await session('sess_idle', 'ines@kestrelledger.example', 'Ines Approver', 'passkey', 40);
		} finally {
			await gate.dispose();
		}
		const listed = await cli(['staff', 'sessions'], env);
		expect(listed.stdout).toMatch(
			/^ada@kestrelledger\.example \(Ada Admin\) {2}identity provider {2}since \d{4}-\d\d-\d\d \d\d:\d\d UTC {2}last active \d{4}-\d\d-\d\d \d\d:\d\d UTC {2}from 192\.0\.2\.4 {2}session sess_active\n\n1 open console session\(s\), most recently active first\. End a person's: npm run gate -- staff end-sessions <email>\n$/,
		);
		// Idle for 40 minutes: ended under the default 30, open under a gate that allows an hour.
		const hour = await cli(['staff', 'sessions'], { ...env, GATE_SESSION_IDLE_MINUTES: '60' });
		expect(
			hour.stdout
				.split('\n')
				.slice(0, 2)
				.map((l) => l.split('  ')[0]),
		).toEqual([
			'ada@kestrelledger.example (Ada Admin)',
			'ines@kestrelledger.example (Ines Approver)',
		]);
		expect(hour.stdout).toContain('  passkey  ');
	});
});

describe('the CLI on PGlite with no gate running', () => {
	it('says a mail went to the outbox, not to the requester, when this shell has no SMTP_URL', async () => {
		const dataDir = join(work, 'pglite-data');
		mkdirSync(join(dataDir, 'pglite'), { recursive: true });
		const id = await pendingRequest({ dataDir: join(dataDir, 'pglite') }, 'ed@gmail.com');
		const denied = await cli(['deny', id, '--reason', 'Customers only.'], {
			GATE_DATA_DIR: dataDir,
		});
		expect(denied.code).toBe(0);
		expect(denied.stdout.split('\n').at(-2)).toMatch(
			new RegExp(
				`^Denied ${id}\\. The mail was written to ${dataDir}/outbox/[^ ]+\\.eml, not e-mailed: this shell has no SMTP_URL\\.$`,
			),
		);
		expect(denied.stdout).not.toContain('has been emailed');
	});

	it('refuses a flag approve does not take, approving nothing', async () => {
		const dataDir = join(work, 'pglite-data');
		const id = await pendingRequest({ dataDir: join(dataDir, 'pglite') }, 'fay@gmail.com');
		expect(await cli(['approve', id, '--day', '7'], { GATE_DATA_DIR: dataDir })).toEqual({
			code: 2,
			stdout: '',
			stderr: 'approve: --day is not an option of approve; it takes --days.\n',
		});
		expect(await requestStatus({ dataDir: join(dataDir, 'pglite') }, id)).toBe('pending');
	});

	it("checks an export's --out before it records the export", async () => {
		const dataDir = join(work, 'pglite-data');
		const exports = async () => {
			const gate = await makeGate(root, { dataDir: join(dataDir, 'pglite') });
			try {
				return (await readAudit(gate.db)).filter((e) => e.type === 'audit.exported').length;
			} finally {
				await gate.dispose();
			}
		};
		const before = await exports();
		expect(
			await cli(['audit', 'export', '--out', '/nonexistent/dir/a.jsonl'], {
				GATE_DATA_DIR: dataDir,
			}),
		).toEqual({
			code: 2,
			stdout: '',
			stderr:
				'audit export: cannot write /nonexistent/dir/a.jsonl: the folder /nonexistent/dir does not exist. Create it, or give --out a file in an existing folder.\n',
		});
		expect(
			(await cli(['subscribers', 'export', '--out', work], { GATE_DATA_DIR: dataDir })).stderr,
		).toBe(
			`subscribers export: cannot write ${work}: it is a folder. Give --out a file name, e.g. --out export.jsonl.\n`,
		);
		expect(await exports()).toBe(before);
	});
});

describe('the CLI beside a running gate on PGlite', () => {
	let gate: Awaited<ReturnType<typeof startTestGate>>;
	beforeAll(async () => {
		gate = await startTestGate(join(inject('exampleSite'), 'dist'));
	});
	afterAll(() => gate?.stop());

	it('prints the usage without settings or the database: while the gate holds it, or with a bad setting', async () => {
		for (const args of [[], ['help'], ['--help']]) {
			const help = await cli(args, { GATE_DATA_DIR: gate.dataDir });
			expect(help).toMatchObject({ code: 0, stderr: '' });
			expect(help.stdout).toMatch(/^Usage: npm run gate -- <command>\n/);
		}
		expect(await cli(['help'], { PORT: 'eighty' })).toMatchObject({ code: 0, stderr: '' });
	});

	it.runIf(asRoot)('tells a user other than the data folder’s owner whom to run as', async () => {
		chmodSync(gate.root, 0o755);
		const answer = await cli(['grants'], { GATE_DATA_DIR: gate.dataDir }, 'nobody');
		expect(answer).toEqual({
			code: 2,
			stdout: '',
			stderr: `Cannot reach the running gate through ${gate.dataDir}/gate.sock: permission denied. The data folder ${gate.dataDir} belongs to root (uid 0), and only that user and root may run gate commands; you are nobody. Run the CLI as root, e.g.: sudo -u root npm run gate -- …\n`,
		});
	});
});

describe('npm start, npm run build and the other scripts', () => {
	const script = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
		new Promise<{ code: number; stderr: string }>((resolve) =>
			execFile(
				process.execPath,
				[join(ROOT, file), ...args],
				{ cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } },
				(error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
			),
		);

	it('refuse a flag they do not take, naming the ones they do, before building or serving', async () => {
		expect(await script('scripts/start.ts', ['--no-biuld'])).toEqual({
			code: 2,
			stderr:
				'npm start: "--no-biuld" is not an option; it takes --no-build. Example: npm start -- --no-build\n',
		});
		expect(await script('scripts/build.ts', ['--froce'])).toEqual({
			code: 2,
			stderr:
				'npm run build: "--froce" is not an option; it takes --force. Example: npm run build -- --force\n',
		});
		expect(await script('scripts/pull-controls.ts', ['--if-configred'])).toEqual({
			code: 2,
			stderr:
				'npm run controls:pull: "--if-configred" is not an option; it takes --if-configured. Example: npm run controls:pull -- --if-configured\n',
		});
		expect(await script('scripts/build-whitepaper.ts', ['--force'])).toEqual({
			code: 2,
			stderr:
				'npm run whitepaper: "--force" is not an option; it takes none. Run npm run whitepaper alone.\n',
		});
		expect(await script('scripts/check-leaks.ts', ['--help'])).toEqual({
			code: 2,
			stderr:
				'npm run check:leaks takes one folder to check, dist/ when none is given, not "--help". Example: npm run check:leaks -- dist.next\n',
		});
	});

	it('say once, without a stack trace, that TRUST_CONTENT_DIR names no folder', async () => {
		const missing = join(tmpdir(), 'no-such-content-folder');
		const said = `TRUST_CONTENT_DIR is "${missing}", but ${missing} is not a folder. Point it at a content folder, or unset it to use content/.\n`;
		for (const file of [
			'scripts/build.ts',
			'scripts/start.ts',
			'scripts/pull-controls.ts',
			'scripts/build-whitepaper.ts',
			'scripts/check-leaks.ts',
		])
			expect(await script(file, [], { TRUST_CONTENT_DIR: missing }), file).toEqual({
				code: 1,
				stderr: said,
			});
	});

	it('check the folder check:leaks is given as it is when absolute', async () => {
		const empty = mkdtempSync(join(tmpdir(), 'leaks-'));
		try {
			expect(await script('scripts/check-leaks.ts', [empty])).toEqual({
				code: 1,
				stderr: `Leak check: ${empty}/ holds no build (index.html is missing). Run npm run build first.\n`,
			});
		} finally {
			rmSync(empty, { recursive: true, force: true });
		}
	});
});
