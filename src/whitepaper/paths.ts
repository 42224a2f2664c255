import { slugify } from '../lib/routing/urls.ts';
import type { Words } from '../lib/words/words.ts';

/** Where the NDA edition is built, and where the whitepaper and its manifest are written: never published. */
export const PRIVATE_DIR = 'private';
/** The NDA edition build (`TRUST_EDITION=nda`), the whitepaper's source. */
export const EDITION_DIR = `${PRIVATE_DIR}/edition`;

/** The id under which the NDA whitepaper is requested and granted, e.g. in `/access/?documents=whitepaper`. */
export const WHITEPAPER_ID = 'whitepaper';

/** The whitepaper PDF and its manifest, beside the NDA edition in `private/` (never in `dist/`). */
export const WHITEPAPER_PDF = `${PRIVATE_DIR}/whitepaper.pdf`;
export const WHITEPAPER_MANIFEST = `${PRIVATE_DIR}/whitepaper.json`;

/** The print page's route parameter (src/pages/print/[edition].astro), its path, and its file in the NDA edition build. */
export const PRINT_EDITION = 'whitepaper';
export const PRINT_PATH = `/print/${PRINT_EDITION}/`;
export const PRINT_PAGE = `${PRINT_PATH.slice(1)}index.html`;

/**
 * The whitepaper's title, in the site's words. `pdf` (the default) is the title of the PDF and of its
 * print page, "Acme Security Whitepaper — NDA edition"; `document` is how the access page, mails and
 * grants list it among the documents one can request, "Acme Security Whitepaper (NDA edition)". (Its
 * name on the cover, under the company's name, is `t('whitepaper.name')`.)
 */
export function whitepaperTitle(company: string, t: Words, as: 'pdf' | 'document' = 'pdf'): string {
	return t(as === 'pdf' ? 'whitepaper.title' : 'whitepaper.documentTitle', { company });
}

/** Element id of a top-level chapter in the print edition. */
export const chapterId = (key: string): string => `chapter-${slugify(key)}`;

/**
 * Element id of an entry printed within a chapter: `framework-iso-27001`, `policy-cryptography`,
 * `update-2026-04-failover-test`, `faq-sso`.
 */
export const entryId = (kind: 'framework' | 'policy' | 'update' | 'faq', id: string): string =>
	`${kind}-${slugify(id)}`;

/** What `private/whitepaper.json` records about the PDF beside it. */
export interface WhitepaperManifest {
	/** File name of the PDF, relative to the manifest. */
	file: string;
	/** SHA-256 of the PDF bytes, hex. */
	sha256: string;
	bytes: number;
	pages: number;
	/** The NDA edition's version, from `whitepaper.version` in content/site.yaml. */
	version: string;
	/** As-of time of the control-status snapshot the PDF shows. */
	controlStatusAsOf: string;
	/** Digest of that snapshot, so the PDF can be matched to /status.json. */
	controlStatusDigest: string | null;
	/** The build time (SOURCE_DATE_EPOCH when set). */
	builtAt: string;
}
