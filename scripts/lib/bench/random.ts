/**
 * A small seeded pseudo-random generator, so two runs with the same page count write byte-identical
 * sites and timings compare like with like. Math.random would make every run a different benchmark.
 */
export interface Random {
	/** A float in [0, 1). */
	next(): number;
	/** A whole number in [min, max], both included. */
	int(min: number, max: number): number;
	/** One element of a non-empty list. */
	pick<T>(items: readonly T[]): T;
	/** `count` distinct elements of a list, in random order (all of them if the list is shorter). */
	sample<T>(items: readonly T[], count: number): T[];
	/** True with probability `p`. */
	chance(p: number): boolean;
	/** One key of `weights`, drawn in proportion to its weight. */
	weighted<K extends string>(weights: Record<K, number>): K;
}

/**
 * Creates a generator from a seed (mulberry32: tiny, fast, and good enough for filler content).
 * @param seed any 32-bit integer; the same seed always yields the same sequence.
 */
export function createRandom(seed: number): Random {
	let state = seed >>> 0;
	const next = (): number => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
	const pick = <T>(items: readonly T[]): T => {
		if (items.length === 0) throw new Error('pick() needs at least one item');
		return items[Math.floor(next() * items.length)]!;
	};
	const sample = <T>(items: readonly T[], count: number): T[] => {
		const pool = [...items];
		// Partial Fisher-Yates: only the first `count` slots need shuffling.
		const n = Math.min(count, pool.length);
		for (let i = 0; i < n; i++) {
			const j = i + Math.floor(next() * (pool.length - i));
			[pool[i], pool[j]] = [pool[j]!, pool[i]!];
		}
		return pool.slice(0, n);
	};
	const weighted = <K extends string>(weights: Record<K, number>): K => {
		const entries = Object.entries(weights) as [K, number][];
		const total = entries.reduce((sum, [, w]) => sum + w, 0);
		let roll = next() * total;
		for (const [key, w] of entries) {
			roll -= w;
			if (roll < 0) return key;
		}
		return entries.at(-1)![0];
	};
	return { next, int, pick, sample, chance: (p) => next() < p, weighted };
}
