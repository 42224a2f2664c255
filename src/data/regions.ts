/**
 * Where a subprocessor processes data. Authors extend this list: add a new region here (id and the
 * label the public table shows), then use its id in `content/subprocessors/*.yaml`.
 */
export const REGIONS = {
	eu: 'European Union',
	uk: 'United Kingdom',
	us: 'United States',
	ca: 'Canada',
	ch: 'Switzerland',
	au: 'Australia',
	jp: 'Japan',
	sg: 'Singapore',
	in: 'India',
	global: 'Global (multiple regions)',
} as const;

export type Region = keyof typeof REGIONS;

/**
 * The region of a provider that processes data wherever its users are (a CDN): it processes data in every
 * region, so a region filter keeps it, and it is not counted as one more region.
 */
export const GLOBAL_REGION = 'global' satisfies Region;
export const REGION_IDS = Object.keys(REGIONS) as [Region, ...Region[]];
