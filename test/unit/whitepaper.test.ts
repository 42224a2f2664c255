import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchBrowser } from '../../src/whitepaper/make.ts';
import { readDestinations } from '../../src/whitepaper/pdf.ts';

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
		expect(Object.fromEntries(await readDestinations(pdf))).toEqual({
			'chapter-about': 1,
			'chapter-arch-security-overview': 3,
			'dict-chapter-contacts': 4,
			'ref-scope': 3,
		});
	});

	it('leaves out a destination that points to no page, and reads a PDF without any as empty', async () => {
		expect([...(await readDestinations(await withDests(2, { a: 2 }))).keys()]).toEqual(['a']);
		const plain = await PDFDocument.create();
		plain.addPage();
		expect((await readDestinations(await plain.save())).size).toBe(0);
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
