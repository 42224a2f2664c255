import { z } from 'zod';
import { isoDate, visibility } from './fields.ts';

export const UPDATE_KINDS = [
	'certification',
	'subprocessor-change',
	'incident',
	'policy-change',
	'general',
] as const;

/**
 * What a subscriber can choose to be mailed about: every update, or the updates of one kind (general
 * updates only come with "all"). Subprocessor changes also cover the subprocessor list's additions and removals.
 */
export const SUBSCRIPTION_TOPICS = [
	'all',
	'subprocessor-change',
	'incident',
	'certification',
	'policy-change',
] as const;

/** One of SUBSCRIPTION_TOPICS. */
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

/** A news item for customers: `content/updates/<yyyy-mm-dd-slug>.mdx`. The MDX body is the full text. */
export const UpdateSchema = z.strictObject({
	/** Headline, e.g. "SOC 2 Type II report for 2026 is available". */
	title: z.string().min(1),
	/** Publication date. Newest updates come first and feed the Atom and JSON feeds. */
	date: isoDate,
	/** certification, subprocessor-change, incident, policy-change or general. */
	kind: z.enum(UPDATE_KINDS),
	/** One sentence for lists and feeds. */
	summary: z.string().min(1),
	/**
	 * For a notice of kind subprocessor-change: the ids of the subprocessors it announces, e.g.
	 * `[postwright-mail, bellcourt-mail]`. Published in the same build as their entries' changes, they are
	 * mailed inside this update, with their facts and the objection deadline, so a subscriber gets one
	 * mail for the change instead of one for the update and one per subprocessor.
	 */
	subprocessors: z.array(z.string().min(1)).default([]),
	/** `nda` keeps this update out of the public site and feeds; it then appears only in the NDA whitepaper. Default `public`. */
	visibility,
});

export type Update = z.output<typeof UpdateSchema>;
