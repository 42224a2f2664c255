// The console's sessions as middleware: the session cookie, and a guard each console route declares
// with the role it needs. Sessions live in the database (services/staff-sessions.ts); the cookie holds
// only a random token.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AdminSettings } from '../config.ts';
import { requestMeta, type Env } from '../context.ts';
import { GateError } from '../errors.ts';
import { roleAtLeast } from '../lib/staff-roles.ts';
import type { Gate } from '../services/gate.ts';
import {
	readSession,
	recordForbidden,
	startSession,
	type SignedInPerson,
	type StaffSession,
} from '../services/staff-sessions.ts';
import type { StaffRole } from '../../schemas/staff.ts';

/** Where the console lives, and its sign-in page. */
export const ADMIN = '/admin';
export const SIGNIN_PAGE = `${ADMIN}/signin/`;

/** The longest `next` path kept; console paths are far shorter. */
const MAX_NEXT = 200;
/**
 * Plain console paths: segments of letters, digits, `-` and `_`, each but the last followed by one `/`.
 * Each character has one way to match, so a long near-miss is refused in linear time (a pattern with a
 * quantified group inside another, such as `(?:[\w-]+\/?)*`, backtracks exponentially on one).
 */
const CONSOLE_PATH = /^\/admin\/(?:[A-Za-z0-9_-]+\/)*[A-Za-z0-9_-]*$/;

/** A console path to come back to after signing in: only plain /admin/… paths, anything else is the landing page. */
export function safeNext(path: string | undefined): string {
	return path && path.length <= MAX_NEXT && CONSOLE_PATH.test(path) ? path : `${ADMIN}/`;
}

/** Signs staff in and out of the console, and guards its routes. */
export interface StaffAuth {
	/**
	 * Middleware for a console route: the person must be signed in (else GET requests go to the sign-in
	 * page, others get 401) and have at least `role` (else a 403 page, and the attempt is an audit
	 * entry). `action` says what the route does, e.g. "approve a request", for both. Sets `c.var.staff`.
	 */
	require(role: StaffRole, action: string): MiddlewareHandler<Env>;
	/** Starts a session for `person` and sets its cookie; undefined (and no cookie) when the staff file does not name them. */
	signIn(c: Context<Env>, person: SignedInPerson): Promise<StaffSession | undefined>;
	/** Removes the session cookie (the session itself is ended by the service). */
	forget(c: Context<Env>): void;
}

/** The console's session cookie and guard, for the console at `admin.url`. */
export function staffAuth(gate: Gate, admin: AdminSettings): StaffAuth {
	const https = admin.url.startsWith('https://');
	// __Host-: only this origin, path /, Secure. Lax, not Strict: the OIDC callback is a cross-site
	// top-level navigation, and the console's first page after it must see the new session.
	const cookie = `${https ? '__Host-' : ''}tc_staff`;
	const limits = { idleMinutes: admin.idleMinutes, maxHours: admin.maxHours };
	const forget = (c: Context<Env>) =>
		deleteCookie(c, cookie, { path: '/', secure: https, httpOnly: true, sameSite: 'Lax' });
	return {
		require: (role, action) =>
			createMiddleware<Env>(async (c, next) => {
				const token = getCookie(c, cookie);
				const read = token
					? await readSession(gate, token, limits)
					: ({ ok: false, ended: undefined } as const);
				if (!read.ok) {
					if (token) forget(c);
					if (c.req.method === 'GET' || c.req.method === 'HEAD') {
						const query = new URLSearchParams();
						if (read.ended) query.set('ended', read.ended);
						const back = safeNext(c.req.path);
						if (back !== `${ADMIN}/`) query.set('next', back);
						return c.redirect(`${SIGNIN_PAGE}${query.size ? `?${query}` : ''}`, 303);
					}
					throw new GateError(
						401,
						'Signed out',
						`You are not signed in to the console (any more), so you cannot ${action}. Sign in again at ${SIGNIN_PAGE} and repeat it.`,
						'signed-out',
					);
				}
				const staff = read.session;
				c.set('staff', staff);
				if (!roleAtLeast(staff.role, role)) {
					await recordForbidden(gate, staff, { action, needed: role });
					throw new GateError(
						403,
						'Not allowed for your role',
						`To ${action} you need the ${role} role; you are signed in as ${staff.role} (from ${staff.because} in ${gate.config.staffFile}). Ask a console admin to change your entry if you need more.`,
						'role-forbidden',
					);
				}
				return next();
			}),
		async signIn(c, person) {
			const started = await startSession(
				gate,
				person,
				requestMeta(c),
				limits,
				getCookie(c, cookie),
			);
			if (!started) return undefined;
			setCookie(c, cookie, started.token, {
				httpOnly: true,
				secure: https,
				sameSite: 'Lax',
				path: '/',
				maxAge: admin.maxHours * 3600,
			});
			return started.session;
		},
		forget,
	};
}
