import { ogLegend } from '../../src/lib/og/inputs.ts';
import { ENGLISH } from '../../src/lib/words/words.ts';
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import satori from 'satori';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { builtPageMeta, siteOgAssets } from '../../src/integration/og-images.ts';
import { processesFor } from '../../src/integration/og-workers.ts';
import { badgeSvg, frameworkBadge } from '../../src/lib/status/badge.ts';
import { brandCss, cssString } from '../../src/lib/brand/css.ts';
import { barSegments, chartLabel, segmentMarks, wrapLabel } from '../../src/lib/status/charts.ts';
import { contrastRatio } from '../../src/lib/brand/contrast.ts';
import { BAND_ROOM, BAND_TOP, clip, ogBand, ogCard, type OgInput } from '../../src/lib/og/card.ts';
import { ogImagePath } from '../../src/lib/routing/urls.ts';
import { blendOver, encodePng, scanlinesOf } from '../../src/lib/og/raster.ts';
import { COLLECT_EXEC_ARGV } from '../../src/lib/og/collect.ts';
import type { DrawReply, DrawRequest } from '../../src/lib/og/draw-worker.ts';
import {
	drawOg,
	drawWholeOg,
	loadOgAssets,
	missingCjkFont,
	ogKey,
} from '../../src/lib/og/render.ts';
import { CJK_TEXT, cjkRegion, collectionFace } from '../../src/lib/system-fonts.ts';
import { woffToSfnt } from '../../src/lib/og/woff.ts';
import { FrameworkSchema } from '../../src/schemas/framework.ts';
import { SiteSettingsSchema } from '../../src/schemas/site.ts';

const counts = {
	total: 93,
	applicable: 89,
	implemented: 81,
	partial: 4,
	planned: 2,
	failing: 0,
	notApplicable: 4,
	unknown: 0,
	stale: 2,
};
const framework = (status: string, shortName = 'SOC 2 Type II') =>
	FrameworkSchema.parse({
		id: 'x',
		name: 'X',
		shortName,
		kind: 'attestation',
		status,
		scope: 's',
		summary: 's',
	});

/** The build time of the badges below. */
const NOW = new Date('2026-12-01T00:00:00Z');

describe('badges', () => {
	it('says "expired", in red, once the certificate or report has passed its expires date', () => {
		const expiring = (status: string, expires: string) =>
			FrameworkSchema.parse({ ...framework(status, 'ISO 27001'), expires });
		expect(frameworkBadge(expiring('certified', '2026-11-30'), undefined, ENGLISH, NOW)).toEqual({
			label: 'ISO 27001',
			message: 'expired',
			color: '#b42318',
		});
		const clean = { ...counts, stale: 0, implemented: 83 };
		expect(frameworkBadge(expiring('certified', '2026-11-30'), clean, ENGLISH, NOW)).toEqual({
			label: 'ISO 27001',
			message: '83/89 · expired',
			color: '#b42318',
		});
		// Not yet; and a framework in progress does not lean on a certificate.
		expect(
			frameworkBadge(expiring('certified', '2026-12-01'), undefined, ENGLISH, NOW).message,
		).toBe('certified');
		expect(
			frameworkBadge(expiring('in-progress', '2026-11-30'), undefined, ENGLISH, NOW).message,
		).toBe('in progress');
	});

	it('shows a framework by status, or by live count when it has a catalog', () => {
		expect(frameworkBadge(framework('audited'), undefined, ENGLISH, NOW)).toEqual({
			label: 'SOC 2 Type II',
			message: 'audited',
			color: '#1a7f37',
		});
		const clean = { ...counts, stale: 0, implemented: 83 };
		expect(frameworkBadge(framework('certified', 'ISO 27001'), clean, ENGLISH, NOW)).toEqual({
			label: 'ISO 27001',
			message: '83/89',
			color: '#1a7f37',
		});
		expect(
			frameworkBadge(
				framework('in-progress', 'ISO 27701'),
				{ ...clean, implemented: 40 },
				ENGLISH,
				NOW,
			),
		).toEqual({ label: 'ISO 27701', message: '40/89', color: '#0b5cad' });
		expect(frameworkBadge(framework('planned', 'PCI DSS'), undefined, ENGLISH, NOW).message).toBe(
			'planned',
		);
	});

	it('names stale, failing and not-reported controls, and is never green while any is failing, stale or not reported', () => {
		const badge = (c: Partial<typeof counts>) =>
			frameworkBadge(framework('certified', 'ISO 27001'), { ...counts, ...c }, ENGLISH, NOW);
		expect(badge({ implemented: 81, stale: 2 })).toEqual({
			label: 'ISO 27001',
			message: '81/89 · 2 stale',
			color: '#0b5cad',
		});
		expect(badge({ implemented: 82, failing: 1, stale: 0 })).toEqual({
			label: 'ISO 27001',
			message: '82/89 · 1 failing',
			color: '#b42318',
		});
		expect(badge({ implemented: 81, stale: 0, unknown: 2 })).toEqual({
			label: 'ISO 27001',
			message: '81/89 · 2 not reported',
			color: '#0b5cad',
		});
		expect(
			badge({ implemented: 76, failing: 1, stale: 6, unknown: 2, partial: 3, planned: 1 }),
		).toEqual({
			label: 'ISO 27001',
			message: '76/89 · 1 failing · 6 stale · 2 not reported',
			color: '#b42318',
		});
	});

	it('is an accessible SVG with a title, escaped text and widths that fit the text', () => {
		const svg = badgeSvg({ label: 'R&D <lab>', message: '81/89', color: '#1a7f37' });
		expect(svg).toMatch(
			/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="(\d+)" height="20" viewBox="0 0 \1 20" role="img" aria-label="R&amp;D &lt;lab&gt;: 81\/89"><title>R&amp;D &lt;lab&gt;: 81\/89<\/title>/,
		);
		expect(svg).toContain('<text x="');
		expect(svg.endsWith('</g></svg>')).toBe(true);
		const width = (s: string) =>
			Number(/width="(\d+)"/.exec(badgeSvg({ label: s, message: 'ok', color: '#000000' }))![1]);
		expect(width('ISO 27001')).toBeLessThan(width('ISO/IEC 27001:2022 certification'));
	});

	it('uses message colours that keep white text at WCAG AA', () => {
		for (const color of ['#1a7f37', '#0b5cad', '#57606a', '#b42318', '#3f4650'])
			expect(contrastRatio('#ffffff', color), color).toBeGreaterThanOrEqual(4.5);
	});
});

describe('coverage charts', () => {
	it('splits the bar by status, in order, adding up to the full width', () => {
		const segments = barSegments(counts, 600, ENGLISH);
		expect(segments.map((s) => [s.key, s.count])).toEqual([
			['implemented', 81],
			['partial', 4],
			['planned', 2],
			['stale', 2],
		]);
		expect(segments.reduce((sum, s) => sum + s.width, 0)).toBeCloseTo(600, 5);
		expect(segments[1]!.x).toBe(segments[0]!.width);
		expect(barSegments({ ...counts, applicable: 0 }, 600, ENGLISH)).toEqual([]);
	});

	it('draws each status its own marks as plain paths, never outside the segment', () => {
		const marks = (key: Parameters<typeof segmentMarks>[0]) => segmentMarks(key, 10, 20, 30, 14);
		expect(marks('implemented')).toEqual({ lines: '', dots: '' });
		expect(marks('unknown')).toEqual({ lines: '', dots: '' });
		expect(marks('stale')).toEqual({ lines: 'M10 23H40M10 29H40', dots: '' });
		expect(marks('planned').dots.match(/M/g)).toHaveLength(5 * 2);
		expect(marks('failing').lines.match(/M/g)!.length).toBe(
			2 * marks('partial').lines.match(/M/g)!.length,
		);
		for (const key of ['partial', 'failing', 'stale', 'planned'] as const) {
			const { lines, dots } = marks(key);
			const points = [...`${lines}${dots}`.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map(
				(m) => [Number(m[1]), Number(m[2])] as const,
			);
			expect(points.length, key).toBeGreaterThan(0);
			for (const [x, y] of points)
				expect(x >= 8.8 && x <= 40 && y >= 20 && y <= 34, `${key} ${x},${y}`).toBe(true);
		}
	});

	it('breaks a long domain label between words onto a second line instead of cutting it', () => {
		expect(wrapLabel('Communication and Information', 26)).toEqual([
			'Communication and',
			'Information',
		]);
		expect(wrapLabel('Organizational', 26)).toEqual(['Organizational']);
		expect(wrapLabel('Logical and Physical Access', 26)).toEqual([
			'Logical and Physical',
			'Access',
		]);
	});

	it('ends a label that needs more than two lines, or a word longer than a line, with an ellipsis', () => {
		expect(wrapLabel('Privacy criteria for collection, use, retention and disposal', 26)).toEqual([
			'Privacy criteria for',
			'collection, use,…',
		]);
		expect(wrapLabel('Informationssicherheitsmanagementsystem', 26)).toEqual([
			'Informationssicherheitsma…',
		]);
	});

	it('breaks CJK text between any two characters, each as wide as two letters', () => {
		expect(wrapLabel('組織的管理策と人的管理策および物理的管理策', 26)).toEqual([
			'組織的管理策と人的管理策お',
			'よび物理的管理策',
		]);
		expect(wrapLabel('アクセス制御 Access control 物理的および環境的セキュリティ', 26)).toEqual([
			'アクセス制御 Access',
			'control 物理的および環境…',
		]);
	});

	it('says in words what the chart shows', () => {
		expect(chartLabel(counts, 'Annex A controls', ENGLISH)).toBe(
			'Implemented 81, Partial 4, Planned 2, Stale evidence 2 of 89 applicable Annex A controls; 4 not applicable',
		);
	});
});

describe('brand', () => {
	it('computes WCAG contrast ratios', () => {
		expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
		expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
		expect(contrastRatio('#0f5cc0', '#ffffff')).toBeGreaterThan(4.5);
	});

	it('themes Starlight from the settings, the dark colour and font only when set', () => {
		const site = SiteSettingsSchema.parse({
			...JSON.parse(JSON.stringify(baseSite())),
			brandColor: '#0f5cc0',
		});
		expect(brandCss(site)).toBe(':root{--tc-brand:#0f5cc0;}');
		expect(
			brandCss({
				...site,
				brandColorDark: '#7cb4ff',
				font: { family: 'Inter', file: '/fonts/inter.woff2' },
			}),
		).toBe(
			':root{--tc-brand:#0f5cc0;}:root[data-theme=\'dark\']{--sl-color-accent:#7cb4ff;--sl-color-text-accent:#7cb4ff;}@font-face{font-family:"Inter";src:url("/fonts/inter.woff2") format("woff2");font-display:swap;}:root{--sl-font:"Inter",var(--sl-font-system);}',
		);
	});

	it('writes text as a CSS string that nothing in it can end, nor the style element around it', () => {
		expect(cssString('Kestrel Ledger')).toBe('"Kestrel Ledger"');
		expect(cssString('Zürich & Söhne (EU), A.G.')).toBe('"Zürich & Söhne (EU), A.G."');
		expect(cssString('Ace "Co"; } </style>\\\n')).toBe(
			'"Ace \\22 Co\\22 \\3b  \\7d  \\3c \\2f style\\3e \\5c \\a "',
		);
	});
});

function baseSite() {
	return {
		companyName: 'X',
		legalName: 'X Inc.',
		tagline: 't',
		url: 'https://trust.x.example',
		logo: { light: '/l.svg' },
		brandColor: '#000000',
		contacts: {
			security: 's@x.example',
			privacy: 'p@x.example',
			dpo: { name: 'DPO', email: 'd@x.example' },
		},
		securityTxt: { contact: ['mailto:s@x.example'] },
	};
}

describe('Open Graph images', () => {
	const assets = loadOgAssets(
		join(ROOT, 'test/fixtures/og/logo.svg'),
		join(ROOT, '.cache/og-test'),
	);
	const input: OgInput = {
		title: 'ISO/IEC 27001:2022',
		kind: 'Framework',
		subtitle: 'Certified · 81 of 89 Annex A controls implemented · 4 not applicable · 2 stale',
		footer: 'Kestrel Ledger Trust Center',
		host: 'trust.kestrelledger.example',
		brandColor: '#0f5cc0',
		counts,
		legend: ogLegend(counts, ENGLISH),
	};

	it('draws the fixture framework card like its snapshot, within a small pixel tolerance', async () => {
		const actual = PNG.sync.read(await drawOg(input, assets));
		const expected = PNG.sync.read(readFileSync(join(ROOT, 'test/fixtures/og/framework.png')));
		expect([actual.width, actual.height]).toEqual([1200, 630]);
		const diff = pixelmatch(actual.data, expected.data, undefined, 1200, 630, { threshold: 0.1 });
		// Anti-aliasing may differ by a few pixels between builds of resvg; a changed design moves thousands.
		expect(diff / (1200 * 630)).toBeLessThan(0.002);
	});

	it('draws a failing segment in the bar and names every status in a legend, stale and not reported included', () => {
		const failing = {
			...counts,
			implemented: 76,
			partial: 3,
			planned: 1,
			failing: 1,
			stale: 6,
			unknown: 2,
		};
		const band = ogBand({ ...input, counts: failing, legend: ogLegend(failing, ENGLISH) });
		const images: string[] = [];
		const texts: string[] = [];
		const walk = (node: unknown): void => {
			if (typeof node === 'string') texts.push(node);
			else if (Array.isArray(node)) node.forEach(walk);
			else if (node && typeof node === 'object') {
				const { props } = node as { props: { src?: string; children?: unknown } };
				if (props.src) images.push(Buffer.from(props.src.split(',')[1]!, 'base64').toString());
				walk(props.children);
			}
		};
		walk(band);
		expect(texts).toEqual(
			expect.arrayContaining([
				'Implemented 76',
				'Partial 3',
				'Planned 1',
				'Failing 1',
				'Stale evidence 6',
				'Not reported 2',
			]),
		);
		const bar = images.find((svg) => svg.includes('width="1056"'))!;
		// Each status its fill, in the order of the site's chart: failing (red) before stale (grey) before not reported (white).
		expect(
			[...bar.matchAll(/<rect x="[\d.]+" y="0" width="[\d.]+" height="28" fill="(#\w+)"/g)].map(
				(m) => m[1],
			),
		).toEqual(['#1a7f37', '#f0c36a', '#9cc3f5', '#f2a29b', '#c4c9d0', '#ffffff']);
	});

	it('breaks a title word wider than the card instead of cutting it at the edge', async () => {
		const png = PNG.sync.read(
			await drawWholeOg(
				{
					...input,
					kind: 'Policy',
					title: 'Datenschutzfolgenabschätzungsverfahrensbeschreibungsrichtlinie',
					counts: undefined,
				},
				assets,
			),
		);
		// The card keeps a 72 px margin: no ink of the title in the rightmost 40 px, at any height.
		let inkAtEdge = 0;
		for (let y = 0; y < 630; y++)
			for (let x = 1160; x < 1200; x++) {
				const i = (y * 1200 + x) * 4;
				if (png.data[i]! < 100 && png.data[i + 1]! < 100 && png.data[i + 2]! < 100) inkAtEdge++;
			}
		expect(inkAtEdge).toBe(0);
	});

	it('draws letters beyond Western European ones: Polish, Czech, Cyrillic, Greek, Vietnamese', async () => {
		// A title of one letter against a title of a character no font has (drawn as the "no glyph" box):
		// the two images differ only where the letter is drawn, and only if a font has it.
		const draw = async (title: string) =>
			PNG.sync.read(
				await drawWholeOg({ ...input, kind: 'Policy', title, counts: undefined }, assets),
			);
		const missing = await draw('\uE000');
		for (const letter of ['Ł', 'ę', 'Ž', 'Ж', 'Ω', 'ậ']) {
			const drawn = await draw(letter);
			expect(
				pixelmatch(drawn.data, missing.data, undefined, 1200, 630, { threshold: 0.1 }),
				letter,
			).toBeGreaterThan(100);
		}
	});

	it('draws the band over the frame with the pixels of the whole card, and the frame untouched around it', async () => {
		for (const card of [
			input,
			{ ...input, kind: 'Policy', title: 'Access control', counts: undefined },
		]) {
			const actual = PNG.sync.read(await drawOg(card, assets));
			const whole = PNG.sync.read(await drawWholeOg(card, assets));
			// Blending the band apart may round a channel of an anti-aliased pixel the other way.
			let largest = 0;
			for (let i = 0; i < actual.data.length; i++)
				largest = Math.max(largest, Math.abs(actual.data[i]! - whole.data[i]!));
			expect(largest).toBeLessThanOrEqual(1);
			expect(
				pixelmatch(actual.data, whole.data, undefined, 1200, 630, { threshold: 0 }),
			).toBeLessThan(100);
			const frame = new Resvg(
				await satori(ogCard(card, assets.logo, false) as Parameters<typeof satori>[0], {
					width: 1200,
					height: 630,
					fonts: assets.fonts,
				}),
			).render().pixels;
			const rows = (data: Buffer, from: number, to: number) =>
				data.subarray(from * 4800, to * 4800);
			expect(rows(actual.data, 0, BAND_TOP).equals(rows(frame, 0, BAND_TOP))).toBe(true);
			expect(
				rows(actual.data, BAND_TOP + BAND_ROOM, 630).equals(rows(frame, BAND_TOP + BAND_ROOM, 630)),
			).toBe(true);
		}
	});

	it('draws the frame again for another site: its brand colour and footer', async () => {
		const other = {
			...input,
			brandColor: '#b3261e',
			footer: 'Other Trust Center',
			host: 'trust.other.example',
		};
		for (const card of [input, other, input]) {
			const actual = PNG.sync.read(await drawOg(card, assets));
			const whole = PNG.sync.read(await drawWholeOg(card, assets));
			expect([...actual.data.subarray(0, 3)]).toEqual([
				...Buffer.from(card.brandColor.slice(1), 'hex'),
			]);
			expect(pixelmatch(actual.data, whole.data, undefined, 1200, 630, { threshold: 0.1 })).toBe(0);
		}
	});

	it('draws a card whose band does not fit above the footer whole, as the design lays it out', async () => {
		const long = {
			...input,
			title: 'WWWWWW MMMMMMM '.repeat(6),
			subtitle: 'Wide WWW MMM '.repeat(10),
		};
		expect((await drawOg(long, assets)).equals(await drawWholeOg(long, assets))).toBe(true);
	});

	it('encodes opaque scanlines as an RGB PNG, blending premultiplied pixels over them', () => {
		const white = Buffer.from([255, 255, 255, 255]);
		const image = scanlinesOf({ width: 2, height: 2, pixels: Buffer.concat(Array(4).fill(white)) });
		// Half-covered black, fully covered red, and nothing.
		const over = { width: 2, height: 1, pixels: Buffer.from([0, 0, 0, 128, 255, 0, 0, 255]) };
		blendOver(image, over, 0, 1);
		const png = PNG.sync.read(encodePng(image, 3));
		expect(png.colorType).toBe(2);
		expect([...png.data]).toEqual([
			...[255, 255, 255, 255, 255, 255, 255, 255],
			...[127, 127, 127, 255, 255, 0, 0, 255],
		]);
		expect(() => blendOver(image, over, 1, 1)).toThrow(
			'a 2×1 picture at (1, 1) does not fit in 2×2',
		);
	});

	it('frees each image with a scavenge in the drawing process, never a full collection', async () => {
		// The drawing process's own collections are those V8 logs as "testing" (gc() called by the process).
		const cacheDir = mkdtempSync(join(tmpdir(), 'og-collect-'));
		const worker = fork(
			join(ROOT, 'src/lib/og/draw-worker.ts'),
			[join(ROOT, 'test/fixtures/og/logo.svg'), cacheDir, 'en'],
			{
				execArgv: [...COLLECT_EXEC_ARGV, '--trace-gc'],
				stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
			},
		);
		let trace = '';
		worker.stdout!.on('data', (chunk: Buffer) => (trace += chunk.toString()));
		try {
			const replies: DrawReply[] = [];
			for (let id = 0; id < 9; id++) {
				const reply = new Promise<DrawReply>((resolve) => worker.once('message', resolve));
				worker.send({ id, input: { ...input, title: `Card ${id}` } } satisfies DrawRequest);
				replies.push(await reply);
			}
			expect(replies).toEqual([...Array(9).keys()].map((id) => ({ id, drawn: true })));
		} finally {
			const exited = new Promise((resolve) => worker.once('exit', resolve));
			worker.kill();
			await exited;
			rmSync(cacheDir, { recursive: true, force: true });
		}
		const requested = trace.split('\n').filter((line) => / testing;/.test(line));
		expect(requested.filter((line) => line.includes(': Scavenge '))).toHaveLength(9);
		expect(requested.filter((line) => !line.includes(': Scavenge '))).toEqual([]);
	});

	describe('with Chinese, Japanese or Korean text', () => {
		const japanese: OgInput = {
			title: '暗号化と鍵管理',
			kind: 'Doc',
			subtitle: 'お客様のデータは東京リージョンの鍵管理サービスで暗号化されます。',
			footer: 'さくらデータ Trust Center',
			host: 'trust.sakura.example',
			brandColor: '#0f5cc0',
			counts: undefined,
		};
		const logo = join(ROOT, 'test/fixtures/og/logo.svg');
		const cache = join(ROOT, '.cache/og-test');
		const noFonts = mkdtempSync(join(tmpdir(), 'og-no-fonts-'));

		it("draws it with the Noto Sans CJK face of the site's language, like its snapshot", async () => {
			const ja = loadOgAssets(logo, cache, { language: 'ja' });
			expect(ja.cjk?.files[400]).toMatch(/NotoSansCJK-Regular\.ttc$/);
			const actual = PNG.sync.read(await drawOg(japanese, ja));
			const expected = PNG.sync.read(readFileSync(join(ROOT, 'test/fixtures/og/japanese.png')));
			const diff = pixelmatch(actual.data, expected.data, undefined, 1200, 630, { threshold: 0.1 });
			expect(diff / (1200 * 630)).toBeLessThan(0.002);
			// Without the font, satori draws a box for every character: thousands of pixels differ.
			const boxes = PNG.sync.read(
				await drawOg(japanese, loadOgAssets(logo, cache, { fontDir: noFonts })),
			);
			expect(pixelmatch(boxes.data, expected.data, undefined, 1200, 630)).toBeGreaterThan(5000);
		});

		it('fails naming the font file and how to mend it when the collection is damaged', async () => {
			const damaged = mkdtempSync(join(tmpdir(), 'og-damaged-fonts-'));
			writeFileSync(join(damaged, 'NotoSansCJK-Regular.ttc'), 'not a font');
			const assets = loadOgAssets(logo, cache, { fontDir: damaged });
			await expect(drawOg({ ...japanese, title: '壊れた' }, assets)).rejects.toThrow(
				`Noto Sans CJK (${join(damaged, 'NotoSansCJK-Regular.ttc')}) could not be read: it is not a font collection (no ttcf header). Reinstall it: apt-get install --reinstall fonts-noto-cjk.`,
			);
			// A font installed as a link to its file is found.
			const linked = mkdtempSync(join(tmpdir(), 'og-linked-fonts-'));
			symlinkSync(
				loadOgAssets(logo, cache).cjk!.files[400]!,
				join(linked, 'NotoSansCJK-Regular.ttc'),
			);
			expect(loadOgAssets(logo, cache, { fontDir: linked }).cjk?.files[400]).toBe(
				join(linked, 'NotoSansCJK-Regular.ttc'),
			);
			// A broken or looping link beside it is no font, and no failure.
			symlinkSync(join(linked, 'nowhere'), join(linked, 'NotoSansCJK-Bold.ttc'));
			symlinkSync(join(linked, 'loop'), join(linked, 'loop'));
			expect(loadOgAssets(logo, cache, { fontDir: linked }).cjk?.files).toEqual({
				400: join(linked, 'NotoSansCJK-Regular.ttc'),
			});
			rmSync(linked, { recursive: true, force: true });
			// A collection without the face asked for names the face.
			const ttc = readFileSync(loadOgAssets(logo, cache).cjk!.files[400]!);
			expect(() => collectionFace(ttc, 'NotoSansCJKxx-Regular')).toThrow(
				'it has no face NotoSansCJKxx-Regular',
			);
			rmSync(damaged, { recursive: true, force: true });
		});

		it('shortens long Japanese text by its width, so the card keeps its brand bar and footer', async () => {
			const ja = loadOgAssets(logo, cache, { language: 'ja' });
			const sentence =
				'お客様のデータは東京リージョンの鍵管理サービスで暗号化され、鍵は九十日ごとに交換されます。';
			for (const [title, subtitle] of [
				[sentence.slice(0, 35), sentence + sentence],
				[sentence.slice(0, 18), (sentence + sentence + sentence).slice(0, 120)],
				[sentence + sentence, ''],
			]) {
				const card = { ...japanese, title: title!, subtitle: subtitle! };
				// The band fits its room: the card is its band over the frame, not the whole card squeezed.
				const png = PNG.sync.read(await drawOg(card, ja));
				const whole = PNG.sync.read(await drawWholeOg(card, ja));
				expect(pixelmatch(png.data, whole.data, undefined, 1200, 630, { threshold: 0.1 })).toBe(0);
				const at = (x: number, y: number) => [
					...png.data.subarray((y * 1200 + x) * 4, (y * 1200 + x) * 4 + 3),
				];
				expect(at(600, 8), 'brand bar').toEqual([0x0f, 0x5c, 0xc0]);
				// The footer's company name, 40 px above the bottom edge: some dark pixels.
				const footer = Array.from({ length: 300 }, (_, x) => at(72 + x, 580)).filter(
					([r]) => r! < 160,
				);
				expect(footer.length, 'footer').toBeGreaterThan(5);
			}
			expect(clip('😀'.repeat(40), 30)).toBe(`${'😀'.repeat(29)}…`);
			expect(clip(sentence, 20)).toBe('お客様のデータは東…');
		});

		it("draws Han characters in the forms of the site's language", async () => {
			// 直, 角, 骨 and 海 are drawn differently in Japanese and Chinese.
			const han = { ...japanese, title: '直角骨海', subtitle: '' };
			const draw = async (language: string) =>
				PNG.sync.read(await drawOg(han, loadOgAssets(logo, cache, { language })));
			const [ja, zh, tw] = await Promise.all(['ja', 'zh-Hans', 'zh-Hant'].map(draw));
			expect(pixelmatch(ja!.data, zh!.data, undefined, 1200, 630)).toBeGreaterThan(300);
			expect(pixelmatch(zh!.data, tw!.data, undefined, 1200, 630)).toBeGreaterThan(300);
		});

		it("counts as CJK text what Inter cannot draw, and none of an English site's punctuation", () => {
			for (const text of ['鍵', 'か', 'ー', '한', '「', '㈱ACME', '㍿', '｢', '※', 'ＡＢＣ'])
				expect(CJK_TEXT.test(text), text).toBe(true);
			expect(CJK_TEXT.test('ISO 27001 · 81 of 89 — “done”… © ™ € £ ¥ × • ’ 😀 Ελένη Дмитрий')).toBe(
				false,
			);
		});

		it('picks the regional face from the language, else from the text', () => {
			expect(
				[
					['ja', '鍵'],
					['ko', '鍵'],
					['zh', '鍵'],
					['zh-Hant', '鍵'],
					['zh-TW', '鍵'],
					['zh-HK', '鍵'],
					['en', '鍵管理'],
					['en', 'かぎ'],
					['de', '열쇠'],
					['yue', '鍵'],
					['zh-Hans-HK', '鍵'],
					['lzh', '鍵'],
				].map(([language, text]) => cjkRegion(language!, text!)),
			).toEqual(['jp', 'kr', 'sc', 'tc', 'tc', 'hk', 'sc', 'jp', 'kr', 'hk', 'sc', 'tc']);
		});

		it('warns, naming pages, when the font is not installed, and keys the cache of CJK images alone on it', async () => {
			const without = loadOgAssets(logo, cache, { fontDir: noFonts });
			expect(without.cjk).toBeUndefined();
			const pages = ['/', '/faq/', '/security/鍵/', '/updates/a/', '/updates/b/'].map(
				// The framework card's "·" is not CJK text, though Unicode lets Han use it too.
				(page, i) => [page, i === 0 ? input : japanese] as const,
			);
			expect(missingCjkFont(pages, without)).toBe(
				`OG images: 4 pages (/faq/, /security/鍵/, /updates/a/ and 1 more) have Chinese, Japanese or Korean text, which Inter has no glyphs for, and Noto Sans CJK (NotoSansCJK-Regular.ttc) is not installed under ${noFonts}: their link previews show boxes in its place. Install it (apt-get install fonts-noto-cjk) and build again with npm run build -- --force.`,
			);
			// A logo that writes the company name in CJK characters is named too.
			const kanjiLogo = join(noFonts, 'logo.svg');
			writeFileSync(
				kanjiLogo,
				'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="0" y="30" font-size="24">山田商事</text></svg>',
			);
			const logoOnly = loadOgAssets(kanjiLogo, cache, { fontDir: noFonts });
			expect(missingCjkFont([['/', input]], logoOnly)).toMatch(
				/^OG images: the logo has Chinese, Japanese or Korean text, /,
			);
			// With the fonts, the logo's name is drawn in them instead of boxes.
			expect(loadOgAssets(kanjiLogo, cache).logo).not.toBe(logoOnly.logo);
			expect(missingCjkFont(pages.slice(0, 2), logoOnly)).toMatch(
				/^OG images: the logo and 1 page \(\/faq\/\) have Chinese, /,
			);
			expect(missingCjkFont([['/', input]], without)).toBeUndefined();
			const withFonts = loadOgAssets(logo, cache);
			expect(missingCjkFont(pages, withFonts)).toBeUndefined();
			// An image with CJK text is drawn again when the font comes, or another language picks another
			// face for its Han characters; one without is not.
			const han = { ...japanese, title: '直角骨海', subtitle: '' };
			const zh = loadOgAssets(logo, cache, { language: 'zh-Hans' });
			const ja = loadOgAssets(logo, cache, { language: 'ja' });
			expect(ogKey(japanese, without)).not.toBe(ogKey(japanese, withFonts));
			expect(ogKey(han, ja)).not.toBe(ogKey(han, zh));
			// A kanji-only company name is drawn in the face the whole card's text picks (the kana of the
			// title: Japanese), whatever the language, as the key says.
			const kanjiCompany = { ...japanese, footer: '角川書店 Trust Center' };
			expect(ogKey(kanjiCompany, ja)).toBe(ogKey(kanjiCompany, withFonts));
			expect(await drawOg(kanjiCompany, ja)).toEqual(await drawOg(kanjiCompany, withFonts));
			// Kana is Japanese whatever the site's language: the same face, the same image.
			expect(ogKey(japanese, ja)).toBe(ogKey(japanese, withFonts));
			expect(ogKey(input, without)).toBe(ogKey(input, withFonts));
			expect(ogKey(input, ja)).toBe(ogKey(input, zh));
		});
	});

	it('keys its cache on every input, so any change draws a new image', () => {
		const key = ogKey(input, assets);
		expect(ogKey({ ...input }, assets)).toBe(key);
		for (const change of [
			{ title: 'ISO 27001' },
			{ subtitle: 'x' },
			{ brandColor: '#000000' },
			{ counts: { ...counts, implemented: 80 } },
		])
			expect(ogKey({ ...input, ...change }, assets)).not.toBe(key);
	});

	it('names images after their pages, and shortens long text at a word', () => {
		expect(['/', '/policies/access-control/', '/404.html', '/404'].map(ogImagePath)).toEqual([
			'/og/index.png',
			'/og/policies/access-control.png',
			'/og/404.png',
			'/og/404.png',
		]);
		expect(clip('How Kestrel Ledger grants, reviews and removes access', 30)).toBe(
			'How Kestrel Ledger grants,…',
		);
		expect(clip('short', 30)).toBe('short');
	});

	it('reports a logo it cannot draw against the logo setting', () => {
		const root = mkdtempSync(join(tmpdir(), 'og-logo-'));
		mkdirSync(join(root, 'content/public/brand'), { recursive: true });
		writeFileSync(
			join(root, 'content/public/brand/logo.svg'),
			'<svg xmlns="http://www.w3.org/2000/svg"><rect',
		);
		expect(() =>
			siteOgAssets(
				root,
				'content',
				{ logo: { light: '/brand/logo.svg' }, language: 'en' },
				join(root, 'cache'),
			),
		).toThrow(
			'content/site.yaml: **logo.light**: content/public/brand/logo.svg could not be drawn for the Open Graph images (SVG data parsing failed cause the root node was opened but never closed). Use a valid SVG or PNG file.',
		);
		rmSync(root, { recursive: true, force: true });
	});

	it('unpacks the bundled WOFF fonts into TrueType for resvg', () => {
		const woff = readFileSync(join(ROOT, 'src/fonts/inter-latin-400-normal.woff'));
		const ttf = woffToSfnt(woff);
		expect(ttf.readUInt32BE(0)).toBe(woff.readUInt32BE(4));
		expect(ttf.readUInt16BE(4)).toBe(woff.readUInt16BE(12));
		expect(() => woffToSfnt(Buffer.from('nope'))).toThrow(
			'not a WOFF 1.0 font (no wOFF signature)',
		);
	});
});

describe('the OG drawing processes after the build', () => {
	it('start one per core only while each has at least 50 images to draw', () => {
		expect(processesFor(0, 2)).toBe(1);
		expect(processesFor(3, 2)).toBe(1);
		expect(processesFor(99, 2)).toBe(1);
		expect(processesFor(100, 2)).toBe(2);
		expect(processesFor(2000, 2)).toBe(2);
		expect(processesFor(2000, 8)).toBe(8);
		expect(processesFor(120, 1)).toBe(1);
	});
});

describe('the meta tags of a built page', () => {
	it('are read from its first bytes, and from the whole page when they are not all there', () => {
		const dir = mkdtempSync(join(tmpdir(), 'og-meta-'));
		try {
			const tags = (title: string) =>
				`<meta property="og:title" content="${title}"><meta name="description" content="Keys &amp; rotation">`;
			const page = (name: string, html: string) => {
				writeFileSync(join(dir, name), html);
				return builtPageMeta(join(dir, name));
			};
			const tail = `<style>${'a{}'.repeat(30_000)}</style>`;
			const want = (title: string) => ({ title, description: 'Keys & rotation' });
			expect(page('first.html', `<head>${tags('Encryption')}${tail}`)).toEqual(want('Encryption'));
			// After the first 16 KB, and cut in two at the 16th: both read from the whole page.
			expect(page('late.html', `<head>${tail}${tags('Late')}`)).toEqual(want('Late'));
			const cut = `<head>${' '.repeat(16 * 1024 - 40)}${tags('Straddling')}${tail}`;
			expect(page('cut.html', cut)).toEqual(want('Straddling'));
			expect(page('none.html', '<head><title>Bare</title></head>')).toEqual({
				title: undefined,
				description: undefined,
			});
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
