import { z } from 'zod';
import { ENGLISH } from '../lib/words/words.ts';
import { describeKind } from './messages.ts';

// Control and format characters (bidi overrides, zero-width joiners) let a name look like another in an
// approval list or an audit export, and CR or LF in an address would start a new mail header, so
// single-line fields refuse them outright.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;
const HIDDEN_MULTILINE = /[^\P{Cc}\n\t]|[\p{Cf}\p{Co}\p{Cn}]/u;
// Except a zero-width non-joiner or joiner between two letters of one script that joins: Persian writes
// "Alireza" as علی + U+200C + رضا, and in Arabic-type and Indic scripts the joiner changes how a name
// looks. Elsewhere (Latin, Han, Hebrew, between two scripts, after a stray mark) it is invisible.
const JOINING_SCRIPTS = [
	'Arabic',
	'Syriac',
	'Nko',
	'Mongolian',
	'Devanagari',
	'Bengali',
	'Gurmukhi',
	'Gujarati',
	'Oriya',
	'Tamil',
	'Telugu',
	'Kannada',
	'Malayalam',
	'Sinhala',
];
const JOINER = new RegExp(
	JOINING_SCRIPTS.map((s) => `(?<=\\p{sc=${s}})[\\u200C\\u200D](?=\\p{sc=${s}})`).join('|'),
	'gu',
);

/**
 * A text field of a form or JSON body sent by a stranger: well-formed, NFC, trimmed, without hidden
 * characters (newlines only when `multiline`), at most `max` characters. Messages never echo the value.
 */
export function requestText(max: number, multiline = false) {
	return z
		.string({
			error: (i) =>
				i.input === undefined
					? ENGLISH('fieldProblem.required')
					: `expected text, received ${describeKind(i.input)}`,
		})
		.refine((s) => s.isWellFormed(), {
			error: ENGLISH('fieldProblem.brokenUnicode'),
		})
		.transform((s) => s.normalize('NFC').trim())
		.refine((s) => !(multiline ? HIDDEN_MULTILINE : HIDDEN).test(s.replace(JOINER, '')), {
			error: ENGLISH('fieldProblem.hidden'),
		})
		.refine((s) => s.length <= max, { error: ENGLISH('fieldProblem.tooLong', { count: max }) });
}

/** One e-mail address, lowercased: the access form's work email and the subscribe form's address. */
export const requestEmail = requestText(254)
	.pipe(z.email({ error: ENGLISH('fieldProblem.email') }))
	.transform((s) => s.toLowerCase());
