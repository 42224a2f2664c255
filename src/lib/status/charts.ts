import type { Counts } from './counts.ts';

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
export function barSegments(
	counts: Pick<Counts, SegmentKey | 'applicable'>,
	width: number,
): Segment[] {
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

/**
 * The sentence a chart stands for, for screen readers: "Implemented 81, Partial 4, Planned 2 of 89
 * applicable controls; 4 not applicable", or, when none apply, "No applicable controls; 2 not applicable".
 */
export function chartLabel(counts: Counts, unit: string): string {
	const na = counts.notApplicable > 0 ? `; ${counts.notApplicable} not applicable` : '';
	if (counts.applicable === 0) return `No applicable ${unit}${na}`;
	const parts = SEGMENTS.filter(({ key }) => counts[key] > 0).map(
		({ key, label }) => `${label} ${counts[key]}`,
	);
	return `${parts.join(', ')} of ${counts.applicable} applicable ${unit}${na}`;
}

/** One domain in a chart's description: "Risk Mitigation 3 of 4", or "Risk Mitigation not applicable". */
export function domainLabel(counts: Counts & { domain: string }): string {
	return counts.applicable === 0
		? `${counts.domain} not applicable`
		: `${counts.domain} ${counts.implemented} of ${counts.applicable}`;
}

/**
 * A chart label in lines of at most `width` characters, broken between words, in at most `maxLines`
 * lines; what does not fit ends the last line with "…" (the chart's description has the full label).
 * "Communication and Information", 26 → ["Communication and", "Information"].
 */
export function wrapLabel(text: string, width: number, maxLines = 2): string[] {
	const lines: string[] = [];
	for (const word of text.trim().split(/\s+/)) {
		const last = lines.at(-1);
		if (last !== undefined && `${last} ${word}`.length <= width)
			lines[lines.length - 1] = `${last} ${word}`;
		else lines.push(word);
	}
	// An ellipsis ends the line, after its last whole word that leaves room for it when there is one.
	const clip = (line: string) => {
		let kept = line;
		while (kept.length >= width && kept.includes(' ')) kept = kept.slice(0, kept.lastIndexOf(' '));
		return `${kept.slice(0, width - 1)}…`;
	};
	const shown = lines.slice(0, maxLines).map((line) => (line.length > width ? clip(line) : line));
	if (lines.length > maxLines)
		shown[maxLines - 1] = clip(`${shown[maxLines - 1]} ${lines[maxLines]}`);
	return shown;
}

const SPACING = 6;
const DOT = 1.2;
const r = (n: number) => Math.round(n * 100) / 100;

/**
 * The marks that tell a status apart without its colour, as SVG path data inside the box (x, y, w, h):
 * partial `/` hatching, failing cross-hatching, stale horizontal lines, planned dots. Drawn as plain
 * paths rather than SVG patterns, which Chromium rasterises when printing the whitepaper.
 */
export function segmentMarks(
	key: SegmentKey,
	x: number,
	y: number,
	w: number,
	h: number,
): { lines: string; dots: string } {
	const lines: string[] = [];
	const dots: string[] = [];
	// A diagonal from the box's bottom edge at x + t, rising (dir 1) or falling (dir -1), clipped to the box.
	const diagonal = (t: number, dir: 1 | -1) => {
		const from = Math.max(0, -t);
		const to = Math.min(h, w - t);
		if (to <= from) return;
		const [y0, y1] = dir === 1 ? [y + h - from, y + h - to] : [y + from, y + to];
		lines.push(`M${r(x + t + from)} ${r(y0)}L${r(x + t + to)} ${r(y1)}`);
	};
	if (key === 'partial' || key === 'failing') {
		for (let t = -h; t < w; t += SPACING) {
			diagonal(t, 1);
			if (key === 'failing') diagonal(t, -1);
		}
	} else if (key === 'stale') {
		for (let yy = y + SPACING / 2; yy < y + h; yy += SPACING)
			lines.push(`M${r(x)} ${r(yy)}H${r(x + w)}`);
	} else if (key === 'planned') {
		for (let cy = y + SPACING / 2; cy < y + h; cy += SPACING) {
			for (let cx = x + SPACING / 2; cx < x + w; cx += SPACING)
				dots.push(
					`M${r(cx - DOT)} ${r(cy)}a${DOT} ${DOT} 0 1 0 ${2 * DOT} 0a${DOT} ${DOT} 0 1 0 ${-2 * DOT} 0`,
				);
		}
	}
	return { lines: lines.join(''), dots: dots.join('') };
}
