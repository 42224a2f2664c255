import { PDFDocument, PDFName, PDFNumber } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
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
