// The few parts of oidc-provider (which ships no types) that the tests' identity provider uses.
declare module 'oidc-provider' {
	import type { IncomingMessage, ServerResponse } from 'node:http';

	interface Grant {
		addOIDCScope(scope: string): void;
		addOIDCClaims(claims: string[]): void;
		save(): Promise<string>;
	}
	interface Context {
		oidc: {
			client: { clientId: string };
			session: { accountId: string; grantIdFor(clientId: string): string | undefined };
			result?: { consent?: { grantId?: string } };
			params: { scope?: string };
			provider: Provider;
		};
	}
	export default class Provider {
		constructor(issuer: string, configuration: Record<string, unknown>);
		callback(): (req: IncomingMessage, res: ServerResponse) => void;
		Grant: {
			new (properties: { accountId: string; clientId: string }): Grant;
			find(id: string): Promise<Grant | undefined>;
		};
	}
	export type { Context as KoaContextWithOIDC };
}
