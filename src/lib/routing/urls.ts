import type { Words } from '../words/words.ts';
import { isNdaDocument } from '../nda/visibility.ts';

/**
 * Every URL of the site, built in one place: the sections, the page of each entry, the files beside
 * them, and the access page. Paths are site-relative with a trailing slash (the site builds with
 * `trailingSlash: 'always'`); `absoluteUrl` puts the site's origin in front.
 */

/** The security architecture pages: Starlight docs whose ids start with this (`security`, `security/network`). */
export const ARCHITECTURE_DIR = 'security';

/**
 * The site's sections in sidebar order and where each lives. Each is named by `section.<id>` in the
 * site's words (src/lib/words/), and its pages' kind (the search filter, the images' kicker) by `kind.<id>`.
 */
export const SECTIONS = {
	frameworks: { path: '/frameworks/' },
	policies: { path: '/policies/' },
	subprocessors: { path: '/subprocessors/' },
	documents: { path: '/documents/' },
	updates: { path: '/updates/' },
	faq: { path: '/faq/' },
	security: { path: `/${ARCHITECTURE_DIR}/` },
} as const;

/** A section of the site, as SECTIONS names it. */
export type SectionId = keyof typeof SECTIONS;

/** Machine-readable files the pages link to. */
export const FILES = {
	atomFeed: '/updates.xml',
	jsonFeed: '/updates.json',
	subprocessorsJson: '/subprocessors.json',
	subprocessorsCsv: '/subprocessors.csv',
	securityTxt: '/.well-known/security.txt',
} as const;

/**
 * Lowercase words joined by hyphens, for ids and anchors, in any script: "Business continuity" →
 * `business-continuity`, "Protection des données" → `protection-des-données`, "データ保護" → `データ保護`.
 * Text of symbols only (an emoji, a dash) is named by its code points, so that no two such texts share the
 * empty id.
 */
export const slugify = (text: string): string => {
	const slug = text
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
		.replace(/^-|-$/g, '');
	if (slug || !text.trim()) return slug;
	return `u${[...text.trim()].map((c) => c.codePointAt(0)!.toString(16)).join('-')}`;
};

/** `/frameworks/<id>/`. */
export const frameworkUrl = (id: string): string => `${SECTIONS.frameworks.path}${id}/`;

/** The framework id of a framework page's path, or undefined for any other path. */
export const frameworkIdOf = (pathname: string): string | undefined =>
	new RegExp(`^${SECTIONS.frameworks.path}([^/]+)/$`).exec(pathname)?.[1];

/** `/policies/<id>/`. */
export const policyUrl = (id: string): string => `${SECTIONS.policies.path}${id}/`;

/** `/updates/<id>/` (an update's id is its file name). */
export const updateUrl = (id: string): string => `${SECTIONS.updates.path}${id}/`;

/** `/faq/#<id>`: one question on the FAQ page (its id is its file name). */
export const faqUrl = (id: string): string => `${SECTIONS.faq.path}#${id}`;

/** A Starlight docs page by its id: `security/network` → `/security/network/`; `` → `/`. */
export const docUrl = (id: string): string => (id ? `/${id}/` : '/');

/** `/badges/<framework>.svg`: a framework's embeddable status badge. */
export const badgeUrl = (frameworkId: string): string => `/badges/${frameworkId}.svg`;

/** The public URL of a public document's file, or undefined for NDA documents (never published). */
export function documentFileUrl(doc: {
	id: string;
	file: string;
	access: 'public' | 'nda';
}): string | undefined {
	return isNdaDocument(doc)
		? undefined
		: `${SECTIONS.documents.path}files/${doc.id}.${doc.file.split('.').at(-1)}`;
}

/** The NDA request page, with the documents to tick when given: `/access/?documents=whitepaper`. */
export const accessUrl = (documentId?: string): string =>
	documentId ? `/access/?documents=${documentId}` : '/access/';

/**
 * Where a visitor asks for an NDA document: the request page (the document ticked) when the access
 * gate is on; with the gate off (`securityEmail` given), an e-mail to the security contact whose
 * subject names the document.
 */
export function requestAccessUrl(
	securityEmail: string | undefined,
	t: Words,
	document?: { id: string; title: string },
): string {
	if (!securityEmail) return accessUrl(document?.id);
	const subject = t('request.subject', {
		document: document?.title ?? t('request.anyDocument'),
	});
	return `mailto:${securityEmail}?subject=${encodeURIComponent(subject)}`;
}

/** The access gate's own paths: the JSON API, the email confirmation, a grant's page and downloads. */
export const GATE_PATHS = {
	requests: '/api/access-requests',
	csrf: '/api/csrf',
	confirm: '/access/confirm/',
	download: '/download/',
} as const;

/**
 * The confirmation page; with `token`, the link mailed to a requester. The gate moves the token out of
 * the address bar on the first request, so it never reaches a Referer, a log or the browser history.
 */
export const confirmUrl = (token?: string): string =>
	token ? `${GATE_PATHS.confirm}?token=${token}` : GATE_PATHS.confirm;

/**
 * A grant's documents page, `/access/grant/<id>/`; with `key`, the link mailed to the recipient (the
 * gate trades the key for a cookie on the first request). `grantUrl(':id')` is the route's pattern.
 */
export const grantUrl = (id: string, key?: string): string =>
	`/access/grant/${id}/${key ? `?key=${key}` : ''}`;

/** A signed download link, from the query string the gate signed. */
export const downloadUrl = (signedQuery: string): string => `${GATE_PATHS.download}?${signedQuery}`;

/**
 * The subscription pages, served by the gate: the subscribe form (also built as a page, like /access/),
 * the confirmation button, and the pages a mail's signed links open.
 */
export const SUBSCRIBE_PATHS = {
	form: '/subscribe/',
	confirm: '/subscribe/confirm/',
	manage: '/subscribe/manage/',
	unsubscribe: '/subscribe/unsubscribe/',
} as const;

/** Where a page's Open Graph image lives: `/` → `/og/index.png`, `/policies/access/` → `/og/policies/access.png`. */
export function ogImagePath(pathname: string): string {
	const slug = pathname.replace(/^\/+|\/+$/g, '').replace(/\.html$/, '') || 'index';
	return `/og/${slug}.png`;
}

/** A site-relative path on the published site: `absoluteUrl('/faq/', 'https://trust.example.com')`. */
export const absoluteUrl = (path: string, siteUrl: string | URL): string =>
	new URL(path, siteUrl).href;
