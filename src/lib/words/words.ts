// The words the trust center's own pages say, in the site's language: the team's `labels:` in
// site.yaml first, then the translation shipped for the language, then English.
//
// A text may hold `{name}` placeholders, filled in when it is used, and `<name>…</name>` marks around
// words that become a link (see Sentence.astro); a text that depends on a number is a map of the
// language's plural forms (`one`, `other`, as Intl.PluralRules names them).
import { EN, type Text } from './en.ts';
import { JA } from './ja.ts';

/** Every label a page can ask for. */
export type WordKey = keyof typeof EN;
/** Values for a text's `{name}` placeholders: numbers and dates are written as the language writes them; `count` also chooses the plural form. */
export type WordValues = Readonly<Record<string, string | number | Date>>;
/** A language's texts: any label may be missing, and falls back to English. */
export type Dictionary = Partial<Record<WordKey, Text>>;

/** The translations shipped with the trust center, by language tag. */
export const SHIPPED: Readonly<Record<string, Dictionary>> = { ja: JA };

/** The team's own words, as site.yaml's `labels` holds them. */
export type Labels = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/** The site's words: `t(key, values)`, with the dates and numbers of its language. */
export interface Words {
	(key: WordKey, values?: WordValues): string;
	/** The BCP 47 tag the words are in. */
	readonly language: string;
	/** "3 December 2026" (`ja`: "2026年12月3日"), in UTC. */
	date(date: Date | string): string;
	/** A whole number as the language writes it: "1,200" (`de`: "1.200"). */
	number(value: number): string;
	/** "3 December 2026, 12:40 UTC": a date and time of day, in UTC, labelled with its zone. */
	dateTime(date: Date | string): string;
}

/** The words of a site: its `language` with its team's `labels`, as site.yaml gives them. */
export function siteWords(site: { language: string; labels: Labels }): Words {
	return wordsFor(site.language, site.labels);
}

/** Whether `key` is a label a page can ask for. */
export function isWordKey(key: string): key is WordKey {
	return Object.hasOwn(EN, key);
}

/**
 * The words for `key` when it is a label, else `fallback`: an enumeration value with no label, or a
 * region or data category an author added to src/data/ in the words given there.
 */
export function labelOr(key: string, fallback: string, t: Words): string {
	return isWordKey(key) ? t(key) : fallback;
}

/** The words in English, for what stays English whatever the site's language: the console, the CLI, mails to staff, logs, and data files for scripts. */
export const ENGLISH: Words = wordsFor('en');

/** The shipped translation for `language`: by its tag, then by its language alone (`ja-JP` → `ja`). */
export function shippedFor(language: string): Dictionary | undefined {
	return SHIPPED[language] ?? SHIPPED[new Intl.Locale(language).language];
}

/** The plural forms a language has, as Intl.PluralRules names them (`ja`: other; `en`: one, other). */
export function pluralForms(language: string): readonly string[] {
	return new Intl.PluralRules(language).resolvedOptions().pluralCategories;
}

/**
 * The words of a site in `language` with the team's own `labels` (already checked by
 * {@link labelProblems}). `en` writes dates day first, as the trust center always has ("3 December
 * 2026"); `en-US` writes them month first.
 */
export function wordsFor(language: string, labels: Labels = {}): Words {
	// The content check has refused unknown keys and plural maps without `other`.
	const layers = [labels as Dictionary, shippedFor(language) ?? {}, EN];
	const plurals = new Intl.PluralRules(language);
	const dates = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : language, {
		day: 'numeric',
		month: 'long',
		year: 'numeric',
		timeZone: 'UTC',
	});
	const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 0 });
	const t = (key: WordKey, values: WordValues = {}): string => {
		const text = layers.map((layer) => layer[key]).find((found) => found !== undefined) ?? key;
		return fill(pick(text, values['count'], plurals), values, numbers, dates);
	};
	return Object.assign(t, {
		language,
		date: (date: Date | string) => dates.format(new Date(date)),
		dateTime: (date: Date | string) => {
			const d = new Date(date);
			return t('common.dateTime', {
				date: dates.format(d),
				time: d.toISOString().slice(11, 16),
			});
		},
		number: (value: number) => numbers.format(value),
	});
}

/** The form of `text` for `count`: its own plural form, else `other`. */
function pick(text: Text, count: unknown, plurals: Intl.PluralRules): string {
	if (typeof text === 'string') return text;
	const form = typeof count === 'number' ? plurals.select(count) : 'other';
	// A team's map without `other` is refused by the build, but the gate may read a site.yaml edited since.
	return text[form as keyof typeof text] ?? text.other ?? Object.values(text)[0] ?? '';
}

/** Fills `{name}` placeholders; numbers and dates are written as the language writes them. */
function fill(
	text: string,
	values: WordValues,
	numbers: Intl.NumberFormat,
	dates: Intl.DateTimeFormat,
): string {
	return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
		const value = values[name];
		if (value === undefined) return whole;
		if (typeof value === 'number') return numbers.format(value);
		return value instanceof Date ? dates.format(value) : value;
	});
}

/** The `{name}` placeholders and `<name>` link marks a text uses, sorted: a translation must use the same. */
export function marksOf(text: string): string[] {
	return [
		...[...text.matchAll(/\{(\w+)\}/g)].map((m) => `{${m[1]}}`),
		...[...text.matchAll(/<(\w+)>/g)].map((m) => `<${m[1]}>`),
	].sort();
}

/** One piece of a sentence: text, the words of a link named by its `<name>` mark, or a `{name}` slot. */
export type SentencePart = { text: string; link?: string } | { slot: string };

/**
 * A text split at its `<name>…</name>` marks and the `{name}` placeholders left in it:
 * `"See <feed>the feed</feed> of {date}."` → `[{ text: 'See ' }, { text: 'the feed', link: 'feed' },
 * { text: ' of ' }, { slot: 'date' }, { text: '.' }]`.
 */
export function sentenceParts(text: string): SentencePart[] {
	const parts: SentencePart[] = [];
	let last = 0;
	for (const match of text.matchAll(/<(\w+)>(.*?)<\/\1>|\{(\w+)\}/g)) {
		if (match.index > last) parts.push({ text: text.slice(last, match.index) });
		parts.push(match[3] ? { slot: match[3] } : { text: match[2]!, link: match[1]! });
		last = match.index + match[0].length;
	}
	if (last < text.length) parts.push({ text: text.slice(last) });
	return parts;
}
