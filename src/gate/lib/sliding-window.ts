// The arithmetic of the gate's rate limits, apart from the database that keeps their counts: each key
// counts the hits it let through in fixed windows, and a limit is judged over the last window's length
// by weighting the previous window's count by the share of it still inside that length.

/** The hits let through in the window under way and in the one before it, and how far into its window now is. */
export interface WindowCounts {
	/** Hits let through in the previous window. */
	previous: number;
	/** Hits let through so far in the current window. */
	current: number;
	/** Milliseconds from the start of the current window to now. */
	elapsed: number;
}

/**
 * How many hits of the last `windowMs` the counts stand for: all of the current window's, and the share
 * of the previous window's that still lies within the last `windowMs`, as if its hits had come evenly.
 */
export function slidingCount(
	{ previous, current, elapsed }: WindowCounts,
	windowMs: number,
): number {
	return previous * previousWeight(elapsed, windowMs) + current;
}

/** The share of the previous window still within the last `windowMs`, `elapsed` ms into the current one. */
export function previousWeight(elapsed: number, windowMs: number): number {
	return (windowMs - elapsed) / windowMs;
}

/**
 * Whether one more hit is within `max`: the counts with it stand for at most `max` hits. `hit` in
 * src/gate/services/rate-limits.ts makes this same test in SQL, on the locked row.
 */
export function admits(counts: WindowCounts, windowMs: number, max: number): boolean {
	return slidingCount({ ...counts, current: counts.current + 1 }, windowMs) <= max;
}

/**
 * The milliseconds until {@link admits} would let one more hit through, if no other hit comes first: in
 * the current window once enough of the previous one has slid out, or else in the next window once
 * enough of this one has. 0 when it would now.
 */
export function msUntilAllowed(counts: WindowCounts, windowMs: number, max: number): number {
	const { previous, current, elapsed } = counts;
	const left = windowMs - elapsed;
	if (current + 1 <= max) {
		const wait = previous > 0 ? left - (windowMs * (max - current - 1)) / previous : 0;
		if (wait < left) return Math.max(0, wait);
	}
	// In the next window, this window's hits are the previous ones.
	return current > 0 ? left + Math.max(0, windowMs - (windowMs * (max - 1)) / current) : left;
}
