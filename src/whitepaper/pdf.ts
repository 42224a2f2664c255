import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';

/** One bookmark of a PDF's outline. */
export interface OutlineEntry {
	title: string;
	/** 1 for top-level bookmarks, 2 for their children, and so on. */
	level: number;
	/** 1-based page the bookmark points to, or undefined when its destination cannot be resolved. */
	page: number | undefined;
}

const text = (value: unknown): string =>
	value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : '';

/** Reads a PDF's outline (bookmarks) in document order, with the page each one points to. */
export async function readOutline(bytes: Uint8Array): Promise<OutlineEntry[]> {
	const doc = await PDFDocument.load(bytes, { updateMetadata: false });
	const pageOf = new Map(doc.getPages().map((page, index) => [page.ref.toString(), index + 1]));
	const named = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
	const destPage = (dest: unknown): number | undefined => {
		let target = dest;
		if (
			target instanceof PDFName ||
			target instanceof PDFString ||
			target instanceof PDFHexString
		) {
			const key = target instanceof PDFName ? target : PDFName.of(text(target));
			target = named?.lookup(key);
			if (target instanceof PDFDict) target = target.lookup(PDFName.of('D'));
		}
		if (!(target instanceof PDFArray)) return undefined;
		const ref = target.get(0);
		return ref instanceof PDFRef ? pageOf.get(ref.toString()) : undefined;
	};
	const entries: OutlineEntry[] = [];
	const walk = (first: PDFDict | undefined, level: number) => {
		for (let item = first; item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
			const action = item.lookupMaybe(PDFName.of('A'), PDFDict);
			entries.push({
				title: text(item.lookup(PDFName.of('Title'))),
				level,
				page: destPage(item.lookup(PDFName.of('Dest')) ?? action?.lookup(PDFName.of('D'))),
			});
			walk(item.lookupMaybe(PDFName.of('First'), PDFDict), level + 1);
		}
	};
	walk(
		doc.catalog
			.lookupMaybe(PDFName.of('Outlines'), PDFDict)
			?.lookupMaybe(PDFName.of('First'), PDFDict),
		1,
	);
	return entries;
}

/** Document information a PDF carries. */
export interface PdfMetadata {
	title: string;
	author: string;
	subject: string;
	keywords: string[];
	creator: string;
	created: Date;
	/** Written as a custom `Version` entry of the document information dictionary. */
	version: string;
}

/** Sets a PDF's document information, keeping everything else (outline, tags, links) as it is. */
export async function withMetadata(
	bytes: Uint8Array,
	meta: PdfMetadata,
): Promise<{ bytes: Uint8Array; pages: number }> {
	const doc = await PDFDocument.load(bytes, { updateMetadata: false });
	doc.setTitle(meta.title, { showInWindowTitleBar: true });
	doc.setAuthor(meta.author);
	doc.setSubject(meta.subject);
	doc.setKeywords(meta.keywords);
	doc.setCreator(meta.creator);
	doc.setProducer('trust-center (Chromium, pdf-lib)');
	doc.setCreationDate(meta.created);
	doc.setModificationDate(meta.created);
	doc.context
		.lookup(doc.context.trailerInfo.Info, PDFDict)
		.set(PDFName.of('Version'), PDFString.of(meta.version));
	return { bytes: await doc.save({ useObjectStreams: false }), pages: doc.getPageCount() };
}
