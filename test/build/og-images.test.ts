import { ENGLISH } from '../../src/lib/words/words.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
	FIXTURE_DOCS,
	buildSite,
	fixtureContent,
	makeSite,
	removeSite,
} from '../../scripts/lib/site-copy.ts';
import { walkFiles } from '../../src/lib/files.ts';
import { loadContent } from '../../src/lib/content/load.ts';
import { readSourcePages } from '../../src/lib/content/source-pages.ts';
import { siteOgAssets } from '../../src/integration/og-images.ts';
import type { OgInput } from '../../src/lib/og/card.ts';
import { expectedPages, ogInputFor } from '../../src/lib/og/inputs.ts';
import { drawWholeOg } from '../../src/lib/og/render.ts';

const PINNED_TIME = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000) };
const site = makeSite('og', { content: fixtureContent('minimal'), docs: FIXTURE_DOCS });
afterAll(() => removeSite(site));

const ogLine = (output: string) =>
	/OG images: (\d+) drawn, (\d+) from cache/.exec(output)?.slice(1).map(Number);
const htmlPages = (dir: string): string[] => walkFiles(dir, (name) => name.endsWith('.html'));

describe('Open Graph images in the build', () => {
	it('draws one image per page, tags every page with it, and redraws nothing on an unchanged rebuild', async () => {
		const first = await buildSite(site, [], PINNED_TIME);
		expect(first.code, first.output).toBe(0);
		const pages = htmlPages(join(site, 'dist'));
		expect(ogLine(first.output)).toEqual([pages.length, 0]);
		for (const page of pages) {
			const html = readFileSync(page, 'utf8');
			const image = /<meta property="og:image" content="https:\/\/[^/"]+(\/og\/[^"]+\.png)"/.exec(
				html,
			)?.[1];
			expect(image, page).toBeDefined();
			expect(existsSync(join(site, 'dist', image!)), image).toBe(true);
			expect(html).toContain('<meta name="twitter:card" content="summary_large_image"/>');
			expect(html).toMatch(/<meta property="og:title" content="[^"]+"/);
		}
		const index = JSON.parse(readFileSync(join(site, 'dist/og/index.json'), 'utf8')) as Array<
			OgInput & { page: string; image: string }
		>;
		expect(index.find((e) => e.page === '/frameworks/mini-cert/')).toMatchObject({
			kind: 'Framework',
		});
		// The images drawn before any page rendered are those the built pages ask for.
		const { content } = loadContent(site);
		const freshness = {
			now: new Date(Number(PINNED_TIME.SOURCE_DATE_EPOCH) * 1000),
			maxEvidenceAgeDays: content!.site.controlStatus.maxEvidenceAgeDays,
		};
		const forecast = expectedPages(readSourcePages(site));
		expect(forecast.map((p) => p.pathname).sort()).toEqual([
			'/frameworks/mini-cert/',
			'/policies/access/',
			'/security/',
			'/updates/2026-11-01-hello/',
		]);
		for (const { pathname, meta } of forecast)
			expect(index.find((e) => e.page === pathname)).toMatchObject(
				ogInputFor(pathname, meta, content!, freshness, ENGLISH),
			);
		// Each card is its band drawn over the site's frame: it looks as the card drawn whole would, and is
		// an opaque RGB PNG.
		const assets = siteOgAssets(site, 'content', content!.site, join(site, '.cache/og'));
		for (const page of ['/frameworks/mini-cert/', '/policies/access/']) {
			const { page: _page, image, ...input } = index.find((e) => e.page === page)!;
			const built = PNG.sync.read(readFileSync(join(site, 'dist', image)));
			const whole = PNG.sync.read(await drawWholeOg(input, assets));
			expect(built.colorType, image).toBe(2);
			expect(
				pixelmatch(built.data, whole.data, undefined, 1200, 630, { threshold: 0.1 }),
				image,
			).toBe(0);
		}
		const before = readFileSync(join(site, 'dist/og/index.png'));

		const second = await buildSite(site, [], PINNED_TIME);
		expect(ogLine(second.output)).toEqual([0, pages.length]);
		expect(readFileSync(join(site, 'dist/og/index.png')).equals(before)).toBe(true);

		// A changed policy title redraws exactly that policy's image.
		const path = join(site, 'content/policies/access.mdx');
		writeFileSync(
			path,
			readFileSync(path, 'utf8').replace(/^title: .*$/m, 'title: Access control policy, renamed'),
		);
		const third = await buildSite(site, [], PINNED_TIME);
		expect(third.code, third.output).toBe(0);
		expect(ogLine(third.output)).toEqual([1, pages.length - 1]);
		expect(
			JSON.parse(readFileSync(join(site, 'dist/og/index.json'), 'utf8')).find(
				(e: { page: string }) => e.page === '/policies/access/',
			)?.title,
		).toBe('Access control policy, renamed');
	});
});
