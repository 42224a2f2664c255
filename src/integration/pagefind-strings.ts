// The search box's own words in the site's language. @pagefind/default-ui (1.5.2) chooses them from
// <html lang> in a Svelte onMount that its npm build turned into a no-op (it bundled Svelte's server
// runtime), so on every site it speaks English. Its translations are in that same bundle: they are read
// here at build time, and those of the site's language given to Starlight as its `pagefind.*` strings,
// which Starlight's search passes to the box.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import type { StarlightPlugin } from '@astrojs/starlight/types';

/**
 * Every translation in a @pagefind/default-ui bundle's source: language (as Pagefind names its files,
 * `ja`, `zh-tw`) → key → text. Each is the `strings` object literal after a `// ../translations/<lang>.json`
 * marker, read as data in an empty context. Empty when the bundle holds none in that form.
 */
export function bundledTranslations(source: string): Map<string, Record<string, string>> {
	const translations = new Map<string, Record<string, string>>();
	const sections = source.split(/^\/\/ (?:\.\.\/)+translations\/([\w-]+)\.json$/m);
	for (let i = 1; i < sections.length; i += 2) {
		const literal = /^var strings\d* = (\{[\s\S]*?^\});$/m.exec(sections[i + 1]!)?.[1];
		if (!literal) continue;
		try {
			const strings = runInNewContext(`(${literal})`, {}, { timeout: 100 }) as unknown;
			if (strings && typeof strings === 'object')
				translations.set(
					sections[i]!,
					Object.fromEntries(
						Object.entries(strings).filter(
							(entry): entry is [string, string] => typeof entry[1] === 'string',
						),
					),
				);
		} catch {
			// Not a plain object literal: that language is left out.
		}
	}
	return translations;
}

/** The translations of the @pagefind/default-ui this project installed. */
export function installedTranslations(): Map<string, Record<string, string>> {
	const file = createRequire(import.meta.url).resolve('@pagefind/default-ui');
	return bundledTranslations(readFileSync(file, 'utf8'));
}

/**
 * The translation for a language tag, found as Pagefind itself would look: language and region
 * (`zh-TW` → `zh-tw`; Chinese in Traditional script counts as Taiwan's), then the language alone.
 */
export function translationFor(
	language: string,
	translations: ReadonlyMap<string, Record<string, string>>,
): Record<string, string> | undefined {
	const locale = new Intl.Locale(language).maximize();
	const candidates = [`${locale.language}-${locale.region ?? ''}`, locale.language];
	for (const candidate of candidates.map((c) => c.toLowerCase())) {
		const found = translations.get(candidate);
		if (found) return found;
	}
	return undefined;
}

/**
 * A Starlight plugin that gives the search box the words of `language`, as Starlight's `pagefind.*`
 * strings (`placeholder` stays Starlight's own "Search"). English, and a language Pagefind has no
 * translation for, keep Pagefind's English; a bundle whose translations cannot be read is warned about.
 */
export function pagefindStrings(language: string): StarlightPlugin {
	return {
		name: 'trust-center:pagefind-strings',
		hooks: {
			'i18n:setup'({ injectTranslations }) {
				if (new Intl.Locale(language).language === 'en') return;
				const translations = installedTranslations();
				if (translations.size === 0) {
					console.warn(
						'The search box stays in English: the translations of @pagefind/default-ui could not be read from its bundle (src/integration/pagefind-strings.ts expects its "// ../translations/<lang>.json" sections).',
					);
					return;
				}
				const strings = translationFor(language, translations);
				if (!strings) return;
				const { placeholder: _placeholder, ...words } = strings;
				injectTranslations({
					[language]: Object.fromEntries(
						Object.entries(words).map(([key, text]) => [`pagefind.${key}`, text]),
					),
				});
			},
			'config:setup'() {},
		},
	};
}
