/**
 * Minimum Lighthouse scores (0–100, mobile) per category. Accessibility, best practices and SEO are not
 * timed, and every audited page scores 100 in them. Performance is timed and moves with the machine's
 * load (the test judges the best of up to five runs when one is under this): with the stylesheets as
 * files every audited page scored 100 in three runs out of three here (with them inlined, two pages
 * scored 99), so the threshold keeps a margin of two points under it.
 */
export const LIGHTHOUSE_MIN = {
	performance: 98,
	accessibility: 100,
	'best-practices': 100,
	seo: 100,
} as const;

/** The pages Lighthouse audits: one per page kind that matters most, and the gate's access form. */
export const LIGHTHOUSE_PAGES = [
	'/',
	'/policies/access-control/',
	'/subprocessors/',
	'/security/encryption/',
	'/access/',
] as const;

/** axe-core violations allowed on any page. */
export const AXE_MAX_VIOLATIONS = 0;
