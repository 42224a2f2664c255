import { describe } from '../../schemas/messages.ts';
import { decodeUtf8, SourceError } from './records.ts';

/** What one GET may take: the whole exchange within `timeoutMs`, a body of at most `maxBytes`. */
export interface FetchLimits {
	timeoutMs: number;
	maxBytes: number;
	headers?: Record<string, string>;
}

/** How many redirects one GET follows before it gives up. */
const MAX_REDIRECTS = 5;

/**
 * GETs `url` for a source and reads the whole body as text, bounded: the timeout covers the headers
 * and the body (a server that stalls mid-body is cut off too), and a body larger than `maxBytes` is
 * refused from its Content-Length or, without one, as soon as it passes the limit. Redirects are
 * followed only within the URL's origin (so never from https to http), at most five: the headers,
 * credentials included, only ever go where the source is configured to point. A timeout or a network
 * error is a retryable SourceError; every other failure is a plain one. Non-2xx answers are returned
 * for the caller to judge.
 */
export async function fetchBounded(
	sourceId: string,
	url: string,
	{ timeoutMs, maxBytes, headers = {} }: FetchLimits,
): Promise<{ response: Response; text: string }> {
	const signal = AbortSignal.timeout(timeoutMs);
	try {
		let current = new URL(url);
		for (let redirects = 0; ; redirects++) {
			if (current.username || current.password)
				throw new SourceError(
					sourceId,
					url,
					'a URL to fetch has a user name or password in it, and the pull never sends credentials in a URL; the token belongs in an environment variable named in auth',
				);
			const response = await fetch(current, { headers, signal, redirect: 'manual' });
			const location = response.headers.get('location');
			if (response.status < 300 || response.status > 399 || location === null)
				return { response, text: await readCapped(response, sourceId, url, maxBytes) };
			await response.body?.cancel();
			if (redirects === MAX_REDIRECTS)
				throw new SourceError(
					sourceId,
					url,
					`more than ${MAX_REDIRECTS} redirects; configure the final URL in site.yaml`,
				);
			if (!URL.canParse(location, current))
				throw new SourceError(
					sourceId,
					url,
					`HTTP ${response.status} redirects to ${describe(location)}, which is not a URL`,
				);
			const next = new URL(location, current);
			if (next.origin !== current.origin)
				throw new SourceError(sourceId, url, otherOrigin('redirects to', current, next));
			current = next;
		}
	} catch (error) {
		if (error instanceof SourceError) throw error;
		const e = error as Error;
		throw new SourceError(
			sourceId,
			url,
			e.name === 'TimeoutError'
				? `no response within ${timeoutMs} ms`
				: `network error (${(e.cause as Error | undefined)?.message ?? e.message})`,
			{ retryable: true },
		);
	}
}

/**
 * Why the pull does not follow a redirect or a next link to `to`: it is on another origin than
 * `from`, and credentials are only ever sent to the configured one.
 */
export function otherOrigin(what: string, from: URL, to: URL): string {
	return `${what} ${to.origin}, another origin than ${from.origin}; credentials are only ever sent to the configured origin, so the pull does not follow it. If ${to.origin} is the right server, configure the URL on it in site.yaml`;
}

/** The body as UTF-8 text, read chunk by chunk so that an oversized one is never held in memory. */
async function readCapped(
	response: Response,
	sourceId: string,
	url: string,
	maxBytes: number,
): Promise<string> {
	const tooLarge = (how: string) =>
		new SourceError(
			sourceId,
			url,
			`the response is over this source's limit of ${maxBytes} bytes (${how}); if the source really is that large, raise maxBytes for it in site.yaml`,
		);
	const declared = Number(response.headers.get('content-length'));
	if (declared > maxBytes) {
		await response.body?.cancel();
		throw tooLarge(`its Content-Length says ${declared}`);
	}
	if (!response.body) return '';
	const chunks: Uint8Array[] = [];
	let total = 0;
	const reader = response.body.getReader();
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > maxBytes) {
			await reader.cancel();
			throw tooLarge('reading stopped there');
		}
		chunks.push(value);
	}
	return decodeUtf8(Buffer.concat(chunks), (reason) => new SourceError(sourceId, url, reason));
}

/** Whether a body is an HTML page, as a sign-in or error page answers with 200 whatever was asked for. */
export const isHtml = (body: string): boolean =>
	/^<(!doctype\s+html|html|head|body)[\s>]/i.test(body.replace(/^\uFEFF/, '').trimStart());
