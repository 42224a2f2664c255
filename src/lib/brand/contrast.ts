import type { SiteSettings } from '../../schemas/site.ts';
import type { Problem } from '../content/problems.ts';

/** Backgrounds the brand colours are drawn on: Starlight's light and dark page backgrounds. */
export const LIGHT_BACKGROUND = '#ffffff';
export const DARK_BACKGROUND = '#17181c';
/** WCAG 2.x AA for normal text. */
export const AA_TEXT = 4.5;

function luminance(hex: string): number {
	const [r, g, b] = [1, 3, 5].map((i) => {
		const c = parseInt(hex.slice(i, i + 2), 16) / 255;
		return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
	}) as [number, number, number];
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. */
export function contrastRatio(a: string, b: string): number {
	const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
	return (hi + 0.05) / (lo + 0.05);
}

/**
 * The brand colours against the backgrounds they are used on. A colour under WCAG AA is an error that
 * names the setting, the ratio and what to do.
 */
export function checkBrandContrast(
	site: Pick<SiteSettings, 'brandColor' | 'brandColorDark'>,
	file: string,
): Problem[] {
	const checks: Array<
		[field: string, color: string | undefined, background: string, where: string, fix: string]
	> = [
		[
			'brandColor',
			site.brandColor,
			LIGHT_BACKGROUND,
			'the light background',
			'Choose a darker colour',
		],
		[
			'brandColorDark',
			site.brandColorDark,
			DARK_BACKGROUND,
			'the dark background',
			'Choose a lighter colour, or remove brandColorDark to use the default',
		],
	];
	return checks.flatMap(([field, color, background, where, fix]) => {
		if (!color) return [];
		const ratio = contrastRatio(color, background);
		if (ratio >= AA_TEXT) return [];
		return [
			{
				severity: 'error' as const,
				file,
				field,
				message: `"${color}" has a contrast of ${ratio.toFixed(2)}:1 with ${where} (${background}); WCAG AA needs at least ${AA_TEXT}:1 for text`,
				hint: `${fix}.`,
			},
		];
	});
}
