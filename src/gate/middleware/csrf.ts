// Forgery defence for every request that changes state: the Origin (or Sec-Fetch-Site) must be this
// site, and a signed token from one of our pages must come back both as a cookie and in the body (or an
// X-CSRF-Token header). Hono's csrf() checks the origin of form posts only; JSON bodies need the same
// defence and the refusals have their own messages, so the check is ours.
import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';
import { accessUrl } from '../../lib/routing/urls.ts';
import { GateError, readerRefusal } from '../errors.ts';
import { signToken, tokenKid, verifyToken, type SigningKey } from '../lib/signed-link.ts';
import type { KeyRing } from '../services/keys.ts';

/** How long a form token lasts: the longest anything a signing key signs stays valid. */
export const CSRF_TTL_SECONDS = 2 * 3600;

/** A signed anti-forgery token (a random nonce), valid for two hours. */
export function csrfToken(keys: readonly SigningKey[], nowSeconds: number): string {
	return signToken(
		keys,
		'csrf',
		randomBytes(16).toString('base64url'),
		nowSeconds + CSRF_TTL_SECONDS,
	);
}

/** Issues tokens to pages with forms, and checks them on the requests those forms send. */
export interface Csrf {
	/** A fresh token for a form, also set as the cookie it must match. */
	issue(c: Context<Env>): string;
	/** Refuses (403) a request from another site or without a valid token; after middleware/body.ts. */
	check: MiddlewareHandler<Env>;
	/** The same check for another form; its refusals say to reload `formPath`. */
	checkFor(formPath: string): MiddlewareHandler<Env>;
}

/**
 * The public forms' refusals, in the site's words: they point back at the form at `formPath`. With
 * `refusals` (the console's), their own English messages instead.
 */
const refusalsFor = (formPath: string, refusals?: { crossSite: string; expired: string }) => ({
	crossSite: () =>
		refusals
			? new GateError(403, 'Request refused', refusals.crossSite, 'cross-site')
			: readerRefusal(403, 'cross-site', {
					title: 'gateRefusal.crossSiteTitle',
					message: 'gateRefusal.crossSite',
					values: { form: formPath },
				}),
	expired: () =>
		refusals
			? new GateError(403, 'Form expired', refusals.expired, 'csrf')
			: readerRefusal(403, 'csrf', {
					title: 'gateRefusal.formExpiredTitle',
					message: 'gateRefusal.formExpired',
					values: { form: formPath },
				}),
});

/**
 * CSRF tokens signed with the gate's signing key; `publicUrl` is the origin the forms are served from.
 * `cookie` names the token's cookie (`__Host-` is added over https) and `refusals` word the two
 * refusals for the pages that use it; by default they point back at the form that was sent.
 */
export function csrfProtection(options: {
	keyring: KeyRing;
	now: () => Date;
	publicUrl: string;
	cookie?: string;
	refusals?: { crossSite: string; expired: string };
}): Csrf {
	const https = options.publicUrl.startsWith('https://');
	const cookieName = `${https ? '__Host-' : ''}${options.cookie ?? 'tc_csrf'}`;
	const publicOrigin = new URL(options.publicUrl).origin;
	const nowSeconds = () => Math.floor(options.now().getTime() / 1000);
	const checkFor = (formPath: string) => {
		const refuse = refusalsFor(formPath, options.refusals);
		return createMiddleware<Env>(async (c, next) => {
			const origin = c.req.header('origin');
			const site = c.req.header('sec-fetch-site');
			const own = [publicOrigin, `${https ? 'https' : 'http'}://${c.req.header('host') ?? ''}`];
			if (
				(origin && !own.includes(origin)) ||
				(site && site !== 'same-origin' && site !== 'none')
			) {
				throw refuse.crossSite();
			}
			const token = c.var.body['csrf'] ?? c.req.header('x-csrf-token');
			const cookie = getCookie(c, cookieName);
			if (typeof token === 'string') await options.keyring.seek(tokenKid(token));
			if (
				typeof token !== 'string' ||
				!cookie ||
				token !== cookie ||
				verifyToken(options.keyring.keys, 'csrf', token, nowSeconds()) === undefined
			) {
				throw refuse.expired();
			}
			await next();
		});
	};
	return {
		issue(c) {
			const token = csrfToken(options.keyring.keys, nowSeconds());
			setCookie(c, cookieName, token, {
				httpOnly: true,
				sameSite: 'Strict',
				path: '/',
				secure: https,
				maxAge: CSRF_TTL_SECONDS,
			});
			return token;
		},
		check: checkFor(accessUrl()),
		checkFor,
	};
}
