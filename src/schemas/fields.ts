import { z } from 'zod';
import { describe } from './messages.ts';

/** Message for an unknown enum value, naming the data file that lists the allowed values. */
export function extendableEnum<const T extends readonly [string, ...string[]]>(
	values: T,
	dataFile: string,
) {
	return z.enum(values, {
		error: (issue) =>
			`expected one of ${values.map((v) => JSON.stringify(v)).join(' | ')}, received ${describe(issue.input)}. ` +
			`Add ${JSON.stringify(issue.input)} to ${dataFile} or fix the value`,
	});
}

function isRealDate(value: string): boolean {
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * A calendar date written as `YYYY-MM-DD` (YAML may hand it over already parsed as a date).
 * Stored as a UTC midnight `Date`.
 */
export const isoDate = z.union(
	[
		z.date(),
		z
			.string()
			.regex(/^\d{4}-\d{2}-\d{2}$/)
			// Rejects dates that do not exist, such as 2026-02-30, instead of rolling them over.
			.refine(isRealDate)
			.transform((value) => new Date(`${value}T00:00:00Z`)),
	],
	{
		error: (issue) =>
			`expected a real calendar date like 2026-01-31, received ${describe(issue.input)}`,
	},
);

/** A lowercase, URL-safe identifier such as `iso-27001` or `access-control`, at most 100 characters (it names pages and files). */
export const slugId = z
	.string()
	.regex(/^[a-z0-9]+(?:[a-z0-9.-]*[a-z0-9])?$/, {
		error: (issue) =>
			`expected a lowercase id of letters, digits, "-" and "." (like "access-control"), received ${describe(issue.input)}`,
	})
	.max(100, {
		error: (issue) =>
			`expected an id of at most 100 characters, received ${String(issue.input).length} characters: it names the page's web address and files. Shorten it`,
	});

/**
 * A reference to one control: `<catalog id>:<control id>`, e.g. `iso27001-2022:A.5.15`.
 */
export const controlRef = z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9._-]+$/, {
	error: (issue) =>
		`expected a control reference like "iso27001-2022:A.5.15" (catalog id, colon, control id), received ${describe(issue.input)}`,
});

/** An e-mail address. */
export const email = z.email({
	error: (issue) =>
		`expected an e-mail address like security@example.com, received ${describe(issue.input)}`,
});

/**
 * An e-mail domain like `fabrikam.com`, or `*.fabrikam.com` for its subdomains only; lower-cased.
 * "*.gov" may name a whole top-level domain; a bare "gov" is refused as too easy to mean by mistake.
 */
export const domain = z
	.string()
	.transform((s) => s.trim().toLowerCase())
	.pipe(
		z.string().regex(/^(\*\.[a-z]{2,}|(\*\.)?([a-z0-9-]+\.)+[a-z]{2,})$/, {
			error: (i) =>
				`expected a domain like "fabrikam.com" or "*.fabrikam.com", received ${describe(i.input)}`,
		}),
	);

/** An absolute http(s) URL. */
export const httpUrl = z.url({
	protocol: /^https?$/,
	error: (issue) =>
		`expected an absolute URL starting with https://, received ${describe(issue.input)}`,
});

/** An absolute https URL: where the site itself is published (security.txt must be served over https). */
export const httpsUrl = z.url({
	protocol: /^https$/,
	error: (issue) =>
		`expected an absolute URL starting with https://, received ${describe(issue.input)}`,
});

/**
 * Who may read a page or entry. `public` (the default) publishes it; `nda` keeps it out of the
 * public site entirely (no page, no search entry, no feed item) and puts it in the NDA whitepaper.
 */
export const visibility = z
	.enum(['public', 'nda'], {
		error: (issue) => `expected "public" or "nda", received ${describe(issue.input)}`,
	})
	.default('public');

/** A language's English name, or undefined for a tag no language has. */
const languageName = (tag: string): string | undefined =>
	new Intl.DisplayNames('en', { type: 'language', fallback: 'none' }).of(tag);

/**
 * A BCP 47 language tag naming a language, like `en`, `de`, `ja` or `pt-BR`, in its canonical form
 * (`EN-us` becomes `en-US`) and without extensions or private use (`ja-JP-u-ca-japanese` is `ja-JP`: a
 * page says its language, not its calendar). A tag that is well formed but names no language (`xx`) is
 * refused too.
 */
export const languageTag = z.string().transform((value, ctx) => {
	let tag: string | undefined;
	try {
		tag = new Intl.Locale(value.trim()).baseName;
		if (!languageName(tag)) tag = undefined;
	} catch {
		tag = undefined; // Not a well-formed tag (RangeError), or one Intl cannot name.
	}
	if (tag) return tag;
	ctx.issues.push({
		code: 'custom',
		input: value,
		message: `expected a language tag like "en", "de", "ja" or "pt-BR", received ${describe(value)}`,
	});
	return z.NEVER;
});
