// The public access flow: the request form and its token, the request, the email confirmation, and a
// grant's documents page. Requests that change state read a body, pass the CSRF check and rate limits.
import { Hono, type MiddlewareHandler } from 'hono';
import { compress } from 'hono/compress';
import { accessRequestSchema } from '../../schemas/access-request.ts';
import { parseFriendly } from '../../schemas/messages.ts';
import type { GateSettings } from '../config.ts';
import { postedConfirmToken, requestMeta, wantsJson, type Env } from '../context.ts';
import { readerRefusal } from '../errors.ts';
import { readBody } from '../middleware/body.ts';
import type { Csrf } from '../middleware/csrf.ts';
import { enforceLimit, rateLimit } from '../middleware/rate-limit.ts';
import type { Pages } from '../pages.ts';
import { isToken, type Gate } from '../services/gate.ts';
import { checkGrantKey, grantPage, grantRefusal } from '../services/grants.ts';
import { mailboxKey, ndaWaiver } from '../lib/access-rules.ts';
import { signToken, tokenKid, verifyToken } from '../lib/signed-link.ts';
import { accessUrl, confirmUrl, GATE_PATHS, grantUrl } from '../../lib/routing/urls.ts';
import { confirmEmail, createRequest } from '../services/requests.ts';
import { SECRET_COOKIE_SECONDS, urlSecrets } from '../url-secrets.ts';

/** A grant id as made by the gate. */
const GRANT_ID = /^grant_[0-9a-f]{16}$/;
const CONFIRM_COOKIE = 'tc_confirm';
const GRANT_COOKIE = 'tc_grant';

/** What the access routes use: the gate, its pages, CSRF tokens, the shared page limit and the request limits. */
export interface AccessDeps {
	gate: Gate;
	pages: Pages;
	csrf: Csrf;
	pageLimit: MiddlewareHandler<Env>;
	limits: GateSettings['limits'];
	/** The site is served over HTTPS: cookies are Secure and carry the __Secure- prefix. */
	https: boolean;
}

/** The access routes, as one group. */
export function accessRoutes({
	gate,
	pages,
	csrf,
	pageLimit,
	limits,
	https,
}: AccessDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const requestLimit = rateLimit(gate, limits.requestsPerIp, (c) => `request-ip:${c.var.ipBlock}`);
	const schema = accessRequestSchema(
		gate.config.documents.map((d) => d.id),
		(email) => ndaWaiver(gate.config.rules, email) !== undefined,
	);

	const formOrder = (field: string) => {
		const at = Object.keys(schema.shape).indexOf(field);
		return at === -1 ? Infinity : at;
	};

	// Compressed: built pages have their compressed copies, this one is made per request. Its only secret
	// is a CSRF token made fresh for each answer, and it echoes nothing from the request but known
	// document ids, so compression gives nothing away (BREACH needs a secret repeated across answers).
	routes.get(accessUrl(), compress(), (c) => {
		const wanted = c.req.queries('documents')?.flatMap((d) => d.split(',')) ?? [];
		return c.html(
			pages.requestForm(
				csrf.issue(c),
				wanted.filter((d) => gate.config.documents.some((g) => g.id === d)),
			),
		);
	});
	routes.get(`${accessUrl()}index.html`, (c) => c.redirect(accessUrl(), 301));

	routes.get(GATE_PATHS.csrf, (c) => c.json({ token: csrf.issue(c) }));

	routes.post(GATE_PATHS.requests, readBody, csrf.check, requestLimit, async (c) => {
		const parsed = parseFriendly(schema, c.var.body, 'is not a field of this form; remove it', {
			strangers: true,
		});
		if (!parsed.ok) {
			// Fields are named by their top-level key, the name of the form input, and listed in the
			// form's order (the signature's checks come last from the schema).
			const fields = parsed.issues
				.map((issue) => ({ field: String(issue.path[0] ?? 'body'), message: issue.message }))
				.sort((a, b) => formOrder(a.field) - formOrder(b.field));
			throw readerRefusal(
				400,
				'invalid-request',
				{
					title: 'gateRefusal.fixFormTitle',
					message: 'gateRefusal.requestProblems',
					values: { count: fields.length },
				},
				{ fields },
			);
		}
		await enforceLimit(
			gate,
			`request-email:${mailboxKey(parsed.data.email)}`,
			limits.requestsPerEmail,
		);
		const created = await createRequest(gate, parsed.data, requestMeta(c));
		if (wantsJson(c))
			return c.json(
				{
					status: 'confirmation-sent',
					request: created.id,
					email: created.email,
					ndaWaivedBy: created.ndaWaivedBy,
				},
				202,
			);
		return c.html(pages.checkEmail(created), 202);
	});

	// The confirmation token and the grant key arrive in a mailed link: the first request trades them for
	// a cookie scoped to their page (see url-secrets.ts).
	const secrets = urlSecrets(https);

	routes.get(GATE_PATHS.confirm, pageLimit, (c) => {
		const fromLink = c.req.query('token');
		const token = fromLink ?? secrets.kept(c, CONFIRM_COOKIE);
		if (!isToken(token))
			throw readerRefusal(404, 'confirm-unknown', {
				title: 'gateRefusal.unknownConfirmTitle',
				message:
					fromLink === undefined
						? 'gateRefusal.confirmPageClosed'
						: 'gateRefusal.confirmIncomplete',
				values: { form: accessUrl() },
			});
		if (fromLink !== undefined) return secrets.trade(c, CONFIRM_COOKIE, token, confirmUrl());
		return c.html(pages.confirmButton(token, csrf.issue(c)));
	});

	routes.post(GATE_PATHS.confirm, readBody, csrf.check, pageLimit, async (c) => {
		const token = postedConfirmToken(c);
		const result = await confirmEmail(gate, token, requestMeta(c));
		secrets.forget(c, CONFIRM_COOKIE, confirmUrl());
		if (wantsJson(c)) return c.json(result);
		return c.html(pages.confirmed(result));
	});

	routes.get(grantUrl(':id'), pageLimit, async (c) => {
		// Checked before it names a cookie's path or a redirect: only a real grant id's shape goes there.
		const id = c.req.param('id') ?? '';
		if (!GRANT_ID.test(id)) throw grantRefusal(undefined, gate.now())!;
		const key = c.req.query('key');
		const nowSeconds = Math.floor(gate.now().getTime() / 1000);
		if (key !== undefined) {
			await checkGrantKey(gate, id, key.slice(0, 64));
			return secrets.trade(
				c,
				GRANT_COOKIE,
				signToken(gate.keyring.keys, 'grant-page', id, nowSeconds + SECRET_COOKIE_SECONDS),
				grantUrl(id),
			);
		}
		const kept = secrets.kept(c, GRANT_COOKIE);
		await gate.keyring.seek(tokenKid(kept));
		if (verifyToken(gate.keyring.keys, 'grant-page', kept, nowSeconds) !== id)
			throw readerRefusal(403, 'grant-page-closed', {
				title: 'gateRefusal.openFromEmailTitle',
				message: 'gateRefusal.grantPageClosed',
				values: { count: SECRET_COOKIE_SECONDS / 60, form: accessUrl() },
			});
		return c.html(
			pages.grant({ ...(await grantPage(gate, id)), openMinutes: SECRET_COOKIE_SECONDS / 60 }),
		);
	});

	return routes;
}
