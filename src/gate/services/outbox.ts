// The outbox of subscription mails: one row per subscriber per item. The sender claims rows under a lease
// (FOR UPDATE SKIP LOCKED, so replicas never take the same row), commits each as sent just before the
// end of its message goes to the server, and records what the server answered. Also what the console
// shows of it: the delivery log and the counts per item.
import type { Queryable } from '../db.ts';
import { withoutAddresses } from '../lib/smtp-replies.ts';
import type { SubprocessorItem, UpdateItem } from '../lib/build-items.ts';
import type { SubscriptionTopic } from '../../schemas/update.ts';
import { appendAudit } from './audit.ts';
import type { Gate } from './gate.ts';

/** Temporary failures are retried for this long after the mail was queued, then it is given up. */
export const GIVE_UP_AFTER = '4 days';
/** The longest wait between two attempts at one mail, in seconds. */
export const MAX_RETRY_SECONDS = 3600;

/** A row the sender claimed, with what its mail is made from. */
export interface ClaimedMail {
	id: string;
	token: string;
	subscriberId: string;
	email: string;
	topics: SubscriptionTopic[];
	itemId: string;
	payload: UpdateItem | SubprocessorItem;
	firstSeen: Date;
	attempts: number;
}

/** Why a due mail was skipped instead of claimed. */
export const NO_LONGER_WANTED =
	'not sent: the address unsubscribed, stopped this topic or is bouncing since the mail was queued';

/**
 * Claims up to `limit` due rows for `leaseSeconds` under `token`: queued rows whose time has come, and
 * rows whose last sender's lease ran out. A due row whose address is no longer active, or no longer has
 * the item's topic, is skipped in the same statement: an unsubscribe running while a fan-out queued its
 * mails may not have seen them, and this is the last look before the mail goes.
 */
export async function claimMails(
	q: Queryable,
	token: string,
	limit: number,
	leaseSeconds: number,
): Promise<ClaimedMail[]> {
	const { rows } = await q.query<{
		id: string;
		subscriber_id: string;
		email: string;
		topics: SubscriptionTopic[];
		item_id: string;
		payload: UpdateItem | SubprocessorItem;
		first_seen: Date;
		attempts: number;
	}>(
		`WITH due AS (
			SELECT o.id, s.state = 'active' AND s.topics && ARRAY['all', i.topic] AS wanted
			FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id JOIN notify_items i ON i.id = o.item_id
			WHERE o.state IN ('queued', 'sending') AND o.due_at <= now()
			ORDER BY o.due_at LIMIT $3 FOR UPDATE OF o SKIP LOCKED),
		skipped AS (
			UPDATE mail_outbox o SET state = 'skipped', reply = $4, claim_token = NULL
			FROM due WHERE o.id = due.id AND NOT due.wanted),
		claimed AS (
			UPDATE mail_outbox o SET state = 'sending', claim_token = $1, attempts = o.attempts + 1,
				last_attempt_at = now(), due_at = now() + make_interval(secs => $2::double precision)
			FROM due WHERE o.id = due.id AND due.wanted
			RETURNING o.id, o.subscriber_id, o.item_id, o.attempts)
		SELECT c.id::text AS id, c.subscriber_id, s.email, s.topics, c.item_id, i.payload, i.first_seen, c.attempts
		FROM claimed c JOIN subscribers s ON s.id = c.subscriber_id JOIN notify_items i ON i.id = c.item_id
		ORDER BY c.id`,
		[token, leaseSeconds, limit, NO_LONGER_WANTED],
	);
	return rows.map((r) => ({
		id: r.id,
		token,
		subscriberId: r.subscriber_id,
		email: r.email,
		topics: r.topics,
		itemId: r.item_id,
		payload: r.payload,
		firstSeen: r.first_seen,
		attempts: r.attempts,
	}));
}

const ids = (rows: ReadonlyArray<{ id: string }>) => rows.map((r) => r.id);
const tokens = (rows: ReadonlyArray<{ token: string }>) => rows.map((r) => r.token);

/** What a sender learned of its mails since it last wrote, recorded in one statement by recordOutcomes. */
export interface Outcomes {
	/** Rows to commit as sent, each just before the end of its message goes to the server. */
	sent: ReadonlyArray<{ id: string; token: string }>;
	/** The server's replies to mails committed as sent; their addresses accept mail again. */
	replies: ReadonlyArray<{ id: string; token: string; subscriberId: string; reply: string }>;
	/** Mails the server did not take (a 4xx reply, a lost connection, a failed commit): queued again. */
	retries: ReadonlyArray<{ id: string; token: string; reply: string }>;
}

/**
 * Records `outcomes` in one statement, so a fan-out costs one write per group of mails.
 * - A row committed as sent has an earlier attempt's reply cleared: until the server answers this
 *   attempt, the row says nothing about it.
 * - A retried mail is due after twice its last wait (from `retrySeconds`, at most an hour), and given
 *   up once queued for longer than GIVE_UP_AFTER.
 * Returns the ids of `sent` still ours to send: a row another sender reclaimed, or that an unsubscribe
 * skipped, is not in it, and its message must not be finished.
 */
export async function recordOutcomes(
	q: Queryable,
	{ sent, replies, retries }: Outcomes,
	retrySeconds: number,
): Promise<Set<string>> {
	const rows = [
		...sent.map((r) => [r.id, r.token, 'sent', null] as const),
		...replies.map((r) => [r.id, r.token, 'reply', r.reply] as const),
		...retries.map((r) => [r.id, r.token, 'retry', r.reply] as const),
	];
	if (rows.length === 0) return new Set();
	const { rows: done } = await q.query<{ id: string }>(
		`WITH c AS (
			SELECT unnest($1::text[])::bigint AS id, unnest($2::text[]) AS token, unnest($3::text[]) AS kind,
				unnest($4::text[]) AS reply),
		done AS (
			UPDATE mail_outbox o SET
				state = CASE c.kind WHEN 'sent' THEN 'sent'
					WHEN 'retry' THEN CASE WHEN o.queued_at < now() - interval '${GIVE_UP_AFTER}' THEN 'failed' ELSE 'queued' END
					ELSE o.state END,
				sent_at = CASE WHEN c.kind = 'sent' THEN now() ELSE o.sent_at END,
				due_at = CASE WHEN c.kind = 'retry'
					THEN now() + make_interval(secs => least($5::double precision * power(2, greatest(o.attempts - 1, 0)), ${MAX_RETRY_SECONDS}))
					ELSE o.due_at END,
				claim_token = CASE WHEN c.kind = 'retry' THEN NULL ELSE o.claim_token END,
				reply = c.reply
			FROM c WHERE o.id = c.id AND o.claim_token = c.token AND (c.kind <> 'sent' OR o.state = 'sending')
			RETURNING o.id, o.subscriber_id, c.kind),
		accepted AS (
			UPDATE subscribers s SET bounces = 0, last_bounce = NULL
			FROM done WHERE done.kind = 'reply' AND s.id = done.subscriber_id AND s.bounces > 0)
		SELECT id::text AS id FROM done WHERE kind = 'sent'`,
		[
			rows.map((r) => r[0]),
			rows.map((r) => r[1]),
			rows.map((r) => r[2]),
			rows.map((r) => r[3]),
			retrySeconds,
		],
	);
	return new Set(done.map((r) => r.id));
}

/**
 * Records a permanent failure (5xx): the mail failed, and the address counts one more failure in a row.
 * At `bounceLimit` it is marked bouncing and mailed no more: its queued mails are skipped.
 */
export async function recordBounce(
	gate: Pick<Gate, 'db' | 'now'>,
	row: { id: string; token: string; subscriberId: string; email: string },
	reply: string,
	bounceLimit: number,
): Promise<{ bouncing: boolean }> {
	return gate.db.tx(async (q) => {
		const { rows: mine } = await q.query(
			`UPDATE mail_outbox SET state = 'failed', reply = $3, claim_token = NULL
			WHERE id = $1::bigint AND claim_token = $2 RETURNING id`,
			[row.id, row.token, reply],
		);
		if (mine.length === 0) return { bouncing: false };
		const subscriber = (
			await q.query<{ bounces: number; state: string }>(
				'UPDATE subscribers SET bounces = bounces + 1, last_bounce = $2 WHERE id = $1 RETURNING bounces, state',
				[row.subscriberId, reply],
			)
		).rows[0];
		if (!subscriber || subscriber.state !== 'active' || subscriber.bounces < bounceLimit)
			return { bouncing: false };
		await q.query("UPDATE subscribers SET state = 'bouncing' WHERE id = $1", [row.subscriberId]);
		await skipQueued(q, row.subscriberId, 'the address is bouncing');
		await appendAudit(
			q,
			{
				type: 'subscriber.bouncing',
				actor: 'gate',
				subject: row.subscriberId,
				// Servers often quote the address in their reply; the audit log, kept for ever, must not.
				data: { bounces: subscriber.bounces, reply: withoutAddresses(reply) },
			},
			gate.now(),
		);
		return { bouncing: true };
	});
}

/**
 * Skips a subscriber's mails not yet sent, inside the caller's transaction. A sender committing one of
 * them waits for this transaction and then finds it skipped, so it never finishes that message.
 */
export async function skipQueued(
	q: Queryable,
	subscriberId: string,
	reason: string,
	keepTopics?: readonly string[],
): Promise<void> {
	await q.query(
		`UPDATE mail_outbox o SET state = 'skipped', reply = $2, claim_token = NULL
		FROM notify_items i
		WHERE o.item_id = i.id AND o.subscriber_id = $1 AND o.state IN ('queued', 'sending')
			AND ($3::text[] IS NULL OR NOT ($3::text[] && ARRAY['all', i.topic]))`,
		[subscriberId, reason, keepTopics ?? null],
	);
}

/** Extends the leases of the rows a sender holds, so a slow server does not hand them to another sender. */
export async function renewLeases(
	q: Queryable,
	heldTokens: readonly string[],
	leaseSeconds: number,
): Promise<void> {
	if (heldTokens.length === 0) return;
	await q.query(
		`UPDATE mail_outbox SET due_at = now() + make_interval(secs => $2::double precision)
		WHERE state = 'sending' AND claim_token = ANY($1::text[])`,
		[heldTokens, leaseSeconds],
	);
}

/** Returns claimed rows to the queue at once: those not started when a sender stops. */
export async function releaseClaims(
	q: Queryable,
	rows: ReadonlyArray<{ id: string; token: string }>,
) {
	if (rows.length === 0) return;
	await q.query(
		`UPDATE mail_outbox o SET state = 'queued', due_at = now(), claim_token = NULL
		FROM (SELECT unnest($1::text[])::bigint AS id, unnest($2::text[]) AS token) c
		WHERE o.id = c.id AND o.claim_token = c.token AND o.state = 'sending'`,
		[ids(rows), tokens(rows)],
	);
}

/**
 * With the embedded database only one process runs: every row still claimed was claimed by a process
 * that died before committing it as sent (so before the end of its message), and can go again now.
 */
export async function releaseDeadClaims(q: Queryable): Promise<number> {
	const { rows } = await q.query(
		"UPDATE mail_outbox SET state = 'queued', due_at = now(), claim_token = NULL WHERE state = 'sending' RETURNING id",
	);
	return rows.length;
}

/** How many mails every sender together started in the last minute: the shared rate limit's count. */
export async function attemptsLastMinute(q: Queryable): Promise<number> {
	const { rows } = await q.query<{ n: number }>(
		"SELECT count(*)::int AS n FROM mail_outbox WHERE last_attempt_at > now() - interval '60 seconds'",
	);
	return rows[0]?.n ?? 0;
}

/** One row of the delivery log. */
export interface DeliveryLogRow {
	id: string;
	itemId: string;
	/** The update's title or the subprocessor's public name. */
	item: string;
	email: string;
	state: 'queued' | 'sending' | 'sent' | 'failed' | 'skipped';
	attempts: number;
	queuedAt: Date;
	sentAt: Date | null;
	/** The server's last reply, or why the mail was skipped or failed. Null for a mail committed as sent whose reply was never recorded (the gate stopped in between). */
	reply: string | null;
}

/**
 * The delivery log, newest first, a page at a time, optionally for one item or state: for the console's
 * subscribers page. `before` is the id of the last row of the page before; pages are read from the
 * primary key, so no page counts or skips the rows before it.
 */
export async function deliveryLog(
	gate: Pick<Gate, 'db'>,
	options: {
		before?: string | undefined;
		limit?: number;
		itemId?: string | undefined;
		state?: DeliveryLogRow['state'] | undefined;
	} = {},
): Promise<DeliveryLogRow[]> {
	const limit = Math.min(500, Math.max(1, Math.floor(options.limit ?? 50)));
	const { rows } = await gate.db.query<{
		id: string;
		item_id: string;
		item: string;
		email: string;
		state: DeliveryLogRow['state'];
		attempts: number;
		queued_at: Date;
		sent_at: Date | null;
		reply: string | null;
	}>(
		`SELECT o.id::text AS id, o.item_id, coalesce(i.payload->>'title', i.payload->>'name') AS item, s.email,
			o.state, o.attempts, o.queued_at, o.sent_at, o.reply
		FROM mail_outbox o JOIN subscribers s ON s.id = o.subscriber_id JOIN notify_items i ON i.id = o.item_id
		WHERE ($1::text IS NULL OR o.item_id = $1) AND ($2::text IS NULL OR o.state = $2)
			AND ($3::bigint IS NULL OR o.id < $3::bigint)
		ORDER BY o.id DESC LIMIT $4`,
		[options.itemId ?? null, options.state ?? null, options.before ?? null, limit],
	);
	return rows.map((r) => ({
		id: r.id,
		itemId: r.item_id,
		item: r.item,
		email: r.email,
		state: r.state,
		attempts: r.attempts,
		queuedAt: r.queued_at,
		sentAt: r.sent_at,
		reply: r.reply,
	}));
}

/** One item's mails by state. */
export interface ItemDeliveries {
	itemId: string;
	item: string;
	topic: string;
	firstSeen: Date;
	/** Recorded as history by the first discovery: never mailed. */
	baseline: boolean;
	counts: Record<DeliveryLogRow['state'], number>;
}

/** Every item found in the build, newest first, with its mails counted by state: for the console. */
export async function itemDeliveries(gate: Pick<Gate, 'db'>): Promise<ItemDeliveries[]> {
	const { rows } = await gate.db.query<{
		id: string;
		item: string;
		topic: string;
		first_seen: Date;
		baseline: boolean;
		state: DeliveryLogRow['state'] | null;
		n: number;
	}>(
		`SELECT i.id, coalesce(i.payload->>'title', i.payload->>'name') AS item, i.topic, i.first_seen, i.baseline,
			o.state, count(o.id)::int AS n
		FROM notify_items i LEFT JOIN mail_outbox o ON o.item_id = i.id
		GROUP BY i.id, o.state ORDER BY i.first_seen DESC, i.id`,
	);
	const byItem = new Map<string, ItemDeliveries>();
	for (const r of rows) {
		let entry = byItem.get(r.id);
		if (!entry)
			byItem.set(
				r.id,
				(entry = {
					itemId: r.id,
					item: r.item,
					topic: r.topic,
					firstSeen: r.first_seen,
					baseline: r.baseline,
					counts: { queued: 0, sending: 0, sent: 0, failed: 0, skipped: 0 },
				}),
			);
		if (r.state) entry.counts[r.state] = r.n;
	}
	return [...byItem.values()];
}
