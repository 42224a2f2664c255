// The hash-chained audit log in the database: entries appended inside the caller's transaction, read in
// order, verified and exported a batch at a time (the console and the CLI share both), and paged for the
// console.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
	ChainVerifier,
	checkAnchor,
	chainEntry,
	type AuditEntry,
	type AuditEvent,
	type ChainCheck,
} from '../lib/audit-chain.ts';
import { AUDIT_LOCK, type Db, type Queryable } from '../db.ts';
import type { StaffRole } from '../../schemas/staff.ts';

/** A staff member signed in to the console: who they are at their identity provider, and their role. */
export interface StaffIdentity {
	/** How they signed in. */
	method: 'oidc' | 'passkey';
	/** The identity provider's issuer URL; for a passkey, the console's URL. */
	issuer: string;
	/** Their subject at the issuer; for a passkey, the passkey's id. */
	subject: string;
	email: string;
	/** Their role when they acted. */
	role: StaffRole;
	/** The console session they acted in. */
	session: string;
}

/**
 * Who did something: a plain actor (`requester:<email>`, `cli:<user>`, `rules`, `gate`), or a staff
 * member in the console, recorded as `staff:<email>` with their identity under `data.staff`.
 */
export type Actor = string | StaffIdentity;

/** The actor as one string, as the audit log's `actor` column and `decided_by`-style columns keep it. */
export function actorName(actor: Actor): string {
	return typeof actor === 'string' ? actor : `staff:${actor.email}`;
}

/**
 * Appends one event to the chain inside the caller's transaction. The advisory lock makes appends from
 * every replica take turns, so two entries never claim the same place in the chain. A staff actor's
 * identity (issuer, subject, e-mail, role, session) goes into the entry's data as `staff`.
 */
export async function appendAudit(
	q: Queryable,
	{ actor, ...event }: Omit<AuditEvent, 'actor'> & { actor: Actor },
	at = new Date(),
): Promise<AuditEntry> {
	await q.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
	const last = (
		await q.query<{ seq: number; hash: string }>(
			'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
		)
	).rows[0];
	const entry = chainEntry(
		last,
		{
			...event,
			actor: actorName(actor),
			data: typeof actor === 'string' ? event.data : { ...event.data, staff: { ...actor } },
		},
		at,
	);
	await insertAudit(q, [entry]);
	return entry;
}

/**
 * Writes chained entries as they are, in one statement. Only {@link appendAudit} (which chains under
 * the lock) and tests that seed a long log in bulk call it.
 */
export async function insertAudit(q: Queryable, entries: readonly AuditEntry[]): Promise<void> {
	const params: unknown[] = [];
	const values = entries.map((e) => {
		const n = params.push(
			e.seq,
			e.at,
			e.type,
			e.actor,
			e.subject,
			JSON.stringify(e.data),
			e.prevHash,
			e.hash,
		);
		return `($${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}::jsonb, $${n - 1}, $${n})`;
	});
	await q.query(
		`INSERT INTO audit_log (seq, at, type, actor, subject, data, prev_hash, hash) VALUES ${values.join(', ')}`,
		params,
	);
}

interface AuditRow {
	seq: number;
	at: string;
	type: string;
	actor: string;
	subject: string;
	data: Record<string, unknown>;
	prev_hash: string;
	hash: string;
}

const COLUMNS = 'seq, at, type, actor, subject, data, prev_hash, hash';
const toEntry = (r: AuditRow): AuditEntry => ({
	seq: r.seq,
	at: r.at,
	type: r.type,
	actor: r.actor,
	subject: r.subject,
	data: r.data,
	prevHash: r.prev_hash,
	hash: r.hash,
});

/** Every entry, in order (tests and small logs; the console and the CLI read in batches). */
export async function readAudit(q: Queryable): Promise<AuditEntry[]> {
	const { rows } = await q.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log ORDER BY seq`);
	return rows.map(toEntry);
}

/** An audit_log row as `json_build_array` writes it, in {@link COLUMNS} order. */
type BatchRow = [number, string, string, string, string, Record<string, unknown>, string, string];

/** Entries read per query when the whole log is walked: a few MB at most, whatever the log's length. */
export const AUDIT_BATCH = 2_000;

/**
 * Every entry up to `upTo` (the head when the walk started), in order, a batch of `batch` numbers at a
 * time. The next batch is read while the caller works through this one (on PostgreSQL the two overlap),
 * and between batches the event loop runs, so a walk over a long log never keeps the gate from
 * answering. A gap in the numbering is an empty or short batch; the chain check reports it.
 */
async function* auditBatches(
	q: Queryable,
	upTo: number,
	batch = AUDIT_BATCH,
): AsyncGenerator<AuditEntry[]> {
	const read = async (after: number): Promise<AuditEntry[]> => {
		// One JSON text per batch, parsed once: a third less work than the driver decoding every row.
		const { rows } = await q.query<{ batch: string }>(
			`SELECT coalesce(json_agg(json_build_array(${COLUMNS}) ORDER BY seq), '[]')::text AS batch
			FROM audit_log WHERE seq > $1 AND seq <= $2`,
			[after, Math.min(after + batch, upTo)],
		);
		return (JSON.parse(rows[0]!.batch) as BatchRow[]).map(
			([seq, at, type, actor, subject, data, prevHash, hash]): AuditEntry => ({
				seq,
				at,
				type,
				actor,
				subject,
				data,
				prevHash,
				hash,
			}),
		);
	};
	/** The read of the batch after `after`, or none past the head; a walk stopped early leaves it handled. */
	const start = (after: number) => {
		if (after >= upTo) return undefined;
		const reading = read(after);
		reading.catch(() => undefined);
		return reading;
	};
	let after = 0;
	let next = start(after);
	while (next) {
		const entries = await next;
		after = Math.min(after + batch, upTo);
		next = start(after);
		if (entries.length > 0) yield entries;
		await yieldToEventLoop();
	}
}

/** The last entry's number and hash; undefined for an empty log. */
export async function auditHead(
	q: Queryable,
): Promise<Pick<AuditEntry, 'seq' | 'hash'> | undefined> {
	return (
		await q.query<{ seq: number; hash: string }>(
			'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
		)
	).rows[0];
}

/** The result of {@link verifyAudit}: the chain's check, and what is wrong against an exported head. */
export type AuditVerification = ChainCheck & { anchorProblem?: string | undefined };

/**
 * Verifies the whole chain as it stands now (up to its current head), streaming it through the chain
 * check a batch at a time; with `anchor` (the head line of an earlier export), also that the entry it
 * names is still there with that hash. The console's Verify and the CLI's `audit verify` both call this.
 */
export async function verifyAudit(
	q: Queryable,
	options: { anchor?: Pick<AuditEntry, 'seq' | 'hash'> | undefined; batch?: number } = {},
): Promise<AuditVerification> {
	const { anchor } = options;
	// The head is read first: entries appended while the walk runs (the gate keeps working) wait for
	// the next verification.
	const maxSeq =
		(await q.query<{ max: number | null }>('SELECT max(seq) AS max FROM audit_log')).rows[0]?.max ??
		0;
	const verifier = new ChainVerifier();
	let atAnchor: AuditEntry | undefined;
	walk: for await (const entries of auditBatches(q, maxSeq, options.batch)) {
		for (const entry of entries) {
			if (!verifier.push(entry)) break walk;
			if (entry.seq === anchor?.seq) atAnchor = entry;
		}
	}
	const check = verifier.result();
	if (!check.ok || !anchor) return check;
	return { ...check, anchorProblem: checkAnchor(check, atAnchor, anchor) };
}

/**
 * Records a verification as the log's next entry, `audit.verified` with its outcome (and, with an
 * exported head to check against, that head and what is wrong with it): the console's Verify and the
 * CLI's `audit verify` both leave this entry, under their actor.
 */
export async function recordVerification(
	db: Db,
	actor: Actor,
	check: AuditVerification,
	at: Date,
	anchor?: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
): Promise<AuditEntry> {
	const outcome = check.ok
		? { intact: true, count: check.count, head: check.head ?? null }
		: { intact: false, count: check.count, brokenAt: check.seq, reason: check.reason };
	const against = anchor
		? {
				against: { seq: anchor.seq, hash: anchor.hash },
				...(check.anchorProblem ? { anchorProblem: check.anchorProblem } : {}),
			}
		: {};
	return db.tx((q) =>
		appendAudit(
			q,
			{ type: 'audit.verified', actor, subject: 'audit-log', data: { ...outcome, ...against } },
			at,
		),
	);
}

/**
 * Records an export as the log's next entry, `audit.exported`, before the export reads the log, so the
 * export holds its own entry and ends with it as the head: the console's export and the CLI's
 * `audit export` both leave this entry.
 */
export async function recordExport(db: Db, actor: Actor, at: Date): Promise<AuditEntry> {
	return db.tx((q) =>
		appendAudit(q, { type: 'audit.exported', actor, subject: 'audit-log', data: {} }, at),
	);
}

/**
 * The audit log as JSON Lines, a batch of lines per chunk: every entry up to the head when the export
 * started, then the head line `{"head":{"seq":…,"hash":"…"},"exportedAt":"…"}` that
 * `audit verify --against` checks. The console's export and the CLI's `audit export` both use this.
 */
export async function* exportAudit(q: Queryable, now: Date): AsyncGenerator<string> {
	const head = await auditHead(q);
	let last: Pick<AuditEntry, 'seq' | 'hash'> | undefined;
	for await (const entries of auditBatches(q, head?.seq ?? 0)) {
		yield `${entries.map((e) => JSON.stringify(e)).join('\n')}\n`;
		const end = entries.at(-1)!;
		last = { seq: end.seq, hash: end.hash };
	}
	yield JSON.stringify({ head: last ?? null, exportedAt: now.toISOString() });
}

/**
 * A page of the log for the console, newest first: entries numbered below `before` (the newest when
 * absent), of one `type` when given, at most `limit`. Reads the primary key, or the (type, seq) index.
 */
export async function listAudit(
	q: Queryable,
	page: { before?: number | undefined; type?: string | undefined; limit: number },
): Promise<AuditEntry[]> {
	const where: string[] = [];
	const params: unknown[] = [];
	if (page.before !== undefined) where.push(`seq < $${params.push(page.before)}`);
	if (page.type !== undefined) where.push(`type = $${params.push(page.type)}`);
	const { rows } = await q.query<AuditRow>(
		`SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${params.push(page.limit)}`,
		params,
	);
	return rows.map(toEntry);
}

/**
 * The event types the log holds, in order: one index probe per type (a loose index scan), never a
 * pass over the whole log.
 */
export async function auditTypes(q: Queryable): Promise<string[]> {
	const { rows } = await q.query<{ type: string }>(
		`WITH RECURSIVE t(type) AS (
			SELECT min(type) FROM audit_log
			UNION ALL
			SELECT (SELECT min(type) FROM audit_log WHERE type > t.type) FROM t WHERE t.type IS NOT NULL
		)
		SELECT type FROM t WHERE type IS NOT NULL LIMIT 500`,
	);
	return rows.map((r) => r.type);
}
