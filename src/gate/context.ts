// What the gate's middleware and routes share: the Hono environment (the variables middleware sets for
// the routes after it), and what a handler reads about the request it answers.
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type { RequestIdVariables } from 'hono/request-id';
import { readerRefusal } from './errors.ts';
import type { LinkClaims } from './lib/signed-link.ts';
import { isToken, type RequestMeta } from './services/gate.ts';
import type { StaffSession } from './services/staff-sessions.ts';

/** The gate's Hono environment: Node's request and response, and the variables its middleware sets. */
export type Env = {
	Bindings: HttpBindings;
	Variables: RequestIdVariables & {
		/** The client's address, set by middleware/client-ip.ts for logs, limits and the audit log. */
		ip: string;
		/** What rate limits count the client under: `ip`, or its /64 for IPv6 (`ipBlock` in middleware/client-ip.ts). */
		ipBlock: string;
		/** The request's form or JSON fields, set by middleware/body.ts on the routes that read a body. */
		body: Record<string, unknown>;
		/** What a download link grants, set by routes/downloads.ts once its signature is checked. */
		link: LinkClaims;
		/** The signed-in staff member, set by middleware/staff-session.ts on the console routes that require one. */
		staff: StaffSession;
	};
};

/** True when the request sends JSON, or asks for JSON and not for HTML: such clients get JSON answers. */
export function wantsJson(c: Context<Env>): boolean {
	const accept = c.req.header('accept') ?? '';
	return (
		(c.req.header('content-type') ?? '').includes('application/json') ||
		(!accept.includes('text/html') && accept.includes('application/json'))
	);
}

/** Who and where a request came from, as the audit log records it. */
export function requestMeta(c: Context<Env>): RequestMeta {
	return { ip: c.var.ip, userAgent: (c.req.header('user-agent') ?? '').slice(0, 300) };
}

/**
 * The confirmation token a confirm button posts (the access flow's and the subscriptions'); refuses
 * with 400 when it is missing or not a token's shape.
 */
export function postedConfirmToken(c: Context<Env>): string {
	const token = c.var.body['token'];
	if (!isToken(token))
		throw readerRefusal(400, 'invalid-request', {
			title: 'gateRefusal.unknownConfirmTitle',
			message: 'gateRefusal.confirmTokenMissing',
		});
	return token;
}
