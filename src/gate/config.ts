// The gate's settings, from the environment. Each mistake is reported with the variable, what was
// expected and an example, and every mistake is reported at once.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
	/** Local state: the embedded database, the outbox, the CLI socket (and an earlier version's signing key). */
	dataDir: string;
	/** Base URL for links in emails, without a trailing slash. */
	publicUrl: string;
	smtpUrl: string | undefined;
	mailFrom: string | undefined;
	/** GATE_SIGNING_KEYS, newest first; undefined when the keys live in the database. */
	keys: SigningKey[] | undefined;
	/** The signing key file of versions that kept their key in `dataDir`: imported into an empty database. */
	localKeyFile: string;
	/**
	 * Whether this gate is deployed rather than on a developer's machine: HOST is set to an address beyond
	 * loopback, or GATE_PUBLIC_URL is https. A deployed gate without SMTP_URL is warned about, and the
	 * outbox's log lines leave out the mails' links, which are credentials.
	 */
	deployed: boolean;
	/** How many reverse proxies in front of the gate add X-Forwarded-For; 0 trusts none. */
	trustProxy: number;
	/** Folder searched (with its subfolders) for the watermark's Noto fonts. */
	watermarkFontDir: string;
	limits: { requestsPerIp: Limit; requestsPerEmail: Limit; pagesPerIp: Limit; signinsPerIp: Limit };
	/** How long a client may take to send a whole request, and to keep an idle connection, in seconds. */
	timeouts: { requestSeconds: number; keepAliveSeconds: number };
	/** How subscription mails are sent: see SenderOptions in mail/sender.ts. */
	mail: SenderOptions;
	/** The security team's console at /admin/. */
	admin: AdminSettings;
}

/** Where the console is served, how staff sign in, and how long their sessions last. */
export interface AdminSettings {
	/** The console's origin, without a trailing slash: the OIDC redirect URI and passkeys are bound to it. */
	url: string;
	/** Its own address and port (ADMIN_HOST, ADMIN_PORT); then the public port does not serve /admin at all. */
	listen: { host: string; port: number } | undefined;
	/** The company's OpenID provider; undefined when staff sign in with passkeys only. */
	oidc: OidcSettings | undefined;
	/** A session ends after this many minutes without a request. */
	idleMinutes: number;
	/** A session ends this many hours after sign-in, however active. */
	maxHours: number;
	/** The dashboard warns once the key that signs new links is older than this many days (GATE_KEY_ROTATION_DAYS, default 365). */
	keyRotationDays: number;
}

/** The OpenID Connect client the console signs staff in with. */
export interface OidcSettings {
	/** The issuer identifier; its metadata is discovered from `<issuer>/.well-known/openid-configuration`. */
	issuer: URL;
	clientId: string;
	clientSecret: string;
	/** Space-separated scopes to ask for; always includes openid. */
	scopes: string;
}

/** Loopback hosts, where plain http is allowed for an issuer (development and tests). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether HOST listens on this machine alone (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
	return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Whether `url` is an http URL on this machine, where TLS is not needed. */
export function isLoopbackHttp(url: URL): boolean {
	return url.protocol === 'http:' && LOOPBACK.has(url.hostname);
}

/** The OIDC settings: all of issuer, client id and secret, or none of them. */
function readOidc(env: NodeJS.ProcessEnv, errors: string[]): OidcSettings | undefined {
	const names = ['GATE_OIDC_ISSUER', 'GATE_OIDC_CLIENT_ID', 'GATE_OIDC_CLIENT_SECRET'] as const;
	const [issuerText, clientId, clientSecret] = names.map((n) => env[n] || undefined);
	const missing = names.filter((n) => !env[n]);
	if (missing.length === names.length) return undefined;
	if (missing.length > 0)
		errors.push(
			`${missing.join(', ')}: required with ${names.filter((n) => env[n]).join(' and ')}. Set all three to sign staff in with your identity provider, or none for passkeys only.`,
		);
	let issuer: URL | undefined;
	if (issuerText) {
		issuer = URL.canParse(issuerText) ? new URL(issuerText) : undefined;
		if (!issuer || (issuer.protocol !== 'https:' && !isLoopbackHttp(issuer)) || issuer.search)
			errors.push(
				`GATE_OIDC_ISSUER: expected the issuer's https:// URL, like https://login.example.com or https://example.okta.com/oauth2/default, received "${issuerText.slice(0, 100)}".`,
			);
	}
	const scopes = (env['GATE_OIDC_SCOPES'] || 'openid email profile').trim().replace(/\s+/g, ' ');
	if (!scopes.split(' ').includes('openid') || !/^[\x21\x23-\x5b\x5d-\x7e ]+$/.test(scopes))
		errors.push(
			`GATE_OIDC_SCOPES: expected space-separated scopes including openid, like "openid email profile groups", received "${scopes.slice(0, 100)}".`,
		);
	if (!issuer || !clientId || !clientSecret || errors.length > 0) return undefined;
	return { issuer, clientId, clientSecret, scopes };
}

/** How to write a password with special characters into a URL. */
const PERCENT_ENCODE =
	"percent-encode special characters in the user name and password (/ as %2F, @ as %40, : as %3A, # as %23, ? as %3F, % as %25, a space as %20), e.g. with: node -p 'encodeURIComponent(process.argv[1])' 'the password'";

/**
 * Checks a URL that holds a password (DATABASE_URL, SMTP_URL) without ever echoing it: one that does not
 * parse (a password with a "/" or "#" in it) is named with how to write it.
 */
function checkSecretUrl(
	name: string,
	value: string,
	protocol: RegExp,
	example: string,
	unset: string,
	errors: string[],
): void {
	const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
	if (scheme && (!URL.canParse(value) || misreadCredentials(value)))
		errors.push(
			`${name}: is not a URL that can be read (its value is not shown, as it holds a password). Expected ${example}; ${PERCENT_ENCODE}`,
		);
	else if (!scheme || !protocol.test(new URL(value).protocol))
		errors.push(`${name}: expected a URL like ${example}. ${unset}`);
}

/** An address for MAIL_FROM: `trust@example.com`, or with a display name, `"Example Trust" <trust@example.com>`. */
const MAIL_FROM =
	/^(?:[^\s<>@"]+@[^\s<>@"]+|(?:"[^"\r\n]*"|[^"<>@\r\n]*)\s*<[^\s<>@"]+@[^\s<>@"]+>)$/;

/** Whether `text` is an http(s) origin like https://trust.example.com:8443, with no path, user or query. */
function isOrigin(text: string): boolean {
	return /^https?:\/\/[^/?#@]+$/.test(text) && URL.canParse(text);
}

/**
 * Whether a URL's user and password were read as something else: an "@" is in it, but no user name or
 * password was found, since a "/", "?" or "#" in the password ended that part early
 * (`postgres://app:2024/Spring!@db/trust` reads as the host "app", port 2024, and a path).
 */
function misreadCredentials(text: string): boolean {
	const url = new URL(text);
	return text.includes('@') && !url.username && !url.password;
}

/**
 * A URL that holds a password (DATABASE_URL, SMTP_URL), as it may be shown in a message: the password
 * and the query (which may hold one too) left out.
 */
export function redactUrl(text: string): string {
	if (!URL.canParse(text) || misreadCredentials(text)) return '(a URL that cannot be read)';
	const url = new URL(text);
	const user = url.username
		? `${url.username}${url.password ? ':…' : ''}@`
		: url.password
			? ':…@'
			: '';
	return `${url.protocol}//${user}${url.host}${url.pathname}`;
}

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

/** Reads the settings; `root` is the project folder (the data folder defaults to `root/data`). */
export function readSettings(
	env: NodeJS.ProcessEnv,
	root: string,
): { ok: true; settings: GateSettings } | { ok: false; errors: string[] } {
	const errors: string[] = [];
	const port = int(env, 'PORT', 4321, 0, 65535, errors);
	const databaseUrl = env['DATABASE_URL'] || undefined;
	if (databaseUrl)
		checkSecretUrl(
			'DATABASE_URL',
			databaseUrl,
			/^postgres(ql)?:$/,
			'postgres://user:password@host:5432/db',
			'Unset it to use the embedded database in data/.',
			errors,
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
	else if (existsSync(dataDir) && !statSync(dataDir).isDirectory())
		errors.push(
			`GATE_DATA_DIR: ${dataDir} is a file, and the gate keeps its database and keys in a folder. Point GATE_DATA_DIR at a folder (the gate makes it when it is missing), e.g. /var/lib/trust-gate.`,
		);
	const publicUrl = (env['GATE_PUBLIC_URL'] || `http://localhost:${port}`).replace(/\/+$/, '');
	// The default is made from PORT, which is checked (and reported) above.
	if (env['GATE_PUBLIC_URL'] && !isOrigin(publicUrl))
		errors.push(
			`GATE_PUBLIC_URL: expected the site's origin like https://trust.example.com (no path), received "${env['GATE_PUBLIC_URL']}"${URL.canParse(publicUrl) ? '' : ', which is not a URL (a space? a port above 65535?)'}.`,
		);
	const smtpUrl = env['SMTP_URL'] || undefined;
	if (smtpUrl)
		checkSecretUrl(
			'SMTP_URL',
			smtpUrl,
			/^smtps?:$/,
			'smtp://user:password@mail.example.com:587 (or smtps:// for TLS)',
			'Unset it to write mail to data/outbox/.',
			errors,
		);
	const mailFrom = env['MAIL_FROM'] || undefined;
	if (mailFrom && !MAIL_FROM.test(mailFrom.trim()))
		errors.push(
			`MAIL_FROM: expected an address like trust@example.com, optionally with a name: '"Example Trust" <trust@example.com>', received ${JSON.stringify(mailFrom.slice(0, 100))}. Unset it to send from no-reply@ the host of the url in site.yaml.`,
		);
	let keys: SigningKey[] | undefined;
	if (env['GATE_SIGNING_KEYS']) {
		const parsed = parseSigningKeys(env['GATE_SIGNING_KEYS']);
		if (parsed.ok) keys = parsed.keys;
		else errors.push(parsed.error);
	}
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
		signinsPerIp: {
			max: int(env, 'GATE_LIMIT_SIGNINS_PER_IP', 20, 1, 1_000_000_000, errors),
			seconds: 600,
		},
	};
	const timeouts = {
		requestSeconds: int(env, 'GATE_REQUEST_TIMEOUT_SECONDS', 30, 1, 600, errors),
		keepAliveSeconds: int(env, 'GATE_KEEP_ALIVE_SECONDS', 5, 1, 600, errors),
	};
	const adminPortText = env['ADMIN_PORT'];
	const adminPort = adminPortText ? int(env, 'ADMIN_PORT', 0, 0, 65535, errors) : undefined;
	if (adminPort !== undefined && adminPort !== 0 && adminPort === port)
		errors.push(
			`ADMIN_PORT: expected a port other than PORT (${port}), received "${adminPortText}". Unset it to serve the console on the public port.`,
		);
	if (!adminPortText && env['ADMIN_HOST'])
		errors.push(
			'ADMIN_HOST: set ADMIN_PORT too; without it the console is served on the public port, at HOST.',
		);
	const adminUrl = (
		env['GATE_ADMIN_URL'] || (adminPort === undefined ? publicUrl : `http://localhost:${adminPort}`)
	).replace(/\/+$/, '');
	// Without GATE_ADMIN_URL it follows GATE_PUBLIC_URL, which is checked (and reported) above.
	if (env['GATE_ADMIN_URL'] && !isOrigin(adminUrl))
		errors.push(
			`GATE_ADMIN_URL: expected the console's origin like https://trust.example.com or https://trust-admin.internal:8443 (no path), received "${env['GATE_ADMIN_URL']}"${URL.canParse(adminUrl) ? '' : ', which is not a URL (a space? a port above 65535?)'}.`,
		);
	const oidc = readOidc(env, errors);
	const idleMinutes = int(env, 'GATE_SESSION_IDLE_MINUTES', 30, 1, 1440, errors);
	const maxHours = int(env, 'GATE_SESSION_MAX_HOURS', 12, 1, 168, errors);
	if (idleMinutes > maxHours * 60)
		errors.push(
			`GATE_SESSION_IDLE_MINUTES: expected at most GATE_SESSION_MAX_HOURS × 60 (${maxHours * 60}), received "${idleMinutes}".`,
		);
	const keyRotationDays = int(env, 'GATE_KEY_ROTATION_DAYS', 365, 1, 3650, errors);
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
			mailFrom: mailFrom?.trim(),
			keys,
			localKeyFile: join(dataDir, 'signing-key'),
			deployed:
				Boolean(env['HOST'] && !isLoopbackHost(env['HOST'])) || publicUrl.startsWith('https://'),
			trustProxy,
			watermarkFontDir: env['GATE_WATERMARK_FONT_DIR'] || DEFAULT_FONT_DIR,
			limits,
			timeouts,
			admin: {
				url: adminUrl,
				listen:
					adminPort === undefined
						? undefined
						: { host: env['ADMIN_HOST'] || '127.0.0.1', port: adminPort },
				oidc,
				idleMinutes,
				maxHours,
				keyRotationDays,
			},
			mail,
		},
	};
}
