import { z } from 'zod';
import { describe } from './messages.ts';
import { isoDate } from './fields.ts';

/** The NDA that requesters accept: `content/nda.mdx`. Its SHA-256 is taken over the whole file at build. */
export const NdaSchema = z.strictObject({
	/** Title shown above the text, e.g. "Non-disclosure agreement". */
	title: z.string().min(1),
	/** The version requesters accept, e.g. "3.1". Change it with every change of wording. */
	version: z.string().regex(/^[0-9A-Za-z.-]{1,20}$/, {
		error: (i) => `expected a short version like "3.1", received ${describe(i.input)}`,
	}),
	/** The day this version took effect. */
	effective: isoDate,
});

export type Nda = z.output<typeof NdaSchema>;
