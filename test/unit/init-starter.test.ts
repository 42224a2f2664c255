import { describe, expect, it } from 'vitest';
import { renderStarter } from '../../scripts/lib/init/starter.ts';

/** The width the starter's placeholder logo gives `company`. */
const width = (company: string) => {
	const svg = renderStarter(
		{
			companyName: company,
			legalName: company,
			url: 'https://trust.example.com',
			brandColor: '#b4003c',
			securityEmail: 'security@example.com',
			language: 'ja',
		},
		new Date('2026-12-01T00:00:00Z'),
	).get('public/brand/logo-light.svg')!;
	return Number(/width="(\d+)"/.exec(svg)?.[1]);
};

describe("init's placeholder logo", () => {
	it('has room for a Japanese name at about 1 em a character, and for a Latin or Arabic one at about 0.6 em', () => {
		// 50 px before the name; the name is drawn at 18 px.
		expect(width('株式会社さくらデータ')).toBeGreaterThanOrEqual(50 + 10 * 18);
		expect(width('ＡＢＣ株式会社')).toBeGreaterThanOrEqual(50 + 7 * 18);
		expect(width('Müller & Söhne')).toBe(58 + 14 * 11);
		expect(width('شركة السحابة')).toBe(58 + 12 * 11);
	});
});
