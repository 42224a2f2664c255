// Getting into the console: the sign-in page, single sign-on with the company's OpenID provider, a
// passkey sign-in, and registering a passkey with an invitation. Every way in is rate limited per
// address, every refusal is a page (or JSON for the passkey script) and an audit entry. A sign-in
// counts once, when it starts; its second step counts only when this browser has no sign-in under way
// (a forged or replayed callback), so a whole office behind one address can sign in.
import { Hono, type Context } from 'hono';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { z } from 'zod';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { requestMeta, type Env } from '../../context.ts';
import { GateError } from '../../errors.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN, safeNext, SIGNIN_PAGE } from '../../middleware/staff-session.ts';
import { OidcRefusal, type OidcChecks } from '../../services/oidc.ts';
import {
	authenticationOptions,
	enrolPasskey,
	openInvite,
	registrationOptions,
	verifyPasskey,
} from '../../services/passkeys.ts';
import {
	beginSignin,
	recordRefusal,
	SIGNIN_MINUTES,
	takeSignin,
	type SessionEnd,
	type SigninRefusal,
} from '../../services/staff-sessions.ts';
import { parseFriendly } from '../../../schemas/messages.ts';
import { EnrolBodySchema, inviteToken, PasskeySigninBodySchema } from '../../../schemas/passkey.ts';
import { SECRET_COOKIE_SECONDS, urlSecrets } from '../../url-secrets.ts';
import type { ConsoleDeps } from './index.ts';

const ENDED: readonly SessionEnd[] = [
	'idle',
	'expired',
	'removed',
	'not-staff',
	'signed-out',
	'everywhere',
	'ended-by-admin',
];

/** The path the identity provider sends the browser back to; register `<GATE_ADMIN_URL>/admin/signin/oidc/callback`. */
export const OIDC_CALLBACK = `${ADMIN}/signin/oidc/callback`;

/** The enrolment page, which an invitation's mailed link opens. */
const ENROL_PAGE = `${ADMIN}/enrol/`;
/** The cookie that holds an invitation's token for the enrolment page (url-secrets.ts). */
const INVITE_COOKIE = 'tc_invite';

/**
 * What a refused sign-in's page says, by its reason; `{email}` and `{code}` are filled in. It names no
 * file of the server: anyone the identity provider knows can read these pages.
 */
const REFUSALS: Record<string, [title: string, message: string]> = {
	'no-signin': [
		'Sign-in not accepted',
		`This sign-in was not started in this browser, or it took longer than ${SIGNIN_MINUTES} minutes, so the answer it brought back cannot be trusted. Nothing was signed in. Start again from the sign-in page.`,
	],
	'state-mismatch': [
		'Sign-in not accepted',
		'The identity provider’s answer does not belong to the sign-in this browser started (its state differs). Nothing was signed in. Start again from the sign-in page.',
	],
	'nonce-mismatch': [
		'Sign-in not accepted',
		'The identity provider’s ID token was issued for another sign-in (its nonce differs), so it may be replayed. Nothing was signed in. Start again from the sign-in page.',
	],
	'provider-refused': [
		'Sign-in not completed',
		'The identity provider did not sign you in (it answered “{code}”). If you cancelled, start again; otherwise ask its administrator whether this console’s application is assigned to you.',
	],
	'token-refused': [
		'Sign-in not completed',
		'The identity provider refused to complete the sign-in (“{code}”). Start again from the sign-in page; if it keeps failing, the console’s GATE_OIDC_CLIENT_ID or GATE_OIDC_CLIENT_SECRET may be wrong.',
	],
	'invalid-response': [
		'Sign-in not accepted',
		'The identity provider’s answer could not be verified, so nothing was signed in. Start again; if it keeps failing, give your security team the reference below.',
	],
	'no-email': [
		'Sign-in not accepted',
		'Your identity provider did not say which e-mail address is yours. Ask its administrator to release the email claim (scope “email”) to this application.',
	],
	'email-not-verified': [
		'E-mail address not verified',
		'Your identity provider does not say that {email} is verified, so the console cannot rely on it. Ask its administrator to verify the address, then sign in again.',
	],
	'outside-workspace': [
		'Not a Google Workspace account',
		'{email} signed in with a Google account that is not part of the Google Workspace of its domain (Google did not name the domain as the account’s), so it may belong to someone who no longer uses that address. Sign in with your company’s Google Workspace account.',
	],
	'not-staff': [
		'Not on the staff list',
		'{email} is not on the console’s staff list. If you should have access, ask a console admin to add you to it.',
	],
};

/** An error code from the identity provider, or a placeholder when it is not a plain code. */
const code = (text: string) => (/^[A-Za-z0-9_.-]{1,60}$/.test(text) ? text : 'an error');

/** The sign-in routes of the console group. */
export function signinRoutes({
	gate,
	admin,
	pages,
	csrf,
	auth,
	signinAttempt,
	oidc,
}: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const signinLimit = createMiddleware<Env>(async (c, next) => {
		await signinAttempt(c);
		await next();
	});
	const https = admin.url.startsWith('https://');
	// The sign-in under way; Lax, because the identity provider sends the browser back cross-site.
	const cookie = `${https ? '__Host-' : ''}tc_signin`;
	const cookieOptions = {
		httpOnly: true,
		secure: https,
		sameSite: 'Lax',
		path: '/',
		maxAge: SIGNIN_MINUTES * 60,
	} as const;
	const begin = async (
		c: Context<Env>,
		kind: 'oidc' | 'passkey' | 'enrol',
		data: Record<string, unknown>,
	) => setCookie(c, cookie, await beginSignin(gate, kind, data), cookieOptions);
	const take = async <T>(c: Context<Env>, kind: 'oidc' | 'passkey' | 'enrol') => {
		const token = getCookie(c, cookie);
		if (token) deleteCookie(c, cookie, cookieOptions);
		return takeSignin<T>(gate, token, kind);
	};
	/** Records the refusal and throws its page. */
	const refuse = async (c: Context<Env>, refusal: SigninRefusal): Promise<never> => {
		await recordRefusal(gate, refusal, requestMeta(c));
		const [title, message] = REFUSALS[refusal.reason] ?? REFUSALS['invalid-response']!;
		throw new GateError(
			403,
			title,
			message
				.replace('{email}', () => refusal.email ?? '')
				.replace('{code}', () => code(refusal.detail ?? '')),
			`signin-${refusal.reason}`,
		);
	};

	routes.get(SIGNIN_PAGE, (c) => {
		const ended = ENDED.find((e) => e === c.req.query('ended'));
		return c.html(
			pages.signin({
				csrf: csrf.issue(c),
				oidcIssuer: oidc?.issuer,
				ended,
				next: safeNext(c.req.query('next')),
			}),
		);
	});

	routes.get(`${ADMIN}/signin/oidc`, signinLimit, async (c) => {
		if (!oidc)
			throw new GateError(
				404,
				'Single sign-on is not set up',
				'This console has no identity provider configured (GATE_OIDC_ISSUER). Sign in with a passkey instead.',
				'oidc-not-configured',
			);
		const { url, checks } = await oidc.start(`${gate.adminUrl}${OIDC_CALLBACK}`);
		await begin(c, 'oidc', { ...checks, next: safeNext(c.req.query('next')) });
		return c.redirect(url.href, 302);
	});

	routes.get(OIDC_CALLBACK, async (c) => {
		if (!oidc)
			throw new GateError(
				404,
				'Single sign-on is not set up',
				'This console has no identity provider configured (GATE_OIDC_ISSUER).',
				'oidc-not-configured',
			);
		const pending = await take<OidcChecks & { next: string }>(c, 'oidc');
		if (!pending) {
			await signinAttempt(c);
			return refuse(c, { method: 'oidc', reason: 'no-signin', issuer: oidc.issuer });
		}
		// The callback URL as the provider was told it, not as this request's Host header claims.
		const callback = new URL(`${gate.adminUrl}${OIDC_CALLBACK}${new URL(c.req.url).search}`);
		let person;
		try {
			const staff = gate.config.staff;
			person = await oidc.finish(
				callback,
				pending,
				staff && staff.groups.length > 0 ? staff.groupsClaim : undefined,
			);
		} catch (error) {
			if (!(error instanceof OidcRefusal)) throw error;
			return refuse(c, {
				method: 'oidc',
				reason: error.reason,
				issuer: oidc.issuer,
				detail: error.detail,
			});
		}
		const who = { method: 'oidc' as const, issuer: person.issuer, subject: person.subject };
		if (!person.email) return refuse(c, { ...who, reason: 'no-email' });
		if (!person.emailVerified)
			return refuse(c, { ...who, reason: 'email-not-verified', email: person.email });
		if (person.outsideWorkspace)
			return refuse(c, { ...who, reason: 'outside-workspace', email: person.email });
		const session = await auth.signIn(c, {
			...who,
			email: person.email,
			name: person.name,
			groups: person.groups,
		});
		if (!session)
			return refuse(c, {
				...who,
				reason: 'not-staff',
				email: person.email,
				detail: person.groups.length ? `groups: ${person.groups.join(', ')}` : undefined,
			});
		return c.redirect(safeNext(pending.next), 303);
	});

	routes.post(`${ADMIN}/signin/passkey/options`, readBody, csrf.check, signinLimit, async (c) => {
		const options = await authenticationOptions(gate);
		await begin(c, 'passkey', { challenge: options.challenge });
		return c.json({ options });
	});

	routes.post(`${ADMIN}/signin/passkey`, readBody, csrf.check, async (c) => {
		const body = parseBody(PasskeySigninBodySchema, c.var.body);
		const pending = await take<{ challenge: string }>(c, 'passkey');
		if (!pending) {
			await signinAttempt(c);
			return refuse(c, { method: 'passkey', reason: 'no-signin' });
		}
		// The schema checked the shape; @simplewebauthn/server checks every value.
		const person = await verifyPasskey(
			gate,
			body.credential as AuthenticationResponseJSON,
			pending.challenge,
			requestMeta(c),
		);
		if (!(await auth.signIn(c, person)))
			return refuse(c, {
				method: 'passkey',
				reason: 'not-staff',
				email: person.email,
				subject: person.subject,
			});
		return c.json({ redirect: safeNext(body.next) });
	});

	// The invitation's token arrives in a mailed link: the first request trades it for a cookie scoped to
	// the enrolment page and its two POSTs (see url-secrets.ts), so it stays in no address bar or log.
	const secrets = urlSecrets(https);
	const keptInvite = (c: Context<Env>) => {
		const token = secrets.kept(c, INVITE_COOKIE);
		if (!inviteToken.safeParse(token).success)
			throw new GateError(
				404,
				'Unknown invitation',
				`This enrolment page was opened without its invitation link, or more than ${SECRET_COOKIE_SECONDS / 60} minutes ago. Open the link from the invitation e-mail again.`,
				'invite-unknown',
			);
		return token;
	};

	routes.get(ENROL_PAGE, signinLimit, async (c) => {
		const fromLink = c.req.query('token');
		if (fromLink !== undefined) {
			if (!inviteToken.safeParse(fromLink).success)
				throw new GateError(
					404,
					'Unknown invitation',
					'This enrolment link is incomplete. Open the link from the invitation e-mail again.',
					'invite-unknown',
				);
			return secrets.trade(c, INVITE_COOKIE, fromLink, ENROL_PAGE);
		}
		const invite = await openInvite(gate, keptInvite(c), requestMeta(c));
		return c.html(pages.enrol(invite, csrf.issue(c)));
	});

	routes.post(`${ADMIN}/enrol/options`, readBody, csrf.check, signinLimit, async (c) => {
		const invite = await openInvite(gate, keptInvite(c), requestMeta(c));
		const { options, userHandle } = await registrationOptions(gate, invite);
		await begin(c, 'enrol', { invite: invite.id, challenge: options.challenge, userHandle });
		return c.json({ options });
	});

	routes.post(ENROL_PAGE, readBody, csrf.check, signinLimit, async (c) => {
		const body = parseBody(EnrolBodySchema, c.var.body);
		const pending = await take<{ invite: string; challenge: string; userHandle: string }>(
			c,
			'enrol',
		);
		if (!pending) return refuse(c, { method: 'passkey', reason: 'no-signin' });
		const person = await enrolPasskey(
			gate,
			keptInvite(c),
			body.credential as RegistrationResponseJSON,
			pending,
			requestMeta(c),
		);
		secrets.forget(c, INVITE_COOKIE, ENROL_PAGE);
		if (!(await auth.signIn(c, person)))
			return refuse(c, { method: 'passkey', reason: 'not-staff', email: person.email });
		return c.json({ redirect: `${ADMIN}/` });
	});

	return routes;
}

/** Parses a JSON body sent by the passkey script; a malformed one is a 400 naming its fields. */
function parseBody<S extends z.ZodType>(schema: S, body: Record<string, unknown>): z.output<S> {
	const parsed = parseFriendly(schema, body, 'is not a field of this request; remove it');
	if (!parsed.ok)
		throw new GateError(
			400,
			'Invalid request',
			'The passkey answer is incomplete or malformed. Reload the page and try again.',
			'invalid-request',
			{
				fields: parsed.issues.map((i) => ({
					field: i.path.map(String).join('.') || 'body',
					message: i.message,
				})),
			},
		);
	return parsed.data;
}
