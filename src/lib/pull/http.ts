import type { HttpSource } from '../../schemas/control-sources.ts';
import { describe } from '../../schemas/messages.ts';
import { fetchBounded, isHtml, otherOrigin, type FetchLimits } from './fetch.ts';
import { getPath, recordsFromObjects, SourceError, type SourceRecord } from './records.ts';

/** Knobs the tests turn down; production uses the defaults. */
export interface HttpOptions {
	/** First backoff delay in ms; doubled on each retry. Default 1000. */
	backoffMs?: number;
	/** Longest wait honoured from a Retry-After header, in ms. Default 60000. */
	maxRetryAfterMs?: number;
	env?: NodeJS.ProcessEnv;
	log?: (line: string) => void;
	/** Waits between attempts. Default: a timer; tests pass one that records the wait instead. */
	sleep?: (ms: number) => Promise<void>;
	/** The current time in ms, against which a Retry-After date is measured. Default `Date.now`. */
	clock?: () => number;
}

const timer = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds to wait from a Retry-After header (seconds or an HTTP date), or undefined. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
	if (!header) return undefined;
	if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
	const date = Date.parse(header);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Fetches every page of an HTTP JSON source and maps its records. Retries 5xx, 429 and network errors
 * with exponential backoff (a Retry-After header wins); fails at once on other 4xx. Every failure is a
 * SourceError naming the source, the URL and the reason.
 */
export async function fetchHttpSource(
	source: HttpSource,
	options: HttpOptions = {},
): Promise<{ records: SourceRecord[]; pages: number }> {
	const { env = process.env } = options;
	const retrying = retryOptions(options);
	const headers: Record<string, string> = { Accept: 'application/json' };
	if (source.auth) {
		const token = env[source.auth.env];
		if (!token)
			throw new SourceError(
				source.id,
				source.url,
				`environment variable ${source.auth.env} is not set; export it (in CI, pass it from a secret)`,
			);
		headers[source.auth.header] = source.auth.scheme ? `${source.auth.scheme} ${token}` : token;
	}

	const records: SourceRecord[] = [];
	let url: string | undefined = source.url;
	let page = source.pagination?.type === 'page-param' ? source.pagination.start : 0;
	let pages = 0;
	// A pagination that does not advance would read the same page until maxPages. It is caught at once:
	// a next link to a page already read (`seen`), or a page-param page with its previous page's records.
	const seen = new Set<string>();
	let previousItems: string | undefined;
	while (url) {
		if (pages >= source.maxPages)
			throw new SourceError(
				source.id,
				url,
				`more than ${source.maxPages} pages; raise maxPages if that is expected`,
			);
		const pageUrl: string =
			source.pagination?.type === 'page-param'
				? withParam(url, source.pagination.param, page)
				: url;
		const body = await getJson(source, pageUrl, headers, retrying);
		const items = getPath(body, source.itemsPath);
		if (source.pagination?.type === 'page-param') {
			const itemsText = JSON.stringify(items);
			if (previousItems === itemsText && Array.isArray(items) && items.length > 0)
				throw new SourceError(
					source.id,
					pageUrl,
					`page ${pages + 1} holds the same records as page ${pages}, so the API ignores the "${source.pagination.param}" parameter: set pagination.param to the API's own name for the page number, or use pagination type next-link`,
				);
			previousItems = itemsText;
		}
		const pageRecords = recordsFromObjects(
			items,
			source.fields,
			source.statusMap,
			(reason) => new SourceError(source.id, pageUrl, reason),
			(i) => `record ${i + 1} of page ${pages + 1}`,
		);
		records.push(...pageRecords);
		pages++;
		retrying.log(`  ${source.id}: page ${pages} (${pageRecords.length} records)`);
		if (source.pagination?.type === 'next-link') {
			seen.add(pageUrl);
			url = nextLink(source, body, source.pagination.path, pageUrl);
			if (url !== undefined && seen.has(url))
				throw new SourceError(
					source.id,
					url,
					`the next link at ${source.pagination.path} points back to a page already read, so the pages never end: check pagination.path, which must name the link to the following page`,
				);
		} else if (source.pagination?.type === 'page-param') {
			page++;
			url = pageRecords.length > 0 ? url : undefined;
		} else url = undefined;
	}
	return { records, pages };
}

/** The next page's URL from a next link, or undefined at the end; only ever on the configured origin. */
function nextLink(
	source: HttpSource,
	body: unknown,
	path: string,
	pageUrl: string,
): string | undefined {
	const next = getPath(body, path);
	if (typeof next !== 'string' || next === '') return undefined;
	const at = `next link at ${path}`;
	if (!URL.canParse(next, pageUrl))
		throw new SourceError(source.id, pageUrl, `${at} is not a URL: ${describe(next)}`);
	const url = new URL(next, pageUrl);
	const configured = new URL(source.url);
	if (url.origin !== configured.origin)
		throw new SourceError(source.id, pageUrl, otherOrigin(`${at} points to`, configured, url));
	return url.href;
}

function withParam(url: string, param: string, value: number): string {
	const u = new URL(url);
	u.searchParams.set(param, String(value));
	return u.href;
}

/** The retry settings with their defaults filled in. */
export type Retrying = Required<
	Pick<HttpOptions, 'backoffMs' | 'maxRetryAfterMs' | 'log' | 'sleep' | 'clock'>
>;

/** `options` with every retry setting's default filled in. */
export function retryOptions(options: HttpOptions): Retrying {
	return {
		backoffMs: options.backoffMs ?? 1000,
		maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
		log: options.log ?? (() => {}),
		sleep: options.sleep ?? timer,
		clock: options.clock ?? Date.now,
	};
}

async function getJson(
	source: HttpSource,
	url: string,
	headers: Record<string, string>,
	o: Retrying,
): Promise<unknown> {
	const text = await fetchWithRetries(
		source.id,
		url,
		{ headers, timeoutMs: source.timeoutMs, maxBytes: source.maxBytes, retries: source.retries },
		`the credentials were refused${source.auth ? `; check the token in ${source.auth.env}` : '; this source needs `auth`'}`,
		o,
	);
	if (text.trim() === '')
		throw new SourceError(
			source.id,
			url,
			'the response is empty, not JSON: check the URL and its query, which should name a list of records',
		);
	if (isHtml(text))
		throw new SourceError(
			source.id,
			url,
			`received HTML, probably a sign-in or error page, not JSON: point url at the API's own address (not the web app's pages)${source.auth ? ` and check the token in ${source.auth.env}` : ', and give the source `auth` if the API needs a token'}`,
		);
	try {
		return JSON.parse(text);
	} catch (error) {
		throw new SourceError(
			source.id,
			url,
			`response is not valid JSON (${(error as Error).message})`,
		);
	}
}

/**
 * GETs `url` (bounded by `fetchBounded`) and returns the body of a 2xx answer. Retries 5xx, 429 and
 * network errors up to `retries` times with exponential backoff (a Retry-After header wins); fails at
 * once on other 4xx, and on 401 or 403 with `refused` saying what to check.
 */
export async function fetchWithRetries(
	sourceId: string,
	url: string,
	limits: FetchLimits & { retries: number },
	refused: string,
	o: Retrying,
): Promise<string> {
	for (let attempt = 0; ; attempt++) {
		let retryReason: string;
		let wait = o.backoffMs * 2 ** attempt;
		try {
			const { response, text } = await fetchBounded(sourceId, url, limits);
			if (response.ok) return text;
			const status = `HTTP ${response.status} ${response.statusText}`;
			if (response.status === 401 || response.status === 403)
				throw new SourceError(sourceId, url, `${status}: ${refused}`);
			if (response.status !== 429 && response.status < 500)
				throw new SourceError(sourceId, url, status);
			retryReason = status;
			const after = retryAfterMs(response.headers.get('retry-after'), o.clock());
			if (after !== undefined) wait = Math.min(after, o.maxRetryAfterMs);
		} catch (error) {
			if (!(error instanceof SourceError && error.retryable)) throw error;
			retryReason = error.reason;
		}
		if (attempt >= limits.retries)
			throw new SourceError(
				sourceId,
				url,
				`${retryReason}, after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}`,
			);
		o.log(`  ${sourceId}: ${retryReason}; retrying in ${Math.round(wait)} ms`);
		await o.sleep(wait);
	}
}
