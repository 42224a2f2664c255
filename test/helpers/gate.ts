// Builds gates for tests: the example content, a real database (PGlite in a temp folder, or a throwaway
// PostgreSQL), the real outbox mailer, and a small PDF standing in for the whitepaper where none is built.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadAccessConfig } from '../../src/gate/lib/access-config.ts';
import { WHITEPAPER_PDF } from '../../src/whitepaper/paths.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { CONTENT_DIR, EXAMPLE_DIR } from '../../src/lib/content/dir.ts';
import { openDb } from '../../src/gate/db.ts';
import { createMailer } from '../../src/gate/mail/mailer.ts';
import { startGate, type RunningGate } from '../../src/gate/server.ts';
import type { Gate } from '../../src/gate/services/gate.ts';
import { KeyRing } from '../../src/gate/services/keys.ts';
import { watermarkFonts } from '../../src/gate/lib/watermark-fonts.ts';
import type { AccessRequestInput } from '../../src/schemas/access-request.ts';

export const TEST_KEYS = [{ kid: 'test', secret: Buffer.alloc(32, 9) }];

/**
 * A folder holding a copy of the example content and a three-page PDF as the whitepaper, so gate tests
 * never touch the whitepaper the build tests make.
 */
export async function gateRoot(): Promise<string> {
	const root = mkdtempSync(join(tmpdir(), 'gate-root-'));
	cpSync(join(ROOT, EXAMPLE_DIR), join(root, CONTENT_DIR), { recursive: true });
	const doc = await PDFDocument.create();
	const font = await doc.embedFont(StandardFonts.Helvetica);
	for (let i = 1; i <= 3; i++)
		doc
			.addPage([595, 842])
			.drawText(`Test whitepaper page ${i}`, { x: 72, y: 760, size: 14, font });
	mkdirSync(join(root, 'private'), { recursive: true });
	writeFileSync(join(root, WHITEPAPER_PDF), await doc.save());
	return root;
}

/** A gate on the project content at `root`, with its outbox in a temp folder. */
export async function makeGate(
	root: string,
	target: { databaseUrl: string } | { dataDir: string },
	now: () => Date = () => new Date(),
): Promise<Gate & { outbox: string; dispose(): Promise<void> }> {
	const { config, problems } = loadAccessConfig(root);
	if (!config) throw new Error(JSON.stringify(problems));
	const outbox = mkdtempSync(join(tmpdir(), 'gate-outbox-'));
	const db = await openDb(target);
	const mailer = createMailer({
		smtpUrl: undefined,
		from: 'gate@test.example',
		outboxDir: outbox,
		print: () => {},
		printLinks: true,
	});
	return {
		db,
		config,
		keyring: KeyRing.environment(TEST_KEYS),
		mailer,
		publicUrl: 'http://gate.test',
		adminUrl: 'http://gate.test',
		sessionLimits: { idleMinutes: 30, maxHours: 12 },
		now,
		fonts: watermarkFonts(),
		dist: join(root, 'dist'),
		onQueued: () => {},
		log: () => {},
		outbox,
		dispose: async () => {
			await db.close();
			rmSync(outbox, { recursive: true, force: true });
		},
	};
}

/** The last link in the outbox that starts with `prefix` (mail bodies may be quoted-printable encoded). */
export function lastLink(mails: string[], prefix: string): string {
	const links = [...mails.join('\n').matchAll(/https?:\/\/[^\s"<>]+/g)]
		.map((m) => m[0])
		.filter((l) => l.includes(prefix));
	if (links.length === 0) throw new Error(`no link with ${prefix} in the outbox`);
	return links.at(-1)!;
}

/** A valid request for `email`. */
export function requestFor(
	gate: Gate,
	email: string,
	documents: string[] = ['whitepaper'],
): AccessRequestInput {
	return {
		name: 'Ada Quinn',
		email,
		company: 'Fabrikam',
		role: 'Procurement lead',
		documents,
		reason: undefined,
		typedName: 'Ada Quinn',
		accept: true,
		ndaVersion: gate.config.nda.data.version,
		ndaSha256: gate.config.nda.sha256,
		csrf: undefined,
	};
}

/**
 * Starts the real gate server (PGlite in a temp folder, or DATABASE_URL) over `dist`; the log lines are
 * kept for assertions. `content` writes files into the content folder first (e.g. a staff.yaml), `now`
 * replaces the clock, `keyRefreshMs` how often the database's signing keys are re-read.
 */
export async function startTestGate(
	dist: string,
	env: Record<string, string> = {},
	options: { content?: Record<string, string>; now?: () => Date; keyRefreshMs?: number } = {},
): Promise<RunningGate & { root: string; dataDir: string; logs: string[]; stop(): Promise<void> }> {
	const root = await gateRoot();
	for (const [file, text] of Object.entries(options.content ?? {}))
		writeFileSync(join(root, CONTENT_DIR, file), text);
	const dataDir = join(root, 'data');
	const logs: string[] = [];
	const running = await startGate(
		root,
		dist,
		{ PORT: '0', HOST: '127.0.0.1', GATE_DATA_DIR: dataDir, ...env },
		(level, msg, fields) => logs.push(JSON.stringify({ level, msg, ...fields })),
		{
			...(options.now ? { now: options.now } : {}),
			...(options.keyRefreshMs ? { keyRefreshMs: options.keyRefreshMs } : {}),
		},
	);
	return {
		...running,
		root,
		dataDir,
		logs,
		stop: async () => {
			await running.close();
			rmSync(root, { recursive: true, force: true });
		},
	};
}

/** A cookie jar of one: fetches the request form and returns its token and cookie header. */
export async function formToken(url: string): Promise<{ token: string; cookie: string }> {
	const res = await fetch(`${url}/access/`);
	const html = await res.text();
	const token = /value="([^"]+)" data-gate-csrf/.exec(html)?.[1];
	const cookie = res.headers.get('set-cookie')?.split(';')[0];
	if (!token || !cookie) throw new Error('the request form has no token');
	return { token, cookie };
}
