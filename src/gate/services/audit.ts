// The hash-chained audit log in the database: entries appended inside the caller's transaction, and read in order.
import { chainEntry, type AuditEntry, type AuditEvent } from '../lib/audit-chain.ts';
import { AUDIT_LOCK, type Queryable } from '../db.ts';
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
