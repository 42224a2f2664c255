// The watermark part of `npm run bench:gate`: how long one stamped copy takes, for a 100-page PDF and the example
// whitepaper, with a Latin and a CJK name (the CJK one draws from the 19 MB CJK font collection). Every copy is for
// a new recipient, so no name has been laid out before. Beside it, in the same process and interleaved copy by
// copy so that both see the same machine load, the watermark as it was at a baseline git revision.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
	concatTransformationMatrix,
	drawObject,
	PDFDocument,
	PDFName,
	popGraphicsState,
	pushGraphicsState,
	StandardFonts,
} from 'pdf-lib';
import { fingerprintFor } from '../../../src/gate/lib/fingerprint.ts';
import { watermarkPdf, type Recipient } from '../../../src/gate/lib/watermark.ts';
import { watermarkFonts } from '../../../src/gate/lib/watermark-fonts.ts';
import { WHITEPAPER_PDF } from '../../../src/whitepaper/paths.ts';
import { ROOT } from '../site-copy.ts';
import { createRandom, type Random } from './random.ts';

/** The last revision with the Helvetica-only watermark, which issue 13 measured at 101 ms for 100 pages. */
export const WATERMARK_BASELINE = '0eb47c3';
const COPIES = 40;

type Watermark = (
	pdf: Uint8Array,
	recipient: Recipient,
	fingerprint: string,
	options?: { fonts?: ReturnType<typeof watermarkFonts> },
) => Promise<Uint8Array>;

/** `watermarkPdf` as it was at `revision`, run from that revision's src/ unpacked into .tmp/. */
async function watermarkAt(revision: string): Promise<Watermark> {
	// The revision goes to git as an argument, never through a shell; a leading "-" would read as an option.
	if (!/^[A-Za-z0-9][\w./~^-]*$/.test(revision))
		throw new Error(
			`--baseline ${JSON.stringify(revision)}: expected a git revision such as ${WATERMARK_BASELINE}`,
		);
	const dir = join(ROOT, '.tmp', 'bench-watermark-baseline');
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const tar = execFileSync('git', ['archive', '--format=tar', revision, 'src'], {
		cwd: ROOT,
		maxBuffer: 256 * 1024 * 1024,
	});
	execFileSync('tar', ['-x', '-C', dir], { input: tar });
	const module = (await import(pathToFileURL(join(dir, 'src/gate/lib/watermark.ts')).href)) as {
		watermarkPdf: Watermark;
	};
	return module.watermarkPdf;
}

/** A PDF of `pages` A4 pages of text; with `weight`, also a link annotation per line and a noise image per page, like Chromium's output. */
async function generatedPdf(pages: number, weight = false): Promise<Uint8Array> {
	const random = createRandom(pages);
	const doc = await PDFDocument.create();
	const font = await doc.embedFont(StandardFonts.Helvetica);
	for (let i = 1; i <= pages; i++) {
		const page = doc.addPage([595, 842]);
		for (let line = 0; line < 40; line++) {
			page.drawText(`Page ${i}, line ${line}: the quick brown fox jumps over the lazy dog.`, {
				x: 50,
				y: 780 - line * 18,
				size: 10,
				font,
			});
			if (weight) {
				const link = doc.context.register(
					doc.context.obj({
						Type: 'Annot',
						Subtype: 'Link',
						Rect: [50, 778 - line * 18, 300, 790 - line * 18],
						Border: [0, 0, 0],
					}),
				);
				const annots = page.node.Annots() ?? doc.context.obj([]);
				annots.push(link);
				page.node.set(PDFName.of('Annots'), annots);
			}
		}
		if (weight) {
			const noise = doc.context.stream(
				Uint8Array.from({ length: 24_000 }, () => random.int(0, 255)),
				{
					Type: 'XObject',
					Subtype: 'Image',
					Width: 100,
					Height: 80,
					ColorSpace: 'DeviceRGB',
					BitsPerComponent: 8,
				},
			);
			page.node.setXObject(PDFName.of('Im0'), doc.context.register(noise));
			page.pushOperators(
				pushGraphicsState(),
				concatTransformationMatrix(100, 0, 0, 80, 400, 40),
				drawObject('Im0'),
				popGraphicsState(),
			);
		}
	}
	return doc.save({ useObjectStreams: false });
}

const SYLLABLES = ['ka', 'lu', 'mi', 'ro', 'sa', 'te', 'vin', 'dor', 'el', 'ny', 'qua', 'zeb'];
// Common Han characters, so each CJK name needs glyphs the font subset of an earlier copy may not have had.
const HAN = Array.from(
	'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰',
);

const NAMES: Record<string, (random: Random) => string> = {
	Latin: (random) =>
		`${random.pick(['Ada', 'Łukasz', 'Zoë', 'Ömer'])} ${Array.from({ length: 3 }, () => random.pick(SYLLABLES)).join('')}`,
	CJK: (random) => random.sample(HAN, 3).join(''),
};

const percentile = (times: number[], p: number) =>
	[...times].sort((a, b) => a - b)[
		Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)
	]!;

/** Median and 95th percentile of a row of timings, in milliseconds. */
export interface Timing {
	median: number;
	p95: number;
}

/** Runs the watermark benchmark, prints its table, and returns the figures. */
export async function benchWatermark(
	baseline: string | undefined,
): Promise<Record<string, Record<string, Timing | number>>> {
	const started = performance.now();
	const fonts = watermarkFonts();
	const fontsMs = performance.now() - started;
	const noFonts = watermarkFonts(join(ROOT, '.tmp', 'bench-watermark-no-fonts'));
	const before = baseline ? await watermarkAt(baseline) : undefined;
	const whitepaperPath = join(ROOT, WHITEPAPER_PDF);
	const documents: Record<string, Uint8Array> = {
		'100 pages': await generatedPdf(100),
		whitepaper: existsSync(whitepaperPath)
			? readFileSync(whitepaperPath)
			: await generatedPdf(65, true),
	};
	const describe = async (name: string, pdf: Uint8Array) =>
		`${name}: ${(await PDFDocument.load(pdf)).getPageCount()} pages, ${(pdf.length / 1024).toFixed(0)} KiB`;
	console.log(
		`Watermark, ${COPIES} copies per row, each for a new recipient, rows interleaved copy by copy (in this process):`,
	);
	console.log(`  ${await describe('100 pages', documents['100 pages']!)} (generated)`);
	console.log(
		`  ${await describe('whitepaper', documents.whitepaper!)} (${existsSync(whitepaperPath) ? WHITEPAPER_PDF : 'generated stand-in: npm run build makes the real one'})`,
	);
	console.log(
		`  Noto fonts found and parsed once in ${fontsMs.toFixed(0)} ms: ${[...new Set([...fonts.faces.values()].map((f) => f.file))].length} files${fonts.missing.length ? `, missing: ${fonts.missing.map((m) => m.file).join(', ')}` : ''}`,
	);

	const rows: {
		label: string;
		run: (pdf: Uint8Array, r: Recipient, fp: string) => Promise<Uint8Array>;
		names: string;
	}[] = [
		...(before
			? [
					{
						label: `before (${baseline}): pdf-lib load/save, Helvetica`,
						run: (pdf: Uint8Array, r: Recipient, fp: string) => before(pdf, r, fp),
						names: 'Latin',
					},
				]
			: []),
		{
			label: 'now, Helvetica only (no Noto fonts)',
			run: (pdf, r, fp) => watermarkPdf(pdf, r, fp, { fonts: noFonts }),
			names: 'Latin',
		},
		{
			label: 'now, Noto, Latin name',
			run: (pdf, r, fp) => watermarkPdf(pdf, r, fp, { fonts }),
			names: 'Latin',
		},
		{
			label: 'now, Noto, CJK name',
			run: (pdf, r, fp) => watermarkPdf(pdf, r, fp, { fonts }),
			names: 'CJK',
		},
	];
	const results: Record<string, Record<string, Timing | number>> = {};
	const firstCopy: Record<string, number> = {};
	for (const [docName, pdf] of Object.entries(documents)) {
		// The first copy of a document parses and packs it; it is timed on its own, then every row runs warm.
		const t = performance.now();
		await watermarkPdf(
			pdf,
			{
				name: 'Warm Up',
				company: 'Fabrikam',
				email: 'a@fabrikam.example',
				downloadId: 'dl_warmup',
				issuedAt: new Date(),
			},
			fingerprintFor('dl_warmup', 'bench-key'),
			{ fonts },
		);
		firstCopy[docName] = performance.now() - t;
		const random = createRandom(7);
		const times = rows.map(() => [] as number[]);
		for (let copy = 0; copy < COPIES; copy++) {
			for (const [i, row] of rows.entries()) {
				const downloadId = `dl_bench_${i}_${copy}`;
				const recipient = {
					name: NAMES[row.names]!(random),
					company: 'Fabrikam Ltd',
					email: 'reviewer@fabrikam.example',
					downloadId,
					issuedAt: new Date(),
				};
				const fp = fingerprintFor(downloadId, 'bench-key');
				const s = performance.now();
				await row.run(pdf, recipient, fp);
				times[i]!.push(performance.now() - s);
			}
		}
		rows.forEach(
			(row, i) =>
				((results[row.label] ??= {})[docName] = {
					median: percentile(times[i]!, 50),
					p95: percentile(times[i]!, 95),
				}),
		);
	}
	const cell = (t: Timing | number | undefined) =>
		typeof t === 'object' ? `${t.median.toFixed(1)} / ${t.p95.toFixed(1)} ms` : '';
	console.log(`\n| watermark, median / p95 | 100 pages | whitepaper |\n| --- | --- | --- |`);
	for (const row of rows)
		console.log(
			`| ${row.label} | ${cell(results[row.label]!['100 pages'])} | ${cell(results[row.label]!.whitepaper)} |`,
		);
	console.log(
		`| now, first copy of a document (parse and pack, once) | ${firstCopy['100 pages']!.toFixed(0)} ms | ${firstCopy.whitepaper!.toFixed(0)} ms |`,
	);
	const worst = (doc: string) =>
		Math.max(
			...['now, Noto, Latin name', 'now, Noto, CJK name'].map(
				(label) => (results[label]![doc] as Timing).median,
			),
		);
	console.log(
		`\nGoals (issue 13), with the Noto fonts: 100 pages ≤ 50 ms median: ${worst('100 pages').toFixed(1)} ms ${worst('100 pages') <= 50 ? 'met' : 'NOT met'}; whitepaper ≤ 150 ms: ${worst('whitepaper').toFixed(1)} ms ${worst('whitepaper') <= 150 ? 'met' : 'NOT met'}.`,
	);
	return { ...results, firstCopyMs: firstCopy, fontsMs: { all: fontsMs } };
}
