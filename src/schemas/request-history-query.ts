import { z } from 'zod';
import {
	blankIsAbsent,
	listFilterFields,
	RANGE_OUT_OF_ORDER,
	rangeInOrder,
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
			blankIsAbsent,
			z
				.enum(REQUEST_STATUSES, {
					error: (i) =>
						`expected one of ${REQUEST_STATUSES.join(', ')} (or nothing for every state), received ${describe(i.input)}`,
				})
				.optional(),
		),
		/** The shared filters and the page: company, domain, from, to, before. */
		...listFilterFields,
	})
	.refine(rangeInOrder, RANGE_OUT_OF_ORDER);

export type RequestHistoryQuery = z.output<typeof RequestHistoryQuerySchema>;
