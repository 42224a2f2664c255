// The gate's Hono apps: middleware every request passes, the route groups (the console on its own
// port when it has one), and the one place refusals are answered. Middleware lives in middleware/, routes in routes/, what they do in services/.
import { Hono, type ErrorHandler } from 'hono';
import { requestId } from 'hono/request-id';
import type { GateSettings } from './config.ts';
import { wantsJson, type Env } from './context.ts';
import { isDatabaseUnavailable } from './db.ts';
import { GateError, methodRefusal, readerRefusal } from './errors.ts';
import type { Log } from './log.ts';
import { clientIp } from './middleware/client-ip.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { enforceLimit, rateLimit } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { hostRequired } from './middleware/host.ts';
import { securityHeaderList, securityHeaders } from './middleware/security-headers.ts';
import { ADMIN, staffAuth } from './middleware/staff-session.ts';
import { Pages } from './pages.ts';
import { consoleRoutes } from './routes/console/index.ts';
import { ConsolePages } from './routes/console/pages.ts';
import { oidcClient } from './services/oidc.ts';
import { accessRoutes } from './routes/access.ts';
import { downloadRoutes } from './routes/downloads.ts';
import { healthRoutes } from './routes/health.ts';
import { staticRoutes } from './routes/static.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { SubscriptionPages } from './subscription-pages.ts';
import { SUBSCRIBE_PATHS } from '../lib/routing/urls.ts';
import { ENGLISH } from '../lib/words/words.ts';
import type { Gate } from './services/gate.ts';

/** The gate's Hono apps: the site's, and the console's own when it has its own address and port. */
export interface GateApps {
	/** The built site, the access routes, downloads, health, and the console unless it listens apart. */
	site: Hono<Env>;
	/** The console alone (and health), for ADMIN_HOST/ADMIN_PORT; undefined when the site serves it. */
	admin: Hono<Env> | undefined;
}

/**
 * Builds the gate's Hono apps serving the built site in `dist` (whose inline scripts have the hashes
 * `scriptHashes`), the access routes and the console. `state.draining` turns the health check to 503
 * while the server shuts down, so load balancers stop sending.
 */
export function createApps(
	gate: Gate,
	settings: GateSettings,
	{ dist, scriptHashes }: { dist: string; scriptHashes: readonly string[] },
	log: Log,
	state: { draining: boolean } = { draining: false },
): GateApps {
	const https = settings.publicUrl.startsWith('https://');
	const pages = new Pages(dist, gate.config);
	const consolePages = new ConsolePages(gate.config, settings.admin);
	const subscriptionPages = new SubscriptionPages(dist, gate.config);
	const csrf = csrfProtection({
		keyring: gate.keyring,
		now: gate.now,
		publicUrl: settings.publicUrl,
	});
	const pageLimit = rateLimit(gate, settings.limits.pagesPerIp, (c) => `page-ip:${c.var.ipBlock}`);
	const consoleGroup = consoleRoutes({
		gate,
		admin: settings.admin,
		pages: consolePages,
		csrf: csrfProtection({
			keyring: gate.keyring,
			now: gate.now,
			publicUrl: settings.admin.url,
			cookie: 'tc_console_csrf',
			refusals: {
				crossSite:
					'This action can only be sent from the console itself. Open /admin/ and try again from there.',
				expired:
					'The page’s form token is missing or has expired (console pages stay valid for two hours, and need cookies). Reload the page and try again.',
			},
		}),
		auth: staffAuth(gate, settings.admin),
		signinAttempt: (c) =>
			enforceLimit(gate, `signin-ip:${c.var.ipBlock}`, settings.limits.signinsPerIp),
		oidc: settings.admin.oidc && oidcClient(settings.admin.oidc),
	});

	/** The gate's middleware, health and one answer to refusals: the site's app, and the console's own. */
	const base = (url: string, consoleOnly: boolean) => {
		const app = withMiddleware(settings, scriptHashes, log, url);
		app.route('/', healthRoutes(gate, state));
		app.onError(answerRefusals({ pages, consolePages, subscriptionPages }, log, consoleOnly));
		return app;
	};

	const site = base(settings.publicUrl, false);
	site.route('/', accessRoutes({ gate, pages, csrf, pageLimit, limits: settings.limits, https }));
	site.route('/', downloadRoutes(gate, pageLimit));
	if (!settings.admin.listen) site.route('/', consoleGroup);
	site.route(
		'/',
		subscriptionRoutes({
			gate,
			pages: subscriptionPages,
			csrf,
			pageLimit,
			limits: settings.limits,
			https,
		}),
	);
	refuseOtherMethods(site);
	// Last: the built site answers every path the groups above do not.
	site.route('/', staticRoutes(dist));

	if (!settings.admin.listen) return { site, admin: undefined };
	const admin = base(settings.admin.url, true);
	admin.route('/', consoleGroup);
	admin.all('*', () => {
		throw new GateError(
			404,
			'Not found',
			`This address serves only the console. Open ${ADMIN}/.`,
			'console-only',
		);
	});
	return { site, admin };
}

/**
 * For each address a route of `app` answers, a 405 to the methods none answers there, with the Allow
 * header and message naming those that do (a GET of the form's POST address, a PUT of a page), where
 * the built site would otherwise answer a GET with its 404 page. Call it once every route is in place.
 */
function refuseOtherMethods(app: Hono<Env>): void {
	const allowed = new Map<string, Set<string>>();
	for (const { method, path } of app.routes) {
		// Middleware (ALL) and catch-alls are no address of their own.
		if (method === 'ALL' || path.includes('*')) continue;
		const methods = allowed.get(path) ?? new Set<string>();
		methods.add(method);
		// Hono answers HEAD with the GET route.
		if (method === 'GET') methods.add('HEAD');
		allowed.set(path, methods);
	}
	for (const [path, methods] of allowed)
		app.all(path, (c) => {
			throw methodRefusal(c.req.method, [...methods]);
		});
}

/**
 * The one answer to refusals (expired links, used-up links, a changed NDA, a forged form, a role too
 * low…), thrown as GateError by middleware, routes and services: JSON to JSON clients, else a page,
 * in the console's look under /admin, the subscription pages' under /subscribe, and the site's
 * elsewhere: in English on the console, in the site's language elsewhere. A database that cannot be
 * reached is a 503 with Retry-After. Anything else is a bug: logged, and answered without its details.
 */
function answerRefusals(
	{
		pages,
		consolePages,
		subscriptionPages,
	}: { pages: Pages; consolePages: ConsolePages; subscriptionPages: SubscriptionPages },
	log: Log,
	consoleOnly: boolean,
): ErrorHandler<Env> {
	return (error, c) => {
		let refusal: GateError;
		if (error instanceof GateError) refusal = error;
		else if (isDatabaseUnavailable(error)) {
			// An outage, not a bug: one line each, no stack, and a 503 that says when to try again.
			log('warn', 'the database is unavailable', {
				requestId: c.var.requestId,
				path: c.req.path.slice(0, 200),
				error: (error as Error).message,
			});
			refusal = readerRefusal(
				503,
				'database-unavailable',
				{ title: 'gateRefusal.unavailableTitle', message: 'gateRefusal.unavailable' },
				{ headers: { 'Retry-After': '30' } },
			);
		} else {
			log('error', 'unhandled error', {
				requestId: c.var.requestId,
				path: c.req.path.slice(0, 200),
				error: String((error as Error).stack ?? error),
			});
			refusal = readerRefusal(500, 'internal-error', {
				title: 'gateRefusal.internalTitle',
				message: 'gateRefusal.internal',
			});
		}
		for (const [name, value] of Object.entries(refusal.headers)) c.header(name, value);
		const onConsole = consoleOnly || c.req.path === ADMIN || c.req.path.startsWith(`${ADMIN}/`);
		const { title, message } = refusal.wordedIn(onConsole ? ENGLISH : pages.config.words);
		if (wantsJson(c))
			return c.json(
				{
					error: refusal.code,
					message,
					...(refusal.fields ? { fields: refusal.fields } : {}),
					requestId: c.var.requestId,
				},
				refusal.status,
			);
		if (onConsole)
			return c.html(consolePages.refusal(refusal, c.var.requestId, c.get('staff')), refusal.status);
		const drawn = c.req.path.startsWith(SUBSCRIBE_PATHS.form) ? subscriptionPages : pages;
		return c.html(
			drawn.refusal({ title, message, fields: refusal.fields }, c.var.requestId),
			refusal.status,
		);
	};
}

/**
 * What every response passes through, with the gate or without: request id, client IP, log, headers
 * (`scriptHashes`: the hashes of the built site's inline scripts), a Host header.
 */
function withMiddleware(
	settings: GateSettings,
	scriptHashes: readonly string[],
	log: Log,
	/** The origin the app is served at: the site's, or the console's own. */
	url = settings.publicUrl,
): Hono<Env> {
	const app = new Hono<Env>();
	// Always a fresh id (headerName ''): an id sent by the client would end up in our logs unchecked.
	app.use(
		requestId({ headerName: '' }),
		clientIp(settings.trustProxy, (message) => log('warn', message)),
		requestLog(log),
	);
	app.use(
		securityHeaders(securityHeaderList(scriptHashes, url.startsWith('https://'))),
		hostRequired,
	);
	return app;
}

/**
 * The site alone, for a trust center without an access gate (no NDA, no approval rules): the built
 * files and the health check behind the same middleware, no database. A refusal (a POST, say) is
 * answered in plain text.
 */
export function createSiteApp(
	settings: GateSettings,
	{ dist, scriptHashes }: { dist: string; scriptHashes: readonly string[] },
	log: Log,
	state: { draining: boolean } = { draining: false },
): Hono<Env> {
	const app = withMiddleware(settings, scriptHashes, log);
	app.route('/', healthRoutes(undefined, state));
	app.route('/', staticRoutes(dist));
	app.onError((error, c) => {
		if (!(error instanceof GateError)) {
			log('error', 'unhandled error', {
				requestId: c.var.requestId,
				path: c.req.path.slice(0, 200),
				error: String((error as Error).stack ?? error),
			});
			return c.text('Something went wrong on our side. Please try again.\n', 500);
		}
		for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
		return c.text(`${error.message}\n`, error.status);
	});
	return app;
}
