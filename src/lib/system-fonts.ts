// The system's Noto fonts, which draw the scripts the bundled fonts lack: Debian's fonts-noto-core and
// fonts-noto-cjk. The gate's watermark draws requester names with them, and the link-preview images
// draw Chinese, Japanese and Korean text with Noto Sans CJK.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { walkFiles } from './files.ts';

/** Where Debian installs fonts-noto-core (truetype/noto) and fonts-noto-cjk (opentype/noto). */
export const DEFAULT_FONT_DIR = '/usr/share/fonts';

/** The Debian package with Noto Sans CJK, and its two collections (one face per region in each). */
export const NOTO_CJK = {
	debianPackage: 'fonts-noto-cjk',
	files: { 400: 'NotoSansCJK-Regular.ttc', 700: 'NotoSansCJK-Bold.ttc' },
} as const;

/** The regional faces of Noto Sans CJK: Han characters differ in detail between them. */
export type CjkRegion = 'jp' | 'kr' | 'sc' | 'tc' | 'hk';

/**
 * Han, kana, Hangul and Bopomofo, the marks kana share ("・", "ー"), CJK punctuation, enclosed and
 * squared forms ("㈱", "㍿"), full- and half-width forms, vertical forms and "※": the characters a CJK
 * face draws and Inter does not. (By script, not script extension: "·", which Inter draws, extends to
 * Han too.)
 */
export const CJK_TEXT =
	/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303f\u30fb\u30fc\u3200-\u33ff\ufe30-\ufe4f\uff01-\uff9f\uffe0-\uffe6\u203b]/u;

/** How wide text draws, in widths of a Latin letter: a CJK character is about two. */
export function textWidth(text: string): number {
	let width = 0;
	for (const char of text) width += CJK_TEXT.test(char) ? 2 : 1;
	return width;
}

/** The face a text's own letters point to: kana is Japanese, Hangul Korean, Han alone Simplified Chinese. */
export function cjkRegionOfText(text: string): 'jp' | 'kr' | 'sc' {
	if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text)) return 'jp';
	if (/\p{Script=Hangul}/u.test(text)) return 'kr';
	return 'sc';
}

/**
 * The face for CJK text on a site in `language`: the language's own script and region when it is
 * written in CJK characters (Japanese, Korean; Chinese, Cantonese and the other Sinitic languages in
 * Simplified, Traditional or Hong Kong forms), else the text's own (cjkRegionOfText).
 */
export function cjkRegion(language: string, text: string): CjkRegion {
	const { script, region } = new Intl.Locale(language).maximize();
	if (script === 'Jpan') return 'jp';
	if (script === 'Kore') return 'kr';
	if (script === 'Hant') return region === 'HK' || region === 'MO' ? 'hk' : 'tc';
	if (script === 'Hans') return 'sc';
	return cjkRegionOfText(text);
}

/** The PostScript name of a regional face in the collection of one weight: `NotoSansCJKjp-Bold`. */
export const cjkFaceName = (region: CjkRegion, weight: 400 | 700) =>
	`NotoSansCJK${region}-${weight === 700 ? 'Bold' : 'Regular'}`;

/**
 * The first file named each of `names` under `dir` (searched recursively, links to files included), by
 * name. A name not found is left out; never throws.
 */
export function findFonts(dir: string, names: readonly string[]): Map<string, string> {
	const found = new Map<string, string>();
	const wanted = new Set(names);
	let paths: string[] = [];
	try {
		paths = walkFiles(dir, (name) => wanted.has(name), { links: true });
	} catch {
		// A folder that cannot be searched (unreadable, or a loop of folder links) holds none found.
	}
	for (const path of paths) if (!found.has(basename(path))) found.set(basename(path), path);
	return found;
}

/** What identifies a font file's version for a cache key: its path, size and time of change. */
export function fontStamp(path: string): string {
	const { size, mtimeMs } = statSync(path);
	return `${path} ${size} ${mtimeMs}`;
}

/** The PostScript name (name id 6) of the face whose table directory starts at `at`. */
function postscriptName(file: Buffer, at: number): string | undefined {
	const tables = file.readUInt16BE(at + 4);
	for (let i = 0; i < tables; i++) {
		const record = at + 12 + i * 16;
		if (file.toString('latin1', record, record + 4) !== 'name') continue;
		const name = file.readUInt32BE(record + 8);
		const count = file.readUInt16BE(name + 2);
		const strings = name + file.readUInt16BE(name + 4);
		for (let r = 0; r < count; r++) {
			const entry = name + 6 + r * 12;
			if (file.readUInt16BE(entry + 6) !== 6) continue;
			const platform = file.readUInt16BE(entry);
			const start = strings + file.readUInt16BE(entry + 10);
			const bytes = file.subarray(start, start + file.readUInt16BE(entry + 8));
			if (platform === 1) return bytes.toString('latin1');
			if (platform === 3) return Buffer.from(bytes).swap16().toString('utf16le');
		}
	}
	return undefined;
}

/**
 * One face of a font collection (.ttc) as a font file of its own (.otf or .ttf), found by its PostScript
 * name: its tables copied behind a table directory of their own. Throws when the file is no collection
 * or holds no such face.
 */
export function collectionFace(file: Buffer, name: string): Buffer {
	if (file.length < 12 || file.toString('latin1', 0, 4) !== 'ttcf')
		throw new Error('it is not a font collection (no ttcf header)');
	const faces = file.readUInt32BE(8);
	for (let f = 0; f < faces; f++) {
		const at = file.readUInt32BE(12 + f * 4);
		if (postscriptName(file, at) !== name) continue;
		const tables = file.readUInt16BE(at + 4);
		const directory = Buffer.alloc(12 + tables * 16);
		file.copy(directory, 0, at, at + 12);
		const parts: Buffer[] = [directory];
		let offset = directory.length;
		for (let i = 0; i < tables; i++) {
			const record = at + 12 + i * 16;
			const start = file.readUInt32BE(record + 8);
			const length = file.readUInt32BE(record + 12);
			file.copy(directory, 12 + i * 16, record, record + 8); // tag and checksum
			directory.writeUInt32BE(offset, 12 + i * 16 + 8);
			directory.writeUInt32BE(length, 12 + i * 16 + 12);
			const padding = (4 - (length % 4)) % 4;
			parts.push(file.subarray(start, start + length), Buffer.alloc(padding));
			offset += length + padding;
		}
		return Buffer.concat(parts);
	}
	throw new Error(`it has no face ${name}`);
}

/** Reads a face of a collection file (see collectionFace). */
export const readCollectionFace = (path: string, name: string): Buffer =>
	collectionFace(readFileSync(path), name);
