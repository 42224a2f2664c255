// The site's language in Starlight's words and in the search box's, as a Starlight plugin.
//
// Starlight finds its dictionary for a language by the tag, then by the tag less its first two-letter
// subtag, with no English to fall back on: `zh-Hant` (which it would need as `zh-TW`), `ur`, `bg` and
// any language it does not ship would show its keys ("search.label"). Such a language gets the
// nearest dictionary Starlight has, over the English one.
//
// @pagefind/default-ui (1.5.2) chooses its words from <html lang> in a Svelte onMount that its npm build
// turned into a no-op (it bundled Svelte's server runtime), so on every site it speaks English. Its
// translations are in that same bundle: they are read here, and those of the site's language given to
// Starlight as its `pagefind.*` strings, which Starlight's search passes to the box.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import type { StarlightPlugin } from '@astrojs/starlight/types';

type Dictionary = Record<string, string>;

/**
 * Every translation in a @pagefind/default-ui bundle's source: language (as Pagefind names its files,
 * `ja`, `zh-tw`) → key → text. Each is the `strings` object literal after a `// ../translations/<lang>.json`
 * marker, read as data in an empty context. Empty when the bundle holds none in that form.
 */
export function bundledTranslations(source: string): Map<string, Dictionary> {
	const translations = new Map<string, Dictionary>();
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

/**
 * The folder of an installed package, found as Node would (node_modules here, then in each folder
 * above): the files read here are inside packages whose exports do not name them.
 */
export function packageDir(name: string): string {
	for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
		const candidate = join(dir, 'node_modules', name);
		if (existsSync(join(candidate, 'package.json'))) return candidate;
		if (dirname(dir) === dir) throw new Error(`${name} is not installed`);
	}
}

/** The search box's translations in the @pagefind/default-ui this project installed. */
export function installedPagefindTranslations(): Map<string, Dictionary> {
	const dir = packageDir('@pagefind/default-ui');
	const { main } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string };
	return bundledTranslations(readFileSync(join(dir, main), 'utf8'));
}

/** Starlight's own dictionaries, by the tag it names each with (`ja`, `zh-TW`). */
export async function starlightDictionaries(): Promise<Record<string, Dictionary>> {
	const file = join(packageDir('@astrojs/starlight'), 'dist/translations/index.js');
	return ((await import(pathToFileURL(file).href)) as { default: Record<string, Dictionary> })
		.default;
}

/**
 * Which of `available` tags (any case) serves `language`: its language and region (`zh-HK`), its
 * language in the usual region of its script (`zh-Hant` → `zh-TW`, `zh-Hans` → `zh-CN`), the language
 * alone; then, for another language written in Chinese characters (`yue`), Chinese in that script.
 */
export function nearestTag(language: string, available: Iterable<string>): string | undefined {
	const byLowerCase = new Map([...available].map((tag) => [tag.toLowerCase(), tag]));
	const locale = new Intl.Locale(language).maximize();
	const usualRegion = (lang: string) =>
		new Intl.Locale(`${lang}-${locale.script ?? ''}`).maximize().region ?? '';
	const candidates = [
		`${locale.language}-${locale.region ?? ''}`,
		`${locale.language}-${usualRegion(locale.language)}`,
		locale.language,
		...(locale.script === 'Hant' || locale.script === 'Hans'
			? [`zh-${usualRegion('zh')}`, 'zh']
			: []),
	];
	for (const candidate of candidates.map((c) => c.toLowerCase()))
		if (byLowerCase.has(candidate)) return byLowerCase.get(candidate);
	return undefined;
}

/** The dictionary Starlight finds itself for `language`, as it looks (see the top of this file). */
const starlightFinds = (language: string, dictionaries: Record<string, Dictionary>) =>
	dictionaries[language] ?? dictionaries[language.replace(/-[a-zA-Z]{2}/, '')];

/**
 * The words Starlight needs for `language` beyond what it finds itself: its nearest dictionary over
 * the English one when it would find none (`en-150`, `ur`) or another (`zh-HK`), and the search box's
 * words as `pagefind.*` strings (`placeholder` stays Starlight's own "Search"). Nothing for `en` or
 * `en-GB`.
 */
export function languageWords(
	language: string,
	starlight: Record<string, Dictionary>,
	pagefind: ReadonlyMap<string, Dictionary>,
): Dictionary {
	const words: Dictionary = {};
	// Where Starlight would find none, or another than the nearest (Simplified Chinese for zh-HK).
	const nearest = nearestTag(language, Object.keys(starlight));
	const best = nearest ? starlight[nearest] : starlight['en'];
	if (starlightFinds(language, starlight) !== best) Object.assign(words, starlight['en'], best);
	// Pagefind's own words are English: only another language's are given.
	const box = nearestTag(language, pagefind.keys());
	const { placeholder: _placeholder, ...boxWords } = box && box !== 'en' ? pagefind.get(box)! : {};
	for (const [key, text] of Object.entries(boxWords)) words[`pagefind.${key}`] = text;
	return words;
}

/** The Starlight plugin that gives Starlight and its search box the words of `language`. */
export function siteLanguage(language: string): StarlightPlugin {
	return {
		name: 'trust-center:site-language',
		hooks: {
			async 'i18n:setup'({ injectTranslations }) {
				if (language === 'en') return;
				let pagefind = new Map<string, Dictionary>();
				let why =
					'src/integration/site-language.ts expects its "// ../translations/<lang>.json" sections';
				try {
					pagefind = installedPagefindTranslations();
				} catch (error) {
					why = (error as Error).message;
				}
				if (pagefind.size === 0)
					console.warn(
						`The search box stays in English: the translations of @pagefind/default-ui could not be read from its bundle (${why}).`,
					);
				let starlight: Record<string, Dictionary> = {};
				try {
					starlight = await starlightDictionaries();
				} catch (error) {
					console.warn(
						`Starlight's dictionaries could not be read (${(error as Error).message}), so a language it does not ship shows its keys ("search.label"). src/integration/site-language.ts expects them in @astrojs/starlight/dist/translations/index.js.`,
					);
				}
				const words = languageWords(language, starlight, pagefind);
				if (Object.keys(words).length > 0) injectTranslations({ [language]: words });
			},
			'config:setup'() {},
		},
	};
}
