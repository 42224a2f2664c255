import { CJK_TEXT, textWidth } from '../system-fonts.ts';
import type { Words } from '../words/words.ts';
import type { Counts } from './counts.ts';

/** The statuses a coverage bar shows, in order, each with its legend label's key. Not-applicable controls are left out. */
export const SEGMENTS = [
	{ key: 'implemented', label: 'value.implemented' },
	{ key: 'partial', label: 'value.partial' },
	{ key: 'planned', label: 'value.planned' },
	{ key: 'failing', label: 'value.failing' },
	{ key: 'stale', label: 'value.stale' },
	{ key: 'unknown', label: 'value.unknown' },
] as const;

export type SegmentKey = (typeof SEGMENTS)[number]['key'];

/** Where one status sits in a stacked bar. */
export interface BarPiece {
	key: SegmentKey;
	count: number;
	x: number;
	width: number;
}

/** One piece of a stacked bar, with its legend label in the site's words. */
export interface Segment extends BarPiece {
	label: string;
}

/**
 * Splits a bar of `width` units among the applicable controls by status. Widths are rounded so they add
 * up to exactly `width`; empty statuses get no piece.
 */
export function barPieces(
	counts: Pick<Counts, SegmentKey | 'applicable'>,
	width: number,
): BarPiece[] {
	if (counts.applicable === 0) return [];
	const pieces: BarPiece[] = [];
	let x = 0;
	let cumulative = 0;
	for (const { key } of SEGMENTS) {
		const count = counts[key];
		if (count === 0) continue;
		cumulative += count;
		const end = Math.round((cumulative / counts.applicable) * width * 10) / 10;
		pieces.push({ key, count, x, width: Math.round((end - x) * 10) / 10 });
		x = end;
	}
	return pieces;
}

/** {@link barPieces} with each piece's label in the site's words. */
export function barSegments(
	counts: Pick<Counts, SegmentKey | 'applicable'>,
	width: number,
	t: Words,
): Segment[] {
	const labels = new Map(SEGMENTS.map(({ key, label }) => [key, label]));
	return barPieces(counts, width).map((piece) => ({ ...piece, label: t(labels.get(piece.key)!) }));
}

/**
 * The sentence a chart stands for, for screen readers: "Implemented 81, Partial 4, Planned 2 of 89
 * applicable controls; 4 not applicable", or, when none apply, "No applicable controls; 2 not applicable".
 */
export function chartLabel(counts: Counts, unit: string, t: Words): string {
	const na =
		counts.notApplicable > 0 ? t('chart.alsoNotApplicable', { count: counts.notApplicable }) : '';
	if (counts.applicable === 0) return t('chart.noneApplicable', { unit }) + na;
	const segments = SEGMENTS.filter(({ key }) => counts[key] > 0)
		.map(({ key, label }) => t('chart.segment', { label: t(label), count: counts[key] }))
		.join(t('chart.listSeparator'));
	return t('chart.summary', { segments, applicable: counts.applicable, unit }) + na;
}

/** One domain in a chart's description: "Risk Mitigation 3 of 4", or "Risk Mitigation not applicable". */
export function domainLabel(counts: Counts & { domain: string }, t: Words): string {
	return counts.applicable === 0
		? t('chart.domainNotApplicable', { domain: counts.domain })
		: t('chart.domain', {
				domain: counts.domain,
				implemented: counts.implemented,
				applicable: counts.applicable,
			});
}

/**
 * A chart label in lines of at most `width` Latin letters' width (a CJK character counts two), broken
 * between words, or between any two CJK characters, in at most `maxLines` lines; what does not fit
 * ends the last line with "…" (the chart's description has the full label).
 * "Communication and Information", 26 → ["Communication and", "Information"].
 */
export function wrapLabel(text: string, width: number, maxLines = 2): string[] {
	// Words, and each CJK character on its own; `spaced` when a space came before it.
	const tokens: { text: string; spaced: boolean }[] = [];
	for (const [i, word] of text.trim().split(/\s+/).entries())
		for (const [j, piece] of word
			.split(new RegExp(`(${CJK_TEXT.source})`, 'u'))
			.filter(Boolean)
			.entries())
			tokens.push({ text: piece, spaced: i > 0 && j === 0 });
	const lines: { text: string; spaced: boolean }[] = [];
	for (const token of tokens) {
		const last = lines.at(-1);
		const joined = last && `${last.text}${token.spaced ? ' ' : ''}${token.text}`;
		if (last && joined !== undefined && textWidth(joined) <= width) last.text = joined;
		else lines.push({ ...token });
	}
	// An ellipsis ends the line, after its last whole word (or CJK character) that leaves room for it.
	const clip = (line: string) => {
		let kept = line;
		while (textWidth(kept) >= width) {
			const chars = [...kept];
			if (CJK_TEXT.test(chars.at(-1)!)) kept = chars.slice(0, -1).join('');
			else if (kept.includes(' ')) kept = kept.slice(0, kept.lastIndexOf(' ')).trimEnd();
			else break;
		}
		while (textWidth(kept) > width - 1) kept = [...kept].slice(0, -1).join('');
		return `${kept}…`;
	};
	const shown = lines
		.slice(0, maxLines)
		.map(({ text: line }) => (textWidth(line) > width ? clip(line) : line));
	const next = lines[maxLines];
	if (next)
		shown[maxLines - 1] = clip(`${shown[maxLines - 1]}${next.spaced ? ' ' : ''}${next.text}`);
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
