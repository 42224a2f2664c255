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
export const REGION_IDS = Object.keys(REGIONS) as [Region, ...Region[]];
