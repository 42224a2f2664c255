// The Open Graph card: a satori element tree (plain objects, no React) for one page.
import { barPieces, segmentMarks, type SegmentKey } from '../status/charts.ts';
import type { Counts } from '../status/counts.ts';
import { OG_HEIGHT, OG_WIDTH } from './size.ts';
import { textWidth } from '../system-fonts.ts';

/** Everything an image shows; its hash is the cache key, so nothing else may change the picture. */
export interface OgInput {
	/** Page title, e.g. "Access control policy". */
	title: string;
	/** Page kind, e.g. "Policy", or "Trust center" for pages without one. */
	kind: string;
	/** One line under the title: the page description, or a framework's status and counts. */
	subtitle: string;
	/** The footer's words, e.g. "Kestrel Ledger Trust Center". */
	footer: string;
	/** Host shown in the footer, e.g. trust.kestrelledger.example. */
	host: string;
	brandColor: string;
	/** For framework pages: the counts drawn as a bar. */
	counts?:
		| Pick<
				Counts,
				'applicable' | 'implemented' | 'partial' | 'planned' | 'failing' | 'stale' | 'unknown'
		  >
		| undefined;
	/** For framework pages: the legend under the bar, each status with controls and its words, e.g. "Implemented 81". */
	legend?: { key: SegmentKey; text: string }[] | undefined;
}

export type OgNode = { type: string; props: Record<string, unknown> };
const el = (
	type: string,
	style: Record<string, unknown>,
	children?: unknown,
	extra: Record<string, unknown> = {},
): OgNode => ({ type, props: { style, children, ...extra } });

/**
 * Shortens text to `max` widths (textWidth) with an ellipsis, at a word boundary when there is one
 * late enough, and never inside a character (an emoji, a CJK Extension B character).
 */
export function clip(text: string, max: number): string {
	if (textWidth(text) <= max) return text;
	let cut = '';
	let width = 0;
	for (const char of text) {
		width += textWidth(char);
		if (width > max - 1) break;
		cut += char;
	}
	const space = cut.lastIndexOf(' ');
	const atWord = space > 0 && textWidth(cut.slice(0, space)) > max * 0.6;
	return `${(atWord ? cut.slice(0, space) : cut).trimEnd()}…`;
}

// The card's fixed measures, in pixels. Everything above BAND_TOP and below the band's room is the
// same on every card of a site (its frame); only the band between them depends on the page.
const BRAND_BAR = 16;
const PAD_X = 72;
const PAD_TOP = 56;
const PAD_BOTTOM = 40;
const LOGO_HEIGHT = 64;
/** The footer's line of 24 px Inter (its normal line height, rounded). */
const FOOTER_LINE = 29;

/** Where the band (kind, title, subtitle, counts bar) starts: under the brand bar and the logo. */
export const BAND_TOP = BRAND_BAR + PAD_TOP + LOGO_HEIGHT;
/** The tallest band that fits above the footer, its bottom padding included. */
export const BAND_ROOM = OG_HEIGHT - BAND_TOP - FOOTER_LINE - PAD_BOTTOM;

/**
 * The fill of each status on the card's white background, as the site's chart has them in its light
 * theme (src/styles/trust.css): the marks of segmentMarks tell them apart without colour, and "not
 * reported" is white inside the bar's frame, so it reads as a gap rather than as the track.
 */
const SEGMENT_FILLS: Record<SegmentKey, string> = {
	implemented: '#1a7f37',
	partial: '#f0c36a',
	planned: '#9cc3f5',
	failing: '#f2a29b',
	stale: '#c4c9d0',
	unknown: '#ffffff',
};
const BAR_WIDTH = OG_WIDTH - 2 * PAD_X;
const BAR_HEIGHT = 28;
const SWATCH = 22;

/** A status bar (or a legend swatch, one segment filling the box) as an SVG data URI, drawn like the site's chart. */
function barImage(segments: { key: SegmentKey; x: number; width: number }[], w: number, h: number) {
	const parts = segments.map(({ key, x, width }) => {
		const marks = segmentMarks(key, x, 0, width, h);
		return [
			`<rect x="${x}" y="0" width="${width}" height="${h}" fill="${SEGMENT_FILLS[key]}"/>`,
			marks.lines && `<path d="${marks.lines}" fill="none" stroke="#15171a" stroke-width="1.2"/>`,
			marks.dots && `<path d="${marks.dots}" fill="#15171a"/>`,
		].join('');
	});
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">${parts.join('')}<rect x="0.5" y="0.5" width="${w - 1}" height="${h - 1}" fill="none" stroke="#8c959f"/></svg>`;
	return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/** The counts bar and its legend: every status with controls, each with its marks and count, as on the site. */
function countsParts(
	counts: NonNullable<OgInput['counts']>,
	items: NonNullable<OgInput['legend']>,
): OgNode[] {
	const segments = barPieces(counts, BAR_WIDTH);
	const legend = items.map(({ key, text }) =>
		el('div', { display: 'flex', alignItems: 'center', marginRight: 20 }, [
			el('img', { width: SWATCH, height: SWATCH, marginRight: 8 }, undefined, {
				src: barImage([{ key, x: 0, width: SWATCH }], SWATCH, SWATCH),
				width: SWATCH,
				height: SWATCH,
			}),
			text,
		]),
	);
	return [
		el('img', { width: BAR_WIDTH, height: BAR_HEIGHT, marginTop: 28 }, undefined, {
			src: barImage(segments, BAR_WIDTH, BAR_HEIGHT),
			width: BAR_WIDTH,
			height: BAR_HEIGHT,
		}),
		el(
			'div',
			{ display: 'flex', flexWrap: 'wrap', marginTop: 14, fontSize: 20, color: '#3f4650' },
			legend,
		),
	];
}

/** The kind, title, subtitle and counts bar of `input`, as the card stacks them under the logo. */
function bandParts(input: OgInput): OgNode[] {
	const bar =
		input.counts && input.counts.applicable > 0
			? countsParts(input.counts, input.legend ?? [])
			: [];
	return [
		el(
			'div',
			{
				display: 'flex',
				marginTop: 44,
				fontSize: 26,
				fontWeight: 700,
				letterSpacing: 2,
				textTransform: 'uppercase',
				color: input.brandColor,
			},
			input.kind,
		),
		el(
			'div',
			{
				display: 'flex',
				marginTop: 12,
				fontSize: textWidth(input.title) > 48 ? 56 : 68,
				fontWeight: 700,
				lineHeight: 1.1,
				letterSpacing: -1,
				// A word wider than the card (a German compound) breaks instead of running off its edge.
				wordBreak: 'break-word',
			},
			clip(input.title, 90),
		),
		el(
			'div',
			{
				display: 'flex',
				marginTop: 20,
				fontSize: 30,
				color: '#3f4650',
				lineHeight: 1.35,
				wordBreak: 'break-word',
			},
			clip(input.subtitle, 140),
		),
		...bar,
	];
}

/** The card's text colour and font, set on the root of both the card and the band. */
const TEXT = { fontFamily: 'Inter', color: '#15171a' };

/**
 * The card for `input`, 1200×630; `logo` is a data URI of the light logo. Without `band`, the frame
 * alone: the white card with the brand bar, the logo and the footer, which every card of a site shares.
 */
export function ogCard(input: OgInput, logo: string, band = true): OgNode {
	return el(
		'div',
		{
			display: 'flex',
			flexDirection: 'column',
			width: OG_WIDTH,
			height: OG_HEIGHT,
			backgroundColor: '#ffffff',
			...TEXT,
		},
		[
			el('div', {
				display: 'flex',
				width: '100%',
				height: BRAND_BAR,
				backgroundColor: input.brandColor,
			}),
			el(
				'div',
				{
					display: 'flex',
					flexDirection: 'column',
					flexGrow: 1,
					padding: `${PAD_TOP}px ${PAD_X}px ${PAD_BOTTOM}px`,
				},
				[
					el('img', { height: LOGO_HEIGHT }, undefined, {
						src: logo,
						height: LOGO_HEIGHT,
						width: 352,
					}),
					...(band ? bandParts(input) : []),
				],
			),
			el(
				'div',
				{
					display: 'flex',
					justifyContent: 'space-between',
					height: FOOTER_LINE,
					padding: `0 ${PAD_X}px ${PAD_BOTTOM}px`,
					fontSize: 24,
					color: '#57606a',
				},
				[el('div', { display: 'flex' }, input.footer), el('div', { display: 'flex' }, input.host)],
			),
		],
	);
}

/**
 * The band of `input` alone, full width and as tall as its content, transparent around the text: laid
 * out as in the card (the same parts, padding and width), so that drawn at BAND_TOP over the frame it
 * gives the card's pixels.
 */
export function ogBand(input: OgInput): OgNode {
	return el(
		'div',
		{
			display: 'flex',
			flexDirection: 'column',
			padding: `0 ${PAD_X}px ${PAD_BOTTOM}px`,
			...TEXT,
		},
		bandParts(input),
	);
}

/** What the frame shows: the inputs every card of a site shares. */
export function frameInput(input: OgInput): Pick<OgInput, 'footer' | 'host' | 'brandColor'> {
	return { footer: input.footer, host: input.host, brandColor: input.brandColor };
}
