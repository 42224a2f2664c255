// Rate-limit counters in the database, so that every replica counts against the same limit.
import type { Queryable } from '../db.ts';

/** A limit: at most `max` hits per `seconds`-long window. */
export interface Limit {
	max: number;
	seconds: number;
}

/**
 * Counts one hit for `key` in the current fixed window, in the database so every replica shares the
 * count. Returns how many seconds to wait when the limit is passed.
 */
export async function hit(
	q: Queryable,
	key: string,
	limit: Limit,
	now = new Date(),
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
	const windowMs = limit.seconds * 1000;
	const start = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
	const { rows } = await q.query<{ count: number }>(
		'INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1) ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count',
		[key, start],
	);
	if ((rows[0]?.count ?? 0) <= limit.max) return { ok: true };
	return {
		ok: false,
		retryAfter: Math.max(1, Math.ceil((start.getTime() + windowMs - now.getTime()) / 1000)),
	};
}

/** Drops windows older than a day; the server calls it at start and every hour, so the table stays small. */
export async function pruneRateLimits(q: Queryable, now = new Date()): Promise<void> {
	await q.query('DELETE FROM rate_limits WHERE window_start < $1', [
		new Date(now.getTime() - 86_400_000),
	]);
}
