// Starts the gate: settings, content, database, mailer, HTTP server; and stops it gracefully.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { gateOffReason, hasAccessGate, loadAccessConfig } from './lib/access-config.ts';
import { chooseContentDir } from '../lib/content/dir.ts';
import { formatReport } from '../lib/reporters/content.ts';
import { createApps, createSiteApp } from './app.ts';
import { inlineScriptHashes, securityHeaderList } from './middleware/security-headers.ts';
import { refusedEarly } from './refused-early.ts';
import { startAdminSocket } from './cli/admin-socket.ts';
import { isLoopbackHost, readSettings, redactUrl, type GateSettings } from './config.ts';
import { closeDataDir } from './data-dir.ts';
import { openDb, type Db } from './db.ts';
import { within } from './lib/deadline.ts';
import { jsonLog, type Log } from './log.ts';
import { createMailer } from './mail/mailer.ts';
import type { Gate } from './services/gate.ts';
import { KEY_REFRESH_MS, KeyRing } from './services/keys.ts';
import { watermarkFontReport, watermarkFonts } from './lib/watermark-fonts.ts';
import { pruneRateLimits } from './services/rate-limits.ts';
import { pruneStaffSessions } from './services/staff-sessions.ts';
import { pruneUnconfirmed } from './services/subscribers.ts';
import { startNotifier } from './notifier.ts';
import { whitepaperStaleness } from '../whitepaper/freshness.ts';
import { WHITEPAPER_PDF } from '../whitepaper/paths.ts';

/** A start-up problem: its message says what to fix. */
export class GateStartError extends Error {
	override name = 'GateStartError';
}

/** The folder of the embedded database, and its owner's lock file. */
const pgliteDir = (s: GateSettings) => join(s.dataDir, 'pglite');
const lockFile = (s: GateSettings) => join(s.dataDir, 'gate.pid');

/** Lock files this process holds. */
const held = new Set<string>();

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * Takes the embedded database for this process. PGlite is one process's database: a second process
 * opening the same folder would corrupt it, so the CLI talks to a running gate through its socket.
 */
function lockPglite(s: GateSettings): () => void {
	const file = lockFile(s);
	const inUse = (pid: number) =>
		new GateStartError(
			`The embedded database in ${pgliteDir(s)} is in use by process ${pid}. Stop that gate first, or use PostgreSQL (DATABASE_URL) to run several.`,
		);
	if (held.has(file)) throw inUse(process.pid);
	if (existsSync(file)) {
		// Our own pid in the file is left from an earlier run (a container restarted with the same pid).
		const pid = Number(readFileSync(file, 'utf8'));
		if (pid !== process.pid && alive(pid)) throw inUse(pid);
	}
	writeFileSync(file, String(process.pid));
	held.add(file);
	return () => {
		held.delete(file);
		rmSync(file, { force: true });
	};
}

/**
 * Opens the gate's database and its state from settings and content; shared by the server and the CLI.
 * `log` gets the outbox's lines (where a mail was written, and its links) and failures to send.
 */
export async function openGate(
	root: string,
	settings: GateSettings,
	log: Log,
	dist = join(root, 'dist'),
): Promise<{ gate: Gate; unlock: () => void }> {
	if (!hasAccessGate(root)) throw new GateStartError(gateOffReason(chooseContentDir(root)));
	const { config, problems } = loadAccessConfig(root);
	if (!config)
		throw new GateStartError(
			`The access gate's content has problems. Fix them and start again.\n\n${formatReport(problems)}`,
		);
	const close = () => {
		try {
			closeDataDir(settings.dataDir);
		} catch (error) {
			throw new GateStartError(
				`Could not close the data folder ${settings.dataDir} to other users: ${(error as Error).message}. It holds requester data: it and everything in it must belong to the user that runs the gate (chown -R).`,
			);
		}
	};
	close();
	const unlock = settings.databaseUrl ? () => {} : lockPglite(settings);
	let db: Db;
	try {
		db = await openDb(
			settings.databaseUrl
				? { databaseUrl: settings.databaseUrl }
				: { dataDir: pgliteDir(settings) },
		);
	} catch (error) {
		unlock();
		const where = settings.databaseUrl
			? `PostgreSQL at ${redactUrl(settings.databaseUrl)}`
			: `the embedded database in ${pgliteDir(settings)}`;
		throw new GateStartError(`Could not open ${where}: ${(error as Error).message}`);
	}
	// PGlite's first start unpacks its files with mode 0666, whatever the umask: close them too.
	if (!settings.databaseUrl)
		try {
			close();
		} catch (error) {
			await db.close();
			unlock();
			throw error;
		}
	let keyring: KeyRing;
	try {
		keyring = settings.keys
			? KeyRing.environment(settings.keys)
			: await KeyRing.database(db, settings.localKeyFile, new Date());
	} catch (error) {
		await db.close();
		unlock();
		throw new GateStartError(`Could not load the signing keys: ${(error as Error).message}`);
	}
	const host = new URL(config.site.url).hostname;
	const mailer = createMailer({
		smtpUrl: settings.smtpUrl,
		from: settings.mailFrom ?? `"${config.site.companyName} Trust Center" <no-reply@${host}>`,
		outboxDir: join(settings.dataDir, 'outbox'),
		print: (line) => log('info', line),
		printLinks: !settings.deployed,
	});
	return {
		gate: {
			db,
			config,
			keyring,
			mailer,
			publicUrl: settings.publicUrl,
			adminUrl: settings.admin.url,
			sessionLimits: { idleMinutes: settings.admin.idleMinutes, maxHours: settings.admin.maxHours },
			now: () => new Date(),
			fonts: watermarkFonts(settings.watermarkFontDir),
			dist,
			onQueued: () => {},
			log,
		},
		unlock,
	};
}

/** A running server: the site alone, or the site with the access gate. */
export interface RunningSite {
	url: string;
	/** Stops taking connections, lets requests in flight finish (up to `graceMs`), then lets go of what it holds. */
	close(graceMs?: number): Promise<void>;
}

/** A running gate. */
export interface RunningGate extends RunningSite {
	/** Where the console is served: `url`, or its own port with ADMIN_PORT. */
	adminUrl: string;
	gate: Gate;
}

/** The settings, once `dist` is known to hold a built site. */
function startSettings(root: string, dist: string, env: NodeJS.ProcessEnv): GateSettings {
	const read = readSettings(env, root);
	if (!read.ok)
		throw new GateStartError(
			`The access gate's settings have problems:\n  ${read.errors.join('\n  ')}`,
		);
	if (!existsSync(join(dist, 'index.html')))
		throw new GateStartError(`${dist} has no index.html: build the site first with npm run build.`);
	return read.settings;
}

/**
 * How long stopping waits for the subscription sender and the pruning to finish their statements (ms):
 * with a database that does not answer, SIGTERM must still end the process well within a grace period.
 */
const STOP_DATABASE_WORK_MS = 3_000;

/** How long after a request the gate still counts as serving, for the subscription sender (ms). */
const REQUEST_QUIET_MS = 100;

/**
 * Serves `app` on the configured address (or `at`, with the setting that names its port), with Node's
 * timeouts tightened and its own refusals (a bad request, a timeout) answered with the security headers
 * of `scriptHashes`; resolves once it listens.
 */
async function listen(
	app: { fetch: Parameters<typeof getRequestListener>[0] },
	settings: GateSettings,
	scriptHashes: readonly string[],
	log: Log,
	at: { host: string; port: number; hostVariable: string; portVariable: string } = {
		host: settings.host,
		port: settings.port,
		hostVariable: 'HOST',
		portVariable: 'PORT',
	},
): Promise<Server> {
	const early = refusedEarly(
		securityHeaderList(scriptHashes, settings.publicUrl.startsWith('https://')),
		log,
	);
	const { requestSeconds, keepAliveSeconds } = settings.timeouts;
	// Node's defaults let a client trickle a request for 5 minutes. A request (a form is under 16 KiB)
	// must arrive within requestSeconds, its headers within 10 s; the check runs every second.
	const listener = getRequestListener(app.fetch, {
		hostname: at.host,
		errorHandler: early.requestError,
	});
	const server = createServer(
		{
			requestTimeout: requestSeconds * 1000,
			headersTimeout: Math.min(10, requestSeconds) * 1000,
			keepAliveTimeout: keepAliveSeconds * 1000,
			connectionsCheckingInterval: 1000,
			// An HTTP/1.1 request without Host is refused by the app, with the security headers.
			requireHostHeader: false,
		},
		(incoming, outgoing) => void listener(incoming, outgoing),
	);
	server.on('clientError', early.clientError);
	server.listen(at.port, at.host);
	await new Promise<void>((resolve, reject) => {
		server.once('listening', resolve);
		server.once('error', (error) =>
			reject(new GateStartError(listenFailure(at, error as NodeJS.ErrnoException))),
		);
	});
	return server;
}

/**
 * Why the gate could not listen on `at`, naming the setting to change: the address for an unknown or
 * foreign host, the port for one in use or reserved.
 */
export function listenFailure(
	at: { host: string; port: number; hostVariable: string; portVariable: string },
	error: NodeJS.ErrnoException,
): string {
	const where = `Could not listen on ${at.host}:${at.port}: ${error.code ?? error.message}.`;
	switch (error.code) {
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `${where} ${at.hostVariable} names no address this machine can resolve; set it to an IP address or host name of this machine, or unset it.`;
		case 'EADDRNOTAVAIL':
			return `${where} ${at.hostVariable} is not an address of this machine; set it to one of this machine's addresses, or unset it.`;
		case 'EACCES':
			return `${where} Ports below 1024 need extra rights; set ${at.portVariable} to 1024 or above and forward to it.`;
		default:
			return `${where} Set ${at.portVariable} to a free port.`;
	}
}

/** Stops taking connections and waits for requests in flight, closing the rest after `graceMs`. */
function stopServer(server: Server, graceMs: number): Promise<void> {
	return new Promise<void>((resolve) => {
		const force = setTimeout(() => server.closeAllConnections(), graceMs);
		server.close(() => {
			clearTimeout(force);
			resolve();
		});
	});
}

/**
 * Serves `dist` alone, for a trust center whose access gate is off (no NDA and no approval rules):
 * the same headers and health check, no database. Says once that the gate is off, and why.
 */
export async function startSite(
	root: string,
	dist: string,
	env: NodeJS.ProcessEnv,
	log: Log = jsonLog,
): Promise<RunningSite> {
	const settings = startSettings(root, dist, env);
	const state = { draining: false };
	const scriptHashes = inlineScriptHashes(dist);
	const app = createSiteApp(settings, { dist, scriptHashes }, log, state);
	const server = await listen(app, settings, scriptHashes, log);
	log('info', gateOffReason(chooseContentDir(root)));
	const { port } = server.address() as AddressInfo;
	let closing: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		close: (graceMs = 10_000) =>
			(closing ??= (async () => {
				state.draining = true;
				await stopServer(server, graceMs);
			})()),
	};
}

/**
 * Starts the gate serving `dist`, the access routes and the console on one port, or the console on
 * its own (ADMIN_HOST/ADMIN_PORT). `options.now` replaces the clock (tests of timeouts), and
 * `options.keyRefreshMs` how often the database's signing keys are re-read (tests of replicas).
 */
export async function startGate(
	root: string,
	dist: string,
	env: NodeJS.ProcessEnv,
	log: Log = jsonLog,
	options: { now?: () => Date; keyRefreshMs?: number } = {},
): Promise<RunningGate> {
	const settings = startSettings(root, dist, env);
	const { gate, unlock } = await openGate(root, settings, log, dist);
	if (options.now) gate.now = options.now;
	const fonts = watermarkFontReport(settings.watermarkFontDir);
	if (fonts.warning) log('warn', fonts.warning);
	const whitepaper = whitepaperStaleness(root, dist);
	if (whitepaper)
		log(
			'warn',
			whitepaper.rebuild
				? `${whitepaper.reason}. Until npm run whitepaper makes it (Chromium is needed), ${existsSync(join(root, WHITEPAPER_PDF)) ? 'requesters download that older copy' : 'its downloads answer 503'}.`
				: `${whitepaper.reason}. Until then, its downloads fail.`,
		);
	const state = { draining: false };
	const scriptHashes = inlineScriptHashes(dist);
	const apps = createApps(gate, settings, { dist, scriptHashes }, log, state);
	const servers: Server[] = [];
	try {
		servers.push(await listen(apps.site, settings, scriptHashes, log));
		if (apps.admin && settings.admin.listen)
			servers.push(
				await listen(apps.admin, settings, scriptHashes, log, {
					...settings.admin.listen,
					hostVariable: 'ADMIN_HOST',
					portVariable: 'ADMIN_PORT',
				}),
			);
	} catch (error) {
		await Promise.all(servers.map((s) => stopServer(s, 0)));
		gate.mailer.close();
		await gate.db.close();
		unlock();
		throw error;
	}
	const admin =
		gate.db.kind === 'pglite' ? await startAdminSocket(gate, settings.dataDir, log) : undefined;
	const [port, adminPort = port] = servers.map((s) => (s.address() as AddressInfo).port);
	// PORT=0 picks a free port; links in emails then point at it unless GATE_PUBLIC_URL says otherwise.
	if (!env['GATE_PUBLIC_URL']) {
		gate.publicUrl = `http://localhost:${port}`;
		// Set by whoever deploys it: `npm start` on a laptop listens on every address by default, and says nothing.
		if (env['HOST'] && !isLoopbackHost(settings.host))
			log(
				'warn',
				`HOST is ${settings.host}, so the gate is reached from other machines, but GATE_PUBLIC_URL is not set: links in mails point to ${gate.publicUrl}, and forms posted from the site's real address are refused as cross-site. Set GATE_PUBLIC_URL to the site's origin, e.g. GATE_PUBLIC_URL=${new URL(gate.config.site.url).origin} (the url in site.yaml).`,
			);
	}
	if (!env['GATE_ADMIN_URL']) {
		gate.adminUrl = `http://localhost:${adminPort}`;
		if (settings.admin.listen && !isLoopbackHost(settings.admin.listen.host))
			log(
				'warn',
				`ADMIN_HOST is ${settings.admin.listen.host}, so the console is reached from other machines, but GATE_ADMIN_URL is not set: sign-in, passkeys and the console's forms are bound to ${gate.adminUrl} and refused at any other address. Set GATE_ADMIN_URL to the address staff open, e.g. GATE_ADMIN_URL=https://trust-admin.internal:${adminPort}.`,
			);
	}
	if (settings.deployed && !settings.smtpUrl)
		log(
			'warn',
			`SMTP_URL is not set, so mails are written to ${join(settings.dataDir, 'outbox')} and not sent: requesters and subscribers wait for mails that never come. Set SMTP_URL to your mail server (README, "Settings (environment)").`,
		);
	if (!gate.config.staff)
		log('warn', `There is no ${gate.config.staffFile}: nobody can sign in to the console.`);
	// While requests are being answered, or came in the last REQUEST_QUIET_MS, the subscription sender
	// gives way to them (mail/sender.ts).
	let answering = 0;
	let lastRequest = -Infinity;
	for (const server of servers)
		server.on('request', (_req, res: ServerResponse) => {
			answering++;
			lastRequest = performance.now();
			res.once('close', () => answering--);
		});
	const busy = () => answering > 0 || performance.now() - lastRequest < REQUEST_QUIET_MS;
	const notifier = gate.config.site.subscriptions.enabled
		? await startNotifier(gate, settings, log, busy)
		: undefined;
	// Rate-limit windows older than a day, unfinished sign-ins, long-expired sessions and subscriptions
	// never confirmed are dropped at start and every hour, so the tables stay small and hold no one who
	// did not consent.
	const prune = () =>
		Promise.all([
			pruneRateLimits(gate.db, gate.now()).catch((error: Error) =>
				log('warn', 'dropping old rate-limit windows failed', { error: error.message }),
			),
			pruneStaffSessions(gate.db, gate.now()).catch((error: Error) =>
				log('warn', 'dropping old console sessions failed', { error: error.message }),
			),
			pruneUnconfirmed(gate).catch((error: Error) =>
				log('warn', 'dropping unconfirmed subscriptions failed', { error: error.message }),
			),
		]);
	// A key rotated on another replica signs here too within this period.
	gate.keyring.start(options.keyRefreshMs ?? KEY_REFRESH_MS, (error) =>
		log('warn', 'reading the signing keys failed; the ones read before stay in use', {
			error: error.message,
		}),
	);
	let pruned = prune();
	const pruning = setInterval(() => {
		pruned = prune();
	}, 3_600_000).unref();
	let closing: Promise<void> | undefined;
	return {
		url: `http://127.0.0.1:${port}`,
		adminUrl: `http://127.0.0.1:${adminPort}`,
		gate,
		close: (graceMs = 10_000) =>
			(closing ??= (async () => {
				state.draining = true;
				clearInterval(pruning);
				gate.keyring.stop();
				await admin?.close();
				await Promise.all(servers.map((s) => stopServer(s, graceMs)));
				await within(
					Promise.all([notifier?.close(), pruned]),
					STOP_DATABASE_WORK_MS,
					'the mail sender and the hourly clean-up in flight',
				).catch((error: Error) => log('warn', `${error.message}; stopping without it`));
				gate.mailer.close();
				await gate.db.close();
				unlock();
			})()),
	};
}
