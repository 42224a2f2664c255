// The HTML side of the gate's subscription mails: one frame in the site's brand, readable in light and
// dark mail clients, without images, remote content or tracking, and the few blocks a mail is made of.
// Every block escapes what it is given, so the texts that use them never write raw HTML. The mails' own
// words are in the site's language, and the mail takes its language and direction; the heading, a fact's
// value and the team's own paragraphs take their direction from their text (dir="auto"), so an update
// titled in Arabic or Hebrew reads right to left.
import { siteLocale, type SiteLocale } from '../../lib/language.ts';
import { sentenceParts, type Words } from '../../lib/words/words.ts';
import type { SiteSettings } from '../../schemas/site.ts';
import { esc } from '../../lib/html.ts';

const locales = new Map<string, SiteLocale>();

/** Which way a language's text runs (siteLocale), worked out once per language. */
export function directionOf(language: string): SiteLocale['dir'] {
	let locale = locales.get(language);
	if (!locale) locales.set(language, (locale = siteLocale(language)));
	return locale.dir;
}

/** A piece of mail HTML that its builder escaped. */
export type Html = { readonly html: string };

const html = (text: string): Html => ({ html: text });

const TEXT = '#1f2328';
const MUTED = '#59636e';
const DARK_BACKGROUND = '#17181c';
const DARK_TEXT = '#e6e6e6';
const DARK_MUTED = '#a8b0b9';
const FONT = "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif";

/**
 * A paragraph of text; `muted` for small print. `content` for text the team wrote (an update's summary),
 * which takes its direction from its first letters; the mails' own sentences do not, so one that begins
 * with a Hebrew company name still reads in the mail's direction.
 */
export function paragraph(text: string, muted = false, content = false): Html {
	return html(
		`<p${content ? ' dir="auto"' : ''} class="${muted ? 'muted' : 'text'}" style="margin:0 0 16px;font-size:${muted ? 13 : 16}px;line-height:1.5;color:${muted ? MUTED : TEXT};">${esc(text)}</p>`,
	);
}

/** A heading inside a mail, for one of several parts (a subprocessor change inside a notice). */
export function subheading(text: string): Html {
	return html(
		`<h2 dir="auto" class="heading" style="margin:24px 0 12px;font-size:18px;line-height:1.3;color:${TEXT};">${esc(text)}</h2>`,
	);
}

/** A paragraph around `inner` (escaped HTML), in the size and colour of text or of small print. */
const linked = (inner: string, muted: boolean): Html =>
	html(
		`<p class="${muted ? 'muted' : 'text'}" style="margin:0 0 ${muted ? 8 : 16}px;font-size:${muted ? 13 : 16}px;line-height:1.5;color:${muted ? MUTED : TEXT};">${inner}</p>`,
	);

const anchor = (site: SiteSettings, href: string, label: string) =>
	`<a class="link" href="${esc(href)}" style="color:${site.brandColor};text-decoration:underline;">${esc(label)}</a>`;

/** A paragraph with a link in the brand colour: `before`, the link, `after`. The link is written as given, never rewritten. */
export function linkParagraph(
	site: SiteSettings,
	before: string,
	href: string,
	label: string,
	after = '',
	muted = false,
): Html {
	return linked(`${esc(before)}${anchor(site, href, label)}${esc(after)}`, muted);
}

/**
 * A paragraph of one of the mail's own sentences whose `<link>…</link>` words link to `href`: "The full
 * list is on <link>our subprocessors page</link>." A sentence whose link mark a team's label left out is
 * a link as a whole, so the link is never lost. `{name}` placeholders left in it show as typed.
 */
export function linkSentence(site: SiteSettings, text: string, href: string, muted = false): Html {
	const parts = sentenceParts(text);
	if (!parts.some((part) => 'link' in part && part.link !== undefined))
		return linked(anchor(site, href, text), muted);
	return linked(
		parts
			.map((part) =>
				'slot' in part
					? esc(`{${part.slot}}`)
					: part.link !== undefined
						? anchor(site, href, part.text)
						: esc(part.text),
			)
			.join(''),
		muted,
	);
}

/**
 * A label–value table, such as a subprocessor's purpose, locations and dates; `dir` the mail's direction,
 * which sets the side the labels align to.
 */
export function facts(
	rows: ReadonlyArray<readonly [label: string, value: string]>,
	dir: SiteLocale['dir'] = 'ltr',
): Html {
	const [align, padding] = dir === 'rtl' ? ['right', '6px 0 6px 16px'] : ['left', '6px 16px 6px 0'];
	const cells = rows
		.map(
			([label, value]) =>
				`<tr><th scope="row" class="muted" style="text-align:${align};vertical-align:top;padding:${padding};font-weight:600;font-size:14px;color:${MUTED};white-space:nowrap;">${esc(label)}</th><td dir="auto" class="text" style="padding:6px 0;font-size:15px;line-height:1.4;color:${TEXT};">${esc(value)}</td></tr>`,
		)
		.join('');
	return html(
		`<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse;margin:0 0 20px;">${cells}</table>`,
	);
}

/** The mail's one call to action, a button in the brand colour (white text: the build checks it reaches 4.5:1). */
export function button(site: SiteSettings, href: string, label: string): Html {
	return html(
		`<p style="margin:8px 0 24px;"><a class="button" href="${esc(href)}" style="display:inline-block;padding:10px 18px;border-radius:6px;background:${site.brandColor};color:#ffffff;font-weight:600;font-size:16px;text-decoration:none;">${esc(label)}</a></p>`,
	);
}

/**
 * A whole mail: the company name as its header, a heading, the blocks, and small print under a rule.
 * `preheader` is the line inboxes show beside the subject. `t`: the words the mail is written in (its
 * language and direction).
 */
export function htmlMail(
	site: SiteSettings,
	mail: { preheader: string; heading: string; blocks: readonly Html[]; footer: readonly Html[] },
	t: Words,
): string {
	const accentDark = site.brandColorDark ?? DARK_TEXT;
	const rtl = directionOf(t.language) === 'rtl';
	return `<!doctype html>
<html lang="${esc(t.language)}"${rtl ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${esc(mail.heading)}</title>
<style>
@media (prefers-color-scheme: dark) {
  body, .page { background:${DARK_BACKGROUND} !important; }
  .text, .heading { color:${DARK_TEXT} !important; }
  .muted { color:${DARK_MUTED} !important; }
  .brand, .link { color:${accentDark} !important; }
  .rule { border-color:#3a3f47 !important; }
}
</style>
</head>
<body class="page" style="margin:0;padding:0;background:#ffffff;">
<div style="display:none;max-height:0;overflow:hidden;">${esc(mail.preheader)}</div>
<table role="presentation" class="page" width="100%" cellpadding="0" cellspacing="0" style="background:#ffffff;">
<tr><td align="center" style="padding:24px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;font-family:${FONT};">
<tr><td style="padding:0 0 20px;border-bottom:3px solid ${site.brandColor};"><span class="brand" style="font-size:18px;font-weight:700;color:${site.brandColor};">${esc(t('mail.brand', { company: site.companyName }))}</span></td></tr>
<tr><td style="padding:24px 0 0;">
<h1 dir="auto" class="heading" style="margin:0 0 16px;font-size:22px;line-height:1.3;color:${TEXT};">${esc(mail.heading)}</h1>
${mail.blocks.map((b) => b.html).join('\n')}
</td></tr>
<tr><td class="rule" style="padding:16px 0 0;border-top:1px solid #d1d9e0;">
${mail.footer.map((b) => b.html).join('\n')}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}
