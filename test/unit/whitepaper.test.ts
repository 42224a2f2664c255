import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber } from 'pdf-lib';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/whitepaper/make.ts';
import {
	drawOver,
	loadPdf,
	readDestinations,
	readOutline,
	titleOutline,
} from '../../src/whitepaper/pdf.ts';
import { scopeIds, shiftHeadings, withoutHeadingLinks } from '../../src/whitepaper/scope.ts';

/** A PDF of `pages` blank pages whose catalog names the destinations `dests` (name → 1-based page). */
async function withDests(pages: number, dests: Record<string, number>): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	const refs = Array.from({ length: pages }, () => doc.addPage().ref);
	const { context } = doc;
	const named = context.obj({});
	for (const [name, page] of Object.entries(dests)) {
		const dest = context.obj([refs[page - 1]!, PDFName.of('XYZ'), 0, 800, 0]);
		// Chromium writes plain arrays; the PDF standard also allows a dictionary holding it in /D, or a reference.
		const value = name.startsWith('dict-')
			? context.obj({ D: dest })
			: name.startsWith('ref-')
				? context.register(dest)
				: dest;
		named.set(PDFName.of(name), value);
	}
	named.set(PDFName.of('no-page'), context.obj([PDFNumber.of(7), PDFName.of('Fit')]));
	doc.catalog.set(PDFName.of('Dests'), context.register(named));
	return doc.save();
}

describe('readDestinations', () => {
	it('gives the page of every named destination, whichever form it is written in', async () => {
		const pdf = await withDests(4, {
			'chapter-about': 1,
			'chapter-arch-security-overview': 3,
			'dict-chapter-contacts': 4,
			'ref-scope': 3,
		});
		expect(Object.fromEntries(readDestinations(await loadPdf(pdf)))).toEqual({
			'chapter-about': 1,
			'chapter-arch-security-overview': 3,
			'dict-chapter-contacts': 4,
			'ref-scope': 3,
		});
	});

	it('gives a destination named after a non-ASCII id by that id, as Chromium writes it percent-encoded', async () => {
		const pdf = await withDests(3, {
			'chapter-arch-security-%E6%9A%97%E5%8F%B7%E5%8C%96': 2,
			'chapter-arch-security-netzwerk-%C3%BCbersicht': 3,
			'chapter-100%-uptime': 1,
		});
		expect(Object.fromEntries(readDestinations(await loadPdf(pdf)))).toEqual({
			'chapter-arch-security-暗号化': 2,
			'chapter-arch-security-netzwerk-übersicht': 3,
			'chapter-100%-uptime': 1,
		});
	});

	it('leaves out a destination that points to no page, and reads a PDF without any as empty', async () => {
		expect([...readDestinations(await loadPdf(await withDests(2, { a: 2 }))).keys()]).toEqual([
			'a',
		]);
		const plain = await PDFDocument.create();
		plain.addPage();
		expect(readDestinations(await loadPdf(await plain.save())).size).toBe(0);
	});
});

describe('drawOver', () => {
	it("draws the other print's pages on the first pages, keeping their links and leaving no unseen drawing or page behind", async () => {
		const doc = await PDFDocument.create();
		for (const n of [1, 2, 3]) doc.addPage([300, 200]).drawText(`old page ${n}`, { x: 20, y: 100 });
		const first = doc.getPage(0).node;
		first.set(
			PDFName.of('Annots'),
			doc.context.obj([doc.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 10, 10] })]),
		);
		// pdf-lib writes a page's drawing as an array of streams; Chromium as one stream.
		const oldDrawing = first.lookup(PDFName.of('Contents'), PDFArray).asArray();
		const from = await PDFDocument.create();
		from.addPage([300, 200]).drawText('new contents', { x: 20, y: 100 });
		from.getPage(0).node.set(PDFName.of('Annots'), from.context.obj([]));

		await drawOver(doc, from);
		const dir = mkdtempSync(join(tmpdir(), 'draw-over-'));
		try {
			const file = join(dir, 'out.pdf');
			writeFileSync(file, await doc.save());
			const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
			expect(text.split('\f').map((page) => page.trim())).toEqual([
				'new contents',
				'old page 2',
				'old page 3',
				'',
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
		expect(doc.getPage(0).node.Annots()?.size()).toBe(1);
		expect(oldDrawing.length).toBeGreaterThan(0);
		for (const ref of oldDrawing) expect(doc.context.lookup(ref)).toBeUndefined();
		const pageObjects = doc.context
			.enumerateIndirectObjects()
			.filter(
				([, object]) =>
					object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('Page'),
			);
		expect(pageObjects).toHaveLength(3);
	});
});

describe('a Chromium that cannot start', () => {
	it('is named with what it printed before it exited, and how to check it by hand', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'no-chromium-'));
		const path = join(dir, 'chromium');
		writeFileSync(
			path,
			'#!/bin/sh\necho "chromium: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory" >&2\nexit 127\n',
		);
		chmodSync(path, 0o755);
		try {
			const message = await launchBrowser(path).then(
				() => 'started',
				(error: Error) => error.message,
			);
			expect(message.split('\n').map((line) => line.replaceAll(path, 'CHROMIUM'))).toEqual([
				expect.stringMatching(/^Launching Chromium \(CHROMIUM\) failed: /),
				'Chromium printed:',
				'  chromium: error while loading shared libraries: libnss3.so: cannot open shared object file: No such file or directory',
				"Check that it runs: CHROMIUM --headless --no-sandbox --version; npm run setup:chromium installs Debian's chromium, or set CHROME_PATH to another.",
			]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('scopeIds', () => {
	it('prefixes the ids of a body and every reference to them, and leaves other references alone', () => {
		const html =
			'<h2 id="testing">Testing</h2><a class="sl-anchor-link" href="#testing">#</a>' +
			'<svg aria-labelledby="c-t c-d other"><title id="c-t">T</title><desc id="c-d">D</desc>' +
			'<rect fill="url(#c-t)"/></svg><a href="#elsewhere">x</a><a href="/security/#testing">y</a>';
		expect(scopeIds(html, 'chapter-arch-security-network')).toBe(
			'<h2 id="chapter-arch-security-network--testing">Testing</h2>' +
				'<a class="sl-anchor-link" href="#chapter-arch-security-network--testing">#</a>' +
				'<svg aria-labelledby="chapter-arch-security-network--c-t chapter-arch-security-network--c-d other">' +
				'<title id="chapter-arch-security-network--c-t">T</title><desc id="chapter-arch-security-network--c-d">D</desc>' +
				'<rect fill="url(#chapter-arch-security-network--c-t)"/></svg><a href="#elsewhere">x</a><a href="/security/#testing">y</a>',
		);
	});
});

describe('withoutHeadingLinks', () => {
	it("takes out Starlight's anchor link after each heading, and no other link", () => {
		const anchor = (id: string, title: string) =>
			`<a class="sl-anchor-link" href="#${id}"><span aria-hidden="true" class="sl-anchor-icon"><svg width="16" height="16" viewBox="0 0 24 24"><path d="m12 15"></path></svg></span><span class="sr-only" data-pagefind-ignore>Section titled “${title}”</span></a>`;
		expect(
			withoutHeadingLinks(
				`<div class="sl-heading-wrapper level-h2"><h2 id="scope">Scope</h2>${anchor('scope', 'Scope')}</div>` +
					'<p>See <a href="#scope">the scope</a> and <a class="sl-anchor-link-like" href="/x/">x</a>.</p>' +
					`<div class="sl-heading-wrapper level-h3"><h3 id="a-b">A <code>b</code></h3>${anchor('a-b', 'A b')}</div>`,
			),
		).toBe(
			'<div class="sl-heading-wrapper level-h2"><h2 id="scope">Scope</h2></div>' +
				'<p>See <a href="#scope">the scope</a> and <a class="sl-anchor-link-like" href="/x/">x</a>.</p>' +
				'<div class="sl-heading-wrapper level-h3"><h3 id="a-b">A <code>b</code></h3></div>',
		);
	});
});

describe('shiftHeadings', () => {
	it('moves every heading down, no further than h6', () => {
		expect(
			shiftHeadings(
				'<div class="sl-heading-wrapper level-h2"><h2 id="a">1. Purpose</h2></div><h5>x</h5><h6>y</h6><header>z</header>',
				2,
			),
		).toBe(
			'<div class="sl-heading-wrapper level-h4"><h4 id="a">1. Purpose</h4></div><h6>x</h6><h6>y</h6><header>z</header>',
		);
	});
});

describe('titleOutline', () => {
	/** A PDF whose outline has `titles` as top-level bookmarks. */
	async function withOutline(titles: string[]): Promise<PDFDocument> {
		const doc = await PDFDocument.create();
		const page = doc.addPage().ref;
		const { context } = doc;
		const outlines = context.nextRef();
		const refs = titles.map(() => context.nextRef());
		titles.forEach((title, i) => {
			const item = context.obj({
				Title: PDFHexString.fromText(title),
				Parent: outlines,
				Dest: [page, PDFName.of('Fit')],
			});
			if (i > 0) item.set(PDFName.of('Prev'), refs[i - 1]!);
			if (i < titles.length - 1) item.set(PDFName.of('Next'), refs[i + 1]!);
			context.assign(refs[i]!, item);
		});
		context.assign(
			outlines,
			context.obj({ First: refs[0]!, Last: refs.at(-1)!, Count: titles.length }),
		);
		doc.catalog.set(PDFName.of('Outlines'), outlines);
		return doc;
	}

	it('titles each bookmark with its heading: the space at a line break kept, the badge left out', async () => {
		const doc = await withOutline([
			'Logging andmonitoring',
			'What cyber insurance do you carry? Under NDA',
			'Not a heading',
		]);
		titleOutline(doc, [
			{ text: 'Contents', title: 'Contents' },
			{ text: 'Logging and monitoring', title: 'Logging and monitoring' },
			{
				text: 'What cyber insurance do you carry? Under NDA',
				title: 'What cyber insurance do you carry?',
			},
		]);
		const outline = await readOutline(await doc.save());
		expect(outline.map((e) => e.title)).toEqual([
			'Logging and monitoring',
			'What cyber insurance do you carry?',
			'Not a heading',
		]);
	});

	it('titles the bookmark of a right-to-left heading, which Chromium titles with its words reversed', async () => {
		const doc = await withOutline(['الأمان هندسة', 'مشفرة؟ بياناتي هل Under NDA']);
		titleOutline(doc, [
			{ text: 'هندسة الأمان', title: 'هندسة الأمان' },
			{ text: 'هل بياناتي مشفرة؟ Under NDA', title: 'هل بياناتي مشفرة؟' },
		]);
		const outline = await readOutline(await doc.save());
		expect(outline.map((e) => e.title)).toEqual(['هندسة الأمان', 'هل بياناتي مشفرة؟']);
	});
});
