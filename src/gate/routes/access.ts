// The public access flow: the request form and its token, the request, the email confirmation, and a
// grant's documents page. Requests that change state read a body, pass the CSRF check and rate limits.
import { Hono, type MiddlewareHandler } from 'hono';
import { accessRequestSchema } from '../../schemas/access-request.ts';
import { parseFriendly } from '../../schemas/messages.ts';
import type { GateSettings } from '../config.ts';
import { requestMeta, wantsJson, type Env } from '../context.ts';
import { GateError } from '../errors.ts';
import { readBody } from '../middleware/body.ts';
import type { Csrf } from '../middleware/csrf.ts';
import { enforceLimit, rateLimit } from '../middleware/rate-limit.ts';
import type { Pages } from '../pages.ts';
import type { Gate } from '../services/gate.ts';
import { grantPage } from '../services/grants.ts';
import { confirmEmail, createRequest } from '../services/requests.ts';

/** A confirmation token as mailed: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** What the access routes use: the gate, its pages, CSRF tokens, the shared page limit and the request limits. */
export interface AccessDeps {
	gate: Gate;
	pages: Pages;
	csrf: Csrf;
	pageLimit: MiddlewareHandler<Env>;
	limits: GateSettings['limits'];
}

/** The access routes, as one group. */
export function accessRoutes({ gate, pages, csrf, pageLimit, limits }: AccessDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const requestLimit = rateLimit(gate, limits.requestsPerIp, (c) => `request-ip:${c.var.ip}`);
	const schema = accessRequestSchema(gate.config.documents.map((d) => d.id));

	routes.get('/access/', (c) => {
		const wanted = c.req.queries('documents')?.flatMap((d) => d.split(',')) ?? [];
		return c.html(
			pages.requestForm(
				csrf.issue(c),
				wanted.filter((d) => gate.config.documents.some((g) => g.id === d)),
			),
		);
	});
	routes.get('/access/index.html', (c) => c.redirect('/access/', 301));

	routes.get('/api/csrf', (c) => c.json({ token: csrf.issue(c) }));

	routes.post('/api/access-requests', readBody, csrf.check, requestLimit, async (c) => {
		const parsed = parseFriendly(schema, c.var.body, 'is not a field of this form; remove it');
		if (!parsed.ok) {
			// Fields are named by their top-level key, the name of the form input.
			const fields = parsed.issues.map((issue) => ({
				field: String(issue.path[0] ?? 'body'),
				message: issue.message,
			}));
			throw new GateError(
				400,
				'Please fix the form',
				`The request has ${fields.length === 1 ? 'a problem' : `${fields.length} problems`}. Use your browser's Back button to fix ${fields.length === 1 ? 'it' : 'them'}; your entries are kept.`,
				'invalid-request',
				{ fields },
			);
		}
		await enforceLimit(gate, `request-email:${parsed.data.email}`, limits.requestsPerEmail);
		const created = await createRequest(gate, parsed.data, requestMeta(c));
		if (wantsJson(c))
			return c.json(
				{ status: 'confirmation-sent', request: created.id, email: created.email },
				202,
			);
		return c.html(pages.checkEmail(created), 202);
	});

	routes.get('/access/confirm/', pageLimit, (c) => {
		const token = c.req.query('token') ?? '';
		if (!TOKEN.test(token))
			throw new GateError(
				404,
				'Unknown confirmation link',
				'This confirmation link is incomplete. Open the link from the email again, or make a new request at /access/.',
				'confirm-unknown',
			);
		return c.html(pages.confirmButton(token, csrf.issue(c)));
	});

	routes.post('/access/confirm/', readBody, csrf.check, pageLimit, async (c) => {
		const token = c.var.body['token'];
		if (typeof token !== 'string' || !TOKEN.test(token))
			throw new GateError(
				400,
				'Unknown confirmation link',
				'The confirmation token is missing or incomplete. Open the link from the email again.',
				'invalid-request',
			);
		const result = await confirmEmail(gate, token, requestMeta(c));
		if (wantsJson(c)) return c.json(result);
		return c.html(pages.confirmed(result));
	});

	routes.get('/access/grant/:id/', pageLimit, async (c) => {
		const view = await grantPage(
			gate,
			c.req.param('id').slice(0, 64),
			(c.req.query('key') ?? '').slice(0, 64),
		);
		return c.html(pages.grant(view));
	});

	return routes;
}
