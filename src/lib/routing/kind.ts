import { accessUrl, SECTIONS, SUBSCRIBE_PATHS } from './urls.ts';

/**
 * Pages outside the sections, with the section whose kind they share: requesting the NDA documents is
 * about documents, and subscribing is getting the updates by email.
 */
const SHARED_KINDS = [
	{ path: accessUrl(), kind: SECTIONS.documents.kind },
	{ path: SUBSCRIBE_PATHS.form, kind: SECTIONS.updates.kind },
];

/** The kind of page at `pathname`, e.g. "Policy" for `/policies/access-control/`; pages outside the sections have none. */
export function pageKind(pathname: string): string | undefined {
	if (pathname === '/') return 'Overview';
	return [...Object.values(SECTIONS), ...SHARED_KINDS].find(({ path }) => pathname.startsWith(path))
		?.kind;
}
