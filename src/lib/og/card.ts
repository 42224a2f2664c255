// The Open Graph card: a satori element tree (plain objects, no React) for one page.
import type { Counts } from '../status/counts.ts';

/** Everything an image shows; its hash is the cache key, so nothing else may change the picture. */
export interface OgInput {
	/** Page title, e.g. "Access control policy". */
	title: string;
	/** Page kind, e.g. "Policy", or "Trust center" for pages without one. */
	kind: string;
	/** One line under the title: the page description, or a framework's status and counts. */
	subtitle: string;
	siteName: string;
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
}

type Node = { type: string; props: Record<string, unknown> };
const el = (
	type: string,
	style: Record<string, unknown>,
	children?: unknown,
	extra: Record<string, unknown> = {},
): Node => ({ type, props: { style, children, ...extra } });

/** Shortens text to `max` characters at a word boundary, with an ellipsis. */
export function clip(text: string, max: number): string {
	if (text.length <= max) return text;
	const cut = text.slice(0, max - 1);
	return `${cut.slice(0, cut.lastIndexOf(' ') > max * 0.6 ? cut.lastIndexOf(' ') : cut.length).trimEnd()}…`;
}

/** The card for `input`, 1200×630; `logo` is a data URI of the light logo. */
export function ogCard(input: OgInput, logo: string): Node {
	const bar =
		input.counts && input.counts.applicable > 0
			? el(
					'div',
					{
						display: 'flex',
						width: '100%',
						height: 28,
						borderRadius: 14,
						overflow: 'hidden',
						backgroundColor: '#e6e8ec',
						marginTop: 28,
					},
					[
						el('div', {
							width: `${(input.counts.implemented / input.counts.applicable) * 100}%`,
							height: '100%',
							backgroundColor: '#1a7f37',
						}),
						el('div', {
							width: `${((input.counts.partial + input.counts.planned) / input.counts.applicable) * 100}%`,
							height: '100%',
							backgroundColor: '#d4a72c',
						}),
					],
				)
			: undefined;
	return el(
		'div',
		{
			display: 'flex',
			flexDirection: 'column',
			width: 1200,
			height: 630,
			backgroundColor: '#ffffff',
			fontFamily: 'Inter',
			color: '#15171a',
		},
		[
			el('div', { display: 'flex', width: '100%', height: 16, backgroundColor: input.brandColor }),
			el(
				'div',
				{ display: 'flex', flexDirection: 'column', flexGrow: 1, padding: '56px 72px 40px' },
				[
					el('img', { height: 64 }, undefined, { src: logo, height: 64, width: 352 }),
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
							fontSize: input.title.length > 48 ? 56 : 68,
							fontWeight: 700,
							lineHeight: 1.1,
							letterSpacing: -1,
						},
						clip(input.title, 90),
					),
					el(
						'div',
						{ display: 'flex', marginTop: 20, fontSize: 30, color: '#3f4650', lineHeight: 1.35 },
						clip(input.subtitle, 140),
					),
					...(bar ? [bar] : []),
				],
			),
			el(
				'div',
				{
					display: 'flex',
					justifyContent: 'space-between',
					padding: '0 72px 40px',
					fontSize: 24,
					color: '#57606a',
				},
				[
					el('div', { display: 'flex' }, `${input.siteName} Trust Center`),
					el('div', { display: 'flex' }, input.host),
				],
			),
		],
	);
}
