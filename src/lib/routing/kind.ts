/** The search filter label for each part of the site. Pages outside these are not tagged. */
const KINDS: [prefix: string, kind: string][] = [
	['/frameworks/', 'Framework'],
	['/policies/', 'Policy'],
	['/subprocessors/', 'Subprocessor'],
	['/updates/', 'Update'],
	['/faq/', 'FAQ'],
	['/documents/', 'Document'],
	['/security/', 'Doc'],
];

/** The kind of page at `pathname`, e.g. "Policy" for `/policies/access-control/`. */
export function pageKind(pathname: string): string | undefined {
	if (pathname === '/') return 'Overview';
	return KINDS.find(([prefix]) => pathname.startsWith(prefix))?.[1];
}
