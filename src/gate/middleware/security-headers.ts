// The headers every response of the gate carries: a Content-Security-Policy that allows the site's own
// inline scripts by hash and nothing else inline, HSTS, no framing, no sniffing, a referrer of at most
// the origin, and no caching unless a route allows it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createMiddleware } from 'hono/factory';
import { walkFiles } from '../../lib/files.ts';
import type { Env } from '../context.ts';

/** Browser features no page of the site uses, turned off (interest-cohort is FLoC's opt-out). */
const NO_FEATURES = [
	'accelerometer',
	'camera',
	'geolocation',
	'gyroscope',
	'microphone',
	'payment',
	'usb',
	'interest-cohort',
];

/** SHA-256 sources of every inline script in the built site, for the Content-Security-Policy. */
export function inlineScriptHashes(dist: string): string[] {
	const hashes = new Set<string>();
	for (const path of walkFiles(dist, (name) => name.endsWith('.html'))) {
		for (const m of readFileSync(path, 'utf8').matchAll(
			/<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g,
		)) {
			hashes.add(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
		}
	}
	return [...hashes].sort();
}

/** The Content-Security-Policy: the site's own files, its inline scripts by hash, and nothing else. */
function contentSecurityPolicy(scriptHashes: readonly string[], https: boolean): string {
	return [
		"default-src 'self'",
		// Pagefind compiles its WebAssembly index; Starlight's theme and search scripts are inline.
		["script-src 'self' 'wasm-unsafe-eval'", ...scriptHashes].join(' '),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
		...(https ? ['upgrade-insecure-requests'] : []),
	].join('; ');
}

/**
 * The headers every answer of the gate carries, as name/value pairs (names in lower case, as they go
 * out): the security headers, and `no-store` for answers whose route does not say how to cache them.
 * `https` adds upgrade-insecure-requests.
 */
export function securityHeaderList(
	scriptHashes: readonly string[],
	https: boolean,
): ReadonlyArray<readonly [string, string]> {
	return [
		['content-security-policy', contentSecurityPolicy(scriptHashes, https)],
		['cross-origin-opener-policy', 'same-origin'],
		// At most the origin, even to our own assets (a CDN's logs): a page's path and query never leave
		// the page. Not no-referrer: with it, browsers send "Origin: null" on form posts, and the origin
		// check could not tell our own forms from another site's.
		['referrer-policy', 'strict-origin'],
		['strict-transport-security', 'max-age=63072000; includeSubDomains'],
		['x-content-type-options', 'nosniff'],
		['x-frame-options', 'DENY'],
		['permissions-policy', NO_FEATURES.map((feature) => `${feature}=()`).join(', ')],
		// Gate pages carry names, tokens and links: what does not say how to cache it is not cached.
		['cache-control', 'no-store'],
	];
}

/**
 * The headers of securityHeaderList that only a document acts on (and a worker, for the CSP): a page, an
 * SVG or a script may become one, while a browser never runs a stylesheet, font, raster image, JSON,
 * WebAssembly or a file of bytes as a page (nosniff keeps it from guessing otherwise). A static file of
 * such a type goes without them (subresourceType): some 1.1 KB less for each, over HTTP/1.1.
 */
export const DOCUMENT_ONLY_HEADERS = [
	'content-security-policy',
	'cross-origin-opener-policy',
	'x-frame-options',
	'permissions-policy',
] as const;

/** The Content-Types that never become a document or worker (see DOCUMENT_ONLY_HEADERS). */
const SUBRESOURCE_TYPES =
	/^(?:text\/css|font\/[\w.+-]+|image\/(?:png|jpeg|gif|webp|avif|x-icon)|application\/(?:json|manifest\+json|feed\+json|wasm|octet-stream))(?:;|$)/;

/** Whether a static file of Content-Type `type` goes without the DOCUMENT_ONLY_HEADERS. */
export function subresourceType(type: string): boolean {
	return SUBRESOURCE_TYPES.test(type);
}

/**
 * Gives every answer `headers` (securityHeaderList). They are set on Node's response before the route
 * runs, and a header the route's answer has of the same name replaces them when the answer is written:
 * routes say how to cache what they answer (and none sets a security header). Set there, they cost no
 * copy of the answer's headers, as the gate's static files are sent with the headers they were made with.
 */
export function securityHeaders(headers: ReadonlyArray<readonly [string, string]>) {
	return createMiddleware<Env>(async (c, next) => {
		for (const [name, value] of headers) c.env.outgoing.setHeader(name, value);
		await next();
	});
}
