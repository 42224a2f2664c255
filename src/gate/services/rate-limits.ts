// Rate-limit counters in the database, so that every replica counts against the same limit.
import type { Queryable } from '../db.ts';
import { msUntilAllowed, previousWeight } from '../lib/sliding-window.ts';

/**
 * A limit: about `max` hits per `seconds`. It is judged over the last `seconds` as two fixed windows
 * estimate it (src/gate/lib/sliding-window.ts): a burst on either side of a window's edge is counted
 * together, though a client that spreads its hits just so may fit up to twice `max` in one stretch.
 */
export interface Limit {
	max: number;
	seconds: number;
}

/**
 * Counts one hit for `key` if the limit lets it through, in the database so every replica shares the
 * count, and says whether it did. Only hits let through are counted: a client that keeps retrying is let
 * in again as soon as its earlier hits slide out. Returns how many seconds to wait when it is refused:
 * until one more hit would be let through, if no other hit for `key` comes first.
 */
export async function hit(
	q: Queryable,
	key: string,
	limit: Limit,
	now = new Date(),
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
	const windowMs = limit.seconds * 1000;
	const start = Math.floor(now.getTime() / windowMs) * windowMs;
	const elapsed = now.getTime() - start;
	// The check is `admits` (src/gate/lib/sliding-window.ts), made on the locked row, so two replicas
	// counting at once never let more through.
	const { rows } = await q.query<{
		counted: number | null;
		previous: number;
		current: number | null;
	}>(
		`WITH previous AS (
			SELECT coalesce((SELECT count FROM rate_limits WHERE key = $1 AND window_start = $3), 0) AS n
		), counted AS (
			INSERT INTO rate_limits (key, window_start, count)
			SELECT $1, $2, 1 FROM previous WHERE previous.n * $4::float8 + 1 <= $5::int
			ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
			WHERE (SELECT n FROM previous) * $4::float8 + rate_limits.count + 1 <= $5::int
			RETURNING count
		)
		SELECT (SELECT count FROM counted) AS counted, (SELECT n FROM previous) AS previous,
			(SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2) AS current`,
		[
			key,
			new Date(start),
			new Date(start - windowMs),
			previousWeight(elapsed, windowMs),
			limit.max,
		],
	);
	const row = rows[0];
	if (row?.counted != null) return { ok: true };
	const counts = { previous: row?.previous ?? 0, current: row?.current ?? 0, elapsed };
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
