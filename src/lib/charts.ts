import type { Counts } from './status.ts';

/** The statuses a coverage bar shows, in order, each with its legend label. Not-applicable controls are left out. */
export const SEGMENTS = [
	{ key: 'implemented', label: 'Implemented' },
	{ key: 'partial', label: 'Partial' },
	{ key: 'planned', label: 'Planned' },
	{ key: 'failing', label: 'Failing' },
	{ key: 'stale', label: 'Stale evidence' },
	{ key: 'unknown', label: 'Not reported' },
] as const;

export type SegmentKey = (typeof SEGMENTS)[number]['key'];

/** One piece of a stacked bar. */
export interface Segment {
	key: SegmentKey;
	label: string;
	count: number;
	x: number;
	width: number;
}

/**
 * Splits a bar of `width` units among the applicable controls by status. Widths are rounded so they add
 * up to exactly `width`; empty statuses get no segment.
 */
export function barSegments(counts: Counts, width: number): Segment[] {
	if (counts.applicable === 0) return [];
	const segments: Segment[] = [];
	let x = 0;
	let cumulative = 0;
	for (const { key, label } of SEGMENTS) {
		const count = counts[key];
		if (count === 0) continue;
		cumulative += count;
		const end = Math.round((cumulative / counts.applicable) * width * 10) / 10;
		segments.push({ key, label, count, x, width: Math.round((end - x) * 10) / 10 });
		x = end;
	}
	return segments;
}

/** The sentence a chart stands for, for screen readers: "Implemented 81, Partial 4, Planned 2 of 89 applicable controls". */
export function chartLabel(counts: Counts, unit: string): string {
	const parts = SEGMENTS.filter(({ key }) => counts[key] > 0).map(({ key, label }) => `${label} ${counts[key]}`);
	const na = counts.notApplicable > 0 ? `; ${counts.notApplicable} not applicable` : '';
	return `${parts.join(', ')} of ${counts.applicable} applicable ${unit}${na}`;
}
