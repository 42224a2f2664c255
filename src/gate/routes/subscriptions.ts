// Subscriptions: the subscribe form and its token, the double opt-in, and the pages a mail's signed
// links open (management and unsubscribe), including RFC 8058 one-click unsubscribe, which mail clients
// send without cookies: the link's signature is the subscriber's credential there. The management and
// unsubscribe links answer their page at once, with the signed link in its forms, so they work in a
// browser that refuses cookies; the link is also kept in a cookie scoped to that page, which opens the
// bare page for an hour (url-secrets.ts). The confirmation link is traded for a cookie, as in the access
// flow: its button posts a form token, which needs cookies anyway.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { createMiddleware } from 'hono/factory';
import { SUBSCRIBE_PATHS } from '../../lib/routing/urls.ts';
import { mailboxKey } from '../lib/access-rules.ts';
import { offeredTopics } from '../../lib/subscriptions.ts';
import { parseFriendly } from '../../schemas/messages.ts';
import {
	manageRequestSchema,
	subscriptionRequestSchema,
} from '../../schemas/subscription-request.ts';
import type { GateSettings } from '../config.ts';
import { postedConfirmToken, requestMeta, wantsJson, type Env } from '../context.ts';
import { readerRefusal } from '../errors.ts';
import { MAX_BODY, readBody } from '../middleware/body.ts';
import type { Csrf } from '../middleware/csrf.ts';
import { enforceLimit, rateLimit } from '../middleware/rate-limit.ts';
import { isToken, type Gate } from '../services/gate.ts';
import { CONFIRM_HOURS } from '../services/requests.ts';
import {
	assertSigned,
	confirmSubscription,
	emailHash,
	subscribe,
	subscriptionSecrets,
	subscriptionsOff,
	unsubscribe,
	updateSubscription,
	viewSubscriber,
} from '../services/subscribers.ts';
import type { SubscriptionPages } from '../subscription-pages.ts';
import { urlSecrets } from '../url-secrets.ts';
import { LINK_SIGNATURE, SUBSCRIBER_ID } from '../lib/subscription-links.ts';

const CONFIRM_COOKIE = 'tc_subscribe_confirm';
const MANAGE_COOKIE = 'tc_subscriber';
const UNSUBSCRIBE_COOKIE = 'tc_unsubscribe';

/** What the subscription routes use. */
export interface SubscriptionDeps {
	gate: Gate;
	pages: SubscriptionPages;
	csrf: Csrf;
	pageLimit: MiddlewareHandler<Env>;
	limits: GateSettings['limits'];
	/** The site is served over HTTPS: cookies are Secure and carry the __Secure- prefix. */
	https: boolean;
}

/** The 400 for fields at fault, named by their form input. */
function invalid(issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }>) {
	const fields = issues.map((issue) => ({
		field: String(issue.path[0] ?? 'body'),
		message: issue.message,
	}));
	return readerRefusal(
		400,
		'invalid-request',
		{
			title: 'gateRefusal.fixFormTitle',
			message: 'gateRefusal.formProblems',
			values: { count: fields.length },
		},
		{ fields },
	);
}

/** The subscription routes, as one group. */
export function subscriptionRoutes({
	gate,
	pages,
	csrf,
	pageLimit,
	limits,
	https,
}: SubscriptionDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const t = pages.config.words;
	const settings = gate.config.site.subscriptions;
	const offered = offeredTopics(settings);
	const schema = subscriptionRequestSchema(offered);
	const manageSchema = manageRequestSchema(offered);
	const requestLimit = rateLimit(
		gate,
		limits.requestsPerIp,
		(c) => `subscribe-ip:${c.var.ipBlock}`,
	);
	const check = csrf.checkFor(SUBSCRIBE_PATHS.form);
	const secrets = urlSecrets(https);
	const signed = (c: { req: { query(name: string): string | undefined } }) => ({
		id: (c.req.query('id') ?? '').slice(0, 64),
		sig: (c.req.query('sig') ?? '').slice(0, 64),
	});
	// A page's signed link (the management or the unsubscribe page), from its URL (checked against the
	// database before it names a cookie, then kept in one), or from that cookie for the bare page.
	const opened = async (c: Context<Env>, cookie: string, path: string) => {
		if (c.req.query('id') === undefined && c.req.query('sig') === undefined) {
			const [id = '', sig = ''] = secrets.kept(c, cookie).split('.');
			if (!SUBSCRIBER_ID.test(id) || !LINK_SIGNATURE.test(sig))
				throw readerRefusal(403, 'subscription-page-closed', {
					title: 'gateRefusal.openFromEmailTitle',
					message: 'gateRefusal.subscriptionPageClosed',
				});
			return viewSubscriber(gate, id, sig);
		}
		const { id, sig } = signed(c);
		const view = await viewSubscriber(gate, id, sig);
		secrets.keep(c, cookie, `${view.id}.${sig}`, path);
		return view;
	};

	// While subscriptions are off, nobody can subscribe or confirm. The links in mails already sent still
	// open the management page and unsubscribe: an address can always leave, and is not mailed again
	// when subscriptions are turned back on.
	const whileOn = createMiddleware<Env>(async (_c, next) => {
		if (!settings.enabled) throw subscriptionsOff();
		await next();
	});
	routes.use(SUBSCRIBE_PATHS.form, whileOn);
	routes.use(`${SUBSCRIBE_PATHS.form}index.html`, whileOn);
	routes.use(`${SUBSCRIBE_PATHS.confirm}*`, whileOn);

	// Compressed, as the access form (routes/access.ts): a fresh CSRF token is its only secret.
	routes.get(SUBSCRIBE_PATHS.form, pageLimit, compress(), (c) => {
		const wanted = c.req.queries('topics')?.flatMap((t) => t.split(',')) ?? ['all'];
		return c.html(pages.form(csrf.issue(c), wanted));
	});
	routes.get(`${SUBSCRIBE_PATHS.form}index.html`, (c) => c.redirect(SUBSCRIBE_PATHS.form, 301));

	// The forms on the static pages carry no token (those pages are cached for everyone): their post gets
	// this page back with the entries kept and a token in it. Nothing is stored until it is sent again.
	const fromStaticPage = createMiddleware<Env>(async (c, next) => {
		const token = c.var.body['csrf'];
		if ((token === undefined || token === '') && !c.req.header('x-csrf-token') && !wantsJson(c)) {
			await enforceLimit(gate, `page-ip:${c.var.ipBlock}`, limits.pagesPerIp);
			const email = c.var.body['email'];
			const topics = c.var.body['topics'];
			return c.html(
				pages.form(
					csrf.issue(c),
					(Array.isArray(topics) ? topics : [topics]).filter((t) => typeof t === 'string'),
					typeof email === 'string' ? email.slice(0, 254) : '',
					t('gateSubscription.oneMoreStep'),
				),
			);
		}
		return next();
	});

	routes.post(SUBSCRIBE_PATHS.form, readBody, fromStaticPage, check, requestLimit, async (c) => {
		const parsed = parseFriendly(schema, c.var.body, 'is not a field of this form; remove it', {
			strangers: true,
		});
		if (!parsed.ok) throw invalid(parsed.issues);
		// Counted per mailbox (ada+1@ and ada+2@ reach one inbox), under the salted hash addresses are
		// known by: the limits table must not hold an address that a removal erases, nor a hash anyone
		// can compute from a guessed address.
		const hash = emailHash(await subscriptionSecrets(gate), mailboxKey(parsed.data.email));
		await enforceLimit(gate, `subscribe-email:${hash}`, limits.requestsPerEmail);
		await subscribe(gate, parsed.data, requestMeta(c));
		if (wantsJson(c)) return c.json({ status: 'confirmation-sent', email: parsed.data.email }, 202);
		return c.html(pages.checkEmail(parsed.data.email, CONFIRM_HOURS), 202);
	});

	routes.get(SUBSCRIBE_PATHS.confirm, pageLimit, (c) => {
		const fromLink = c.req.query('token');
		const token = fromLink ?? secrets.kept(c, CONFIRM_COOKIE);
		if (!isToken(token))
			throw readerRefusal(404, 'subscription-confirm-unknown', {
				title: 'gateRefusal.unknownConfirmTitle',
				message:
					fromLink === undefined
						? 'gateRefusal.subscriptionConfirmPageClosed'
						: 'gateRefusal.subscriptionConfirmIncomplete',
				values: { form: SUBSCRIBE_PATHS.form },
			});
		if (fromLink !== undefined)
			return secrets.trade(c, CONFIRM_COOKIE, token, SUBSCRIBE_PATHS.confirm);
		return c.html(pages.confirmButton(token, csrf.issue(c)));
	});

	routes.post(SUBSCRIBE_PATHS.confirm, readBody, check, pageLimit, async (c) => {
		const token = postedConfirmToken(c);
		const result = await confirmSubscription(gate, token, requestMeta(c));
		secrets.forget(c, CONFIRM_COOKIE, SUBSCRIBE_PATHS.confirm);
		if (wantsJson(c))
			return c.json({
				status: result.alreadyConfirmed ? 'already-confirmed' : 'subscribed',
				email: result.email,
				topics: result.topics,
			});
		return c.html(pages.confirmed(result));
	});

	routes.get(SUBSCRIBE_PATHS.manage, pageLimit, async (c) => {
		return c.html(pages.manage(await opened(c, MANAGE_COOKIE, SUBSCRIBE_PATHS.manage)));
	});

	// No anti-forgery token: the signature in the form is a secret only the subscriber's mail holds. So it
	// is checked before anything else of the body is looked at: a post from another site without it gets
	// one refusal, whatever else it sent, and none of its fields are drawn on our page.
	routes.post(SUBSCRIBE_PATHS.manage, readBody, pageLimit, async (c) => {
		const { id: postedId, sig: postedSig } = c.var.body;
		await assertSigned(
			gate,
			typeof postedId === 'string' ? postedId : '',
			typeof postedSig === 'string' ? postedSig : '',
		);
		const parsed = parseFriendly(
			manageSchema,
			c.var.body,
			'is not a field of this form; remove it',
			{ strangers: true },
		);
		if (!parsed.ok) throw invalid(parsed.issues);
		const { id, sig, action, topics } = parsed.data;
		const meta = requestMeta(c);
		const view =
			action === 'unsubscribe'
				? await unsubscribe(gate, id, sig, 'page')
				: await updateSubscription(
						gate,
						id,
						sig,
						action === 'save' ? { action, topics: topics ?? [] } : { action },
						meta,
					);
		if (wantsJson(c)) return c.json({ state: view.state, topics: view.topics });
		if (action === 'unsubscribe') return c.html(pages.unsubscribed(view));
		return c.html(
			pages.manage(
				view,
				t(action === 'save' ? 'gateSubscription.saved' : 'gateSubscription.subscribedAgain'),
			),
		);
	});

	routes.get(SUBSCRIBE_PATHS.unsubscribe, pageLimit, async (c) => {
		return c.html(
			pages.unsubscribeButton(await opened(c, UNSUBSCRIBE_COOKIE, SUBSCRIBE_PATHS.unsubscribe)),
		);
	});

	// RFC 8058 one-click: a mail client POSTs "List-Unsubscribe=One-Click" (form or multipart) to the
	// List-Unsubscribe URL, without cookies or a token. The body is not
	// needed, only bounded; the signature is checked before the database is asked.
	routes.post(
		SUBSCRIBE_PATHS.unsubscribe,
		bodyLimit({
			maxSize: MAX_BODY,
			onError: () => {
				throw readerRefusal(413, 'body-too-large', {
					title: 'gateRefusal.tooLargeTitle',
					message: 'gateRefusal.tooLarge',
					values: { max: String(MAX_BODY) },
				});
			},
		}),
		async (c) => {
			const { id, sig } = signed(c);
			const view = await unsubscribe(gate, id, sig, 'one-click');
			if (wantsJson(c)) return c.json({ state: view.state });
			return c.html(pages.unsubscribed(view));
		},
	);

	return routes;
}
