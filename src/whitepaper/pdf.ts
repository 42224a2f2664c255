import {
	PDFArray,
	PDFDict,
	PDFDocument,
	PDFHexString,
	PDFName,
	PDFRef,
	PDFString,
	ParseSpeeds,
} from 'pdf-lib';

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

/**
 * Loads a PDF to read or change. pdf-lib's default speeds wait for a timer every 100 objects it parses
 * and every 50 it writes: most of a whitepaper's load and save time. The build has nothing else to do
 * meanwhile.
 */
export const loadPdf = (bytes: Uint8Array): Promise<PDFDocument> =>
	PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });

/** Resolves destinations (explicit arrays, or names looked up in the catalog's `/Dests`) to 1-based pages. */
function destinations(doc: PDFDocument): (dest: unknown) => number | undefined {
	const pageOf = new Map(doc.getPages().map((page, index) => [page.ref.toString(), index + 1]));
	const named = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
	return (dest) => {
		let target = dest instanceof PDFRef ? doc.context.lookup(dest) : dest;
		if (
			target instanceof PDFName ||
			target instanceof PDFString ||
			target instanceof PDFHexString
		) {
			const key = target instanceof PDFName ? target : PDFName.of(text(target));
			target = named?.lookup(key);
		}
		if (target instanceof PDFDict) target = target.lookup(PDFName.of('D'));
		if (!(target instanceof PDFArray)) return undefined;
		const ref = target.get(0);
		return ref instanceof PDFRef ? pageOf.get(ref.toString()) : undefined;
	};
}

/**
 * Reads a PDF's named destinations with the page each one is on. Chromium names one after the id of
 * every element a link of the page points to (`<a href="#chapter-about">` makes `chapter-about`), and
 * prints them whether or not the PDF is tagged or has an outline. It writes the id as a URL fragment,
 * percent-encoded (`暗号化` is `%E6%9A%97…`): the names are decoded back to the ids.
 */
export function readDestinations(doc: PDFDocument): Map<string, number> {
	const pageOf = destinations(doc);
	const named = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
	const pages = new Map<string, number>();
	for (const [name, dest] of named?.entries() ?? []) {
		const page = pageOf(dest);
		if (page !== undefined) pages.set(decodeFragment(name.decodeText()), page);
	}
	return pages;
}

/** A URL fragment as the id it names; a "%" that is no escape stays as written. */
function decodeFragment(fragment: string): string {
	try {
		return decodeURIComponent(fragment);
	} catch {
		return fragment;
	}
}

/** Reads a PDF's outline (bookmarks) in document order, with the page each one points to. */
export async function readOutline(bytes: Uint8Array): Promise<OutlineEntry[]> {
	const doc = await loadPdf(bytes);
	const destPage = destinations(doc);
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
	/** The print's headings in document order: the bookmarks are titled from them (see titleOutline). */
	headings: readonly PrintedHeading[];
}

/** A heading of the print page: its whole text, and the title its bookmark should have. */
export interface PrintedHeading {
	/** Its text as Chromium titles its bookmark, spaces aside: badges included. */
	text: string;
	/** Its text without its badges, white space as the reader sees it. */
	title: string;
}

/** The outline's items in document order. */
function outlineItems(doc: PDFDocument): PDFDict[] {
	const items: PDFDict[] = [];
	const walk = (first: PDFDict | undefined) => {
		for (let item = first; item; item = item.lookupMaybe(PDFName.of('Next'), PDFDict)) {
			items.push(item);
			walk(item.lookupMaybe(PDFName.of('First'), PDFDict));
		}
	};
	walk(
		doc.catalog
			.lookupMaybe(PDFName.of('Outlines'), PDFDict)
			?.lookupMaybe(PDFName.of('First'), PDFDict),
	);
	return items;
}

/**
 * Titles each bookmark with its heading's own text. Chromium makes a bookmark of every heading it lays
 * out, titled with the laid-out text: a heading that wraps loses the space at the line break
 * ("Logging andmonitoring"), and a badge in it ends up in the title. Bookmarks and headings are matched
 * in document order by their text without white space; a heading Chromium left out is skipped, and a
 * bookmark that matches no heading keeps its title. A right-to-left heading's title is in visual order,
 * its words reversed ("الأمان هندسة" for "هندسة الأمان"), so the same words in any order match too.
 */
export function titleOutline(doc: PDFDocument, headings: readonly PrintedHeading[]): void {
	const squash = (s: string) => s.replace(/\s+/g, '');
	const words = (s: string) => s.trim().split(/\s+/).sort().join(' ');
	let next = 0;
	for (const item of outlineItems(doc)) {
		const printed = text(item.lookup(PDFName.of('Title')));
		const same = (heading: string) =>
			squash(heading) === squash(printed) || words(heading) === words(printed);
		const found = headings.findIndex((h, i) => i >= next && same(h.text));
		if (found < 0) continue;
		item.set(PDFName.of('Title'), PDFHexString.fromText(headings[found]!.title));
		next = found + 1;
	}
}

/**
 * Draws `from`'s pages on the first pages of `doc`, which keep everything else: their links, their
 * place in the tags, and the outline's and the links' destinations on them. `from` is a print of the
 * same page with what follows those pages removed, laid out in the same places: its tags and links
 * number their parts as `doc`'s do. Its own links are left out.
 */
export async function drawOver(doc: PDFDocument, from: PDFDocument): Promise<void> {
	const contents = PDFName.of('Contents');
	const resources = PDFName.of('Resources');
	for (const page of from.getPages()) page.node.delete(PDFName.of('Annots'));
	const copies = await doc.copyPages(from, from.getPageIndices());
	copies.forEach((copy, i) => {
		const page = doc.getPage(i).node;
		// The drawing replaced is nobody else's: it goes, so the file does not keep it unseen.
		const old = page.get(contents);
		for (const ref of old instanceof PDFArray ? old.asArray() : [old])
			if (ref instanceof PDFRef) doc.context.delete(ref);
		page.set(contents, copy.node.get(contents)!);
		page.set(resources, copy.node.get(resources)!);
		doc.context.delete(copy.ref);
	});
}

/** Sets a PDF's document information, keeping everything else (outline, tags, links) as it is. */
export async function withMetadata(
	doc: PDFDocument,
	meta: PdfMetadata,
): Promise<{ bytes: Uint8Array; pages: number }> {
	titleOutline(doc, meta.headings);
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
	return {
		bytes: await doc.save({ useObjectStreams: false, objectsPerTick: Infinity }),
		pages: doc.getPageCount(),
	};
}
