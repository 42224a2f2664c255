// Rate-limit counters in the database, so that every replica counts against the same limit.
import type { Queryable } from '../db.ts';

/** A limit: at most `max` hits in any `seconds` long stretch of time. */
export interface Limit {
	max: number;
	seconds: number;
}

/** The hits counted in the window under way and in the one before it, and how far into its window now is. */
export interface WindowCounts {
	previous: number;
	current: number;
	/** Milliseconds from the start of the current window to now. */
	elapsed: number;
}

/**
 * How many hits of the last `windowMs` the counts stand for: all of the current window's, and the share of
 * the previous window's that still lies within the last `windowMs`, as if its hits had come evenly.
 */
export function slidingCount(
	{ previous, current, elapsed }: WindowCounts,
	windowMs: number,
): number {
	return (previous * (windowMs - elapsed)) / windowMs + current;
}

/**
 * The milliseconds until one more hit would be within `max`, if none comes before: in the current window
 * once enough of the previous one has slid out, or else in the next window once enough of this one has.
 */
export function msUntilAllowed(counts: WindowCounts, windowMs: number, max: number): number {
	const { previous, current, elapsed } = counts;
	const left = windowMs - elapsed;
	if (current + 1 <= max) {
		const wait = previous > 0 ? left - (windowMs * (max - current - 1)) / previous : 0;
		if (wait < left) return Math.max(0, wait);
	}
	return left + Math.max(0, windowMs - (windowMs * (max - 1)) / current);
}

/**
 * Counts one hit for `key`, in the database so every replica shares the count, and says whether it is
 * within the limit. Counts slide: a burst just before and just after a window's edge is counted together,
 * where fixed windows would let twice the limit through there and reset every count at one moment.
 * Returns how many seconds to wait when the limit is passed.
 */
export async function hit(
	q: Queryable,
	key: string,
	limit: Limit,
	now = new Date(),
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
	const windowMs = limit.seconds * 1000;
	const start = Math.floor(now.getTime() / windowMs) * windowMs;
	const { rows } = await q.query<{ current: number; previous: number }>(
		`WITH counted AS (
			INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
			ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count
		)
		SELECT (SELECT count FROM counted) AS current,
			coalesce((SELECT count FROM rate_limits WHERE key = $1 AND window_start = $3), 0) AS previous`,
		[key, new Date(start), new Date(start - windowMs)],
	);
	const counts = {
		previous: rows[0]?.previous ?? 0,
		current: rows[0]?.current ?? 0,
		elapsed: now.getTime() - start,
	};
	if (slidingCount(counts, windowMs) <= limit.max) return { ok: true };
	return {
		ok: false,
		retryAfter: Math.max(1, Math.ceil(msUntilAllowed(counts, windowMs, limit.max) / 1000)),
	};
}

/** Drops windows older than a day; the server calls it at start and every hour, so the table stays small. */
export async function pruneRateLimits(q: Queryable, now = new Date()): Promise<void> {
	await q.query('DELETE FROM rate_limits WHERE window_start < $1', [
		new Date(now.getTime() - 86_400_000),
	]);
}
