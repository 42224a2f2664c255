/**
 * One label's text: a string, or, for a text that depends on a number (`{count}`), its forms by the
 * plural form Intl.PluralRules gives the number in the site's language (`one`, `other`; Arabic has all
 * six). `other` is always there.
 */
export type Text =
	| string
	| {
			zero?: string;
			one?: string;
			two?: string;
			few?: string;
			many?: string;
			other: string;
	  };

/** A dictionary section: label key → text. */
export type Texts = Readonly<Record<string, Text>>;
