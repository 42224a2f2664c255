import { PRIVATE_DIR } from '../lib/nda/edition.ts';

/** The id under which the NDA whitepaper is requested and granted, e.g. in `/access/?documents=whitepaper`. */
export const WHITEPAPER_ID = 'whitepaper';

/** The whitepaper PDF and its manifest, beside the NDA edition in `private/` (never in `dist/`). */
export const WHITEPAPER_PDF = `${PRIVATE_DIR}/whitepaper.pdf`;
export const WHITEPAPER_MANIFEST = `${PRIVATE_DIR}/whitepaper.json`;
/** The print page inside the NDA edition build. */
export const PRINT_PAGE = 'print/whitepaper/index.html';

/** The whitepaper's document title, also its PDF title. */
export const whitepaperTitle = (company: string): string => `${company} Security Whitepaper — NDA edition`;

/** The running header and footer Chromium prints on every page. */
export const RUNNING_HEADER = 'Confidential — provided under NDA';

/** Element id of a top-level chapter in the print edition. */
export const chapterId = (key: string): string => `chapter-${key.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;

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
