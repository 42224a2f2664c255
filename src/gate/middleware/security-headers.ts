// The headers every response of the gate carries: a Content-Security-Policy that allows the site's own
// inline scripts by hash and nothing else inline, HSTS, no framing, no sniffing, a referrer of at most
// the origin, and no caching unless a route allows it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import { walkFiles } from '../../lib/files.ts';

/** Browser features no page of the site uses, turned off. interest-cohort is FLoC's opt-out, which Hono's list leaves out. */
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

/** Hono's secure-headers middleware, set to the gate's policy; `https` adds upgrade-insecure-requests. */
export function securityHeaders(scriptHashes: readonly string[], https: boolean) {
	return secureHeaders({
		contentSecurityPolicy: {
			defaultSrc: ["'self'"],
			// Pagefind compiles its WebAssembly index; Starlight's theme and search scripts are inline.
			scriptSrc: ["'self'", "'wasm-unsafe-eval'", ...scriptHashes],
			styleSrc: ["'self'", "'unsafe-inline'"],
			imgSrc: ["'self'", 'data:'],
			fontSrc: ["'self'"],
			connectSrc: ["'self'"],
			objectSrc: ["'none'"],
			baseUri: ["'self'"],
			formAction: ["'self'"],
			frameAncestors: ["'none'"],
			...(https ? { upgradeInsecureRequests: [] } : {}),
		},
		strictTransportSecurity: 'max-age=63072000; includeSubDomains',
		xContentTypeOptions: 'nosniff',
		xFrameOptions: 'DENY',
		// At most the origin, even to our own assets (a CDN's logs): a page's path and query never leave
		// the page. Not no-referrer: with it, browsers send "Origin: null" on form posts, and the origin
		// check could not tell our own forms from another site's.
		referrerPolicy: 'strict-origin',
		permissionsPolicy: Object.fromEntries(NO_FEATURES.map((feature) => [feature, []])),
		crossOriginOpenerPolicy: 'same-origin',
		// Hono's other defaults were never part of the gate's headers; left off so that responses stay as they were.
		crossOriginResourcePolicy: false,
		originAgentCluster: false,
		xDnsPrefetchControl: false,
		xDownloadOptions: false,
		xPermittedCrossDomainPolicies: false,
		xXssProtection: false,
	});
}

/**
 * The same headers as name/value pairs, for answers written outside Hono: a request Node's parser or
 * the adapter refuses before any route sees it.
 */
export async function securityHeaderList(
	scriptHashes: readonly string[],
	https: boolean,
): Promise<Array<[string, string]>> {
	const probe = new Hono()
		.use(securityHeaders(scriptHashes, https), noStoreByDefault)
		.get('/', (c) => c.body(null));
	return [...(await probe.request('/')).headers];
}

/** Responses that do not say how to cache them are not cached: gate pages carry names, tokens and links. */
export const noStoreByDefault = createMiddleware(async (c, next) => {
	await next();
	if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
});
