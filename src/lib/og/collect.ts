// How a drawing process frees each image's memory. resvg's pixel buffers live outside the JS heap, held by
// small JS objects that die young; without help V8 collects them late (a 2,000-card build peaked at
// 340 MiB). A full collection every 8 images kept memory flat but cost more than drawing did: 36.9 ms
// of CPU per card against 16.8 ms with a scavenge after each one, which frees the same buffers
// (`npm run bench:og` measures the three side by side). The scavenge lets the heap grow a little more:
// 2,000 cards peaked at 299 MiB against 238 MiB.

/** Node's flag that gives a drawing process `gc()`. */
export const COLLECT_EXEC_ARGV = ['--expose-gc'];

type Collect = (options?: { type: 'minor' | 'major' }) => void;
const gc = (globalThis as { gc?: Collect }).gc;

/** After each image: a scavenge of the young generation, or nothing in a process without COLLECT_EXEC_ARGV. */
export function collectAfterImage(): void {
	gc?.({ type: 'minor' });
}
