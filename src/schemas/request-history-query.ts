import { z } from 'zod';
import {
	companyFilter,
	domainFilter,
	fromFilter,
	pageStart,
	RANGE_OUT_OF_ORDER,
	rangeInOrder,
	toFilter,
} from './console-filters.ts';
import { describe } from './messages.ts';

/** Every state a request can be in, in the order a request passes through them. */
export const REQUEST_STATUSES = ['unverified', 'pending', 'partial', 'approved', 'denied'] as const;

/**
 * The query of the console's request history (`GET /admin/requests/history/`): filters that combine,
 * each optional, and the page to show. Unknown query parameters are ignored.
 */
export const RequestHistoryQuerySchema = z
	.object({
		/** Optional: only requests in this state. Default: every state. */
		status: z.preprocess(
			(v) => (v === '' ? undefined : v),
			z
				.enum(REQUEST_STATUSES, {
					error: (i) =>
						`expected one of ${REQUEST_STATUSES.join(', ')} (or nothing for every state), received ${describe(i.input)}`,
				})
				.optional(),
		),
		/** Optional: part of the company name the requester gave, without regard to case. */
		company: companyFilter,
		/** Optional: the domain of the requester's e-mail address, e.g. fabrikam.com. */
		domain: domainFilter,
		/** Optional: only requests made on or after this day (UTC), YYYY-MM-DD. */
		from: fromFilter,
		/** Optional: only requests made on or before this day (UTC), YYYY-MM-DD. */
		to: toFilter,
		/** Optional: show the page after this position (from the page's "Older requests" link). */
		before: pageStart,
	})
	.refine(rangeInOrder, RANGE_OUT_OF_ORDER);

export type RequestHistoryQuery = z.output<typeof RequestHistoryQuerySchema>;
