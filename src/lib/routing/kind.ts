import type { Words } from '../words/words.ts';
import { accessUrl, SECTIONS, SUBSCRIBE_PATHS, type SectionId } from './urls.ts';

/**
 * Pages outside the sections, with the section whose kind they share: requesting the NDA documents is
 * about documents, and subscribing is getting the updates by email.
 */
const SHARED_KINDS: { path: string; id: SectionId }[] = [
	{ path: accessUrl(), id: 'documents' },
	{ path: SUBSCRIBE_PATHS.form, id: 'updates' },
];

/** The section a page at `pathname` belongs to ("overview" for `/`); pages outside the sections have none. */
export function pageSection(pathname: string): SectionId | 'overview' | undefined {
	if (pathname === '/') return 'overview';
	const sections = Object.entries(SECTIONS).map(([id, { path }]) => ({
		path,
		id: id as SectionId,
	}));
	return [...sections, ...SHARED_KINDS].find(({ path }) => pathname.startsWith(path))?.id;
}

/** The kind of page at `pathname` in the site's words, e.g. "Policy" for `/policies/access-control/`; pages outside the sections have none. */
export function pageKind(pathname: string, t: Words): string | undefined {
	const section = pageSection(pathname);
	return section && t(`kind.${section}`);
}
