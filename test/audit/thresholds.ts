/** Minimum Lighthouse scores (0–100, mobile) per category. We aim for 100 everywhere. */
export const LIGHTHOUSE_MIN = {
	performance: 95,
	accessibility: 95,
	'best-practices': 95,
	seo: 95,
} as const;

/** The pages Lighthouse audits: one per page kind that matters most. */
export const LIGHTHOUSE_PAGES = [
	'/',
	'/policies/access-control/',
	'/subprocessors/',
	'/security/encryption/',
] as const;

/** axe-core violations allowed on any page. */
export const AXE_MAX_VIOLATIONS = 0;
