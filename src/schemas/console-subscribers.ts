import { z } from 'zod';
import { blankIsAbsent } from './console-filters.ts';
import { SUBSCRIBER_STATES } from './gate-command.ts';
import { describe } from './messages.ts';

// The query strings of the console's subscribers page and delivery log, as their GET forms and
// "next page" links write them. Unknown parameters are ignored, as on the console's other pages.

/** The states of a mail in the outbox, as the delivery log lists and filters them. */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed', 'skipped'] as const;

/** Optional: one of `values`; an empty field is no filter. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
	z.preprocess(
		blankIsAbsent,
		z
			.enum(values, {
				error: (i) =>
					`expected one of ${values.map((v) => `"${v}"`).join(', ')}, received ${describe(i.input)}`,
			})
			.optional(),
	);

/** Optional: text of at most `max` characters without control characters; an empty field is none. */
const text = (max: number) =>
	z.preprocess(
		blankIsAbsent,
		z
			.string()
			.refine((v) => v.length <= max && !/\p{Cc}/u.test(v), {
				error: (i) =>
					`expected text of at most ${max} characters, without control characters, received ${describe(i.input)}`,
			})
			.optional(),
	);

/** The query of `/admin/subscribers/`: a state filter, a search, and the page to show. */
export const SubscribersQuerySchema = z.object({
	/** Optional: only subscribers in this state. Default: every state. */
	state: oneOf(SUBSCRIBER_STATES),
	/** Optional: part of the address, matched anywhere in it (`%` and `_` match themselves). */
	q: text(254),
	/** Optional: show the addresses after this one (from the page's "next" link). */
	after: text(254),
});

/** The query of `/admin/subscribers/deliveries/`: a state filter and the page to show. */
export const DeliveryLogQuerySchema = z.object({
	/** Optional: only mails in this state. Default: every state. */
	state: oneOf(DELIVERY_STATES),
	/** Optional: show the mails numbered below this one (from the page's "older" link). */
	before: z.preprocess(
		blankIsAbsent,
		z
			.string()
			.regex(/^[1-9]\d{0,17}$/, {
				error: (i) => `expected a delivery number (a whole number), received ${describe(i.input)}`,
			})
			.optional(),
	),
});
