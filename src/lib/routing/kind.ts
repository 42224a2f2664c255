import { SECTIONS } from './urls.ts';

/** The kind of page at `pathname`, e.g. "Policy" for `/policies/access-control/`; pages outside the sections have none. */
export function pageKind(pathname: string): string | undefined {
	if (pathname === '/') return 'Overview';
	return Object.values(SECTIONS).find(({ path }) => pathname.startsWith(path))?.kind;
}
