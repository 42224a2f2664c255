import { describe } from '../../schemas/messages.ts';
import type { Problem } from '../content/problems.ts';
import { closest } from '../pull/mapping.ts';
import { EN } from './en.ts';
import type { Text } from './text.ts';
import {
	isWordKey,
	marksOf,
	pluralForms,
	sentenceParts,
	shippedFor,
	type Labels,
} from './words.ts';

const KEYS_HINT =
	'The keys and their English texts are in src/lib/words/en/ (e.g. `section.subprocessors`); a region or data category added in src/data/ takes its words from there.';

/** The texts of a label: its one text, or each plural form with its name. */
const textsOf = (text: Text | Labels[string]): [string | undefined, string][] =>
	typeof text === 'string' ? [[undefined, text]] : Object.entries(text);

/**
 * What is wrong with site.yaml's `labels` for a site in `language`: an unknown key (with the closest
 * one), plural forms the language does not have or a plural map without `other`, a map where one text
 * is expected, and a placeholder or link mark the English text does not have (it would show as typed).
 * A text that leaves out one of the English text's placeholders is a warning: what it stood for (a
 * date, a company name) is not shown. When the trust center ships no translation for the language,
 * one warning counts the labels still in English.
 */
export function labelProblems(
	labels: Labels,
	language: string,
	file: string,
	lineOf: (path: readonly PropertyKey[]) => number | undefined,
): Problem[] {
	const problems: Problem[] = [];
	const forms = pluralForms(language);
	const at = (key: string, form?: string) => ({
		file,
		field: `labels.${key}${form ? `.${form}` : ''}`,
		line: lineOf(form ? ['labels', key, form] : ['labels', key]),
	});
	for (const [key, value] of Object.entries(labels)) {
		if (!isWordKey(key)) {
			const near = closest(key, Object.keys(EN));
			problems.push({
				severity: 'error',
				...at(key),
				message: `unknown label ${describe(key)}`,
				hint: near ? `Did you mean "${near}"? ${KEYS_HINT}` : KEYS_HINT,
			});
			continue;
		}
		const english: Text = EN[key];
		if (typeof value !== 'string') {
			if (typeof english === 'string') {
				problems.push({
					severity: 'error',
					...at(key),
					message: `expected one text (${describe(english)} in English), received a map of plural forms`,
					hint: 'Write the text on the same line as the key.',
				});
				continue;
			}
			for (const form of Object.keys(value).filter((f) => !forms.includes(f)))
				problems.push({
					severity: 'error',
					...at(key, form),
					message: `"${form}" is not a plural form of ${language}, which has ${forms.map((f) => `"${f}"`).join(', ')}`,
					hint: 'Use the forms Unicode gives the language (CLDR plural rules), or give one text for every number.',
				});
			if (value['other'] === undefined)
				problems.push({
					severity: 'error',
					...at(key),
					message: 'the plural forms have no "other", the form every number falls back to',
					hint: 'Add `other:` with the text for any number.',
				});
		}
		const englishMarks = new Set(textsOf(english).flatMap(([, text]) => marksOf(text)));
		for (const [form, text] of textsOf(value)) {
			// Words are text: a "<" that starts no mark, or a mark left open, would show as typed.
			const opened = [...text.matchAll(/<\w+>/g)].length;
			const closed = sentenceParts(text).filter((part) => 'link' in part && part.link).length;
			if (/<(?!\/?\w+>)/.test(text) || opened !== closed) {
				problems.push({
					severity: 'error',
					...at(key, form),
					message: `has a "<" that starts no <name>…</name> mark, or a mark that is not closed: it would show as typed`,
					hint: 'The words are text, not HTML: write marks as in the English text, each closed, and no other tags.',
				});
				continue;
			}
			const marks = new Set(marksOf(text));
			const unknown = [...marks].filter((m) => !englishMarks.has(m));
			if (unknown.length > 0)
				problems.push({
					severity: 'error',
					...at(key, form),
					message: `${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not in the English text ${describe(textsOf(english).at(-1)![1])}, so ${unknown.length === 1 ? 'it' : 'they'} would show as typed`,
					hint: `Use only ${[...englishMarks].join(', ') || 'no placeholders'}, spelled as in English.`,
				});
			// A plural form other than `other` may name its number in words ("one region").
			const missing = [...englishMarks].filter(
				(m) => !marks.has(m) && !(m === '{count}' && form !== undefined && form !== 'other'),
			);
			if (missing.length > 0)
				problems.push({
					severity: 'warning',
					...at(key, form),
					message: `leaves out ${missing.join(', ')} of the English text ${describe(textsOf(english).at(-1)![1])}: ${missing.length === 1 ? 'it is' : 'they are'} not shown`,
					hint: 'Put each placeholder where it belongs in the sentence.',
				});
		}
	}
	if (!shippedFor(language) && new Intl.Locale(language).language !== 'en') {
		const untranslated = Object.keys(EN).filter((key) => !Object.hasOwn(labels, key)).length;
		if (untranslated > 0) {
			const name = new Intl.DisplayNames('en', { type: 'language' }).of(language) ?? language;
			problems.push({
				severity: 'warning',
				file,
				field: 'labels',
				line: lineOf(['labels']) ?? lineOf(['language']),
				message: `${untranslated} of the trust center's ${Object.keys(EN).length} own labels have no ${name} (${language}) text, so they show in English`,
				hint: 'Give them under `labels:`, by the keys of src/lib/words/en/; src/lib/words/ja/ is a complete example.',
			});
		}
	}
	return problems;
}
