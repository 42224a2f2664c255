import { z } from 'zod';
import {
	blankIsAbsent,
	listFilterFields,
	RANGE_OUT_OF_ORDER,
	rangeInOrder,
} from './console-filters.ts';
import { describe } from './messages.ts';
import { requestText } from './request-fields.ts';

/** The downloads page's views: every copy, or counts per company or per document. */
export const DOWNLOAD_VIEWS = ['list', 'company', 'document'] as const;

/**
 * The query of the console's downloads page (`GET /admin/downloads/`) and the form of its CSV export: a view,
 * filters that combine, each optional, and the page to show. `documents` are the ids the gate serves.
 * Unknown query parameters are ignored.
 */
export function downloadQuerySchema(documents: readonly string[]) {
	return z
		.object({
			/** Optional: list every copy (the default), or count them per company or per document. */
			view: z.preprocess(
				blankIsAbsent,
				z
					.enum(DOWNLOAD_VIEWS, {
						error: (i) =>
							`expected one of ${DOWNLOAD_VIEWS.join(', ')}, received ${describe(i.input)}`,
					})
					.default('list'),
			),
			/** Optional: only copies of this document (its id). Default: every document. */
			document: z.preprocess(
				blankIsAbsent,
				z
					.string()
					.refine((d) => documents.includes(d), {
						error: (i) =>
							`expected one of the documents the gate serves (${documents.join(', ')}), received ${describe(i.input)}`,
					})
					.optional(),
			),
			/** The shared filters and the list's page: company, domain, from, to, before. */
			...listFilterFields,
			/** Optional, the counts: show the names after this one (from the "More" link). */
			after: z.preprocess(blankIsAbsent, requestText(200).optional()),
		})
		.refine(rangeInOrder, RANGE_OUT_OF_ORDER);
}

export type DownloadQuery = z.output<ReturnType<typeof downloadQuerySchema>>;
