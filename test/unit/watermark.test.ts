import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import {
	concatTransformationMatrix,
	decodePDFRawStream,
	degrees,
	PDFArray,
	PDFDict,
	PDFDocument,
	PDFHexString,
	PDFName,
	PDFRawStream,
	PDFRef,
	StandardFonts,
} from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { readOutline } from '../../src/whitepaper/pdf.ts';
import {
	findFingerprints,
	fingerprintFor,
	INFLATE_LIMITS,
	InflateLimitError,
	verifyFingerprint,
} from '../../src/gate/lib/fingerprint.ts';
import { visibleLine, watermarkPdf, type Recipient } from '../../src/gate/lib/watermark.ts';
import { readSettings } from '../../src/gate/config.ts';
import { visualRuns } from '../../src/gate/lib/bidi.ts';
import {
	DEFAULT_FONT_DIR,
	printable,
	shapeField,
	watermarkFontReport,
	watermarkFonts,
	type Face,
} from '../../src/gate/lib/watermark-fonts.ts';

const KEY = 'unit-test-watermark-key';
const ada: Recipient = {
	name: 'Ada Quinn',
	company: 'Fabrikam Ltd',
	email: 'ada@fabrikam.example',
	downloadId: 'dl_abc123',
	issuedAt: new Date('2026-11-23T10:04:59Z'),
};
const adaFp = fingerprintFor(ada.downloadId, KEY);

const A4: [number, number] = [595.28, 841.89];
const LETTER: [number, number] = [612, 792];

interface PageSpec {
	size: [number, number];
	rotate?: number;
	text?: string;
}

/** A PDF like the ones the site builds: text on every page, metadata, and a bookmark per page. */
async function samplePdf(pages: PageSpec[]): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const font = await doc.embedFont(StandardFonts.TimesRoman);
	doc.setTitle('Security whitepaper');
	doc.setKeywords(['security', 'whitepaper']);
	const outlineRef = doc.context.nextRef();
	const items: PDFRef[] = [];
	pages.forEach((spec, i) => {
		const page = doc.addPage(spec.size);
		if (spec.rotate) page.setRotation(degrees(spec.rotate));
		page.drawText(spec.text ?? `Body text of page ${i + 1}`, {
			x: 20,
			y: spec.size[1] / 2,
			size: 10,
			font,
		});
		items.push(doc.context.nextRef());
	});
	doc.getPages().forEach((page, i) => {
		const item = doc.context.obj({
			Title: PDFHexString.fromText(`Chapter ${i + 1}`),
			Parent: outlineRef,
			Dest: [page.ref, PDFName.of('Fit')],
		});
		if (i > 0) item.set(PDFName.of('Prev'), items[i - 1]!);
		if (i < items.length - 1) item.set(PDFName.of('Next'), items[i + 1]!);
		doc.context.assign(items[i]!, item);
	});
	if (items.length) {
		doc.context.assign(
			outlineRef,
			doc.context.obj({
				Type: 'Outlines',
				First: items[0]!,
				Last: items.at(-1)!,
				Count: items.length,
			}),
		);
		doc.catalog.set(PDFName.of('Outlines'), outlineRef);
	}
	return doc.save();
}

const dir = mkdtempSync(join(tmpdir(), 'watermark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** A font folder with no fonts in it: the watermark falls back to Helvetica. */
const emptyFontDir = mkdtempSync(join(dir, 'no-fonts-'));
const noFonts = watermarkFonts(emptyFontDir);
let files = 0;

function pdftotext(bytes: Uint8Array, ...args: string[]): string {
	const file = join(dir, `${files++}.pdf`);
	writeFileSync(file, bytes);
	return execFileSync('pdftotext', [...args, file, '-'], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
}

/** Each page's text as pdftotext extracts it, invisible text included. */
const pageTexts = (bytes: Uint8Array): string[] =>
	pdftotext(bytes, '-layout').split('\f').slice(0, -1);

interface Word {
	text: string;
	xMin: number;
	yMin: number;
	xMax: number;
	yMax: number;
}

/**
 * Word boxes per page from `pdftotext -bbox`: in the page's displayed orientation, y growing downwards. The page
 * width and height Poppler reports there are those of the unrotated page.
 */
function pageWords(bytes: Uint8Array): { width: number; height: number; words: Word[] }[] {
	return [
		...pdftotext(bytes, '-bbox').matchAll(
			/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g,
		),
	].map(([, width, height, body]) => ({
		width: Number(width),
		height: Number(height),
		words: [
			...body!.matchAll(
				/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
			),
		].map(([, xMin, yMin, xMax, yMax, text]) => ({
			text: text!,
			xMin: Number(xMin),
			yMin: Number(yMin),
			xMax: Number(xMax),
			yMax: Number(yMax),
		})),
	}));
}

/** Page 1 rendered in grey levels (0 black, 255 white) by Poppler, one row per array. */
function render(bytes: Uint8Array, dpi: number, page = 1): number[][] {
	const file = join(dir, `${files++}.pdf`);
	writeFileSync(file, bytes);
	execFileSync('pdftoppm', [
		'-gray',
		'-r',
		String(dpi),
		'-singlefile',
		'-f',
		String(page),
		'-l',
		String(page),
		file,
		file,
	]);
	const pgm = readFileSync(`${file}.pgm`);
	const [header = '', width = '0', height = '0'] =
		/^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.toString('latin1', 0, 40)) ?? [];
	const pixels = pgm.subarray(header.length);
	return Array.from({ length: Number(height) }, (_, y) => [
		...pixels.subarray(y * Number(width), (y + 1) * Number(width)),
	]);
}

/** What a leaker would do to hide where a copy came from: drop the Info dictionary's entries and the XMP metadata. */
async function stripMetadata(bytes: Uint8Array, useObjectStreams: boolean): Promise<Uint8Array> {
	const doc = await PDFDocument.load(bytes, { updateMetadata: false });
	doc.setTitle('');
	doc.setSubject('');
	doc.setKeywords([]);
	const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
	for (const key of info.keys()) info.delete(key);
	doc.catalog.delete(PDFName.of('Metadata'));
	return doc.save({ useObjectStreams });
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing fuzz case can be reproduced. */
function random(seed: number): () => number {
	let a = seed;
	return () => {
		a = (a + 0x6d2b79f5) | 0;
		let t = Math.imul(a ^ (a >>> 15), 1 | a);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('fingerprintFor', () => {
	it('is the download id followed by 16 hex characters of its HMAC', () => {
		expect(adaFp).toMatch(/^TCFP1-dl_abc123-[0-9a-f]{16}$/);
		expect(fingerprintFor(ada.downloadId, KEY)).toBe(adaFp);
		expect(fingerprintFor(ada.downloadId, new TextEncoder().encode(KEY))).toBe(adaFp);
		expect(fingerprintFor(ada.downloadId, 'another key')).not.toBe(adaFp);
		expect(fingerprintFor('dl_abc124', KEY).slice(-16)).not.toBe(adaFp.slice(-16));
	});

	it('rejects download ids that would not parse back, and an empty key', () => {
		for (const id of [
			'',
			'short',
			'dl-abc123',
			'dl abc123',
			'dl_abc123\n',
			'ä_abcdefg',
			'x'.repeat(41),
		])
			expect(() => fingerprintFor(id, KEY), id).toThrow(/Invalid downloadId/);
		expect(fingerprintFor('x'.repeat(40), KEY)).toMatch(/^TCFP1-x{40}-/);
		expect(() => fingerprintFor(ada.downloadId, '')).toThrow(/key is empty/);
		expect(() => fingerprintFor(ada.downloadId, new Uint8Array())).toThrow(/key is empty/);
	});
});

describe('verifyFingerprint', () => {
	it('returns the download id of a fingerprint made with the same key', () => {
		expect(verifyFingerprint(adaFp, KEY)).toBe('dl_abc123');
		expect(verifyFingerprint(adaFp, Buffer.from(KEY))).toBe('dl_abc123');
	});

	it('does not verify a fingerprint made with a different key', () => {
		expect(verifyFingerprint(fingerprintFor(ada.downloadId, 'someone else'), KEY)).toBeUndefined();
	});

	it('does not verify a tampered fingerprint', () => {
		const flipped = adaFp.slice(0, -1) + (adaFp.endsWith('0') ? '1' : '0');
		const otherId = adaFp.replace('dl_abc123', 'dl_abc124');
		for (const fp of [
			flipped,
			otherId,
			adaFp.toUpperCase(),
			` ${adaFp}`,
			`${adaFp}0`,
			adaFp.slice(0, -1),
			'',
			'TCFP1--',
		])
			expect(verifyFingerprint(fp, KEY), fp).toBeUndefined();
	});
});

describe('printable without the Noto fonts (Helvetica only)', () => {
	it('keeps Latin-1 and the WinAnsi punctuation, and turns every other character into "?"', () => {
		expect(printable("Zoë Ø'Brien", noFonts)).toBe("Zoë Ø'Brien");
		expect(printable('“Ünïcode” – GmbH — €5 • Œuvre…', noFonts)).toBe(
			'“Ünïcode” – GmbH — €5 • Œuvre…',
		);
		expect(printable('李雷', noFonts)).toBe('??');
		expect(printable('Ада', noFonts)).toBe('???');
		expect(printable('ok 👩‍💻 ❤️', noFonts)).toBe('ok ?? ?');
		expect(printable('\uD800 lone surrogate', noFonts)).toBe('? lone surrogate');
	});

	it('drops invisible characters and folds look-alikes', () => {
		expect(printable('\u200FAda\u200B Quinn\u202E\u2066\uFEFF\u00AD\u0007\u0000', noFonts)).toBe(
			'Ada Quinn',
		);
		expect(printable('Ada\nQuinn\t\r\nLtd\u2028  ', noFonts)).toBe('Ada Quinn Ltd');
		expect(printable('ﬁnance Ｆａｂｒｉｋａｍ', noFonts)).toBe('finance Fabrikam');
		expect(printable('', noFonts)).toBe('');
	});

	it('never throws and always yields text Helvetica can encode', async () => {
		const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
		const next = random(1);
		const ranges = [
			0x20, 0x7f, 0xa0, 0x100, 0x2c0, 0x590, 0x2000, 0x2100, 0x3000, 0xd800, 0xe000, 0xfe00,
			0x1f300, 0xe0000,
		];
		for (let i = 0; i < 2000; i++) {
			let s = '';
			for (let j = 0; j < 12; j++) {
				const cp = ranges[Math.floor(next() * ranges.length)]! + Math.floor(next() * 256);
				s += cp >= 0xd800 && cp < 0xe000 ? String.fromCharCode(cp) : String.fromCodePoint(cp);
			}
			expect(() => font.encodeText(printable(s, noFonts)), JSON.stringify(s)).not.toThrow();
		}
	});
});

describe('visibleLine', () => {
	it('names the recipient, their company and email, the UTC time and the download', () => {
		expect(visibleLine(ada)).toBe(
			'Provided to Ada Quinn (Fabrikam Ltd, ada@fabrikam.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA',
		);
	});

	it('leaves out an empty company instead of printing an empty slot', () => {
		expect(visibleLine({ ...ada, company: ' \u200B' })).toBe(
			'Provided to Ada Quinn (ada@fabrikam.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA',
		);
	});

	it('rejects an invalid issue date', () => {
		expect(() => visibleLine({ ...ada, issuedAt: new Date('nope') })).toThrow(/issuedAt/);
	});
});

describe('watermarkPdf', () => {
	const specs: PageSpec[] = [
		{ size: A4 },
		{ size: LETTER, text: 'Letter page' },
		{ size: A4, rotate: 90, text: 'Rotated page' },
	];

	it('stamps the recipient on every page of a 3-page PDF', async () => {
		const out = await watermarkPdf(await samplePdf(specs), ada, adaFp);
		const texts = pageTexts(out);
		expect(texts).toHaveLength(3);
		texts.forEach((text, i) => {
			for (const part of [
				'Ada Quinn',
				'Fabrikam Ltd',
				'ada@fabrikam.example',
				'2026-11-23 10:04 UTC',
				'download dl_abc123',
				'Confidential, under NDA',
				adaFp,
			])
				expect(text, `page ${i + 1}`).toContain(part);
			expect(text).toContain(visibleLine(ada));
		});
		expect(texts[0]).toContain('Body text of page 1');
		expect(texts[1]).toContain('Letter page');
		expect(texts[2]).toContain('Rotated page');
	});

	it('keeps the page count, page sizes, rotations and outline', async () => {
		const original = await samplePdf(specs);
		const out = await watermarkPdf(original, ada, adaFp);
		const [before, after] = await Promise.all(
			[original, out].map((bytes) => PDFDocument.load(bytes)),
		);
		expect(after!.getPageCount()).toBe(3);
		expect(after!.getPages().map((p) => [p.getMediaBox(), p.getRotation().angle])).toEqual(
			before!.getPages().map((p) => [p.getMediaBox(), p.getRotation().angle]),
		);
		expect(await readOutline(out)).toEqual(await readOutline(original));
		expect((await readOutline(out)).map((e) => e.page)).toEqual([1, 2, 3]);
	});

	it('draws the visible line horizontally along the bottom of the page as displayed, whatever its rotation', async () => {
		const rotations = [0, 90, 180, 270, -90, 450];
		const out = await watermarkPdf(
			await samplePdf(rotations.map((rotate) => ({ size: A4, rotate }))),
			ada,
			adaFp,
		);
		for (const [i, page] of pageWords(out).entries()) {
			const [width, height] =
				rotations[i]! % 180 ? [page.height, page.width] : [page.width, page.height];
			const line = page.words.filter((w) => ['Provided', 'Quinn', 'NDA'].includes(w.text));
			expect(
				line.map((w) => w.text),
				`page ${i + 1}`,
			).toEqual(['Provided', 'Quinn', 'NDA']);
			for (const word of line) {
				expect(word.xMax - word.xMin, `page ${i + 1} reads left to right`).toBeGreaterThan(
					word.yMax - word.yMin,
				);
				expect(word.yMin, `page ${i + 1} at the bottom`).toBeGreaterThan(height - 20);
				expect(word.yMax).toBeLessThan(height);
			}
			expect(line[0]!.xMin).toBeGreaterThan(0);
			expect(line[2]!.xMax).toBeLessThan(width);
			expect(line[0]!.xMin + line[2]!.xMax, `page ${i + 1} centred`).toBeCloseTo(width, -1);
		}
	});

	it('lays the name and company faintly across the middle, prints the line legibly at the bottom, and shows no fingerprint', async () => {
		const blank = await PDFDocument.create();
		blank.addPage(A4);
		const pixels = render(await watermarkPdf(await blank.save(), ada, adaFp), 72);
		const height = pixels.length;
		const darkest = (rows: number[][]) => rows.flat().reduce((a, b) => Math.min(a, b), 255);
		const middle = pixels.slice(Math.round(height * 0.3), Math.round(height * 0.7)).flat();
		// Opacity 0.1 of grey 0.4 on white is about 240: visible, yet light enough to read the page through.
		expect(middle.filter((v) => v < 250).length, 'the diagonal is there').toBeGreaterThan(
			middle.length / 100,
		);
		expect(
			darkest(pixels.slice(0, height - 20)),
			'nothing above the bottom line is dark enough to hide content',
		).toBeGreaterThanOrEqual(230);
		expect(darkest(pixels.slice(height - 20)), 'the bottom line is legible').toBeLessThan(180);
		// The fingerprint is drawn below the line's descenders, so any ink there would be the fingerprint showing.
		expect(darkest(pixels.slice(height - 6)), 'the fingerprint is invisible').toBe(255);
	});

	it('shrinks the line to fit a narrow page and cuts it with an ellipsis only when it still does not fit', async () => {
		const out = await watermarkPdf(
			await samplePdf([{ size: [420, 595] }, { size: [200, 120] }, { size: [50, 50], text: '' }]),
			ada,
			adaFp,
		);
		const [a5, small, stamp] = pageTexts(out);
		expect(a5).toContain(visibleLine(ada));
		expect(small).toContain('Provided to Ada Quinn');
		expect(small).not.toContain('Confidential, under NDA');
		expect(small).toContain('…');
		expect(small).toContain(adaFp);
		expect(stamp).toContain(adaFp);
		for (const page of pageWords(out))
			for (const word of page.words) expect(word.xMax, word.text).toBeLessThanOrEqual(page.width);
	});

	it('cuts after a word, and inside the first word only when not even that fits', async () => {
		const out = await watermarkPdf(
			await samplePdf([{ size: [300, 200] }, { size: [20, 60], text: '' }]),
			ada,
			adaFp,
		);
		const [narrow, tiny] = pageTexts(out).map((text) =>
			text
				.split('\n')
				.find((line) => line.includes('…'))
				?.trim(),
		);
		expect(narrow).toMatch(/^Provided to Ada Quinn (\S+ )*\S+…$/);
		expect(tiny).toMatch(/^Pr[a-z]+…$/);
		expect(tiny).not.toBe('Provided…');
	});

	it('cuts a long name, company and email, never the time and download, and keeps the diagonal legible', async () => {
		const blank = await PDFDocument.create();
		blank.addPage(A4);
		blank.addPage([300, 200]);
		const long: Recipient = {
			...ada,
			name: 'W'.repeat(120),
			company:
				'Kestrel Ledger Zahlungsdienste und Treuhand Gesellschaft mit beschränkter Haftung Niederlassung Deutschland',
		};
		const out = await watermarkPdf(await blank.save(), long, adaFp);
		const [line, narrow] = pageTexts(out).map(
			(text) =>
				text
					.split('\n')
					.find((l) => l.includes('Provided to'))
					?.trim() ?? '',
		);
		expect(line).toMatch(
			/^Provided to W+… \(Kestrel Ledger .+…, ada@fabrikam\.example\) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA$/,
		);
		// On a page too narrow for that, the name and company are cut short before the line loses its end.
		expect(narrow).toMatch(
			/^Provided to W{16}… \(Kestrel Ledger Z…, ada@fabrikam\.example\) · 2026-11-23 /,
		);
		// A long address is cut in both its parts, and the time and download stay.
		const longEmail = await watermarkPdf(
			await blank.save(),
			{
				...ada,
				name: 'Mallory',
				company: 'Evil',
				email: `${'a'.repeat(64)}@${'b'.repeat(60)}.${'c'.repeat(60)}.example`,
			},
			adaFp,
		);
		const mallory = pageTexts(longEmail)[0]!
			.split('\n')
			.find((l) => l.includes('Provided to'))!
			.trim();
		expect(mallory).toMatch(
			/^Provided to Mallory \(Evil, a+…@b+…\) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA$/,
		);
		// The diagonal is drawn at a size one can see, as for a short name (see above), not as a
		// hairline: on A4, and cut shorter on the narrow page.
		for (const page of [1, 2]) {
			const pixels = render(out, 72, page);
			const middle = pixels
				.slice(Math.round(pixels.length * 0.3), Math.round(pixels.length * 0.7))
				.flat();
			expect(middle.filter((v) => v < 250).length, `the diagonal on page ${page}`).toBeGreaterThan(
				middle.length / 100,
			);
		}
	});

	it('places the stamp by the page as displayed even when the original content leaves its transformation changed', async () => {
		const doc = await PDFDocument.create();
		const page = doc.addPage(A4);
		page.pushOperators(concatTransformationMatrix(0.5, 0, 0, 0.5, 300, 400));
		page.drawText('Shifted content');
		const out = await watermarkPdf(await doc.save(), ada, adaFp);
		const [stamped] = pageWords(out);
		const word = stamped!.words.find((w) => w.text === 'Provided');
		expect(word!.yMin).toBeGreaterThan(stamped!.height - 20);
		expect(pageTexts(out)[0]).toContain(visibleLine(ada));
	});

	it('hides the fingerprint in the page content, where it survives stripping the metadata', async () => {
		const out = await watermarkPdf(await samplePdf(specs), ada, adaFp);
		expect(findFingerprints(out)).toEqual([adaFp]);
		for (const useObjectStreams of [true, false]) {
			const stripped = await stripMetadata(out, useObjectStreams);
			const reloaded = await PDFDocument.load(stripped, { updateMetadata: false });
			expect(reloaded.getKeywords()).toBeUndefined();
			expect(reloaded.getSubject()).toBeUndefined();
			// The page copy is compressed and hex-encoded, so only decoding finds it.
			expect(Buffer.from(stripped).includes('TCFP1')).toBe(false);
			expect(findFingerprints(stripped), `useObjectStreams: ${useObjectStreams}`).toEqual([adaFp]);
			for (const text of pageTexts(stripped)) expect(text).toContain(adaFp);
		}
	});

	it('draws the fingerprint as invisible text (render mode 3) on every page', async () => {
		const doc = await PDFDocument.load(await watermarkPdf(await samplePdf(specs), ada, adaFp));
		const shown = new RegExp(
			`3 Tr\\s[^Q]*<${Buffer.from(adaFp).toString('hex').toUpperCase()}> Tj`,
		);
		for (const page of doc.getPages()) {
			const contents = page.node.Contents();
			const streams = (contents instanceof PDFArray ? contents.asArray() : [contents]).map((ref) =>
				doc.context.lookup(ref),
			);
			const content = streams
				.map((stream) =>
					stream instanceof PDFRawStream
						? Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')
						: '',
				)
				.join('\n');
			expect(content).toMatch(shown);
		}
	});

	it('adds the fingerprint to the Keywords and Subject, keeping the existing keywords', async () => {
		const doc = await PDFDocument.load(await watermarkPdf(await samplePdf(specs), ada, adaFp), {
			updateMetadata: false,
		});
		expect(doc.getKeywords()).toBe(`security whitepaper ${adaFp}`);
		expect(doc.getSubject()).toBe(adaFp);
		expect(doc.getTitle()).toBe('Security whitepaper');
	});

	it('prints "?" for characters no font can show instead of throwing', async () => {
		const zoe: Recipient = {
			...ada,
			name: "Zoë Ø'Brien 李雷 👩‍💻\u200F\u200B\u0007",
			company: '“Ünïcode” GmbH\u202E',
		};
		const [text] = pageTexts(await watermarkPdf(await samplePdf([{ size: A4 }]), zoe, adaFp));
		expect(text).toContain(
			"Provided to Zoë Ø'Brien 李雷 ?? (“Ünïcode” GmbH, ada@fabrikam.example)",
		);
		expect(visibleLine(zoe)).toContain("Zoë Ø'Brien 李雷 ??");
		const [fallback] = pageTexts(
			await watermarkPdf(await samplePdf([{ size: A4 }]), zoe, adaFp, { fonts: noFonts }),
		);
		expect(fallback).toContain(
			"Provided to Zoë Ø'Brien ?? ?? (“Ünïcode” GmbH, ada@fabrikam.example)",
		);
		expect(visibleLine(zoe, noFonts)).toContain("Zoë Ø'Brien ?? ??");
	});

	it('gives two recipients different bytes, each carrying only its own fingerprint', async () => {
		const original = await samplePdf(specs);
		const bob: Recipient = {
			...ada,
			name: 'Bob Ray',
			company: 'Contoso',
			email: 'bob@contoso.example',
			downloadId: 'dl_bob456',
		};
		const bobFp = fingerprintFor(bob.downloadId, KEY);
		const [forAda, forBob] = await Promise.all([
			watermarkPdf(original, ada, adaFp),
			watermarkPdf(original, bob, bobFp),
		]);
		expect(Buffer.from(forAda!).equals(Buffer.from(forBob!))).toBe(false);
		expect(findFingerprints(forAda!)).toEqual([adaFp]);
		expect(findFingerprints(forBob!)).toEqual([bobFp]);
		expect(verifyFingerprint(findFingerprints(forBob!)[0]!, KEY)).toBe('dl_bob456');
	});

	it('stamps all 100 pages of a 100-page PDF', async () => {
		const out = await watermarkPdf(
			await samplePdf(
				Array.from({ length: 100 }, (_, i) => ({
					size: i % 2 ? LETTER : A4,
					rotate: i % 7 === 0 ? 90 : 0,
				})),
			),
			ada,
			adaFp,
		);
		const texts = pageTexts(out);
		expect(texts).toHaveLength(100);
		expect(
			texts.filter(
				(text) =>
					text.includes(adaFp) && text.includes('Ada Quinn') && text.includes('download dl_abc123'),
			),
		).toHaveLength(100);
	});

	it('refuses a fingerprint that is malformed or belongs to another download', async () => {
		const pdf = await samplePdf([{ size: A4 }]);
		await expect(watermarkPdf(pdf, ada, 'not a fingerprint')).rejects.toThrow(
			/not a fingerprint of download/,
		);
		await expect(watermarkPdf(pdf, ada, fingerprintFor('dl_other1', KEY))).rejects.toThrow(
			/not a fingerprint of download/,
		);
	});
	it('writes a cross-reference stream that points at every object, and one revision only', async () => {
		const out = Buffer.from(await watermarkPdf(await samplePdf(specs), ada, adaFp));
		const text = out.toString('latin1');
		// A second revision could be cut off to give back the unstamped document; there is none.
		expect(text.match(/%%EOF/g)).toHaveLength(1);
		const xrefAt = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)![1]);
		const [, dict = '', data = ''] =
			/^\d+ 0 obj\n<<(.*?)>>\nstream\n([\s\S]*?)\nendstream/.exec(text.slice(xrefAt)) ?? [];
		expect(dict).toContain('/Type /XRef');
		expect(dict).toContain('/W [1 4 2]');
		const table = inflateSync(Buffer.from(data, 'latin1'));
		const size = Number(/\/Size (\d+)/.exec(dict)![1]);
		expect(table.length).toBe(size * 7);
		const objectStreams = new Set<number>();
		for (let n = 1; n < size; n++) {
			const [type, field2, field3] = [
				table[n * 7]!,
				table.readUInt32BE(n * 7 + 1),
				table.readUInt16BE(n * 7 + 5),
			];
			if (type === 1)
				expect(text.startsWith(`${n} ${field3} obj\n`, field2), `object ${n}`).toBe(true);
			if (type === 2) objectStreams.add(field2);
		}
		for (const n of objectStreams)
			expect(text.slice(Number(table.readUInt32BE(n * 7 + 1)))).toMatch(
				new RegExp(`^${n} 0 obj\n<< /Type /ObjStm`),
			);
		// And Poppler reads it without repairing anything.
		const file = join(dir, `${files++}.pdf`);
		writeFileSync(file, out);
		expect(spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' }).stderr).toBe('');
	});

	it('stamps each of several documents from its own parse, however often each is served', async () => {
		const a = await samplePdf([{ size: A4, text: 'Document A' }]);
		const b = await samplePdf([
			{ size: LETTER, text: 'Document B' },
			{ size: A4, text: 'Document B, page 2' },
		]);
		for (let round = 0; round < 2; round++) {
			expect(
				pageTexts(await watermarkPdf(a, ada, adaFp)).map((t) => t.includes('Document A')),
			).toEqual([true]);
			expect(
				pageTexts(await watermarkPdf(b, ada, adaFp)).map((t) => t.includes('Document B')),
			).toEqual([true, true]);
		}
	});
});

describe('findFingerprints', () => {
	it('finds nothing in empty input, random bytes or a PDF that was never stamped', async () => {
		const next = random(7);
		const noise = Uint8Array.from({ length: 256 * 1024 }, () => Math.floor(next() * 256));
		expect(findFingerprints(new Uint8Array())).toEqual([]);
		expect(findFingerprints(noise)).toEqual([]);
		expect(findFingerprints(await samplePdf([{ size: A4 }]))).toEqual([]);
	});

	it('does not throw on damaged or hostile input', async () => {
		const out = await watermarkPdf(await samplePdf([{ size: A4 }]), ada, adaFp);
		const flipped = Uint8Array.from(out, (b, i) => (i % 97 === 0 ? b ^ 0xff : b));
		const hostile = Buffer.from(
			`<<>>stream\n\x78\x9c\xff\xffendstream (((( \\ <${'a'.repeat(100)}  <<>>stream\n`,
			'latin1',
		);
		for (const bytes of [
			out.subarray(0, out.length / 2),
			flipped,
			hostile,
			Buffer.from('stream\nendstream'),
		])
			expect(() => findFingerprints(bytes)).not.toThrow();
	});

	it('reads fingerprints from literal strings with escapes, in compressed and plain content streams', async () => {
		const escaped = adaFp.replace('_', '\\137').replace('TCFP1', 'TC\\\nFP1');
		const doc = await PDFDocument.create();
		const streams = [
			doc.context.stream(`BT (${escaped}) Tj ET`),
			doc.context.flateStream(`BT (${escaped}) Tj ET`),
		];
		for (const stream of streams)
			doc.addPage(A4).node.set(PDFName.of('Contents'), doc.context.register(stream));
		const bytes = await doc.save();
		expect(Buffer.from(bytes).includes(adaFp)).toBe(false);
		expect(findFingerprints(bytes)).toEqual([adaFp]);
	});

	it('reads a fingerprint stored as UTF-16 text, as pdf-lib writes Info entries', async () => {
		const doc = await PDFDocument.create();
		doc.addPage(A4);
		doc.setKeywords([adaFp]);
		expect(findFingerprints(await doc.save({ useObjectStreams: false }))).toEqual([adaFp]);
	});

	it('ignores a fingerprint-like string inside a longer word', () => {
		expect(
			findFingerprints(Buffer.from(`xTCFP1-dl_abc123-0123456789abcdef ${adaFp}0 ${adaFp}`)),
		).toEqual([adaFp]);
	});

	describe('within its inflate limits', () => {
		const limits = { stream: 1000, total: 2500 };
		/** A file of Flate streams, each given by its dictionary entries and inflated content. */
		const streams = (...list: { entries?: string; data: string | Buffer }[]) =>
			Buffer.concat([
				Buffer.from('%PDF-1.7\n'),
				...list.flatMap(({ entries = '', data }, i) => {
					const packed = deflateSync(data);
					return [
						Buffer.from(
							`${i + 1} 0 obj\n<< ${entries} /Length ${packed.length} /Filter /FlateDecode >>\nstream\n`,
						),
						packed,
						Buffer.from('\nendstream\nendobj\n'),
					];
				}),
			]);
		const zeros = (n: number) => ({ data: Buffer.alloc(n) });
		const content = { data: `BT (${adaFp}) Tj ET` };
		const refusal = new InflateLimitError(limits).message;

		it('reads streams up to the limit of one and of all, and refuses a file past either', () => {
			expect(findFingerprints(streams(zeros(1000), zeros(1000), content), limits)).toEqual([adaFp]);
			expect(() => findFingerprints(streams(zeros(1001), content), limits)).toThrow(refusal);
			expect(() =>
				findFingerprints(streams(zeros(1000), zeros(1000), zeros(501), content), limits),
			).toThrow(refusal);
			expect(refusal).toBe(
				'its compressed streams inflate to more than trace reads (1000 bytes in one stream, 2500 bytes in all, images not counted). No copy the gate serves comes near that; this file may be made to exhaust memory.',
			);
		});

		it('neither inflates nor counts images, which hold no fingerprint', () => {
			const image = {
				entries: '/Type /XObject /Subtype /Image /Width 100 /Height 100',
				data: Buffer.alloc(100_000),
			};
			expect(findFingerprints(streams(image, image, content), limits)).toEqual([adaFp]);
			// An image's dictionary names it: the dictionary of the object before does not.
			expect(() =>
				findFingerprints(
					streams(image, { entries: '/Subtype /Form', data: Buffer.alloc(5000) }),
					limits,
				),
			).toThrow(refusal);
		});

		it('names the limits in MB in its refusal, as the gate applies them', () => {
			expect(new InflateLimitError(INFLATE_LIMITS).message).toMatch(
				/^its compressed streams inflate to more than trace reads \(32 MB in one stream, 128 MB in all, images not counted\)\./,
			);
		});
	});
});

/** The bottom line of a page as pdftotext gives it. */
const lineOf = (text: string) =>
	text
		.split('\n')
		.find((line) => line.includes('Provided to'))
		?.trim();
/** Poppler wraps right-to-left text in RLE … PDF marks; what a user searches for is the text between them. */
const withoutBidiMarks = (text: string) => text.replace(/[\u202A-\u202E]/g, '');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** A glyph's name in the font's post table (fontkit's typings leave the property out). */
const glyphName = (font: Face['font'], gid: number) =>
	(font.getGlyph(gid) as unknown as { name: string }).name;

/** The fonts pdffonts lists: name, type, encoding, and whether embedded, subset and with a ToUnicode map. */
function pdffonts(bytes: Uint8Array): string[] {
	const file = join(dir, `${files++}.pdf`);
	writeFileSync(file, bytes);
	const [, dashes = '', ...rows] = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split(
		'\n',
	);
	// Columns are as wide as the dashes under their headings; the last, the object id, is left out.
	const columns = [...dashes.matchAll(/-+/g)]
		.slice(0, 6)
		.map((m) => [m.index, m.index + m[0].length] as const);
	return rows.filter(Boolean).map((row) =>
		columns
			.map(([from, to]) =>
				row
					.slice(from, to)
					.trim()
					.replace(/^[A-Z]{6}\+/, 'SUBSET+'),
			)
			.join(' | '),
	);
}

/** A copy written out again by Poppler's pdfunite, as a leaker's PDF tool would. */
function rewrittenByPoppler(bytes: Uint8Array): Uint8Array {
	const file = join(dir, `${files++}.pdf`);
	writeFileSync(file, bytes);
	execFileSync('pdfunite', [file, `${file}.out.pdf`]);
	return readFileSync(`${file}.out.pdf`);
}

// A name, company and e-mail address in each script the watermark must print; `rtl` marks right-to-left ones.
const SCRIPTS = [
	{
		script: 'Polish',
		name: 'Łukasz Wiśniewski',
		company: 'Żółta Łódź Sp. z o.o.',
		email: 'lukasz@zolta.example',
		rtl: false,
	},
	{
		script: 'Turkish',
		name: 'Çağrı Öztürk',
		company: 'Işıklı Yazılım A.Ş.',
		email: 'cagri@isikli.example',
		rtl: false,
	},
	{
		script: 'Greek',
		name: 'Ελένη Παπαδοπούλου',
		company: 'Αθηναϊκή Λογιστική ΑΕ',
		email: 'ελένη@παράδειγμα.ελ',
		rtl: false,
	},
	{
		script: 'Cyrillic',
		name: 'Дмитрий Иванов',
		company: 'ООО «Ромашка»',
		email: 'дмитрий@пример.рф',
		rtl: false,
	},
	{
		script: 'Arabic',
		name: 'محمد علي',
		company: 'شركة الخليج',
		email: 'mohammed@khaleej.example',
		rtl: true,
	},
	{
		script: 'Hebrew',
		name: 'דוד כהן',
		company: 'חברת אלפא בע״מ',
		email: 'david@alpha.example',
		rtl: true,
	},
	{
		script: 'Chinese',
		name: '王伟',
		company: '北京星辰科技有限公司',
		email: '王伟@例子.中国',
		rtl: false,
	},
	{
		script: 'Japanese',
		name: '山田 太郎',
		company: '株式会社テスト',
		email: 'taro@test.example',
		rtl: false,
	},
	{
		script: 'Korean',
		name: '김민준',
		company: '삼성전자 주식회사',
		email: 'minjun@samsung.example',
		rtl: false,
	},
	{
		script: 'Devanagari',
		name: 'प्रिया शर्मा',
		company: 'क्षत्रिय उद्योग',
		email: 'प्रिया@उदाहरण.भारत',
		rtl: false,
	},
	{
		script: 'mixed',
		name: 'Łukasz Wiśniewski 王伟',
		company: 'Fabrikam Ltd',
		email: 'ada@fabrikam.example',
		rtl: false,
	},
];

describe('names in every script', () => {
	it.each(SCRIPTS)(
		'prints a $script name, company and e-mail on every page, and pdftotext gives them back',
		async ({ name, company, email, rtl }) => {
			const r: Recipient = { ...ada, name, company, email };
			const line = `Provided to ${name} (${company}, ${email}) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA`;
			expect(visibleLine(r)).toBe(line);
			const texts = pageTexts(
				await watermarkPdf(await samplePdf([{ size: A4 }, { size: LETTER, rotate: 90 }]), r, adaFp),
			);
			expect(texts).toHaveLength(2);
			for (const text of texts) {
				// Left to right, the line comes back whole. Right to left, Poppler reorders by its own simpler rules (see below).
				if (!rtl) expect(lineOf(text)).toBe(line);
				for (const part of [name, company, email, adaFp])
					expect(withoutBidiMarks(text)).toContain(part);
			}
		},
	);

	it('gives right-to-left fields back in logical order, each between bidi marks, as Poppler reorders a line', async () => {
		// Poppler reverses every stretch from a right-to-left letter to the next left-to-right letter or digit, so the
		// " (" between two Arabic fields moves; each field reads in logical order, which is what search and copy need.
		const lines = await Promise.all(
			SCRIPTS.filter((s) => s.rtl).map(async ({ name, company, email }) =>
				lineOf(
					pageTexts(
						await watermarkPdf(
							await samplePdf([{ size: A4 }]),
							{ ...ada, name, company, email },
							adaFp,
						),
					)[0]!,
				),
			),
		);
		expect(lines).toEqual([
			'Provided to \u202Bشركة الخليج( محمد علي\u202C, mohammed@khaleej.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA',
			'Provided to \u202Bחברת אלפא בע״מ( דוד כהן\u202C, david@alpha.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA',
		]);
		const [arabicOnly] = pageTexts(
			await watermarkPdf(await samplePdf([{ size: A4 }]), { ...ada, name: 'محمد علي' }, adaFp),
		);
		expect(lineOf(arabicOnly!)).toBe(
			'Provided to \u202B( محمد علي\u202CFabrikam Ltd, ada@fabrikam.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA',
		);
	});

	it('embeds a subset of each Noto font it draws with, with a ToUnicode map, and the CJK face of the recipient’s language', async () => {
		const sample = await samplePdf([{ size: A4 }]);
		const stamp = async (name: string, company = 'Fabrikam Ltd') =>
			pdffonts(await watermarkPdf(sample, { ...ada, name, company }, adaFp));
		const base = [
			'Times-Roman | Type 1 | WinAnsi | no | no | no',
			'Helvetica | Type 1 | WinAnsi | no | no | no',
		];
		const sans = 'SUBSET+NotoSans-Regular | CID TrueType | Identity-H | yes | yes | yes';
		expect(await stamp('Ada Quinn')).toEqual([...base, sans]);
		expect(await stamp('山田 太郎', '株式会社テスト')).toEqual([
			...base,
			'SUBSET+NotoSansCJKjp-Regular | CID Type 0C | Identity-H | yes | yes | yes',
			sans,
		]);
		expect(await stamp('김민준')).toEqual([
			...base,
			'SUBSET+NotoSansCJKkr-Regular | CID Type 0C | Identity-H | yes | yes | yes',
			sans,
		]);
		expect(await stamp('王伟')).toEqual([
			...base,
			'SUBSET+NotoSansCJKsc-Regular | CID Type 0C | Identity-H | yes | yes | yes',
			sans,
		]);
		expect(await stamp('محمد علي')).toEqual([
			...base,
			sans,
			'SUBSET+NotoSansArabic-Regular | CID TrueType | Identity-H | yes | yes | yes',
		]);
		// Subsets, not whole fonts: the CJK collection alone is 19 MB.
		const stamped = await watermarkPdf(
			sample,
			{ ...ada, name: '山田 太郎', company: '株式会社テスト' },
			adaFp,
		);
		expect(stamped.length - sample.length).toBeLessThan(40_000);
	});

	it('joins Arabic letters and lays them out from the right, in the font’s joining forms', () => {
		const fonts = watermarkFonts();
		const arabic = fonts.faces.get('arabic')!.font;
		const glyphs = shapeField('محمد', fonts, 'cjk-sc');
		// Drawn from the left: dal (final), meem (medial), hah (medial), meem (initial), none in its isolated form.
		expect(glyphs.map((g) => glyphName(arabic, g.gid))).toEqual([
			'uniFEAA',
			'uniFEE4',
			'uniFEA4',
			'uniFEE3',
		]);
		expect(glyphs.map((g) => g.text).join('')).toBe('دمحم');
	});

	it('forms Devanagari conjuncts and puts the vowel sign ि before its consonant', () => {
		const fonts = watermarkFonts();
		const devanagari = fonts.faces.get('devanagari')!.font;
		const glyphs = shapeField('प्रिया', fonts, 'cjk-sc');
		// प्र (pa, virama, ra) is one conjunct glyph; ि is drawn first although typed after it.
		expect(glyphs.map((g) => glyphName(devanagari, g.gid))).toEqual([
			'ivowelsign03deva',
			'paradeva',
			'yadeva',
			'aavowelsigndeva',
		]);
		expect(glyphs.map((g) => g.text).join('')).toBe('प्रिया');
		// The reph (र् over मा) is drawn after its syllable and takes no room.
		const reph = shapeField('शर्मा', fonts, 'cjk-sc');
		expect(reph.map((g) => glyphName(devanagari, g.gid))).toEqual([
			'shadeva',
			'madeva',
			'aavowelsigndeva',
			'rephdeva',
		]);
		expect(reph.at(-1)!.advance).toBe(0);
	});

	it('lays out any text without failing, each glyph carrying its share of the text', () => {
		const fonts = watermarkFonts();
		// fontkit throws on this mark attachment in Noto Sans (an empty anchor); it is laid out without it.
		expect(shapeField('Đ\u031B', fonts, 'cjk-sc').map((g) => g.text)).toEqual(['Đ\u031B', '']);
		const next = random(3);
		const ranges = [
			0x20, 0x41, 0xc0, 0x100, 0x300, 0x370, 0x400, 0x900, 0x940, 0xe00, 0x10a0, 0x2000, 0x3040,
			0x4e00, 0xac00, 0x1f300,
		];
		const rightToLeft = [0x590, 0x5d0, 0x600, 0x620, 0x640];
		for (let i = 0; i < 1000; i++) {
			const rtl = i % 3 === 0;
			let s = '';
			for (let j = 0, n = 1 + Math.floor(next() * 12); j < n; j++) {
				const pool = rtl && next() < 0.5 ? rightToLeft : ranges;
				s +=
					String.fromCodePoint(pool[Math.floor(next() * pool.length)]! + Math.floor(next() * 64)) +
					(next() < 0.2 ? ' ' : '');
			}
			const text = printable(s, fonts);
			const glyphs = shapeField(text, fonts, 'cjk-sc');
			// Left to right, the glyphs' texts in drawing order are the text itself: nothing lost, nothing doubled.
			if (!rtl) expect(glyphs.map((g) => g.text).join(''), JSON.stringify(s)).toBe(text);
		}
	});

	it('reads each field in the direction of its first strong letter, mirroring brackets drawn right to left', () => {
		const runs = (text: string) =>
			visualRuns(text).map((run) => `${run.rtl ? '←' : '→'}${run.shaped}`);
		expect(runs('Ada Quinn')).toEqual(['→Ada Quinn']);
		expect(runs('محمد علي')).toEqual(['←محمد علي']);
		expect(runs('محمد 123 علي')).toEqual(['← علي', '→123', '←محمد ']);
		expect(runs('Ada (محمد) Quinn')).toEqual(['→Ada (', '←محمد', '→) Quinn']);
		expect(runs('شركة (الخليج) 2024')).toEqual(['→2024', '←شركة )الخليج( ']);
		expect(runs('שלום abc def עולם')).toEqual(['← עולם', '→abc def', '←שלום ']);
		expect(runs('فاطمة ١٢٣')).toEqual(['→١٢٣', '←فاطمة ']);
	});

	it.each(SCRIPTS)(
		'traces a copy stamped for a $script name by its hash, and by its fingerprint once stripped or rewritten',
		async ({ script, name, company, email }) => {
			const downloadId = `dl_${script}`;
			const fp = fingerprintFor(downloadId, KEY);
			const served = await watermarkPdf(
				await samplePdf([{ size: A4 }, { size: LETTER }]),
				{ ...ada, name, company, email, downloadId },
				fp,
			);
			// trace() first looks the file's SHA-256 up among the recorded downloads: an unchanged copy is that file.
			expect(sha256(Buffer.from(served))).toBe(sha256(served));
			for (const leaked of [
				await stripMetadata(served, true),
				await stripMetadata(served, false),
				rewrittenByPoppler(served),
			]) {
				expect(sha256(leaked)).not.toBe(sha256(served));
				const found = findFingerprints(leaked);
				expect(found).toEqual([fp]);
				expect(verifyFingerprint(found[0]!, KEY)).toBe(downloadId);
				// The leaked copy still names its recipient on every page.
				for (const text of pageTexts(leaked)) expect(withoutBidiMarks(text)).toContain(name);
			}
		},
	);
});

describe('without the Noto fonts', () => {
	it('warns at start-up, naming each missing font, what it draws, and the Debian packages to install', () => {
		expect(watermarkFontReport(emptyFontDir).warning?.replaceAll(emptyFontDir, '<empty dir>'))
			.toMatchInlineSnapshot(`
				"Watermark fonts missing under <empty dir> (the folder GATE_WATERMARK_FONT_DIR names, default /usr/share/fonts):
				  not found (fonts-noto-core): NotoSans-Regular.ttf, NotoSansArabic-Regular.ttf, NotoSansHebrew-Regular.ttf, NotoSansDevanagari-Regular.ttf, NotoSansBengali-Regular.ttf, NotoSansGurmukhi-Regular.ttf, NotoSansGujarati-Regular.ttf, NotoSansOriya-Regular.ttf, NotoSansTamil-Regular.ttf, NotoSansTelugu-Regular.ttf, NotoSansKannada-Regular.ttf, NotoSansMalayalam-Regular.ttf, NotoSansSinhala-Regular.ttf, NotoSansThai-Regular.ttf, NotoSansLao-Regular.ttf, NotoSansKhmer-Regular.ttf, NotoSansMyanmar-Regular.ttf, NotoSansGeorgian-Regular.ttf, NotoSansArmenian-Regular.ttf, NotoSansEthiopic-Regular.ttf; Greek, Cyrillic and Latin beyond Western European letters, Arabic, Hebrew, Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala, Thai, Lao, Khmer, Myanmar, Georgian, Armenian, Ethiopic in names may print as "?"
				  not found (fonts-noto-cjk): NotoSansCJK-Regular.ttc; Chinese, Japanese, Korean in names may print as "?"
				Install them with: apt-get install fonts-noto-core fonts-noto-cjk, or point GATE_WATERMARK_FONT_DIR at a folder that holds these files."
			`);
		expect(watermarkFontReport().warning).toBeUndefined();
	});

	it('stamps in Helvetica, with "?" for each character it cannot draw, and never fails', async () => {
		const r: Recipient = { ...ada, name: 'Łukasz Wiśniewski 王伟', company: 'Zoë Müller GmbH' };
		const out = await watermarkPdf(await samplePdf([{ size: A4 }]), r, adaFp, { fonts: noFonts });
		expect(lineOf(pageTexts(out)[0]!)).toBe(
			'Provided to ?ukasz Wi?niewski ?? (Zoë Müller GmbH, ada@fabrikam.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA',
		);
		expect(visibleLine(r, noFonts)).toBe(lineOf(pageTexts(out)[0]!));
		expect(pdffonts(out)).toEqual([
			'Times-Roman | Type 1 | WinAnsi | no | no | no',
			'Helvetica | Type 1 | WinAnsi | no | no | no',
		]);
		expect(findFingerprints(out)).toEqual([adaFp]);
	});

	it('uses the fonts that are there, and reports a font file it cannot read without failing', () => {
		const partial = mkdtempSync(join(dir, 'some-fonts-'));
		copyFileSync(watermarkFonts().faces.get('sans')!.file, join(partial, 'NotoSans-Regular.ttf'));
		writeFileSync(join(partial, 'NotoSansHebrew-Regular.ttf'), 'not a font');
		const fonts = watermarkFonts(partial);
		expect(printable('Łukasz Ελένη 王伟 דוד', fonts)).toBe('Łukasz Ελένη ?? ???');
		expect(watermarkFontReport(partial).warning?.replaceAll(partial, '<dir>'))
			.toMatchInlineSnapshot(`
				"Watermark fonts missing under <dir> (the folder GATE_WATERMARK_FONT_DIR names, default /usr/share/fonts):
				  not found (fonts-noto-core): NotoSansArabic-Regular.ttf, NotoSansDevanagari-Regular.ttf, NotoSansBengali-Regular.ttf, NotoSansGurmukhi-Regular.ttf, NotoSansGujarati-Regular.ttf, NotoSansOriya-Regular.ttf, NotoSansTamil-Regular.ttf, NotoSansTelugu-Regular.ttf, NotoSansKannada-Regular.ttf, NotoSansMalayalam-Regular.ttf, NotoSansSinhala-Regular.ttf, NotoSansThai-Regular.ttf, NotoSansLao-Regular.ttf, NotoSansKhmer-Regular.ttf, NotoSansMyanmar-Regular.ttf, NotoSansGeorgian-Regular.ttf, NotoSansArmenian-Regular.ttf, NotoSansEthiopic-Regular.ttf; Arabic, Devanagari, Bengali, Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala, Thai, Lao, Khmer, Myanmar, Georgian, Armenian, Ethiopic in names may print as "?"
				  not found (fonts-noto-cjk): NotoSansCJK-Regular.ttc; Chinese, Japanese, Korean in names may print as "?"
				  NotoSansHebrew-Regular.ttf (fonts-noto-core): <dir>/NotoSansHebrew-Regular.ttf could not be read: Unknown font format; Hebrew in names may print as "?"
				Install them with: apt-get install fonts-noto-core fonts-noto-cjk, or point GATE_WATERMARK_FONT_DIR at a folder that holds these files."
			`);
	});

	it('looks for the fonts in the folder GATE_WATERMARK_FONT_DIR names, and in /usr/share/fonts without it', () => {
		const fontDir = (env: Record<string, string>) => {
			const read = readSettings(
				{ GATE_SIGNING_KEYS: 'test:c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==', ...env },
				tmpdir(),
			);
			if (!read.ok) throw new Error(read.errors.join('\n'));
			return read.settings.watermarkFontDir;
		};
		expect(fontDir({})).toBe(DEFAULT_FONT_DIR);
		expect(watermarkFonts(fontDir({ GATE_WATERMARK_FONT_DIR: emptyFontDir }))).toBe(noFonts);
		expect(
			visibleLine(
				{ ...ada, name: 'Łukasz' },
				watermarkFonts(fontDir({ GATE_WATERMARK_FONT_DIR: emptyFontDir })),
			),
		).toContain('Provided to ?ukasz (');
		const noto = dirname(dirname(watermarkFonts(DEFAULT_FONT_DIR).faces.get('sans')!.file));
		expect(
			visibleLine(
				{ ...ada, name: 'Łukasz' },
				watermarkFonts(fontDir({ GATE_WATERMARK_FONT_DIR: noto })),
			),
		).toContain('Provided to Łukasz (');
	});
});
