import type { Framework } from '../../schemas/framework.ts';
import { CJK_TEXT } from '../system-fonts.ts';
import { label, tone } from '../labels.ts';
import type { Words } from '../words/words.ts';
import { doubtNotes, type Counts } from './counts.ts';
import { shownStatus } from './expiry.ts';

/** A shields-style badge: grey label on the left, coloured message on the right. */
export interface Badge {
	label: string;
	message: string;
	/** Background of the message; white text on it meets WCAG AA (4.5:1). */
	color: string;
}

/** Message colours by tone, each dark enough for white 11 px text. */
const TONE_COLORS = {
	good: '#1a7f37',
	progress: '#0b5cad',
	neutral: '#57606a',
	bad: '#b42318',
} as const;
const LABEL_COLOR = '#3f4650';

// Verdana 11 px advance widths, coarsely: badges are laid out here, with no font engine at build time.
function textWidth(text: string): number {
	let width = 0;
	for (const ch of text) {
		if (/[il.,:;|!'`·]/.test(ch)) width += 3.6;
		else if (ch === ' ') width += 3.9;
		else if (/[mwMW]/.test(ch)) width += 10.6;
		else if (CJK_TEXT.test(ch)) width += 11;
		else if (/[A-Z0-9]/.test(ch)) width += 7.6;
		else width += 6.6;
	}
	return Math.ceil(width);
}

function xml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
	);
}

/** The badge as a standalone SVG with a `<title>` and an accessible name. */
export function badgeSvg(badge: Badge): string {
	const pad = 6;
	const lw = textWidth(badge.label) + pad * 2;
	const mw = textWidth(badge.message) + pad * 2;
	const w = lw + mw;
	const name = xml(`${badge.label}: ${badge.message}`);
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" viewBox="0 0 ${w} 20" role="img" aria-label="${name}">`,
		`<title>${name}</title>`,
		'<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>',
		`<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
		`<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="${LABEL_COLOR}"/><rect x="${lw}" width="${mw}" height="20" fill="${badge.color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`,
		`<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11" text-rendering="geometricPrecision">`,
		`<text x="${lw / 2}" y="14">${xml(badge.label)}</text><text x="${lw + mw / 2}" y="14">${xml(badge.message)}</text>`,
		'</g></svg>',
	].join('');
}

/**
 * A framework's badge: its short name and live count when it has a catalog, with every failing, stale
 * and not-reported control named ("ISO 27001 · 76/89 · 1 failing · 6 stale"), otherwise its status
 * ("SOC 2 · audited"), "expired" once its certificate or report has passed `expires` at `now` (the
 * build time). Red while any control is failing or it has expired; green only at 90% implemented or
 * more with none failing, stale or not reported; blue otherwise.
 */
export function frameworkBadge(
	framework: Framework,
	counts: Counts | undefined,
	t: Words,
	now: Date,
): Badge {
	const name = framework.shortName ?? framework.name;
	const status = shownStatus(framework, now);
	if (counts && counts.applicable > 0) {
		const share = counts.implemented / counts.applicable;
		const expired = status === 'expired' ? [label(status, t).toLocaleLowerCase(t.language)] : [];
		const notes = [...doubtNotes(counts, t), ...expired];
		const tone =
			counts.failing > 0 || expired.length > 0
				? 'bad'
				: share >= 0.9 && counts.stale === 0 && counts.unknown === 0
					? 'good'
					: 'progress';
		return {
			label: name,
			message: [
				t('badge.fraction', { implemented: counts.implemented, applicable: counts.applicable }),
				...notes,
			].join(t('status.separator')),
			color: TONE_COLORS[tone],
		};
	}
	return {
		label: name,
		message: label(status, t).toLocaleLowerCase(t.language),
		color: TONE_COLORS[tone(status)],
	};
}
