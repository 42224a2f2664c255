/** The site's language as Starlight's locale config and the pages that are not Starlight's need it. */
export interface SiteLocale {
	/** The BCP 47 tag, as `site.yaml`'s `language` gives it. */
	lang: string;
	/** The language's name in itself ("日本語", "Deutsch"), Starlight's label for the locale. */
	label: string;
	/** Which way its text runs. */
	dir: 'ltr' | 'rtl';
}

/** Languages written right to left, for a runtime whose Intl.Locale cannot say (Starlight's own list). */
const RTL = ['ar', 'fa', 'he', 'prs', 'ps', 'syc', 'ug', 'ur'];

/** The locale of a language tag already checked by `languageTag` (src/schemas/fields.ts). */
export function siteLocale(lang: string): SiteLocale {
	const locale = new Intl.Locale(lang);
	const name = new Intl.DisplayNames(lang, { type: 'language' }).of(lang) ?? lang;
	const info = locale as Intl.Locale & {
		getTextInfo?: () => { direction?: string };
		textInfo?: { direction?: string };
	};
	const direction =
		info.getTextInfo?.().direction ??
		info.textInfo?.direction ??
		(RTL.includes(locale.language) ? 'rtl' : 'ltr');
	return {
		lang,
		label: name.charAt(0).toLocaleUpperCase(lang) + name.slice(1),
		dir: direction === 'rtl' ? 'rtl' : 'ltr',
	};
}
