// The hash-chained audit log in the database: entries appended inside the caller's transaction, and read in order.
import { chainEntry, type AuditEntry, type AuditEvent } from '../lib/audit-chain.ts';
import { AUDIT_LOCK, type Queryable } from '../db.ts';

/**
 * Appends one event to the chain inside the caller's transaction. The advisory lock makes appends from
 * every replica take turns, so two entries never claim the same place in the chain.
 */
export async function appendAudit(
	q: Queryable,
	event: AuditEvent,
	at = new Date(),
): Promise<AuditEntry> {
	await q.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
	const last = (
		await q.query<{ seq: number; hash: string }>(
			'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
		)
	).rows[0];
	const entry = chainEntry(last, event, at);
	await q.query(
		'INSERT INTO audit_log (seq, at, type, actor, subject, data, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)',
		[
			entry.seq,
			entry.at,
			entry.type,
			entry.actor,
			entry.subject,
			JSON.stringify(entry.data),
			entry.prevHash,
			entry.hash,
		],
	);
	return entry;
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

/** Every entry, in order. */
export async function readAudit(q: Queryable): Promise<AuditEntry[]> {
	const { rows } = await q.query<AuditRow>(
		'SELECT seq, at, type, actor, subject, data, prev_hash, hash FROM audit_log ORDER BY seq',
	);
	return rows.map((r) => ({
		seq: r.seq,
		at: r.at,
		type: r.type,
		actor: r.actor,
		subject: r.subject,
		data: r.data,
		prevHash: r.prev_hash,
		hash: r.hash,
	}));
}
