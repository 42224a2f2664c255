import {
	chmodSync,
	closeSync,
	existsSync,
	mkdirSync,
	openSync,
	readdirSync,
	readSync,
	statSync,
	type Dirent,
} from 'node:fs';
import { join } from 'node:path';

/**
 * Every file under `dir`, recursively, as full paths in sorted order; `[]` when `dir` is not a folder.
 * `keep` filters by file name (e.g. `(name) => name.endsWith('.html')`). With `links`, a symbolic link
 * to a file counts as a file too (as the system's fonts may be). The one place that walks a tree.
 */
export function walkFiles(
	dir: string,
	keep: (name: string) => boolean = () => true,
	{ links = false }: { links?: boolean } = {},
): string[] {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
	const isFile = (d: Dirent) => {
		if (d.isFile()) return true;
		if (!links || !d.isSymbolicLink()) return false;
		try {
			return statSync(join(d.parentPath, d.name)).isFile();
		} catch {
			return false; // A broken, looping or unreadable link is no file.
		}
	};
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((d) => keep(d.name) && isFile(d))
		.map((d) => join(d.parentPath, d.name))
		.sort();
}

/**
 * Every entry under `dir` (folders, files and any other kind but links, which are not followed), recursively, as
 * full paths in sorted order; `[]` when `dir` is not a folder. For a whole tree's dates or modes.
 */
export function walkTree(dir: string): string[] {
	if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
	return readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((d) => !d.isSymbolicLink())
		.map((d) => join(d.parentPath, d.name))
		.sort();
}

/**
 * Makes `dir` (and its missing parents) if needed, and makes it 0700: for folders that hold what only their owner
 * may read (the gate's data, the unwatermarked whitepaper in private/).
 */
export function privateDir(dir: string): void {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	chmodSync(dir, 0o700);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const BOM = [0xef, 0xbb, 0xbf];

/**
 * A file's text, without the byte-order mark some editors write (Astro reads past it too), or, when the
 * file is not UTF-8, its first byte that is not: its value, line, and the text before it on that line.
 * Content files and the pull's exports and responses are read with it.
 */
export function decodeText(
	bytes: Uint8Array,
): string | { byte: number; line: number; before: string } {
	const start = BOM.every((b, i) => bytes[i] === b) ? BOM.length : 0;
	const body = bytes.subarray(start);
	try {
		return UTF8.decode(body);
	} catch {
		const at = firstBadByte(body);
		const lines = UTF8.decode(body.subarray(0, at)).split('\n');
		return { byte: body[at]!, line: lines.length, before: lines.at(-1)!.slice(-20) };
	}
}

/** The offset of the first byte that is not UTF-8: where the lenient decoder puts a U+FFFD that the bytes do not hold. */
function firstBadByte(bytes: Uint8Array): number {
	let offset = 0;
	for (const char of new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)) {
		const written =
			bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
		if (char === '\uFFFD' && !written) return offset;
		const code = char.codePointAt(0)!;
		offset += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
	}
	return offset;
}

/** Whether `bytes` start as every PDF file does, with `%PDF-`. */
export const startsAsPdf = (bytes: Uint8Array): boolean =>
	[0x25, 0x50, 0x44, 0x46, 0x2d].every((b, i) => bytes[i] === b);

/** The first `length` bytes of the file at `path` (fewer when it is shorter), without reading the rest. */
export function readHead(path: string, length: number): Buffer {
	const head = Buffer.alloc(length);
	const fd = openSync(path, 'r');
	try {
		return head.subarray(0, readSync(fd, head, 0, length, 0));
	} finally {
		closeSync(fd);
	}
}

/** Whether the file at `path` is a file (not a folder) that starts as a PDF does; it reads five bytes. */
export const isPdfFile = (path: string): boolean =>
	statSync(path).isFile() && startsAsPdf(readHead(path, 5));
