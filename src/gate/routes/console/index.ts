// The security team's console at /admin/, as one route group with its own middleware: its responses
// are never cached, indexed or framed (the gate's CSP applies as everywhere), every POST passes the
// CSRF check, and each route declares the role it needs. Sign-in lives in signin.ts, the staff page in
// staff.ts; the pages' markup in pages.ts.
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AdminSettings } from '../../config.ts';
import type { Env } from '../../context.ts';
import { GateError } from '../../errors.ts';
import { readBody } from '../../middleware/body.ts';
import type { Csrf } from '../../middleware/csrf.ts';
import { ADMIN, SIGNIN_PAGE, type StaffAuth } from '../../middleware/staff-session.ts';
import type { Gate } from '../../services/gate.ts';
import type { OidcClient } from '../../services/oidc.ts';
import { dashboard } from '../../services/dashboard.ts';
import { signOut, signOutEverywhere } from '../../services/staff-sessions.ts';
import type { ConsolePages } from './pages.ts';
import { auditRoutes } from './audit.ts';
import { dashboardSection } from './dashboard.ts';
import { downloadRoutes } from './downloads.ts';
import { grantRoutes } from './grants.ts';
import { keyRoutes } from './keys.ts';
import { requestRoutes } from './requests.ts';
import { signinRoutes } from './signin.ts';
import { staffRoutes } from './staff.ts';
import { subscriberRoutes } from './subscribers.ts';
import { traceRoutes } from './trace.ts';

/** What the console's routes share. */
export interface ConsoleDeps {
	gate: Gate;
	admin: AdminSettings;
	pages: ConsolePages;
	/** Form tokens for the console's forms and the passkey script, with the console's own refusals. */
	csrf: Csrf;
	/** Sessions and the role guard. */
	auth: StaffAuth;
	/**
	 * Counts one sign-in attempt from the request's address against the per-address limit, and throws
	 * the 429 page over it.
	 */
	signinAttempt: (c: Context<Env>) => Promise<void>;
	/** The company's identity provider, when one is set up. */
	oidc: OidcClient | undefined;
}

/** The console's stylesheet and passkey script, read once. */
const ASSETS = new Map(
	[
		['console.css', 'text/css; charset=utf-8'],
		['passkey.js', 'text/javascript; charset=utf-8'],
	].map(([name, type]) => [
		`${ADMIN}/assets/${name}`,
		{ type: type!, body: readFileSync(new URL(`./assets/${name}`, import.meta.url)) },
	]),
);

/** Console responses carry names and tokens: never stored, never indexed (framing is refused for the whole gate). */
const consoleHeaders = createMiddleware(async (c, next) => {
	await next();
	c.res.headers.set('Cache-Control', 'no-store');
	c.res.headers.set('X-Robots-Tag', 'noindex, nofollow');
});

/** The console, mounted at the root: every path under /admin. */
export function consoleRoutes(deps: ConsoleDeps): Hono<Env> {
	const { gate, pages, csrf, auth } = deps;
	const routes = new Hono<Env>();
	routes.use(`${ADMIN}/*`, consoleHeaders);
	routes.get(ADMIN, (c) => c.redirect(`${ADMIN}/`, 301));
	for (const [path, asset] of ASSETS)
		routes.get(path, (c) =>
			c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': asset.type }),
		);

	routes.route('/', signinRoutes(deps));
	routes.route('/', staffRoutes(deps));
	routes.route('/', requestRoutes(deps));
	routes.route('/', grantRoutes(deps));
	routes.route('/', subscriberRoutes(deps));
	routes.route('/', auditRoutes(deps));
	routes.route('/', downloadRoutes(deps));
	routes.route('/', traceRoutes(deps));
	routes.route('/', keyRoutes(deps));

	routes.get(`${ADMIN}/`, auth.require('viewer', 'open the console'), async (c) =>
		c.html(
			pages.home(
				c.var.staff,
				csrf.issue(c),
				dashboardSection(await dashboard(gate, deps.admin), gate.publicUrl),
			),
		),
	);

	routes.post(
		`${ADMIN}/signout`,
		readBody,
		csrf.check,
		auth.require('viewer', 'sign out'),
		async (c) => {
			await signOut(gate, c.var.staff);
			auth.forget(c);
			return c.redirect(`${SIGNIN_PAGE}?ended=signed-out`, 303);
		},
	);

	routes.post(
		`${ADMIN}/signout/everywhere`,
		readBody,
		csrf.check,
		auth.require('viewer', 'sign out everywhere'),
		async (c) => {
			await signOutEverywhere(gate, c.var.staff);
			auth.forget(c);
			return c.redirect(`${SIGNIN_PAGE}?ended=everywhere`, 303);
		},
	);

	routes.all(`${ADMIN}/*`, () => {
		throw new GateError(
			404,
			'No such console page',
			`There is no console page at this address. Start from ${ADMIN}/.`,
			'console-not-found',
		);
	});
	return routes;
}
