import { z } from 'zod';
import { controlRef, slugId, visibility } from './fields.ts';

/** One question and answer: `content/faq/<slug>.mdx`. The MDX body is the answer. */
export const FaqSchema = z.strictObject({
	/** The question as a customer would ask it. */
	question: z.string().min(1),
	/** Group heading on the FAQ page, e.g. "Data protection". */
	category: z.string().min(1),
	/** Ids of related frameworks in `content/frameworks/`. */
	frameworks: z.array(slugId).default([]),
	/** Related controls, e.g. `[iso27001-2022:A.8.24]`. */
	controls: z.array(controlRef).default([]),
	/** Position within its category; lower comes first. Default 100. */
	order: z.number().int().default(100),
	/** `nda` keeps this question out of the public FAQ; it then appears only in the NDA whitepaper. Default `public`. */
	visibility,
});

export type Faq = z.output<typeof FaqSchema>;
