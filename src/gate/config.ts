// The gate's settings, from the environment. Each mistake is reported with the variable, what was
// expected and an example, and every mistake is reported at once.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { privateDir } from '../lib/files.ts';
import { parseSigningKeys, type SigningKey } from './lib/signed-link.ts';
import { DEFAULT_FONT_DIR } from './lib/watermark-fonts.ts';
import type { SenderOptions } from './mail/sender.ts';
import type { Limit } from './services/rate-limits.ts';

/** What the gate runs with. */
export interface GateSettings {
	port: number;
	/** Address to listen on; 0.0.0.0 in a container behind a load balancer. */
	host: string;
	/** PostgreSQL when set; otherwise PGlite in `dataDir/pglite`. */
	databaseUrl: string | undefined;
	/** Local state: the embedded database, the outbox, the local signing key, the CLI socket. */
	dataDir: string;
	/** Base URL for links in emails, without a trailing slash. */
	publicUrl: string;
	smtpUrl: string | undefined;
	mailFrom: string | undefined;
	keys: SigningKey[];
	/** How many reverse proxies in front of the gate add X-Forwarded-For; 0 trusts none. */
	trustProxy: number;
	/** Folder searched (with its subfolders) for the watermark's Noto fonts. */
	watermarkFontDir: string;
	limits: { requestsPerIp: Limit; requestsPerEmail: Limit; pagesPerIp: Limit };
	/** How long a client may take to send a whole request, and to keep an idle connection, in seconds. */
	timeouts: { requestSeconds: number; keepAliveSeconds: number };
	/** How subscription mails are sent: see SenderOptions in mail/sender.ts. */
	mail: SenderOptions;
}

const KEY_FILE = 'signing-key';

function int(
	env: NodeJS.ProcessEnv,
	name: string,
	fallback: number,
	min: number,
	max: number,
	errors: string[],
): number {
	const text = env[name];
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isInteger(value) || value < min || value > max)
		errors.push(
			`${name}: expected a whole number from ${min} to ${max}, received "${text}". Unset it to use ${fallback}.`,
		);
	return value;
}

/** The local signing key in `dataDir`, made on first use (embedded mode only: replicas need GATE_SIGNING_KEYS). */
function localKey(dataDir: string): string {
	const file = join(dataDir, KEY_FILE);
	if (!existsSync(file)) {
		privateDir(dataDir);
		writeFileSync(file, `local:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
		chmodSync(file, 0o600);
	}
	return readFileSync(file, 'utf8').trim();
}

/** Reads the settings; `root` is the project folder (the data folder defaults to `root/data`). */
export function readSettings(
	env: NodeJS.ProcessEnv,
	root: string,
): { ok: true; settings: GateSettings } | { ok: false; errors: string[] } {
	const errors: string[] = [];
	const port = int(env, 'PORT', 4321, 0, 65535, errors);
	const databaseUrl = env['DATABASE_URL'] || undefined;
	if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl))
		errors.push(
			'DATABASE_URL: expected a URL like postgres://user:password@host:5432/db. Unset it to use the embedded database in data/.',
		);
	const dataDir = resolve(root, env['GATE_DATA_DIR'] || 'data');
	// The gate makes its data folder 0700 and everything in it its owner's: never a folder others share.
	const shared =
		dirname(dataDir) === dataDir
			? 'the root of the file system'
			: existsSync(dataDir) && statSync(dataDir).mode & 0o1000
				? 'its sticky bit is set, as on /tmp'
				: undefined;
	if (shared)
		errors.push(
			`GATE_DATA_DIR: ${dataDir} is a folder other users share (${shared}); the gate keeps requester data in its data folder and closes it to everyone else. Point GATE_DATA_DIR at a folder of its own, e.g. /var/lib/trust-gate.`,
		);
	const publicUrl = (env['GATE_PUBLIC_URL'] || `http://localhost:${port}`).replace(/\/+$/, '');
	if (!/^https?:\/\/[^/]+$/.test(publicUrl))
		errors.push(
			`GATE_PUBLIC_URL: expected the site's origin like https://trust.example.com (no path), received "${env['GATE_PUBLIC_URL']}".`,
		);
	const smtpUrl = env['SMTP_URL'] || undefined;
	if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl))
		errors.push(
			'SMTP_URL: expected a URL like smtp://user:password@mail.example.com:587 (or smtps:// for TLS). Unset it to write mail to data/outbox/.',
		);
	let keys: SigningKey[] = [];
	// No local key is made in a shared folder: the error above says where to keep the data instead.
	const keyText =
		env['GATE_SIGNING_KEYS'] || (databaseUrl || shared ? undefined : localKey(dataDir));
	if (keyText) {
		const parsed = parseSigningKeys(keyText);
		if (parsed.ok) keys = parsed.keys;
		else errors.push(parsed.error);
	} else if (databaseUrl)
		errors.push(
			'GATE_SIGNING_KEYS: required with DATABASE_URL, so that every replica signs and checks links with the same keys. Set it to "kid:secret", e.g. GATE_SIGNING_KEYS="2026-11:$(openssl rand -base64 32)".',
		);
	const trustProxy = int(env, 'GATE_TRUST_PROXY', 0, 0, 5, errors);
	const limits = {
		requestsPerIp: {
			max: int(env, 'GATE_LIMIT_REQUESTS_PER_IP', 20, 1, 1_000_000_000, errors),
			seconds: 600,
		},
		requestsPerEmail: {
			max: int(env, 'GATE_LIMIT_REQUESTS_PER_EMAIL', 5, 1, 1_000_000_000, errors),
			seconds: 3600,
		},
		pagesPerIp: {
			max: int(env, 'GATE_LIMIT_PAGES_PER_IP', 120, 1, 1_000_000_000, errors),
			seconds: 60,
		},
	};
	const timeouts = {
		requestSeconds: int(env, 'GATE_REQUEST_TIMEOUT_SECONDS', 30, 1, 600, errors),
		keepAliveSeconds: int(env, 'GATE_KEEP_ALIVE_SECONDS', 5, 1, 600, errors),
	};
	const mail = {
		connections: int(env, 'GATE_MAIL_CONNECTIONS', 4, 1, 50, errors),
		ratePerMinute: int(env, 'GATE_MAIL_RATE_PER_MINUTE', 600, 0, 1_000_000, errors),
		retrySeconds: int(env, 'GATE_MAIL_RETRY_SECONDS', 60, 1, 86_400, errors),
		bounceLimit: int(env, 'GATE_MAIL_BOUNCE_LIMIT', 3, 1, 100, errors),
		leaseSeconds: int(env, 'GATE_MAIL_LEASE_SECONDS', 60, 5, 3600, errors),
	};
	if (errors.length > 0) return { ok: false, errors };
	return {
		ok: true,
		settings: {
			port,
			host: env['HOST'] || '0.0.0.0',
			databaseUrl,
			dataDir,
			publicUrl,
			smtpUrl,
			mailFrom: env['MAIL_FROM'] || undefined,
			keys,
			trustProxy,
			watermarkFontDir: env['GATE_WATERMARK_FONT_DIR'] || DEFAULT_FONT_DIR,
			limits,
			timeouts,
			mail,
		},
	};
}
