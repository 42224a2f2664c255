// The console's landing page in numbers: what waits, what was granted and downloaded this month, who
// downloads most, and what needs someone's action (an overdue request, an old signing key, a document
// past its validUntil). Every query is a count over an index or a window of at most 30 days.
import { overdueBefore } from '../lib/business-days.ts';
import type { DatedDocument } from '../lib/access-config.ts';
import type { Gate } from './gate.ts';
import type { KeyRing, KeySource } from './keys.ts';

/**
 * A request is overdue once it has waited more than this many business days (Monday to Friday, UTC)
 * for review: from when the requester confirmed their address, not from when they filled in the form.
 */
export const REVIEW_BUSINESS_DAYS = 2;
const DAY_MS = 86_400_000;

/** Something the dashboard asks the team to act on. */
export type Warning =
	| { kind: 'overdue'; count: number; oldestSince: Date }
	| { kind: 'key'; kid: string; source: KeySource; ageDays: number; rotationDays: number }
	| { kind: 'document'; document: DatedDocument };

/** What the dashboard shows. */
export interface Dashboard {
	/** Requests waiting for a decision. */
	pending: number;
	/** Grants made since the 1st of this month, 00:00 UTC. */
	grantsThisMonth: number;
	/** Documents downloaded since the 1st of this month, 00:00 UTC. */
	downloadsThisMonth: number;
	/** The companies that downloaded most in the last 30 days, most first (at most 5). */
	topCompanies: { company: string; downloads: number }[];
	warnings: Warning[];
}

/** A key's age in whole days at `now`, when it is known (0 for one made on a clock slightly ahead). */
export function keyAgeDays(createdAt: Date | undefined, now: Date): number | undefined {
	return createdAt && Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / DAY_MS));
}

/**
 * The key that signs new links, when it is older than `rotationDays`. Its age comes from the database,
 * or for an environment key from a date in its id (`2026-11:…`); a key without either is not judged.
 */
export function keyWarning(
	keyring: Pick<KeyRing, 'keys' | 'source'>,
	rotationDays: number,
	now: Date,
): Warning | undefined {
	const key = keyring.keys[0];
	const ageDays = keyAgeDays(key?.createdAt, now);
	return key && ageDays !== undefined && ageDays > rotationDays
		? { kind: 'key', kid: key.kid, source: keyring.source, ageDays, rotationDays }
		: undefined;
}

/** The dashboard's counts and warnings at `now`. */
export async function dashboard(
	gate: Gate,
	settings: { keyRotationDays: number },
	now = gate.now(),
): Promise<Dashboard> {
	const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
	const since30 = new Date(now.getTime() - 30 * DAY_MS);
	const count = async (sql: string, params: unknown[] = []) =>
		Number((await gate.db.query<{ n: string | number }>(sql, params)).rows[0]?.n ?? 0);
	const [pending, grantsThisMonth, downloadsThisMonth, top, overdue] = await Promise.all([
		count(`SELECT count(*) AS n FROM access_requests WHERE status IN ('pending', 'partial')`),
		count('SELECT count(*) AS n FROM grants WHERE created_at >= $1', [monthStart]),
		count('SELECT count(*) AS n FROM downloads WHERE at >= $1', [monthStart]),
		gate.db.query<{ company: string; downloads: string | number }>(
			`SELECT r.company, count(*) AS downloads FROM downloads d
			 JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id
			 WHERE d.at >= $1 GROUP BY r.company ORDER BY downloads DESC, r.company LIMIT 5`,
			[since30],
		),
		gate.db.query<{ n: string | number; oldest: Date | null }>(
			`SELECT count(*) AS n, min(coalesce(verified_at, created_at)) AS oldest FROM access_requests
			 WHERE status IN ('pending', 'partial') AND coalesce(verified_at, created_at) < $1`,
			[overdueBefore(REVIEW_BUSINESS_DAYS, now)],
		),
	]);
	const warnings: Warning[] = [];
	const late = overdue.rows[0];
	if (late?.oldest)
		warnings.push({ kind: 'overdue', count: Number(late.n), oldestSince: late.oldest });
	const key = keyWarning(gate.keyring, settings.keyRotationDays, now);
	if (key) warnings.push(key);
	for (const document of gate.config.dated)
		if (document.validUntil.getTime() < now.getTime())
			warnings.push({ kind: 'document', document });
	return {
		pending,
		grantsThisMonth,
		downloadsThisMonth,
		topCompanies: top.rows.map((r) => ({ company: r.company, downloads: Number(r.downloads) })),
		warnings,
	};
}
