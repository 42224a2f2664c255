// The filters the console's lists share (request history, downloads): as SQL conditions on the request
// (`r`) and a time column, with their values as parameters, and the keyset page start of a list read
// newest first by (time, id).
import type { After } from './requests.ts';

/** Filters on who asked and when; each one optional, all of them combined. */
export interface ListFilter {
	/** Part of the company name, without regard to case. */
	company?: string | undefined;
	/** The e-mail address's domain, exactly. */
	domain?: string | undefined;
	/** The first day, YYYY-MM-DD (UTC), inclusive. */
	from?: string | undefined;
	/** The last day, YYYY-MM-DD (UTC), inclusive. */
	to?: string | undefined;
}

/** A LIKE pattern that matches `text` anywhere, with LIKE's own characters taken literally. */
const contains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

const DAY_MS = 86_400_000;

/**
 * The conditions for `filter` and the page start `before`, on a query where `r` is the request and
 * `time`/`id` the list's order; their values are pushed onto `params`.
 */
export function filterConditions(
	filter: ListFilter,
	before: After | undefined,
	params: unknown[],
	order: { time: string; id: string },
): string[] {
	const where: string[] = [];
	const add = (value: unknown) => `$${params.push(value)}`;
	if (filter.company) where.push(`r.company ILIKE ${add(contains(filter.company))}`);
	if (filter.domain) where.push(`split_part(r.email, '@', 2) = ${add(filter.domain)}`);
	if (filter.from) where.push(`${order.time} >= ${add(new Date(`${filter.from}T00:00:00Z`))}`);
	if (filter.to)
		where.push(
			`${order.time} < ${add(new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + DAY_MS))}`,
		);
	if (before)
		where.push(`(${order.time}, ${order.id}) < (${add(before.createdAt)}, ${add(before.id)})`);
	return where;
}
