// Sign-in with the company's OpenID provider through openid-client: the authorization code flow with
// PKCE, state and nonce, the issuer's metadata discovered from its URL. openid-client checks every
// token; this module only says which claims the console needs and why a sign-in failed.
import * as client from 'openid-client';
import { isLoopbackHttp, type OidcSettings } from '../config.ts';
import { GateError } from '../errors.ts';

/** What the callback must check, kept server-side between the redirect and the callback. */
export interface OidcChecks {
	state: string;
	nonce: string;
	verifier: string;
}

/** The person the identity provider signed in, from the ID token (and userinfo for what it leaves out). */
export interface OidcPerson {
	issuer: string;
	subject: string;
	email: string | undefined;
	/** True only when the provider says so: `email_verified: true` (or Entra ID's `xms_edov: true`). */
	emailVerified: boolean;
	/**
	 * True when Google signed in an account that is not its address's Google Workspace account (see
	 * outsideWorkspace): such an account can outlive the person's hold on the address.
	 */
	outsideWorkspace: boolean;
	name: string | undefined;
	groups: string[];
}

/** Why the identity provider's answer was not accepted: a short code for the audit log, and what the library said. */
export class OidcRefusal extends Error {
	readonly reason: OidcRefusalReason;
	readonly detail: string;
	constructor(reason: OidcRefusalReason, detail: string) {
		super(`${reason}: ${detail}`);
		this.reason = reason;
		this.detail = detail;
	}
}

/** provider-refused: the provider answered with an error; token-refused: its token endpoint did. */
export type OidcRefusalReason =
	'provider-refused' | 'state-mismatch' | 'nonce-mismatch' | 'token-refused' | 'invalid-response';

/** The console's OpenID Connect client: the redirect to the provider, and the callback's code exchange. */
export interface OidcClient {
	issuer: string;
	/** The authorization URL to send the browser to, and the checks its callback must pass. */
	start(redirectUri: string): Promise<{ url: URL; checks: OidcChecks }>;
	/**
	 * Checks the callback at `callbackUrl` and exchanges its code; throws OidcRefusal when anything does
	 * not match. `groupsClaim` is undefined when the staff file gives no role by group.
	 */
	finish(
		callbackUrl: URL,
		checks: OidcChecks,
		groupsClaim: string | undefined,
	): Promise<OidcPerson>;
}

/**
 * An OpenID Connect client for `settings`. The issuer's metadata is discovered at the first sign-in
 * and kept; when discovery fails, the sign-in gets a 503 naming the issuer, and the next one tries again.
 */
export function oidcClient(settings: OidcSettings): OidcClient {
	let configuration: Promise<client.Configuration> | undefined;
	const discover = () =>
		(configuration ??= client
			.discovery(settings.issuer, settings.clientId, settings.clientSecret, undefined, {
				// Plain http only for an issuer on this machine (development and tests); config.ts refuses it elsewhere.
				execute: isLoopbackHttp(settings.issuer) ? [client.allowInsecureRequests] : [],
				timeout: 15,
			})
			.catch((error: Error) => {
				configuration = undefined;
				throw new GateError(
					503,
					'Identity provider unavailable',
					`The console could not reach the identity provider at ${settings.issuer.href} (${error.message.slice(0, 120)}). Try again in a minute; if it keeps failing, check GATE_OIDC_ISSUER, or sign in with a passkey.`,
					'oidc-unavailable',
				);
			}));
	return {
		issuer: settings.issuer.href,
		async start(redirectUri) {
			const config = await discover();
			const checks = {
				state: client.randomState(),
				nonce: client.randomNonce(),
				verifier: client.randomPKCECodeVerifier(),
			};
			const url = client.buildAuthorizationUrl(config, {
				redirect_uri: redirectUri,
				scope: settings.scopes,
				code_challenge: await client.calculatePKCECodeChallenge(checks.verifier),
				code_challenge_method: 'S256',
				state: checks.state,
				nonce: checks.nonce,
			});
			return { url, checks };
		},
		async finish(callbackUrl, checks, groupsClaim) {
			const config = await discover();
			let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
			try {
				tokens = await client.authorizationCodeGrant(config, callbackUrl, {
					pkceCodeVerifier: checks.verifier,
					expectedState: checks.state,
					expectedNonce: checks.nonce,
					idTokenExpected: true,
				});
			} catch (error) {
				throw refusal(error);
			}
			const idToken = tokens.claims()!;
			// Providers that keep the ID token small (oidc-provider's default, Okta's org server) put the
			// profile in userinfo; openid-client checks that its subject is the ID token's.
			let userinfo: Claims | undefined;
			if (
				(idToken['email'] === undefined ||
					verifiedIn(idToken) === undefined ||
					(groupsClaim !== undefined && idToken[groupsClaim] === undefined)) &&
				config.serverMetadata().userinfo_endpoint
			) {
				try {
					userinfo = await client.fetchUserInfo(config, tokens.access_token, idToken.sub);
				} catch (error) {
					throw refusal(error);
				}
			}
			return personFrom(idToken, userinfo, groupsClaim);
		},
	};
}

type Claims = Record<string, unknown>;

/**
 * Whether `claims` say their e-mail is verified: `email_verified` (true, or the string "true" some
 * providers send), or, when there is none, `xms_edov`, the optional claim by which Microsoft Entra ID
 * (which never sends `email_verified` for work accounts) says the address's domain is verified by its
 * owner. Undefined when the claims say neither.
 */
function verifiedIn(claims: Claims): boolean | undefined {
	const said = claims['email_verified'] ?? claims['xms_edov'];
	return said === undefined ? undefined : said === true || said === 'true';
}

/** The issuer of Google's accounts, as its ID tokens name it (either spelling). */
const GOOGLE = new Set(['https://accounts.google.com', 'accounts.google.com']);
/** The domains whose mailboxes are Google's own accounts. */
const GOOGLE_MAIL = new Set(['gmail.com', 'googlemail.com']);

/**
 * Whether Google signed in an account outside its address's Google Workspace. Anyone can make a Google
 * account with a company address, which Google verifies once and keeps verified after the person
 * leaves; only a Workspace account has an `hd` claim naming its domain, and Google says to check it
 * when access depends on the domain. Other issuers, and gmail.com addresses, are not concerned.
 */
function outsideWorkspace(idToken: Claims & { iss: string }, email: string | undefined): boolean {
	if (!GOOGLE.has(idToken.iss) || email === undefined) return false;
	const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
	if (GOOGLE_MAIL.has(domain)) return false;
	const hd = idToken['hd'];
	return typeof hd !== 'string' || hd.toLowerCase() !== domain;
}

/**
 * The person in an ID token's claims, with userinfo's for what the token leaves out. The address and
 * whether it is verified come together from one of the two, never one from each: the token's when it
 * says both, else userinfo's when it names the same address (or the token names none). `groupsClaim`
 * is undefined when the staff file gives no role by group.
 */
export function personFrom(
	idToken: Claims & { iss: string; sub: string },
	userinfo: Claims | undefined,
	groupsClaim: string | undefined,
): OidcPerson {
	const address = (claims: Claims | undefined) =>
		typeof claims?.['email'] === 'string' ? claims['email'] : undefined;
	const tokenEmail = address(idToken);
	const infoEmail = address(userinfo);
	const fromUserinfo =
		!(tokenEmail !== undefined && verifiedIn(idToken) !== undefined) &&
		infoEmail !== undefined &&
		(tokenEmail === undefined || tokenEmail.toLowerCase() === infoEmail.toLowerCase());
	const pair = fromUserinfo ? userinfo! : idToken;
	const name = idToken['name'] ?? userinfo?.['name'];
	const groups = groupsClaim ? (idToken[groupsClaim] ?? userinfo?.[groupsClaim]) : undefined;
	return {
		issuer: idToken.iss,
		subject: idToken.sub,
		email: address(pair),
		emailVerified: verifiedIn(pair) === true,
		outsideWorkspace: outsideWorkspace(idToken, address(pair)),
		name: typeof name === 'string' ? name.slice(0, 100) : undefined,
		groups: Array.isArray(groups)
			? groups.filter((g): g is string => typeof g === 'string')
			: typeof groups === 'string'
				? [groups]
				: [],
	};
}

/** What went wrong, from openid-client's errors. */
function refusal(error: unknown): OidcRefusal {
	if (error instanceof client.AuthorizationResponseError)
		return new OidcRefusal('provider-refused', error.error);
	if (error instanceof client.ResponseBodyError)
		return new OidcRefusal('token-refused', error.error);
	if (error instanceof client.ClientError) {
		const said = error.cause instanceof Error ? error.cause.message : error.message;
		if (/"state"/.test(said)) return new OidcRefusal('state-mismatch', said);
		if (/"nonce"/.test(said)) return new OidcRefusal('nonce-mismatch', said);
		return new OidcRefusal('invalid-response', `${error.code ?? ''} ${said}`.trim());
	}
	return new OidcRefusal('invalid-response', String((error as Error)?.message ?? error));
}
