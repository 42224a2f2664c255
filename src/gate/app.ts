// The gate's Hono app: middleware every request passes, the route groups, and the one place refusals
// are answered. Middleware lives in middleware/, routes in routes/, what they do in services/.
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import type { GateSettings } from './config.ts';
import { wantsJson, type Env } from './context.ts';
import { GateError } from './errors.ts';
import type { Log } from './log.ts';
import { clientIp } from './middleware/client-ip.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { hostRequired } from './middleware/host.ts';
import { noStoreByDefault, securityHeaders } from './middleware/security-headers.ts';
import { Pages } from './pages.ts';
import { accessRoutes } from './routes/access.ts';
import { downloadRoutes } from './routes/downloads.ts';
import { healthRoutes } from './routes/health.ts';
import { staticRoutes } from './routes/static.ts';
import { subscriptionRoutes } from './routes/subscriptions.ts';
import { SubscriptionPages } from './subscription-pages.ts';
import { SUBSCRIBE_PATHS } from '../lib/routing/urls.ts';
import type { Gate } from './services/gate.ts';

/**
 * Builds the gate's Hono app serving the built site in `dist` (whose inline scripts have the hashes
 * `scriptHashes`) and the access routes. `state.draining` turns the health check to 503 while the
 * server shuts down, so load balancers stop sending.
 */
export function createApp(
	gate: Gate,
	settings: GateSettings,
	{ dist, scriptHashes }: { dist: string; scriptHashes: readonly string[] },
	log: Log,
	state: { draining: boolean } = { draining: false },
): Hono<Env> {
	const https = settings.publicUrl.startsWith('https://');
	const pages = new Pages(dist, gate.config);
	const subscriptionPages = new SubscriptionPages(dist, gate.config);
	const csrf = csrfProtection({ keys: gate.keys, now: gate.now, publicUrl: settings.publicUrl });
	const pageLimit = rateLimit(gate, settings.limits.pagesPerIp, (c) => `page-ip:${c.var.ip}`);

	const app = withMiddleware(settings, scriptHashes, log);
	app.route('/', healthRoutes(gate, state));
	app.route('/', accessRoutes({ gate, pages, csrf, pageLimit, limits: settings.limits, https }));
	app.route('/', downloadRoutes(gate, pageLimit));
	app.route(
		'/',
		subscriptionRoutes({
			gate,
			pages: subscriptionPages,
			csrf,
			pageLimit,
			limits: settings.limits,
		}),
	);
	// Last: the built site answers every path the groups above do not.
	app.route('/', staticRoutes(dist));

	// Refusals (expired links, used-up links, a changed NDA, a forged form…) are thrown as GateError by
	// middleware, routes and services, and answered here: JSON to JSON clients, else a page in the site's
	// look. Anything else is a bug: logged, and answered without its details.
	app.onError((error, c) => {
		let refusal: GateError;
		if (error instanceof GateError) refusal = error;
		else {
			log('error', 'unhandled error', {
				requestId: c.var.requestId,
				path: c.req.path.slice(0, 200),
				error: String((error as Error).stack ?? error),
			});
			refusal = new GateError(
				500,
				'Something went wrong',
				'Something went wrong on our side, and nothing was changed. Please try again; if it keeps happening, write to us with the reference below.',
				'internal-error',
			);
		}
		for (const [name, value] of Object.entries(refusal.headers)) c.header(name, value);
		if (wantsJson(c))
			return c.json(
				{
					error: refusal.code,
					message: refusal.message,
					...(refusal.fields ? { fields: refusal.fields } : {}),
					requestId: c.var.requestId,
				},
				refusal.status,
			);
		const drawn = c.req.path.startsWith(SUBSCRIBE_PATHS.form) ? subscriptionPages : pages;
		return c.html(drawn.refusal(refusal, c.var.requestId), refusal.status);
	});

	return app;
}

/**
 * What every response passes through, with the gate or without: request id, client IP, log, headers
 * (`scriptHashes`: the hashes of the built site's inline scripts), a Host header.
 */
function withMiddleware(
	settings: GateSettings,
	scriptHashes: readonly string[],
	log: Log,
): Hono<Env> {
	const app = new Hono<Env>();
	// Always a fresh id (headerName ''): an id sent by the client would end up in our logs unchecked.
	app.use(requestId({ headerName: '' }), clientIp(settings.trustProxy), requestLog(log));
	app.use(
		securityHeaders(scriptHashes, settings.publicUrl.startsWith('https://')),
		noStoreByDefault,
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
