// Subscribers: the double opt-in, the signed management links (topics, unsubscribe, subscribe again),
// one-click unsubscribe, and the security team's list, export and removal. Each state change and its audit
// entry commit in one transaction. The audit log is kept forever, so it names subscribers by id and by a
// salted hash of the address, never by the address: removing someone must be able to erase them.
import { randomBytes } from 'node:crypto';
import { FILES, SUBSCRIBE_PATHS } from '../../lib/routing/urls.ts';
import { offeredTopics } from '../../lib/subscriptions.ts';
import type { SubscriptionRequest } from '../../schemas/subscription-request.ts';
import type { SubscriptionTopic } from '../../schemas/update.ts';
import type { Queryable } from '../db.ts';
import { GateError, readerRefusal } from '../errors.ts';
import {
	subscriberLinks,
	verifyLinkSignature,
	type SubscriberLinks,
} from '../lib/subscription-links.ts';
import type { Mail } from '../mail/mailer.ts';
import {
	alreadySubscribedMail,
	subscriptionConfirmMail,
	type SubscriptionMail,
} from '../mail/subscription-texts.ts';
import { mailboxKey } from '../lib/access-rules.ts';
import { actorName, appendAudit, type Actor } from './audit.ts';
import { newId, newToken, sha256, type Gate, type RequestMeta } from './gate.ts';
import { mailFailed } from './mail.ts';
import { skipQueued } from './outbox.ts';
import { CONFIRM_HOURS } from './requests.ts';

/** A subscriber's state: waiting for its confirmation, mailed, unsubscribed, or no longer mailed after permanent failures. */
export type SubscriberState = 'pending' | 'active' | 'unsubscribed' | 'bouncing';

interface SubscriberRow {
	id: string;
	email: string;
	topics: SubscriptionTopic[];
	state: SubscriberState;
	created_at: Date;
	confirm_expires_at: Date | null;
	confirmed_at: Date | null;
	unsubscribed_at: Date | null;
	bounces: number;
	last_bounce: string | null;
}

/** The database's subscription secrets: the key of the management links, and the salt of address hashes. */
export interface SubscriptionSecrets {
	linkSecret: Buffer;
	hashSalt: string;
}

const secretsByDb = new WeakMap<object, Promise<SubscriptionSecrets>>();

/** The subscription secrets, made once per database (every replica reads the same) and cached. */
export function subscriptionSecrets(gate: Pick<Gate, 'db'>): Promise<SubscriptionSecrets> {
	let secrets = secretsByDb.get(gate.db);
	if (!secrets) {
		secrets = (async () => {
			await gate.db.query(
				'INSERT INTO subscription_state (id, link_secret, hash_salt) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING',
				[randomBytes(32).toString('base64'), randomBytes(16).toString('hex')],
			);
			const row = (
				await gate.db.query<{ link_secret: string; hash_salt: string }>(
					'SELECT link_secret, hash_salt FROM subscription_state WHERE id = 1',
				)
			).rows[0]!;
			return { linkSecret: Buffer.from(row.link_secret, 'base64'), hashSalt: row.hash_salt };
		})();
		secrets.catch(() => secretsByDb.delete(gate.db));
		secretsByDb.set(gate.db, secrets);
	}
	return secrets;
}

/** The salted hash an address is known by in the audit log and the suppression list. */
export const emailHash = (secrets: SubscriptionSecrets, email: string): string =>
	sha256(`${secrets.hashSalt}\n${email.toLowerCase()}`);

/** A subscriber's signed links, for the mails. */
export async function linksFor(gate: Gate, subscriberId: string): Promise<SubscriberLinks> {
	return subscriberLinks(
		gate.publicUrl,
		(await subscriptionSecrets(gate)).linkSecret,
		subscriberId,
	);
}

const mailContext = (gate: Gate) => ({
	site: gate.config.site,
	publicUrl: gate.publicUrl,
	words: gate.config.words,
});

/** Sends a mail while the subscriber waits; a failure is the 503 the access flow answers too. */
async function sendNow(gate: Gate, to: string, mail: SubscriptionMail): Promise<void> {
	const message: Mail = { to, ...mail };
	try {
		await gate.mailer.send(message);
	} catch {
		throw mailFailed(gate, to);
	}
}

/** The refusal when subscriptions are turned off in the site settings. */
export function subscriptionsOff(): GateError {
	return readerRefusal(404, 'subscriptions-off', {
		title: 'gateRefusal.subscriptionsOffTitle',
		message: 'gateRefusal.subscriptionsOff',
		values: { feed: FILES.atomFeed },
	});
}

/**
 * Holds `email` for the rest of the transaction: a subscription and a removal of one address take
 * turns. Without it, on PostgreSQL, a subscription that read the address as not removed could add it
 * back just after the removal committed.
 */
export async function holdAddress(q: Queryable, email: string): Promise<void> {
	await q.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
		`subscriber-address:${email.toLowerCase()}`,
	]);
}

/**
 * Takes a subscription. The answer never says whether the address was known (the caller shows the same
 * page whatever happens): a new, unconfirmed or bouncing address gets a confirmation link, an active one
 * a mail with its management link, and an address that unsubscribed or that the security team removed
 * gets nothing at all.
 */
export async function subscribe(
	gate: Gate,
	input: SubscriptionRequest,
	meta: RequestMeta,
): Promise<void> {
	const secrets = await subscriptionSecrets(gate);
	const now = gate.now();
	const token = newToken();
	const outcome = await gate.db.tx(async (q): Promise<SubscriptionMail | undefined> => {
		await holdAddress(q, input.email);
		const hash = emailHash(secrets, input.email);
		// Removals keep the mailbox's hash (earlier ones the address's): a "+tag" of a removed address
		// reaches the same inbox, and is not mailed either.
		const suppressed = await q.query(
			'SELECT 1 FROM subscription_suppressions WHERE email_hash = ANY($1::text[])',
			[[hash, emailHash(secrets, mailboxKey(input.email))]],
		);
		const existing = (
			await q.query<SubscriberRow>('SELECT * FROM subscribers WHERE email = $1 FOR UPDATE', [
				input.email,
			])
		).rows[0];
		// An address that unsubscribed is not mailed again because someone typed it into a form: its
		// owner comes back with "Subscribe again" on the management page of any earlier mail. Its row
		// stays as it is, so those mails' signed links keep working.
		if (suppressed.rows.length > 0 || existing?.state === 'unsubscribed') return undefined;
		if (existing?.state === 'active')
			return alreadySubscribedMail(
				mailContext(gate),
				existing.topics,
				subscriberLinks(gate.publicUrl, secrets.linkSecret, existing.id),
			);
		const id = existing?.id ?? newId('sub');
		await q.query(
			`INSERT INTO subscribers (id, email, topics, state, created_at, created_ip, created_user_agent, confirm_hash, confirm_expires_at)
			VALUES ($1, $2, $3::text[], 'pending', $4, $5, $6, $7, $8)
			ON CONFLICT (email) DO UPDATE SET topics = EXCLUDED.topics, state = 'pending', created_at = EXCLUDED.created_at,
				created_ip = EXCLUDED.created_ip, created_user_agent = EXCLUDED.created_user_agent,
				confirm_hash = EXCLUDED.confirm_hash, confirm_expires_at = EXCLUDED.confirm_expires_at`,
			[
				id,
				input.email,
				input.topics,
				now,
				meta.ip,
				meta.userAgent,
				sha256(token),
				new Date(now.getTime() + CONFIRM_HOURS * 3_600_000),
			],
		);
		await appendAudit(
			q,
			{
				type: 'subscriber.subscribed',
				actor: `subscriber:${id}`,
				subject: id,
				data: { emailHash: hash, topics: input.topics, previously: existing?.state ?? null },
			},
			now,
		);
		return subscriptionConfirmMail(
			mailContext(gate),
			input.topics,
			`${gate.publicUrl}${SUBSCRIBE_PATHS.confirm}?token=${token}`,
			CONFIRM_HOURS,
		);
	});
	if (outcome) await sendNow(gate, input.email, outcome);
}

/** What a confirmation (or a later visit to its link) shows. */
export interface ConfirmedSubscription {
	email: string;
	topics: SubscriptionTopic[];
	links: SubscriberLinks;
	/** True when the link had been used before; nothing changed this time. */
	alreadyConfirmed: boolean;
}

/**
 * Confirms the address behind `token`: from now on it is mailed. Items dated within the site's
 * `backfillDays` are queued for it; nothing published earlier is ever mailed to it.
 */
export async function confirmSubscription(
	gate: Gate,
	token: string,
	meta: RequestMeta,
): Promise<ConfirmedSubscription> {
	const secrets = await subscriptionSecrets(gate);
	const now = gate.now();
	const result = await gate.db.tx(async (q) => {
		const row = (
			await q.query<SubscriberRow>('SELECT * FROM subscribers WHERE confirm_hash = $1 FOR UPDATE', [
				sha256(token),
			])
		).rows[0];
		if (!row)
			throw readerRefusal(404, 'subscription-confirm-unknown', {
				title: 'gateRefusal.unknownConfirmTitle',
				message: 'gateRefusal.subscriptionConfirmUnknown',
				values: { form: SUBSCRIBE_PATHS.form },
			});
		// Expired before anything else: a confirmation link, once confirmed, still shows the management
		// link (a second press, a second device), but only while it is valid, not for ever.
		if (row.confirm_expires_at && row.confirm_expires_at.getTime() < now.getTime())
			throw readerRefusal(410, 'subscription-confirm-expired', {
				title: 'gateRefusal.confirmExpiredTitle',
				message: 'gateRefusal.subscriptionConfirmExpired',
				values: { count: CONFIRM_HOURS, form: SUBSCRIBE_PATHS.form },
			});
		if (row.state !== 'pending') return { row, already: true };
		await q.query(
			"UPDATE subscribers SET state = 'active', confirmed_at = $2, confirmed_ip = $3, confirmed_user_agent = $4, bounces = 0, last_bounce = NULL WHERE id = $1",
			[row.id, now, meta.ip, meta.userAgent],
		);
		const backfill = gate.config.site.subscriptions.backfillDays;
		const queued =
			backfill > 0
				? (
						await q.query(
							`INSERT INTO mail_outbox (subscriber_id, item_id, state, queued_at, due_at)
							SELECT $1, i.id, 'queued', $2, $2 FROM notify_items i
							WHERE i.published_at >= $3 AND $4::text[] && ARRAY['all', i.topic]
							ON CONFLICT (subscriber_id, item_id) DO NOTHING RETURNING id`,
							[row.id, now, new Date(now.getTime() - backfill * 86_400_000), row.topics],
						)
					).rows.length
				: 0;
		await appendAudit(
			q,
			{
				type: 'subscriber.confirmed',
				actor: `subscriber:${row.id}`,
				subject: row.id,
				data: { emailHash: emailHash(secrets, row.email), topics: row.topics, backfilled: queued },
			},
			now,
		);
		return { row, already: false, queued };
	});
	if (!result.already && result.queued) gate.onQueued();
	return {
		email: result.row.email,
		topics: result.row.topics,
		links: subscriberLinks(gate.publicUrl, secrets.linkSecret, result.row.id),
		alreadyConfirmed: result.already,
	};
}

/** What the management page shows of a subscriber. */
export interface SubscriberView {
	id: string;
	email: string;
	topics: SubscriptionTopic[];
	state: SubscriberState;
	/** The link signature, for the page's forms. */
	sig: string;
	links: SubscriberLinks;
}

function unknownLink(): GateError {
	return readerRefusal(404, 'subscription-link-unknown', {
		title: 'gateRefusal.unknownLinkTitle',
		message: 'gateRefusal.subscriptionLinkUnknown',
	});
}

/**
 * Refuses a link whose id or signature is malformed or wrong (compared in constant time), before the
 * database is asked: junk costs one HMAC. Every failure is the same "unknown link" refusal.
 */
export async function assertSigned(gate: Gate, id: string, sig: string): Promise<void> {
	const { linkSecret } = await subscriptionSecrets(gate);
	if (!verifyLinkSignature(linkSecret, id, sig)) throw unknownLink();
}

async function subscriberByLink(
	gate: Gate,
	q: Queryable,
	id: string,
	sig: string,
	lock = false,
): Promise<SubscriberRow> {
	await assertSigned(gate, id, sig);
	const row = (
		await q.query<SubscriberRow>(
			`SELECT * FROM subscribers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
			[id],
		)
	).rows[0];
	if (!row || row.state === 'pending') throw unknownLink();
	return row;
}

/** The subscriber behind a signed link, for its management page. */
export async function viewSubscriber(gate: Gate, id: string, sig: string): Promise<SubscriberView> {
	const row = await subscriberByLink(gate, gate.db, id, sig);
	return {
		id: row.id,
		email: row.email,
		topics: row.topics,
		state: row.state,
		sig,
		links: await linksFor(gate, row.id),
	};
}

/** How an unsubscribe came: the page's button, or a mail client's one-click POST (RFC 8058). */
export type UnsubscribeVia = 'page' | 'one-click';

/**
 * Stops every mail to the subscriber behind a signed link, at once: mails not yet sent are skipped in the
 * same transaction, so none goes out after this returns. Unsubscribing twice changes nothing.
 */
export async function unsubscribe(
	gate: Gate,
	id: string,
	sig: string,
	via: UnsubscribeVia,
): Promise<SubscriberView> {
	await assertSigned(gate, id, sig);
	const now = gate.now();
	const row = await gate.db.tx(async (q) => {
		const row = await subscriberByLink(gate, q, id, sig, true);
		if (row.state === 'unsubscribed') return row;
		await q.query(
			"UPDATE subscribers SET state = 'unsubscribed', unsubscribed_at = $2 WHERE id = $1",
			[row.id, now],
		);
		await skipQueued(q, row.id, 'unsubscribed');
		await appendAudit(
			q,
			{
				type: 'subscriber.unsubscribed',
				actor: `subscriber:${row.id}`,
				subject: row.id,
				data: { via },
			},
			now,
		);
		return { ...row, state: 'unsubscribed' as const };
	});
	return { ...(await viewSubscriber(gate, row.id, sig)), state: row.state };
}

/**
 * The management page's other actions: keep `topics` (mails not yet sent for topics dropped are
 * skipped), or start again after an unsubscribe or bounces (the signed link proves the address is theirs).
 */
export async function updateSubscription(
	gate: Gate,
	id: string,
	sig: string,
	change: { action: 'save'; topics: SubscriptionTopic[] } | { action: 'resubscribe' },
	meta: RequestMeta,
): Promise<SubscriberView> {
	await assertSigned(gate, id, sig);
	const now = gate.now();
	await gate.db.tx(async (q) => {
		const row = await subscriberByLink(gate, q, id, sig, true);
		if (change.action === 'save') {
			// A topic the team has hidden since is not on the page, so saving the page keeps it as it was.
			const offered = offeredTopics(gate.config.site.subscriptions);
			const topics = [
				...change.topics.filter((t) => offered.includes(t)),
				...row.topics.filter((t) => !offered.includes(t)),
			];
			await q.query('UPDATE subscribers SET topics = $2::text[] WHERE id = $1', [row.id, topics]);
			await skipQueued(q, row.id, 'topic dropped', topics);
			await appendAudit(
				q,
				{
					type: 'subscriber.topics-changed',
					actor: `subscriber:${row.id}`,
					subject: row.id,
					data: { from: row.topics, to: topics },
				},
				now,
			);
			return;
		}
		if (row.state === 'active') return;
		await q.query(
			// Subscribing again is consent again: recorded on the row (deleted with it on removal), as a
			// confirmation is, and not in the audit log, which is kept for ever.
			"UPDATE subscribers SET state = 'active', unsubscribed_at = NULL, bounces = 0, last_bounce = NULL, confirmed_at = $2, confirmed_ip = $3, confirmed_user_agent = $4 WHERE id = $1",
			[row.id, now, meta.ip, meta.userAgent],
		);
		await appendAudit(
			q,
			{
				type: 'subscriber.resubscribed',
				actor: `subscriber:${row.id}`,
				subject: row.id,
				data: { previously: row.state },
			},
			now,
		);
	});
	return viewSubscriber(gate, id, sig);
}

/**
 * Removes an address for the security team: its subscription and delivery records are deleted, and a
 * salted hash of its mailbox (mailboxKey: no "+tag", Gmail without dots) is kept so that neither it nor
 * another spelling of it is mailed or added back by a form. Works for addresses never subscribed too, to
 * block them in advance.
 */
export async function removeSubscriber(
	gate: Gate,
	email: string,
	actor: Actor,
): Promise<{ existed: boolean; alreadySuppressed: boolean }> {
	const secrets = await subscriptionSecrets(gate);
	const now = gate.now();
	const hash = emailHash(secrets, email);
	return gate.db.tx(async (q) => {
		await holdAddress(q, email);
		const removed = (
			await q.query<{ id: string }>('DELETE FROM subscribers WHERE email = $1 RETURNING id', [
				email.toLowerCase(),
			])
		).rows[0];
		const suppressed = await q.query(
			'INSERT INTO subscription_suppressions (email_hash, created_at, actor) VALUES ($1, $2, $3) ON CONFLICT (email_hash) DO NOTHING RETURNING email_hash',
			[emailHash(secrets, mailboxKey(email)), now, actorName(actor)],
		);
		await appendAudit(
			q,
			{
				type: 'subscriber.removed',
				actor,
				subject: removed?.id ?? `hash:${hash.slice(0, 16)}`,
				data: { emailHash: hash, hadSubscription: Boolean(removed) },
			},
			now,
		);
		return { existed: Boolean(removed), alreadySuppressed: suppressed.rows.length === 0 };
	});
}

/** Removes the subscriber with id `id`, as {@link removeSubscriber} does (the console's Remove button). */
export async function removeSubscriberById(gate: Gate, id: string, actor: Actor): Promise<void> {
	const row = (
		await gate.db.query<{ email: string }>('SELECT email FROM subscribers WHERE id = $1', [id])
	).rows[0];
	if (!row)
		throw new GateError(
			404,
			'Unknown subscriber',
			`There is no subscriber ${id} (any more): someone may have removed it already. Go back to the subscribers.`,
			'subscriber-unknown',
		);
	await removeSubscriber(gate, row.email, actor);
}

/** A subscriber as the security team lists and exports them. */
export interface SubscriberRecord {
	id: string;
	email: string;
	state: SubscriberState;
	topics: SubscriptionTopic[];
	createdAt: Date;
	confirmedAt: Date | null;
	unsubscribedAt: Date | null;
	bounces: number;
	lastBounce: string | null;
}

/** Which subscribers to list, and which page of them. */
export interface SubscriberQuery {
	/** Only subscribers in this state. */
	state?: SubscriberState | undefined;
	/** Only addresses containing this text (any case). */
	search?: string | undefined;
	/** The page after this address (the last one of the page before). */
	after?: string | undefined;
	/** At most this many; every one when left out. */
	limit?: number | undefined;
}

/** Subscribers by address, optionally in one state, matching a search, a page at a time. */
export async function listSubscribers(
	gate: Pick<Gate, 'db'>,
	query: SubscriberQuery = {},
): Promise<SubscriberRecord[]> {
	// LIKE's own wildcards in the search are matched as themselves.
	const pattern =
		query.search === undefined
			? null
			: `%${query.search.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`;
	const { rows } = await gate.db.query<SubscriberRow>(
		`SELECT * FROM subscribers
		WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR email LIKE $2)
			AND ($3::text IS NULL OR email > $3)
		ORDER BY email LIMIT $4`,
		[query.state ?? null, pattern, query.after ?? null, query.limit ?? null],
	);
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		state: r.state,
		topics: r.topics,
		createdAt: r.created_at,
		confirmedAt: r.confirmed_at,
		unsubscribedAt: r.unsubscribed_at,
		bounces: r.bounces,
		lastBounce: r.last_bounce,
	}));
}

/** Subscribers counted by state, and active ones by topic: for the console's subscribers page. */
export async function subscriberCounts(gate: Pick<Gate, 'db'>): Promise<{
	byState: Record<SubscriberState, number>;
	byTopic: Record<SubscriptionTopic, number>;
	suppressed: number;
}> {
	const [states, topics, suppressed] = await Promise.all([
		gate.db.query<{ state: SubscriberState; n: number }>(
			'SELECT state, count(*)::int AS n FROM subscribers GROUP BY state',
		),
		gate.db.query<{ topic: SubscriptionTopic; n: number }>(
			"SELECT t AS topic, count(*)::int AS n FROM subscribers, unnest(topics) AS t WHERE state = 'active' GROUP BY t",
		),
		gate.db.query<{ n: number }>('SELECT count(*)::int AS n FROM subscription_suppressions'),
	]);
	const byState: Record<SubscriberState, number> = {
		pending: 0,
		active: 0,
		unsubscribed: 0,
		bouncing: 0,
	};
	for (const r of states.rows) byState[r.state] = r.n;
	const byTopic: Record<SubscriptionTopic, number> = {
		all: 0,
		'subprocessor-change': 0,
		incident: 0,
		certification: 0,
		'policy-change': 0,
	};
	for (const r of topics.rows) byTopic[r.topic] = r.n;
	return { byState, byTopic, suppressed: suppressed.rows[0]?.n ?? 0 };
}

/** Deletes subscriptions never confirmed, a day after their link expired: nobody consented to keeping them. */
export async function pruneUnconfirmed(gate: Pick<Gate, 'db' | 'now'>): Promise<number> {
	const { rows } = await gate.db.query(
		"DELETE FROM subscribers WHERE state = 'pending' AND confirm_expires_at < $1 RETURNING id",
		[new Date(gate.now().getTime() - 86_400_000)],
	);
	return rows.length;
}
