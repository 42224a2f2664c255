// Writing one PDF many times with something added to every page, fast. The document is parsed once and every
// object the stamp does not change is serialized once, packed into compressed object streams; each stamped copy
// is then those bytes plus the page dictionaries, the Info dictionary, the new objects and a cross-reference
// stream. Parsing (100 ms for the example whitepaper) and packing happen on the first copy of a document only.
// The page dictionaries and the Info dictionary keep their object numbers, so the page tree, outline, links and
// the trailer stay valid; the originals are left out of the copy, not kept beside it as an incremental update
// would, so cutting the file short does not give back an unstamped document.
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
	PDFArray,
	PDFDict,
	PDFDocument,
	PDFHexString,
	PDFName,
	PDFRef,
	PDFStream,
	ParseSpeeds,
	type PDFObject,
} from 'pdf-lib';

/** One page of a prepared document: what is needed to write its dictionary again with more content. */
export interface PreparedPage {
	ref: PDFRef;
	/** The dictionary's entries other than Contents and Resources, serialized. */
	entries: string;
	/** References to the page's content streams, in order. */
	contents: string[];
	/** The page's resources (its own or inherited) other than Font and ExtGState, serialized. */
	resources: string;
	/** The entries of the Font and ExtGState resource dictionaries. */
	fonts: string;
	extGStates: string;
	cropBox: { x: number; y: number; width: number; height: number };
	/** The /Rotate angle as found, not normalised. */
	rotation: number;
}

/** A parsed document, reduced to the bytes and facts each stamped copy is written from. */
export interface PreparedPdf {
	/** Header and every object the stamp leaves alone. */
	body: Uint8Array;
	/** Cross-reference entries of the objects in `body`, by object number: type (0 free, 1 plain, 2 in an object stream) and two fields. */
	xref: { type: Uint8Array; field2: Uint32Array; field3: Uint16Array };
	pages: PreparedPage[];
	/** The Info dictionary's reference and entries other than Keywords and Subject. */
	info: { ref: PDFRef; entries: string; keywords: string | undefined; subject: string | undefined };
	/** Trailer entries other than Size, Info and the cross-reference stream's own. */
	trailer: string;
	/** A prefix no Font or ExtGState resource name on any page starts with. */
	resourcePrefix: string;
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

function serialize(object: PDFObject): Buffer {
	const bytes = Buffer.alloc(object.sizeInBytes());
	object.copyBytesInto(bytes, 0);
	return bytes;
}

function entriesOf(dict: PDFDict | undefined, skip: readonly string[] = []): string {
	if (!dict) return '';
	return dict
		.entries()
		.filter(([key]) => !skip.includes(key.asString()))
		.map(([key, value]) => `${key.toString()} ${value.toString()}`)
		.join(' ');
}

const OBJECTS_PER_STREAM = 100;

/** Parses `pdf` and packs everything a stamp leaves alone. */
async function prepare(pdf: Uint8Array): Promise<PreparedPdf> {
	const doc = await PDFDocument.load(pdf, { updateMetadata: false, parseSpeed: ParseSpeeds.Fast });
	const { context } = doc;
	const lookupDict = (value: PDFObject | undefined) =>
		value ? context.lookupMaybe(value, PDFDict) : undefined;
	const names = new Set<string>();
	const pages = doc.getPages().map((page): PreparedPage => {
		const node = page.node;
		const contents = node.get(PDFName.of('Contents'));
		const resolved = contents && context.lookup(contents);
		const refs = resolved instanceof PDFArray ? resolved.asArray() : contents ? [contents] : [];
		const resources = lookupDict(node.getInheritableAttribute(PDFName.of('Resources')));
		const fonts = lookupDict(resources?.get(PDFName.of('Font')));
		const extGStates = lookupDict(resources?.get(PDFName.of('ExtGState')));
		for (const dict of [fonts, extGStates])
			for (const key of dict?.keys() ?? []) names.add(key.asString());
		return {
			ref: page.ref,
			entries: entriesOf(node, ['/Contents', '/Resources']),
			contents: refs.map((ref) => ref.toString()),
			resources: entriesOf(resources, ['/Font', '/ExtGState']),
			fonts: entriesOf(fonts),
			extGStates: entriesOf(extGStates),
			cropBox: page.getCropBox(),
			rotation: page.getRotation().angle,
		};
	});
	let resourcePrefix = '/TcWm';
	for (let n = 2; [...names].some((name) => name.startsWith(resourcePrefix)); n++)
		resourcePrefix = `/TcWm${n}x`;

	const { Info, Root, ID, Encrypt } = context.trailerInfo;
	const infoDict = lookupDict(Info);
	const text = (key: string) => {
		const value = infoDict?.lookup(PDFName.of(key));
		return value && 'decodeText' in value ? (value as PDFHexString).decodeText() : undefined;
	};
	let size = context.largestObjectNumber + 1;
	const infoRef = Info instanceof PDFRef ? Info : PDFRef.of(size++);
	const replaced = new Set([infoRef, ...pages.map((p) => p.ref)]);

	const header = /^%PDF-(\d+)\.(\d+)/.exec(context.header.toString());
	const version = Math.max(Number(header?.[1] ?? 1) + Number(header?.[2] ?? 7) / 10, 1.5);
	const parts: Buffer[] = [latin1(`%PDF-${version.toFixed(1)}\n%\xE2\xE3\xCF\xD3\n`)];
	let offset = parts[0]!.length;
	const objects = context.enumerateIndirectObjects().filter(([ref]) => !replaced.has(ref));
	// Object streams hold neither streams nor objects of a later generation (PDF 32000-1, 7.5.7).
	const inStream = ([ref, object]: [PDFRef, PDFObject]) =>
		ref.generationNumber === 0 && !(object instanceof PDFStream) && ref !== Encrypt;
	const packable = objects.filter(inStream);
	const plain = objects.filter((entry) => !inStream(entry));
	const streamCount = Math.ceil(packable.length / OBJECTS_PER_STREAM);
	size = objects.reduce((n, [ref]) => Math.max(n, ref.objectNumber + 1), size) + streamCount;
	const xref = {
		type: new Uint8Array(size),
		field2: new Uint32Array(size),
		field3: new Uint16Array(size),
	};
	xref.field3[0] = 65535;
	const write = (number: number, generation: number, body: Buffer) => {
		const head = latin1(`${number} ${generation} obj\n`);
		parts.push(head, body, latin1('\nendobj\n'));
		xref.type[number] = 1;
		xref.field2[number] = offset;
		xref.field3[number] = generation;
		offset += head.length + body.length + 8;
	};
	for (const [ref, object] of plain)
		write(ref.objectNumber, ref.generationNumber, serialize(object));
	for (let s = 0; s < streamCount; s++) {
		const chunk = packable.slice(s * OBJECTS_PER_STREAM, (s + 1) * OBJECTS_PER_STREAM);
		const number = size - streamCount + s;
		const bodies: Buffer[] = [];
		let at = 0;
		const index = chunk.map(([ref, object], i) => {
			const body = serialize(object);
			bodies.push(body, latin1('\n'));
			xref.type[ref.objectNumber] = 2;
			xref.field2[ref.objectNumber] = number;
			xref.field3[ref.objectNumber] = i;
			const entry = `${ref.objectNumber} ${at}`;
			at += body.length + 1;
			return entry;
		});
		const first = `${index.join(' ')}\n`;
		const data = deflateSync(Buffer.concat([latin1(first), ...bodies]));
		write(
			number,
			0,
			Buffer.concat([
				latin1(
					`<< /Type /ObjStm /N ${chunk.length} /First ${first.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`,
				),
				data,
				latin1('\nendstream'),
			]),
		);
	}
	const trailer = [
		Root && `/Root ${Root.toString()}`,
		ID && `/ID ${ID.toString()}`,
		Encrypt && `/Encrypt ${Encrypt.toString()}`,
	]
		.filter(Boolean)
		.join(' ');
	return {
		body: Buffer.concat(parts),
		xref,
		pages,
		info: {
			ref: infoRef,
			entries: entriesOf(infoDict, ['/Keywords', '/Subject']),
			keywords: text('Keywords'),
			subject: text('Subject'),
		},
		trailer,
		resourcePrefix,
	};
}

const prepared = new Map<string, Promise<PreparedPdf>>();
// The gate serves a handful of documents; a few prepared ones cover them without holding on to old versions.
const PREPARED_KEPT = 4;

/**
 * The prepared form of `pdf`, made on first use and kept (the last few documents, by content hash) so that later
 * copies skip parsing. Rejects when pdf-lib cannot parse the document.
 */
export function preparedPdf(pdf: Uint8Array): Promise<PreparedPdf> {
	const key = createHash('sha256').update(pdf).digest('hex');
	const hit = prepared.get(key);
	if (hit) {
		prepared.delete(key);
		prepared.set(key, hit);
		return hit;
	}
	const promise = prepare(pdf);
	prepared.set(key, promise);
	promise.catch(() => prepared.delete(key));
	for (const old of prepared.keys()) if (prepared.size > PREPARED_KEPT) prepared.delete(old);
	return promise;
}

/** A new object for a stamped copy: a dictionary (or any object) as PDF syntax, or a stream with its dictionary's entries. */
export type NewObject = string | { entries: string; data: Uint8Array };

/** What one stamped copy adds: new objects (numbered in order from the first free number), and per page its content streams and more resources. */
export interface Stamp {
	objects: NewObject[];
	/** A page's content streams (replacing {@link PreparedPage.contents}) and the Font and ExtGState entries to add. */
	page(
		page: PreparedPage,
		index: number,
	): { contents: string[]; fonts: string; extGStates: string };
	keywords: string;
	subject: string;
}

/** The object number the first of a stamp's new objects gets. */
export const firstFreeObject = (pdf: PreparedPdf): number => pdf.xref.type.length;

/** Writes one stamped copy of a prepared document. */
export function writeStamped(pdf: PreparedPdf, stamp: Stamp): Uint8Array {
	const size = pdf.xref.type.length + stamp.objects.length + 1;
	const type = new Uint8Array(size);
	const field2 = new Uint32Array(size);
	const field3 = new Uint16Array(size);
	type.set(pdf.xref.type);
	field2.set(pdf.xref.field2);
	field3.set(pdf.xref.field3);
	const parts: Buffer[] = [];
	let offset = pdf.body.length;
	const write = (ref: PDFRef, body: Buffer) => {
		const head = latin1(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
		parts.push(head, body, latin1('\nendobj\n'));
		type[ref.objectNumber] = 1;
		field2[ref.objectNumber] = offset;
		field3[ref.objectNumber] = ref.generationNumber;
		offset += head.length + body.length + 8;
	};
	const stream = (entries: string, data: Uint8Array) =>
		Buffer.concat([
			latin1(`<< ${entries} /Length ${data.length} >>\nstream\n`),
			data,
			latin1('\nendstream'),
		]);

	pdf.pages.forEach((page, i) => {
		const extra = stamp.page(page, i);
		const resources = `<< ${page.resources} /Font << ${page.fonts} ${extra.fonts} >> /ExtGState << ${page.extGStates} ${extra.extGStates} >> >>`;
		write(
			page.ref,
			latin1(
				`<< ${page.entries} /Contents [${extra.contents.join(' ')}] /Resources ${resources} >>`,
			),
		);
	});
	write(
		pdf.info.ref,
		latin1(
			`<< ${pdf.info.entries} /Keywords ${PDFHexString.fromText(stamp.keywords).toString()} /Subject ${PDFHexString.fromText(stamp.subject).toString()} >>`,
		),
	);
	stamp.objects.forEach((object, i) =>
		write(
			PDFRef.of(pdf.xref.type.length + i),
			typeof object === 'string' ? latin1(object) : stream(object.entries, object.data),
		),
	);

	const xrefNumber = size - 1;
	type[xrefNumber] = 1;
	field2[xrefNumber] = offset;
	const table = new Uint8Array(size * 7);
	for (let n = 0, at = 0; n < size; n++, at += 7) {
		const offset = field2[n]!;
		table[at] = type[n]!;
		table[at + 1] = offset >>> 24;
		table[at + 2] = (offset >>> 16) & 0xff;
		table[at + 3] = (offset >>> 8) & 0xff;
		table[at + 4] = offset & 0xff;
		table[at + 5] = field3[n]! >>> 8;
		table[at + 6] = field3[n]! & 0xff;
	}
	const data = deflateSync(table);
	parts.push(
		latin1(`${xrefNumber} 0 obj\n`),
		stream(
			`/Type /XRef /Size ${size} /W [1 4 2] /Info ${pdf.info.ref.toString()} ${pdf.trailer} /Filter /FlateDecode`,
			data,
		),
		latin1(`\nendobj\nstartxref\n${offset}\n%%EOF\n`),
	);
	return Buffer.concat([pdf.body, ...parts]);
}
