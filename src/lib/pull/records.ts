import { decodeText } from '../files.ts';
import { CONTROL_STATUSES, type ControlStatusValue } from '../../schemas/control-status.ts';
import { describe } from '../../schemas/messages.ts';

/** One control status as a source reported it, before its id is mapped to a catalog control. */
export interface SourceRecord {
	/** The id as the source spells it, e.g. "A.5.15" or "ac-2". */
	externalId: string;
	status: ControlStatusValue;
	/**
	 * The date of the newest evidence. Undefined only for a planned or not-applicable row that gives
	 * none (no evidence exists yet for what is not done); the merge dates those (see `mergeSources`).
	 */
	evidenceDate: Date | undefined;
}

/** Statuses that may come without an evidence date: nothing has been done yet that evidence could show. */
const UNDATED_ALLOWED: readonly ControlStatusValue[] = ['planned', 'not-applicable'];

/**
 * A source failed: the message names the source, where it was read from (a URL as `shownUrl` shows
 * it), and why. `retryable` marks a
 * failure worth another attempt (no answer in time, a network error); `reason` is the why alone.
 */
export class SourceError extends Error {
	override name = 'SourceError';
	readonly reason: string;
	readonly retryable: boolean;
	constructor(sourceId: string, location: string, reason: string, { retryable = false } = {}) {
		super(`source "${sourceId}" (${shownUrl(location)}): ${reason}`);
		this.reason = reason;
		this.retryable = retryable;
	}
}

/**
 * A location as messages, logs and the snapshot show it: an http(s) URL without any user name or
 * password, and with its query values, where APIs often take tokens, replaced by `***`, except a short
 * number (up to six digits, such as a page number or an offset) under a name that does not suggest a
 * secret, so that a message can say which page failed. A path in the content folder is shown as it is.
 */
export function shownUrl(location: string): string {
	if (!/^https?:\/\//i.test(location) || !URL.canParse(location)) return location;
	const url = new URL(location);
	const query = [...url.searchParams]
		.map(([key, value]) => `${key}=${isPlainNumber(key, value) ? value : '***'}`)
		.join('&');
	return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}

/** Query names that page through a list: their values are shown, when they are short numbers. */
const PAGE_PARAMS = new Set([
	'page',
	'pagenumber',
	'page_number',
	'offset',
	'limit',
	'start',
	'skip',
	'per_page',
	'perpage',
	'page_size',
	'pagesize',
	'size',
]);

/** A query value that cannot be a secret worth hiding: a short number, under a pagination name (a pin or an otp is a number too). */
function isPlainNumber(key: string, value: string): boolean {
	return /^\d{1,6}$/.test(value) && PAGE_PARAMS.has(key.toLowerCase());
}

/**
 * A file or response body as text. The pull reads UTF-8 (a UTF-8 byte order mark is dropped); UTF-16,
 * which Excel writes as "Unicode text", and any other encoding (Excel's plain "CSV" is Windows-1252) is
 * refused with the way to save it instead of read as garbage.
 */
export function decodeUtf8(bytes: Uint8Array, fail: (reason: string) => SourceError): string {
	if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
		throw fail(
			'is UTF-16 text (it starts with a UTF-16 byte order mark), and the pull reads UTF-8 only; save or export it as UTF-8 (in Excel: "CSV UTF-8")',
		);
	const text = decodeText(bytes);
	if (typeof text === 'string') return text;
	throw fail(
		`is not UTF-8 (byte 0x${text.byte.toString(16).padStart(2, '0')} on line ${text.line}${text.before ? ` after ${JSON.stringify(text.before)}` : ''}), and the pull reads UTF-8 only; save or export it as UTF-8 (in Excel: "CSV UTF-8")`,
	);
}

/**
 * One status for a control from every status stated for it (in OSCAL per prop, per component, per
 * statement's component, or per finding; in any source, per record of that one control), conservatively:
 *
 * | stated                                                       | control        |
 * | ------------------------------------------------------------ | -------------- |
 * | nothing                                                      | not reported   |
 * | any failing                                                  | failing        |
 * | only not-applicable                                          | not-applicable |
 * | the rest (not-applicable set aside) all implemented          | implemented    |
 * | the rest all planned                                         | planned        |
 * | any other mix: any partial, or implemented beside planned    | partial        |
 *
 * In OSCAL, a component that states no status adds nothing; alternative counts as implemented before this.
 */
export function combineStatuses(
	statuses: readonly ControlStatusValue[],
): ControlStatusValue | undefined {
	if (statuses.length === 0) return undefined;
	if (statuses.includes('failing')) return 'failing';
	const applicable = statuses.filter((s) => s !== 'not-applicable');
	if (applicable.length === 0) return 'not-applicable';
	if (applicable.every((s) => s === 'implemented')) return 'implemented';
	if (applicable.every((s) => s === 'planned')) return 'planned';
	return 'partial';
}

/** Reads a dotted path such as `data.items` or `links.next` from parsed JSON. */
export function getPath(value: unknown, path: string | undefined): unknown {
	if (!path) return value;
	return path
		.split('.')
		.reduce<unknown>(
			(node, key) =>
				node !== null && typeof node === 'object' && Object.hasOwn(node, key)
					? (node as Record<string, unknown>)[key]
					: undefined,
			value,
		);
}

/** Our status for a source's word: the status map first, then our own words, case and spacing ignored. */
export function normalizeStatus(
	value: unknown,
	statusMap: Record<string, ControlStatusValue>,
): ControlStatusValue | undefined {
	if (typeof value !== 'string') return undefined;
	if (Object.hasOwn(statusMap, value)) return statusMap[value];
	const key = value
		.trim()
		.toLowerCase()
		.replace(/[\s_]+/g, '-');
	const mapped = Object.entries(statusMap).find(
		([word]) =>
			word
				.trim()
				.toLowerCase()
				.replace(/[\s_]+/g, '-') === key,
	)?.[1];
	return (
		mapped ??
		((CONTROL_STATUSES as readonly string[]).find((s) => s === key) as
			ControlStatusValue | undefined)
	);
}

/** A date from an ISO 8601 date or date-time string, or undefined; a day the month does not have (2026-02-30) is not a date. */
export function parseDate(value: unknown): Date | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
	const day = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
	if (!day) return undefined;
	// JavaScript rolls 2026-02-30 over to 2 March instead of refusing it.
	const [year, month, date] = day.slice(1).map(Number) as [number, number, number];
	if (month < 1 || month > 12 || date < 1 || date > new Date(Date.UTC(year, month, 0)).getUTCDate())
		return undefined;
	const parsed = new Date(
		(value as string).length === 10 ? `${value}T00:00:00Z` : (value as string),
	);
	return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}

/**
 * Turns mapped records (objects with named fields) into source records. Every bad record is reported
 * by its position, and the whole source fails if any is bad: a half-read source is never used.
 */
export function recordsFromObjects(
	items: unknown,
	fields: { id: string; status: string; evidenceDate: string },
	statusMap: Record<string, ControlStatusValue>,
	fail: (reason: string) => SourceError,
	position: (index: number) => string = (i) => `record ${i + 1}`,
): SourceRecord[] {
	if (!Array.isArray(items))
		throw fail(
			`expected a list of records, received ${items === undefined ? 'nothing' : typeof items}; check itemsPath`,
		);
	const problems: string[] = [];
	const records = items.flatMap((item, i): SourceRecord[] => {
		const at = position(i);
		const id = getPath(item, fields.id);
		const rawStatus = getPath(item, fields.status);
		const status = normalizeStatus(rawStatus, statusMap);
		const rawDate = getPath(item, fields.evidenceDate);
		const empty = rawDate === undefined || rawDate === null || String(rawDate).trim() === '';
		const evidenceDate = parseDate(rawDate);
		if (typeof id !== 'string' && typeof id !== 'number')
			problems.push(`${at}: expected an id in field "${fields.id}", received ${describe(id)}`);
		else if (!status)
			problems.push(
				`${at} (${id}): status ${JSON.stringify(rawStatus)} in field "${fields.status}" is not one of ${CONTROL_STATUSES.join(', ')}; add it to statusMap`,
			);
		else if (evidenceDate || (empty && UNDATED_ALLOWED.includes(status)))
			return [{ externalId: String(id).trim(), status, evidenceDate }];
		else
			problems.push(
				`${at} (${id}): expected an ISO 8601 date such as "2026-11-20" in field "${fields.evidenceDate}", received ${describe(rawDate)}${empty ? ` (only a planned or not-applicable row may leave it empty; this one is ${status})` : ''}`,
			);
		return [];
	});
	if (problems.length > 0) {
		const shown = problems.slice(0, 10).join('; ');
		throw fail(
			`${problems.length} invalid record${problems.length === 1 ? '' : 's'}: ${shown}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`,
		);
	}
	return records;
}
