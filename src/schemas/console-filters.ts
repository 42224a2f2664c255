import { z } from 'zod';
import { describe } from './messages.ts';
import { requestText } from './request-fields.ts';

// The filter fields the console's lists share (request history, downloads), as a GET form sends them:
// every field is text, and an empty field means "no filter". A list's query schema spreads
// `listFilterFields` among its own fields and checks the range with `rangeInOrder`.

/** An empty form field is no filter at all. */
export const blankIsAbsent = (v: unknown) => (v === '' ? undefined : v);

/** A company name or part of one, matched anywhere in the name without regard to case. */
const companyFilter = z.preprocess(blankIsAbsent, requestText(100).optional());

/** An e-mail domain like `fabrikam.com` (a leading `@` is dropped), matched exactly. */
const domainFilter = z.preprocess(
	blankIsAbsent,
	z
		.string()
		.transform((s) => s.trim().toLowerCase().replace(/^@/, ''))
		.pipe(
			z.string().regex(/^([a-z0-9-]+\.)+[a-z]{2,63}$/, {
				error: (i) =>
					`expected an e-mail domain like fabrikam.com (the part after the @), received ${describe(i.input)}`,
			}),
		)
		.optional(),
);

/** A day as YYYY-MM-DD that exists in the calendar, from 1970 to 9998 (the database takes no later day after it). */
const isoDay = z
	.string()
	.refine(
		(s) => /^\d{4}-\d\d-\d\d$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
		{
			error: (i) =>
				`expected a date as YYYY-MM-DD, like 2026-11-30, received ${describe(i.input)}. Pick it in the date field or type it in that form`,
		},
	)
	.refine((s) => s >= '1970-01-01' && s <= '9998-12-31', {
		error: (i) =>
			`expected a date from 1970-01-01 to 9998-12-31, received ${describe(i.input)}; leave the field empty for no limit`,
	});

/** A day of the range, or none. */
const dayFilter = z.preprocess(blankIsAbsent, isoDay.optional());

const PAGE_START = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)~([a-z]+_[0-9a-f]{16})$/;

/**
 * A page's start as the console's "Older" and "Next" links write it, `<ISO time>~<id>` (the last row of
 * the page before), or undefined for anything else, a time not in the calendar or outside 1970–9998
 * included.
 */
export function parsePageStart(
	text: string | undefined,
): { createdAt: Date; id: string } | undefined {
	const [, time = '', id = ''] = PAGE_START.exec(text ?? '') ?? [];
	const createdAt = new Date(time);
	// A time not in the calendar (month 13) is no date at all, or (30 February) another day's; a year
	// outside 1970–9998 (the days isoDay takes) is one the database's timestamps do not all have (year 0).
	return !Number.isNaN(createdAt.getTime()) &&
		createdAt.toISOString() === time &&
		time >= '1970' &&
		time < '9999'
		? { createdAt, id }
		: undefined;
}

/** The value `parsePageStart` reads: the page that follows the row `last`. */
export const pageStartAfter = (last: { createdAt: Date; id: string }) =>
	`${last.createdAt.toISOString()}~${last.id}`;

/** A page's start (`parsePageStart`), or none. */
const pageStart = z.preprocess(
	blankIsAbsent,
	z
		.string()
		.refine((s) => parsePageStart(s) !== undefined, {
			error:
				'expected the position of a page as the console’s “Older” links write it; start again from the first page',
		})
		.optional(),
);

/**
 * The fields every filtered list of the console takes: who asked, when, and the page. A list's query
 * schema spreads them among its own fields, in this order.
 */
export const listFilterFields = {
	/** Optional: part of the company name the requester gave, without regard to case. Default: every company. */
	company: companyFilter,
	/** Optional: the domain of the requester's e-mail address, e.g. fabrikam.com. Default: every domain. */
	domain: domainFilter,
	/**
	 * Optional: only rows on or after this day (UTC), YYYY-MM-DD: requests by the day they were made,
	 * downloads by the day they were served. Default: from the first.
	 */
	from: dayFilter,
	/** Optional: only rows on or before this day (UTC), YYYY-MM-DD, the same way. Default: up to today. */
	to: dayFilter,
	/** Optional: show the page after this position (from the list's "Older …" link). Default: the newest. */
	before: pageStart,
};

/** The date range's check, for a schema with `from` and `to`: `to` may not lie before `from`. */
export function rangeInOrder(q: { from?: string | undefined; to?: string | undefined }): boolean {
	return !q.from || !q.to || q.from <= q.to;
}

/** What `rangeInOrder` says when it fails, on the `to` field. */
export const RANGE_OUT_OF_ORDER = {
	path: ['to'],
	error: 'is before the “from” date; pick a “to” date on or after it, or swap the two',
};
