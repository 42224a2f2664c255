// A real OpenID provider on loopback for the console's tests: oidc-provider with one confidential
// client (the console), PKCE required, and test users signed in through its own login page.
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/** A person the provider can sign in, by their login. */
export interface TestUser {
	login: string;
	email: string;
	/** `email_verified`; left out of the claims when undefined, as Microsoft Entra ID does. */
	emailVerified: boolean | undefined;
	/** Entra ID's optional claim `xms_edov`: the address's domain is verified by its owner. */
	domainVerified?: boolean;
	name: string;
	groups?: string[];
}

/** A running provider: the settings the gate needs to use it, and close(). */
export interface TestIdp {
	issuer: string;
	env: Record<string, string>;
	close(): Promise<void>;
}

/** Starts the provider on a free loopback port; `redirectUris` are the console's callback URLs. */
export async function startIdp(redirectUris: string[], users: TestUser[]): Promise<TestIdp> {
	// Listening first, on a port the system picks: the issuer's URL names the port it holds.
	let handle: RequestListener = (_request, response) => response.writeHead(503).end();
	const server: Server = createServer((request, response) => handle(request, response));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	const provider = new Provider(issuer, {
		clients: [
			{
				client_id: 'trust-console',
				client_secret: 'console-test-secret',
				redirect_uris: redirectUris,
				response_types: ['code'],
				grant_types: ['authorization_code'],
				token_endpoint_auth_method: 'client_secret_post',
			},
		],
		jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test', use: 'sig' }] },
		cookies: { keys: ['test-cookie-key-for-the-provider'] },
		scopes: ['openid', 'email', 'profile', 'groups'],
		claims: {
			openid: ['sub'],
			email: ['email', 'email_verified', 'xms_edov'],
			profile: ['name'],
			groups: ['groups'],
		},
		findAccount: (_ctx: unknown, id: string) => {
			const user = users.find((u) => u.login === id);
			return (
				user && {
					accountId: id,
					claims: () => ({
						sub: id,
						email: user.email,
						...(user.emailVerified === undefined ? {} : { email_verified: user.emailVerified }),
						...(user.domainVerified === undefined ? {} : { xms_edov: user.domainVerified }),
						name: user.name,
						...(user.groups ? { groups: user.groups } : {}),
					}),
				}
			);
		},
		// The console is a first-party application: no consent page, every requested scope granted.
		loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
			const { provider: p, client, session, params } = ctx.oidc;
			const found = session.grantIdFor(client.clientId);
			if (found) return p.Grant.find(found);
			const grant = new p.Grant({ accountId: session.accountId, clientId: client.clientId });
			grant.addOIDCScope(params.scope ?? 'openid');
			grant.addOIDCClaims(['email', 'email_verified', 'xms_edov', 'name', 'groups']);
			await grant.save();
			return grant;
		},
		pkce: { required: () => true },
		features: { devInteractions: { enabled: true } },
	});
	handle = provider.callback();
	return {
		issuer,
		env: {
			GATE_OIDC_ISSUER: issuer,
			GATE_OIDC_CLIENT_ID: 'trust-console',
			GATE_OIDC_CLIENT_SECRET: 'console-test-secret',
			GATE_OIDC_SCOPES: 'openid email profile groups',
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** Signs in as `login` on the provider's own login page, where the console sent the browser. */
export async function loginAtIdp(page: Page, login: string): Promise<void> {
	await page.locator('input[name="login"]').fill(login);
	await page.locator('input[name="password"]').fill('any password');
	await page.getByRole('button', { name: 'Sign-in' }).click();
}
