/** The site's language as Starlight's locale config and the pages that are not Starlight's need it. */
export interface SiteLocale {
	/** The BCP 47 tag, as `site.yaml`'s `language` gives it. */
	lang: string;
	/** The language's name in itself ("日本語", "Deutsch"), Starlight's label for the locale. */
	label: string;
	/** Which way its text runs. */
	dir: 'ltr' | 'rtl';
}

/** The locale of a language tag already checked by `languageTag` (src/schemas/fields.ts). */
export function siteLocale(lang: string): SiteLocale {
	const locale = new Intl.Locale(lang) as Intl.Locale & {
		getTextInfo?: () => { direction?: string };
		textInfo?: { direction?: string };
	};
	const name = new Intl.DisplayNames(lang, { type: 'language' }).of(lang) ?? lang;
	// getTextInfo() in Node 22 and today's browsers; textInfo in the V8 of 2022-2023.
	const direction = locale.getTextInfo?.().direction ?? locale.textInfo?.direction;
	return {
		lang,
		label: name.charAt(0).toLocaleUpperCase(lang) + name.slice(1),
		dir: direction === 'rtl' ? 'rtl' : 'ltr',
	};
}
