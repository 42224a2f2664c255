// Font subsets for embedding in a PDF, built from the parsed tables of one font, in a few milliseconds even for
// a 16 MB CJK font. fontkit's own subsetters re-encode every table through its structure library and copy all
// CFF subroutines (a 90 KB, 200 ms subset for two CJK glyphs), so these write only what a PDF renderer needs.
//
// Both subsetters take the glyphs in the order the subset should number them, duplicates allowed: the glyph at
// index i of `gids` becomes glyph i of the subset, and glyph 0 must be .notdef. That lets one glyph appear under
// several ids (a PDF maps each id to its own text), and lets the PDF use the subset's glyph ids as CIDs.

/** The tables of one face of an sfnt file (.ttf, .otf, or one font of a .ttc), by tag. */
export type SfntTables = ReadonlyMap<string, Uint8Array>;

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
// A copy, also of a Buffer, whose slice() would share the font's memory.
const copy = (bytes: Uint8Array) => new Uint8Array(bytes);

function checksum(bytes: Uint8Array): number {
	const padded = bytes.length % 4 ? concat([bytes, new Uint8Array(4 - (bytes.length % 4))]) : bytes;
	const data = view(padded);
	let sum = 0;
	for (let i = 0; i < padded.length; i += 4) sum = (sum + data.getUint32(i)) >>> 0;
	return sum;
}

function concat(parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

/** An sfnt file (TrueType outlines) holding `tables`, with checksums and the head table's checksum adjustment. */
function writeSfnt(tables: Map<string, Uint8Array>): Uint8Array {
	const tags = [...tables.keys()].sort();
	const headerSize = 12 + 16 * tags.length;
	const header = new Uint8Array(headerSize);
	const h = view(header);
	const power = 2 ** Math.floor(Math.log2(tags.length));
	h.setUint32(0, 0x00010000);
	h.setUint16(4, tags.length);
	h.setUint16(6, power * 16);
	h.setUint16(8, Math.log2(power));
	h.setUint16(10, tags.length * 16 - power * 16);
	const parts: Uint8Array[] = [header];
	let offset = headerSize;
	tags.forEach((tag, i) => {
		const table = tables.get(tag)!;
		for (let c = 0; c < 4; c++) h.setUint8(12 + i * 16 + c, tag.charCodeAt(c));
		h.setUint32(16 + i * 16, checksum(table));
		h.setUint32(20 + i * 16, offset);
		h.setUint32(24 + i * 16, table.length);
		parts.push(table, new Uint8Array((4 - (table.length % 4)) % 4));
		offset += table.length + ((4 - (table.length % 4)) % 4);
	});
	const file = concat(parts);
	const head = tags.indexOf('head');
	if (head >= 0)
		view(file).setUint32(
			view(header).getUint32(20 + head * 16) + 8,
			(0xb1b0afba - checksum(file)) >>> 0,
		);
	return file;
}

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Offsets of the glyph ids inside a composite glyph's description. */
function componentOffsets(glyph: Uint8Array): number[] {
	const data = view(glyph);
	const offsets: number[] = [];
	for (let at = 10, flags = MORE_COMPONENTS; flags & MORE_COMPONENTS && at + 4 <= glyph.length;) {
		flags = data.getUint16(at);
		offsets.push(at + 2);
		at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
		at +=
			flags & WE_HAVE_A_SCALE
				? 2
				: flags & WE_HAVE_AN_X_AND_Y_SCALE
					? 4
					: flags & WE_HAVE_A_TWO_BY_TWO
						? 8
						: 0;
	}
	return offsets;
}

/** Subsets of a font with TrueType outlines (glyf), hinting programs kept. */
export class TrueTypeSubsetter {
	readonly unitsPerEm: number;
	readonly #tables: SfntTables;
	readonly #loca: number[];
	readonly #hmtx: DataView;
	readonly #metrics: number;

	constructor(tables: SfntTables) {
		for (const tag of ['head', 'hhea', 'maxp', 'hmtx', 'loca', 'glyf'])
			if (!tables.has(tag)) throw new Error(`The font has no ${tag} table`);
		this.#tables = tables;
		const head = view(tables.get('head')!);
		this.unitsPerEm = head.getUint16(18);
		const loca = view(tables.get('loca')!);
		const long = head.getInt16(50) === 1;
		this.#loca = Array.from({ length: loca.byteLength / (long ? 4 : 2) }, (_, i) =>
			long ? loca.getUint32(i * 4) : loca.getUint16(i * 2) * 2,
		);
		this.#hmtx = view(tables.get('hmtx')!);
		this.#metrics = view(tables.get('hhea')!).getUint16(34);
	}

	#glyph(gid: number): Uint8Array {
		const start = this.#loca[gid] ?? 0;
		return this.#tables.get('glyf')!.subarray(start, Math.max(start, this.#loca[gid + 1] ?? start));
	}

	/** The advance width and left side bearing of a glyph, in font units. */
	#metric(gid: number): [number, number] {
		const last = this.#metrics - 1;
		if (gid <= last) return [this.#hmtx.getUint16(gid * 4), this.#hmtx.getInt16(gid * 4 + 2)];
		return [
			this.#hmtx.getUint16(last * 4),
			this.#hmtx.getInt16(this.#metrics * 4 + (gid - this.#metrics) * 2),
		];
	}

	/** A TrueType font holding `gids` as glyphs 0…n-1, plus the components of composite glyphs after them. */
	subset(gids: readonly number[]): Uint8Array {
		const order = [...gids];
		const first = new Map<number, number>();
		order.forEach((gid, i) => first.has(gid) || first.set(gid, i));
		const glyphs: Uint8Array[] = [];
		for (let i = 0; i < order.length; i++) {
			const source = this.#glyph(order[i]!);
			if (source.length < 10 || view(source).getInt16(0) >= 0) {
				glyphs.push(source);
				continue;
			}
			const glyph = copy(source);
			const data = view(glyph);
			for (const at of componentOffsets(glyph)) {
				const component = data.getUint16(at);
				if (!first.has(component)) {
					first.set(component, order.length);
					order.push(component);
				}
				data.setUint16(at, first.get(component)!);
			}
			glyphs.push(glyph);
		}
		const loca = new Uint8Array((order.length + 1) * 4);
		const hmtx = new Uint8Array(order.length * 4);
		const padded: Uint8Array[] = [];
		let offset = 0;
		glyphs.forEach((glyph, i) => {
			view(loca).setUint32(i * 4, offset);
			const [advance, lsb] = this.#metric(order[i]!);
			view(hmtx).setUint16(i * 4, advance);
			view(hmtx).setInt16(i * 4 + 2, lsb);
			padded.push(glyph, new Uint8Array((4 - (glyph.length % 4)) % 4));
			offset += glyph.length + ((4 - (glyph.length % 4)) % 4);
		});
		view(loca).setUint32(order.length * 4, offset);
		const head = copy(this.#tables.get('head')!);
		view(head).setUint32(8, 0);
		view(head).setInt16(50, 1);
		const hhea = copy(this.#tables.get('hhea')!);
		view(hhea).setUint16(34, order.length);
		const maxp = copy(this.#tables.get('maxp')!);
		view(maxp).setUint16(4, order.length);
		const tables = new Map([
			['head', head],
			['hhea', hhea],
			['maxp', maxp],
			['hmtx', hmtx],
			['loca', loca],
			['glyf', concat(padded)],
		]);
		for (const tag of ['cvt ', 'fpgm', 'prep'])
			if (this.#tables.has(tag)) tables.set(tag, this.#tables.get(tag)!);
		return writeSfnt(tables);
	}
}

// ---- CFF (Compact Font Format) --------------------------------------------------------------------------

interface Index {
	count: number;
	get(i: number): Uint8Array;
	end: number;
}

function readIndex(cff: Uint8Array, at: number): Index {
	const data = view(cff);
	const count = data.getUint16(at);
	if (count === 0) return { count, get: () => new Uint8Array(), end: at + 2 };
	const offSize = data.getUint8(at + 2);
	const offset = (i: number) => {
		let value = 0;
		for (let b = 0; b < offSize; b++) value = value * 256 + data.getUint8(at + 3 + i * offSize + b);
		return value;
	};
	const base = at + 3 + (count + 1) * offSize - 1;
	return {
		count,
		get: (i) => cff.subarray(base + offset(i), base + offset(i + 1)),
		end: base + offset(count),
	};
}

function writeIndex(items: readonly Uint8Array[]): Uint8Array {
	if (!items.length) return new Uint8Array(2);
	const total = items.reduce((n, item) => n + item.length, 0) + 1;
	const offSize = total < 0x100 ? 1 : total < 0x10000 ? 2 : total < 0x1000000 ? 3 : 4;
	const out = new Uint8Array(3 + (items.length + 1) * offSize + total - 1);
	view(out).setUint16(0, items.length);
	out[2] = offSize;
	let offset = 1;
	let at = 3 + (items.length + 1) * offSize;
	for (let i = 0; i <= items.length; i++) {
		for (let b = 0; b < offSize; b++)
			out[3 + i * offSize + b] = (offset >>> (8 * (offSize - 1 - b))) & 0xff;
		const item = items[i];
		if (item) {
			out.set(item, at);
			at += item.length;
			offset += item.length;
		}
	}
	return out;
}

/** One DICT entry: its operator (escaped ones as 1200 + second byte), operand values and its bytes as found. */
interface DictEntry {
	op: number;
	operands: number[];
	bytes: Uint8Array;
}

function readDict(bytes: Uint8Array): DictEntry[] {
	const entries: DictEntry[] = [];
	const data = view(bytes);
	let operands: number[] = [];
	let start = 0;
	for (let i = 0; i < bytes.length;) {
		const b = bytes[i]!;
		if (b <= 21) {
			const op = b === 12 ? 1200 + bytes[i + 1]! : b;
			i += b === 12 ? 2 : 1;
			entries.push({ op, operands, bytes: bytes.subarray(start, i) });
			operands = [];
			start = i;
		} else if (b === 28) {
			operands.push(data.getInt16(i + 1));
			i += 3;
		} else if (b === 29) {
			operands.push(data.getInt32(i + 1));
			i += 5;
		} else if (b === 30) {
			// A real number, as nibbles; its value is never needed here, only its bytes.
			i++;
			while (i < bytes.length && (bytes[i]! & 0x0f) !== 0x0f && bytes[i]! >> 4 !== 0x0f) i++;
			i++;
			operands.push(0);
		} else if (b >= 32 && b <= 246) {
			operands.push(b - 139);
			i++;
		} else if (b >= 247 && b <= 250) {
			operands.push((b - 247) * 256 + bytes[i + 1]! + 108);
			i += 2;
		} else if (b >= 251 && b <= 254) {
			operands.push(-(b - 251) * 256 - bytes[i + 1]! - 108);
			i += 2;
		} else throw new Error(`Bad CFF DICT byte ${b}`);
	}
	return entries;
}

/** A DICT operand in the fixed five-byte form, so offsets can be written before they are known. */
const int32 = (value: number) => {
	const out = new Uint8Array(5);
	out[0] = 29;
	view(out).setInt32(1, value);
	return out;
};
const dictOp = (op: number) => (op >= 1200 ? Uint8Array.of(12, op - 1200) : Uint8Array.of(op));

const subrBias = (count: number) => (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

interface FontDict {
	/** The Font DICT's entries other than Private and FontName, as found. */
	entries: Uint8Array;
	/** The Private DICT's entries other than Subrs, as found. */
	privateDict: Uint8Array;
	subrs: Index;
}

// Operators of the top DICT copied into a subset; the rest name strings, offsets or identifiers of the whole font.
const KEPT_TOP_OPERATORS = new Set([5, 1207, 1201, 1202, 1203, 1204, 1205, 1206, 1208]);

/** Subsets of a font with CFF outlines, written as a CID-keyed CFF with subroutines inlined. */
export class CffSubsetter {
	readonly #top: DictEntry[];
	readonly #charStrings: Index;
	readonly #globalSubrs: Index;
	readonly #fonts: FontDict[];
	readonly #fdSelect: (gid: number) => number;
	readonly #flat = new Map<number, Uint8Array>();

	constructor(cff: Uint8Array) {
		const names = readIndex(cff, cff[2]!);
		const tops = readIndex(cff, names.end);
		const strings = readIndex(cff, tops.end);
		this.#globalSubrs = readIndex(cff, strings.end);
		this.#top = readDict(tops.get(0));
		const find = (op: number) => this.#top.find((e) => e.op === op)?.operands;
		this.#charStrings = readIndex(cff, find(17)?.[0] ?? 0);
		const fontDict = (entries: DictEntry[]): FontDict => {
			const [size = 0, offset = 0] = entries.find((e) => e.op === 18)?.operands ?? [];
			const privateEntries = readDict(cff.subarray(offset, offset + size));
			const subrsAt = privateEntries.find((e) => e.op === 19)?.operands[0];
			return {
				entries: concat(entries.filter((e) => e.op !== 18 && e.op !== 1238).map((e) => e.bytes)),
				privateDict: concat(privateEntries.filter((e) => e.op !== 19).map((e) => e.bytes)),
				subrs:
					subrsAt === undefined
						? { count: 0, get: () => new Uint8Array(), end: 0 }
						: readIndex(cff, offset + subrsAt),
			};
		};
		const fdArrayAt = find(1236)?.[0];
		if (fdArrayAt === undefined) {
			this.#fonts = [fontDict(this.#top.filter((e) => e.op === 18))];
			this.#fdSelect = () => 0;
			return;
		}
		const fdArray = readIndex(cff, fdArrayAt);
		this.#fonts = Array.from({ length: fdArray.count }, (_, i) =>
			fontDict(readDict(fdArray.get(i))),
		);
		const at = find(1237)?.[0] ?? 0;
		if (cff[at] === 0) {
			this.#fdSelect = (gid) => cff[at + 1 + gid] ?? 0;
		} else {
			const data = view(cff);
			const ranges = data.getUint16(at + 1);
			this.#fdSelect = (gid) => {
				let fd = 0;
				for (let r = 0; r < ranges && data.getUint16(at + 3 + r * 3) <= gid; r++)
					fd = cff[at + 5 + r * 3]!;
				return fd;
			};
		}
	}

	/** The glyph's charstring with every subroutine call replaced by the subroutine's code, cached per glyph. */
	#flatten(gid: number): Uint8Array {
		const cached = this.#flat.get(gid);
		if (cached) return cached;
		const local = this.#fonts[this.#fdSelect(gid)]?.subrs ?? {
			count: 0,
			get: () => new Uint8Array(),
			end: 0,
		};
		const out: Uint8Array[] = [];
		const state = { stems: 0, args: 0, last: 0, ended: false };
		const run = (code: Uint8Array, depth: number) => {
			if (depth > 10) throw new Error(`CFF glyph ${gid} nests subroutines too deeply`);
			for (let i = 0; i < code.length && !state.ended;) {
				const b = code[i]!;
				if (b === 28 || b >= 32) {
					const size = b === 28 ? 3 : b === 255 ? 5 : b >= 247 ? 2 : 1;
					state.last =
						b === 28
							? view(code).getInt16(i + 1)
							: b <= 246
								? b - 139
								: b <= 250
									? (b - 247) * 256 + code[i + 1]! + 108
									: b <= 254
										? -(b - 251) * 256 - code[i + 1]! - 108
										: 0;
					out.push(code.subarray(i, i + size));
					state.args++;
					i += size;
					continue;
				}
				if (b === 10 || b === 29) {
					// The subroutine number is the operand just pushed; drop it and splice the subroutine in.
					out.pop();
					state.args--;
					const subrs = b === 10 ? local : this.#globalSubrs;
					run(subrs.get(state.last + subrBias(subrs.count)), depth + 1);
					i++;
					continue;
				}
				if (b === 11) return;
				let size = b === 12 ? 2 : 1;
				if (b === 1 || b === 3 || b === 18 || b === 23) state.stems += state.args >> 1;
				if (b === 19 || b === 20) {
					// Operands left before a hint mask are vertical stems; the mask has one bit per stem.
					state.stems += state.args >> 1;
					size += Math.ceil(state.stems / 8);
				}
				out.push(code.subarray(i, i + size));
				state.args = 0;
				if (b === 14) state.ended = true;
				i += size;
			}
		};
		run(this.#charStrings.get(gid), 0);
		const flat = concat(out);
		this.#flat.set(gid, flat);
		return flat;
	}

	/** A CID-keyed CFF holding `gids` as glyphs 0…n-1, each glyph's CID equal to its new glyph id. */
	subset(gids: readonly number[], name: string): Uint8Array {
		const charStrings = writeIndex(gids.map((gid) => this.#flatten(gid)));
		const fds = [...new Set(gids.map((gid) => this.#fdSelect(gid)))];
		const fdSelect = Uint8Array.from([0, ...gids.map((gid) => fds.indexOf(this.#fdSelect(gid)))]);
		const charset =
			gids.length > 1
				? Uint8Array.of(2, 0, 1, (gids.length - 2) >> 8, (gids.length - 2) & 0xff)
				: Uint8Array.of(0);
		const header = Uint8Array.of(1, 0, 4, 4);
		const nameIndex = writeIndex([new TextEncoder().encode(name)]);
		const strings = writeIndex(['Adobe', 'Identity'].map((s) => new TextEncoder().encode(s)));
		const globalSubrs = writeIndex([]);
		const kept = this.#top.filter((e) => KEPT_TOP_OPERATORS.has(e.op)).map((e) => e.bytes);
		const topDict = (offsets: number[]) =>
			concat([
				// ROS "Adobe" "Identity" 0 comes first, as a CID-keyed font requires.
				Uint8Array.of(248, 27, 248, 28, 139, 12, 30),
				...kept,
				int32(gids.length),
				dictOp(1234),
				...[15, 1237, 1236, 17].flatMap((op, i) => [int32(offsets[i]!), dictOp(op)]),
			]);
		const topIndex = writeIndex([topDict([0, 0, 0, 0])]);
		const fontDicts = (offsets: number[]) =>
			writeIndex(
				fds.map((fd, i) =>
					concat([
						this.#fonts[fd]!.entries,
						int32(this.#fonts[fd]!.privateDict.length),
						int32(offsets[i]!),
						dictOp(18),
					]),
				),
			);
		const privates = fds.map((fd) => this.#fonts[fd]!.privateDict);
		const charsetAt =
			header.length + nameIndex.length + topIndex.length + strings.length + globalSubrs.length;
		const fdSelectAt = charsetAt + charset.length;
		const charStringsAt = fdSelectAt + fdSelect.length;
		const fdArrayAt = charStringsAt + charStrings.length;
		let privateAt = fdArrayAt + fontDicts(fds.map(() => 0)).length;
		const privateOffsets = privates.map((p) => {
			const at = privateAt;
			privateAt += p.length;
			return at;
		});
		return concat([
			header,
			nameIndex,
			writeIndex([topDict([charsetAt, fdSelectAt, fdArrayAt, charStringsAt])]),
			strings,
			globalSubrs,
			charset,
			fdSelect,
			charStrings,
			fontDicts(privateOffsets),
			...privates,
		]);
	}
}
