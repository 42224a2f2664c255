// A secret in a mailed link (a confirmation token, a grant key) is read on the first request only: it is
// traded for an HttpOnly cookie scoped to that page, and the answer is a 303 to the bare page, so no
// secret stays in the address bar or the history. A subscriber's link signature is kept in such a cookie
// too, but its page answers at once: those pages must work without cookies (routes/subscriptions.ts).
// Lax: the mailed link is a navigation from another site (a webmail), which must still carry the cookie.
// No Referer carries a secret either way: the gate's referrer policy sends at most the origin.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Env } from './context.ts';

/** How long a page opened from a mailed link stays open in the browser that followed it. */
export const SECRET_COOKIE_SECONDS = 3600;

/** Trading a URL's secret for a page-scoped cookie, reading it back, and forgetting it. */
export interface UrlSecrets {
	/** Keeps `value` in cookie `name` for `path` alone and answers 303 to `path`, with no query. */
	trade(c: Context<Env>, name: string, value: string, path: string): Response;
	/** Keeps `value` in cookie `name` for `path` alone, for a reload of the bare page. */
	keep(c: Context<Env>, name: string, value: string, path: string): void;
	/** The value kept in cookie `name`, or '' when there is none. */
	kept(c: Context<Env>, name: string): string;
	/** Deletes cookie `name` of `path`, once its page has done its work. */
	forget(c: Context<Env>, name: string, path: string): void;
}

/**
 * The URL secret cookies of a gate served over HTTPS (`https`: Secure, with the __Secure- prefix) or
 * plain HTTP. Callers check a secret's shape before trading it: only a real token's shape names a cookie.
 */
export function urlSecrets(https: boolean): UrlSecrets {
	const secure = https ? { secure: true, prefix: 'secure' as const } : {};
	const keep: UrlSecrets['keep'] = (c, name, value, path) =>
		setCookie(c, name, value, {
			httpOnly: true,
			sameSite: 'Lax',
			path,
			maxAge: SECRET_COOKIE_SECONDS,
			...secure,
		});
	return {
		trade(c, name, value, path) {
			keep(c, name, value, path);
			return c.redirect(path, 303);
		},
		keep,
		kept: (c, name) => getCookie(c, name, https ? 'secure' : undefined) ?? '',
		forget: (c, name, path) => deleteCookie(c, name, { path, ...secure }),
	};
}
