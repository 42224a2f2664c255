// The fonts the watermark draws names with: Debian's Noto fonts, found once per process, parsed once and kept,
// with pdf-lib's built-in Helvetica as the last resort. Text is split into runs of one direction (bidi.ts) and
// one font, shaped by fontkit (Arabic joining forms, Devanagari conjuncts and reordering, kerning and marks),
// and every glyph is given the text it stands for, so that text extraction gives the name back.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { StandardFontEmbedder, StandardFonts } from 'pdf-lib';
import {
	cjkFaceName,
	cjkRegionOfText,
	DEFAULT_FONT_DIR,
	findFonts,
	NOTO_CJK,
} from '../../lib/system-fonts.ts';
import { visualRuns } from './bidi.ts';
import { CffSubsetter, TrueTypeSubsetter } from './font-subset.ts';
import type { NewObject } from './pdf-stamp.ts';

/** The environment variable naming the folder searched (recursively) for the watermark's fonts. */
const FONT_DIR_VARIABLE = 'GATE_WATERMARK_FONT_DIR';
export { DEFAULT_FONT_DIR };

type FontkitFont = ReturnType<typeof fontkit.create>;
interface FontkitGlyph {
	id: number;
	codePoints: number[];
	/** The advance in the font's horizontal metrics, which a PDF width table gives. */
	advanceWidth: number;
}
interface FontkitRun {
	glyphs: FontkitGlyph[];
	positions: { xAdvance: number; xOffset: number; yOffset: number }[];
}

interface FaceSpec {
	/** Which scripts the face draws, for the start-up report. */
	scripts: string;
	/** The font's PostScript name inside a collection. */
	postscriptName?: string;
}

interface FontFileSpec {
	file: string;
	debianPackage: string;
	faces: Record<string, FaceSpec>;
}

/**
 * Scripts drawn with a Noto Sans face of their own from fonts-noto-core: the Unicode script name (also the
 * face's key, lowercased), the font file, and a name in the script, laid out once when the face is loaded.
 */
const SCRIPT_FONTS: [script: string, file: string, sample: string][] = [
	['Arabic', 'NotoSansArabic-Regular.ttf', 'محمد علي'],
	['Hebrew', 'NotoSansHebrew-Regular.ttf', 'דוד כהן'],
	['Devanagari', 'NotoSansDevanagari-Regular.ttf', 'प्रिया शर्मा'],
	['Bengali', 'NotoSansBengali-Regular.ttf', 'রবীন্দ্রনাথ ঠাকুর'],
	['Gurmukhi', 'NotoSansGurmukhi-Regular.ttf', 'ਹਰਪ੍ਰੀਤ ਸਿੰਘ'],
	['Gujarati', 'NotoSansGujarati-Regular.ttf', 'પ્રિયા પટેલ'],
	['Oriya', 'NotoSansOriya-Regular.ttf', 'ସୁଭାଷ ଦାସ'],
	['Tamil', 'NotoSansTamil-Regular.ttf', 'முத்து குமார்'],
	['Telugu', 'NotoSansTelugu-Regular.ttf', 'వెంకట రావు'],
	['Kannada', 'NotoSansKannada-Regular.ttf', 'ಕೃಷ್ಣ ಮೂರ್ತಿ'],
	['Malayalam', 'NotoSansMalayalam-Regular.ttf', 'അനിൽ കുമാർ'],
	['Sinhala', 'NotoSansSinhala-Regular.ttf', 'නිමල් පෙරේරා'],
	['Thai', 'NotoSansThai-Regular.ttf', 'สมชาย ใจดี'],
	['Lao', 'NotoSansLao-Regular.ttf', 'ສົມພອນ ແກ້ວ'],
	['Khmer', 'NotoSansKhmer-Regular.ttf', 'សុខ ចាន់'],
	['Myanmar', 'NotoSansMyanmar-Regular.ttf', 'အောင် ကျော်'],
	['Georgian', 'NotoSansGeorgian-Regular.ttf', 'ნინო ბერიძე'],
	['Armenian', 'NotoSansArmenian-Regular.ttf', 'Արամ Պետրոսյան'],
	['Ethiopic', 'NotoSansEthiopic-Regular.ttf', 'አበበ በቀለ'],
];

const FONT_FILES: FontFileSpec[] = [
	{
		file: 'NotoSans-Regular.ttf',
		debianPackage: 'fonts-noto-core',
		faces: { sans: { scripts: 'Greek, Cyrillic and Latin beyond Western European letters' } },
	},
	...SCRIPT_FONTS.map(([script, file]) => ({
		file,
		debianPackage: 'fonts-noto-core',
		faces: { [script.toLowerCase()]: { scripts: script } },
	})),
	{
		file: NOTO_CJK.files[400],
		debianPackage: NOTO_CJK.debianPackage,
		faces: {
			'cjk-sc': { scripts: 'Chinese', postscriptName: cjkFaceName('sc', 400) },
			'cjk-jp': { scripts: 'Japanese', postscriptName: cjkFaceName('jp', 400) },
			'cjk-kr': { scripts: 'Korean', postscriptName: cjkFaceName('kr', 400) },
		},
	},
];

// The face each script is drawn with. Han characters are shared by Chinese, Japanese and Korean, whose
// glyphs differ in detail, so CJK text takes the face of the recipient's language (see cjkFace).
const SCRIPT_FACES: [RegExp, string][] = [
	[/[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}]/u, 'sans'],
	...SCRIPT_FONTS.map(([script]): [RegExp, string] => [
		new RegExp(`\\p{Script=${script}}`, 'u'),
		script.toLowerCase(),
	]),
	[
		/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u,
		'cjk',
	],
];

// Text in each face's scripts, laid out once when the face is loaded.
const WARM_UP: Record<string, string> = {
	sans: 'Ada fi Ελένη Дмитрий',
	...Object.fromEntries(SCRIPT_FONTS.map(([script, , sample]) => [script.toLowerCase(), sample])),
	'cjk-sc': '王伟',
	'cjk-jp': '山田かな',
	'cjk-kr': '김민준',
};

/** One parsed face, kept for the life of the process. */
export interface Face {
	key: string;
	file: string;
	font: FontkitFont;
	postscriptName: string;
	/** Font units to the thousandths of an em PDF widths are given in. */
	scale: number;
	subsetter: TrueTypeSubsetter | CffSubsetter;
}

/** What was found in the font folder, and the faces parsed from it. */
export interface WatermarkFonts {
	dir: string;
	faces: ReadonlyMap<string, Face>;
	/** Font files not found or not readable, each with why and the Debian package that has it. */
	missing: { file: string; debianPackage: string; scripts: string; reason: string }[];
}

// fontkit 1.1.1 (as bundled for pdf-lib) runs its Indic and Universal shapers' state machine through a Babel
// regenerator runtime it does not include (pdf-lib issues #785, #1419), so Devanagari throws
// "regeneratorRuntime is not defined". This is the part of that runtime its one generator uses, set only while
// fontkit lays text out, so that nothing else in the process sees it.
const regeneratorRuntime = {
	mark: <T>(fn: T) => fn,
	wrap(step: (context: { next: number; prev: number; stop(): void }) => unknown) {
		let done = false;
		const context = { next: 0, prev: 0, stop: () => void (done = true) };
		return {
			next() {
				if (done) return { done, value: undefined };
				const value = step(context);
				return done ? { done, value: undefined } : { done, value };
			},
			[Symbol.iterator]() {
				return this;
			},
		};
	},
};

function layout(face: Face, text: string, rtl: boolean): FontkitRun {
	const global = globalThis as { regeneratorRuntime?: unknown };
	const before = global.regeneratorRuntime;
	global.regeneratorRuntime ??= regeneratorRuntime;
	try {
		// fontkit's typings leave out layout's script, language and direction parameters.
		const layoutWithDirection = face.font.layout as unknown as (
			text: string,
			features: string[] | Record<string, boolean>,
			script: undefined,
			language: undefined,
			direction: 'ltr' | 'rtl',
		) => FontkitRun;
		// fontkit throws on some mark attachments (an anchor the font leaves empty, as Noto Sans does for a horn over Đ):
		// such text is laid out again without mark positioning, and as a last resort one glyph per character.
		for (const features of [[], { mark: false, mkmk: false }]) {
			try {
				return layoutWithDirection.call(
					face.font,
					text,
					features,
					undefined,
					undefined,
					rtl ? 'rtl' : 'ltr',
				);
			} catch {
				continue;
			}
		}
		const glyphs = face.font.glyphsForString(text) as unknown as FontkitGlyph[];
		const positions = glyphs.map((glyph) => ({
			xAdvance: glyph.advanceWidth,
			xOffset: 0,
			yOffset: 0,
		}));
		return rtl
			? { glyphs: glyphs.reverse(), positions: positions.reverse() }
			: { glyphs, positions };
	} finally {
		if (before === undefined) delete global.regeneratorRuntime;
	}
}

function tablesOf(font: FontkitFont, file: Uint8Array): Map<string, Uint8Array> {
	const { tables } = (
		font as unknown as { directory: { tables: Record<string, { offset: number; length: number }> } }
	).directory;
	return new Map(
		Object.entries(tables).map(([tag, t]) => [tag, file.subarray(t.offset, t.offset + t.length)]),
	);
}

function parseFace(key: string, file: string, font: FontkitFont, bytes: Uint8Array): Face {
	const tables = tablesOf(font, bytes);
	const cff = tables.get('CFF ');
	const face: Face = {
		key,
		file,
		font,
		postscriptName: font.postscriptName ?? key,
		scale: 1000 / font.unitsPerEm,
		subsetter: cff ? new CffSubsetter(cff) : new TrueTypeSubsetter(tables),
	};
	// fontkit reads a script's layout tables on first use (60 ms for the CJK font): do it now, not in a download.
	layout(face, WARM_UP[key] ?? 'A', false);
	return face;
}

const loaded = new Map<string, WatermarkFonts>();

/**
 * The watermark's fonts from `dir` (the gate passes GATE_WATERMARK_FONT_DIR; default /usr/share/fonts), searched
 * recursively by file name. Read and parsed on the first call for a folder (about half a second, most of it the
 * 20 MB CJK collection) and kept for the life of the process. A file that is missing or cannot be parsed is
 * reported in `missing`, never thrown.
 */
export function watermarkFonts(dir: string = DEFAULT_FONT_DIR): WatermarkFonts {
	const cached = loaded.get(dir);
	if (cached) return cached;
	const found = findFonts(
		dir,
		FONT_FILES.map((f) => f.file),
	);
	const faces = new Map<string, Face>();
	const missing: WatermarkFonts['missing'] = [];
	for (const spec of FONT_FILES) {
		const scripts = Object.values(spec.faces)
			.map((f) => f.scripts)
			.join(', ');
		const path = found.get(spec.file);
		if (!path) {
			missing.push({
				file: spec.file,
				debianPackage: spec.debianPackage,
				scripts,
				reason: 'not found',
			});
			continue;
		}
		try {
			const bytes = readFileSync(path);
			const parsed = fontkit.create(bytes) as FontkitFont & {
				getFont?: (name: string) => FontkitFont | null;
			};
			for (const [key, face] of Object.entries(spec.faces)) {
				const font = face.postscriptName ? parsed.getFont?.(face.postscriptName) : parsed;
				if (!font) throw new Error(`it has no face ${face.postscriptName}`);
				faces.set(key, parseFace(key, path, font, bytes));
			}
		} catch (error) {
			missing.push({
				file: spec.file,
				debianPackage: spec.debianPackage,
				scripts,
				reason: `${path} could not be read: ${(error as Error).message}`,
			});
		}
	}
	const fonts = { dir, faces, missing };
	loaded.set(dir, fonts);
	return fonts;
}

/**
 * Loads the watermark's fonts and says what is missing, for the gate to log at start-up. `warning` is set when a
 * font is missing: names in the scripts it draws are then stamped with "?" for each character no font has (or,
 * with no Noto font at all, in Helvetica, which has Western European letters only).
 */
export function watermarkFontReport(dir?: string): {
	dir: string;
	fonts: string[];
	warning?: string;
} {
	const fonts = watermarkFonts(dir);
	const files = [...new Set([...fonts.faces.values()].map((f) => f.file))];
	if (!fonts.missing.length) return { dir: fonts.dir, fonts: files };
	const packages = [...new Set(fonts.missing.map((m) => m.debianPackage))];
	// Files not found, one line per package (fonts-noto-core has twenty); a file that could not be read, one
	// line each, with why.
	const lines = [
		...packages.flatMap((pkg) => {
			const absent = fonts.missing.filter(
				(m) => m.debianPackage === pkg && m.reason === 'not found',
			);
			return absent.length
				? [
						`  not found (${pkg}): ${absent.map((m) => m.file).join(', ')}; ${absent.map((m) => m.scripts).join(', ')} in names may print as "?"`,
					]
				: [];
		}),
		...fonts.missing
			.filter((m) => m.reason !== 'not found')
			.map(
				(m) =>
					`  ${m.file} (${m.debianPackage}): ${m.reason}; ${m.scripts} in names may print as "?"`,
			),
	];
	return {
		dir: fonts.dir,
		fonts: files,
		warning: [
			`Watermark fonts missing under ${fonts.dir} (the folder ${FONT_DIR_VARIABLE} names, default ${DEFAULT_FONT_DIR}):`,
			...lines,
			`Install them with: apt-get install ${packages.join(' ')}, or point ${FONT_DIR_VARIABLE} at a folder that holds these files.`,
		].join('\n'),
	};
}

// ---- Text to glyphs ----------------------------------------------------------------------------------

const helvetica = StandardFontEmbedder.for(
	StandardFonts.Helvetica as unknown as Parameters<typeof StandardFontEmbedder.for>[0],
);
// Code points outside Latin-1 that Helvetica's WinAnsi encoding maps to bytes 0x80–0x9F.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Whether Helvetica, with its WinAnsi encoding, can draw `ch`. */
function inWinAnsi(ch: string): boolean {
	const cp = ch.codePointAt(0) ?? 0;
	return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRAS.has(ch);
}

/** The Helvetica fallback, which is also the font of the invisible fingerprint. */
export const HELVETICA = 'helvetica';

/** A glyph placed on a line: its font, id, the text it stands for, and its advance and offset in thousandths of an em. */
export interface PlacedGlyph {
	face: Face | typeof HELVETICA;
	/** The glyph id in the face, or the WinAnsi code in Helvetica. */
	gid: number;
	/** What text extraction should give for this glyph; '' for glyphs whose text a neighbour carries. */
	text: string;
	advance: number;
	dx: number;
	dy: number;
	/** The advance the PDF font's width table gives the glyph, which the drawing corrects to `advance`. */
	width: number;
}

/** The CJK face for a recipient: Japanese when their details hold kana, Korean with Hangul, else Chinese. */
export function cjkFace(text: string): string {
	return `cjk-${cjkRegionOfText(text)}`;
}

const hasGlyph = (face: Face, ch: string) => face.font.hasGlyphForCodePoint(ch.codePointAt(0) ?? 0);

/**
 * Prepares a field for drawing: NFC, invisible characters dropped (controls, bidi and other format characters,
 * variation selectors; zero-width (non-)joiners only where they do not sit between letters), any run of spacing as
 * one space. Never throws.
 */
function cleanText(s: string): string {
	return s
		.normalize('NFC')
		.replace(/(?<![\p{L}\p{M}])[\u200C\u200D]|[\u200C\u200D](?![\p{L}\p{M}])/gu, '')
		.replace(/(?![\u200C\u200D])[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu, '')
		.replace(/\s+/gu, ' ')
		.replace(/\p{Cc}/gu, '')
		.replace(/\p{Cs}/gu, '?')
		.trim();
}

/** The fonts that can stand in for a character its own script's font lacks, best first. */
function fallbacks(fonts: WatermarkFonts, cjk: string): Face[] {
	return ['sans', cjk, ...fonts.faces.keys()]
		.map((key) => fonts.faces.get(key))
		.filter((f): f is Face => f !== undefined);
}

/** Which face draws `ch`, or undefined when none can. */
function faceFor(
	ch: string,
	fonts: WatermarkFonts,
	cjk: string,
	previous: Face | typeof HELVETICA | undefined,
): Face | typeof HELVETICA | undefined {
	const script = SCRIPT_FACES.find(([re]) => re.test(ch))?.[1];
	const own = script && fonts.faces.get(script === 'cjk' ? cjk : script);
	if (own && hasGlyph(own, ch)) return own;
	// Marks, spaces and punctuation stay in the font of the text they belong to, where it has them.
	if (!script && previous && (previous === HELVETICA ? inWinAnsi(ch) : hasGlyph(previous, ch)))
		return previous;
	const fallback = fallbacks(fonts, cjk).find((f) => hasGlyph(f, ch));
	if (fallback) return fallback;
	return inWinAnsi(ch) ? HELVETICA : undefined;
}

/**
 * `text` as it will be printed: cleaned (see {@link cleanText}), with every character that no available font can
 * draw replaced by "?". Helvetica's folding of look-alikes (NFKC) is tried before giving up on a character.
 */
export function printable(text: string, fonts: WatermarkFonts, cjk = cjkFace(text)): string {
	return Array.from(cleanText(text), (ch) => {
		if (faceFor(ch, fonts, cjk, undefined)) return ch;
		const folded = ch.normalize('NFKC');
		return folded !== ch && Array.from(folded).every((c) => faceFor(c, fonts, cjk, undefined))
			? folded
			: '?';
	}).join('');
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * Gives each glyph the text it stands for. Shaping reorders and merges glyphs (a Devanagari vowel sign drawn
 * before its consonant, a ligature), so the text of each grapheme cluster goes to the leftmost glyph drawn for it
 * and the cluster's other glyphs get none: extractors order text by position, so this reads back in logical
 * order. Right-to-left clusters are given reversed, as extractors reverse right-to-left text as a whole.
 */
function clusterTexts(text: string, run: FontkitRun, rtl: boolean): string[] {
	const clusters = Array.from(graphemes.segment(text), (s) => ({
		text: s.segment,
		left: Array.from(s.segment, (c) => c.codePointAt(0)!),
		glyphs: [] as number[],
	}));
	if (!clusters.length) return run.glyphs.map(() => '');
	// Match glyphs to clusters in logical order by the code points fontkit says each glyph stands for; a ligature
	// spans clusters, and a glyph for no code point (an inserted mark) joins the cluster being read.
	const logical = run.glyphs.map((_, i) => i);
	if (rtl) logical.reverse();
	let at = 0;
	for (const i of logical) {
		let joined = false;
		for (const cp of run.glyphs[i]!.codePoints) {
			const c = clusters.findIndex((cluster, k) => k >= at && cluster.left.includes(cp));
			if (c < 0) continue;
			clusters[c]!.left.splice(clusters[c]!.left.indexOf(cp), 1);
			if (!clusters[c]!.glyphs.includes(i)) clusters[c]!.glyphs.push(i);
			joined = true;
		}
		if (!joined) clusters[Math.min(at, clusters.length - 1)]!.glyphs.push(i);
		while (at < clusters.length - 1 && clusters[at]!.left.length === 0) at++;
	}
	// Merge clusters that share a glyph (a ligature), then hand each merged cluster's text out over its glyphs.
	const texts = run.glyphs.map(() => '');
	const groups: { text: string; glyphs: number[] }[] = [];
	for (const cluster of clusters) {
		const last = groups.at(-1);
		if (last && cluster.glyphs.some((g) => last.glyphs.includes(g))) {
			last.text += cluster.text;
			last.glyphs.push(...cluster.glyphs.filter((g) => !last.glyphs.includes(g)));
		} else groups.push({ text: cluster.text, glyphs: [...cluster.glyphs] });
	}
	// A cluster's code points go, in drawing order, one to each glyph that advances, the rest to the last of them:
	// extractors read text in the order it sits on the line, and a glyph that advances without text would read as
	// a gap between words. Right to left, the text is handed out reversed, as extractors reverse it back.
	const orphaned: string[] = [];
	for (const group of groups) {
		const drawn = group.glyphs.sort((a, b) => a - b);
		if (!drawn.length) {
			orphaned.push(group.text);
			continue;
		}
		const advancing = drawn.filter((g) => run.positions[g]!.xAdvance > 0);
		const holders = advancing.length ? advancing : [drawn[0]!];
		const chars = Array.from(group.text);
		if (rtl) chars.reverse();
		holders.forEach(
			(g, k) => (texts[g] = k < holders.length - 1 ? (chars[k] ?? '') : chars.slice(k).join('')),
		);
	}
	// Text no glyph was matched to (a font that drops a character) is still given, on the last glyph.
	if (orphaned.length && texts.length) texts[texts.length - 1] += orphaned.join('');
	return texts;
}

// Shaped words, by face, direction and text: fontkit takes about 0.1 ms a letter, and most words of a stamp
// ("Provided", "Confidential", the date, a returning recipient's name) recur from one download to the next.
const shapedWords = new Map<string, PlacedGlyph[]>();
const SHAPED_WORDS_KEPT = 4096;

/** A run of one face and direction, shaped word by word: no shaping feature of these fonts reaches across a space. */
function shapeSegment(
	face: Face | typeof HELVETICA,
	text: string,
	shaped: string,
	rtl: boolean,
): PlacedGlyph[] {
	const texts = text.split(/(?<= )|(?= )/u);
	const words = shaped.split(/(?<= )|(?= )/u).map((word, i) => {
		const key = `${face === HELVETICA ? face : face.key}\u0000${rtl}\u0000${word}\u0000${texts[i]}`;
		let glyphs = shapedWords.get(key);
		if (!glyphs) {
			glyphs = shapeWord(face, texts[i] ?? word, word, rtl);
			if (shapedWords.size >= SHAPED_WORDS_KEPT)
				shapedWords.delete(shapedWords.keys().next().value!);
			shapedWords.set(key, glyphs);
		}
		return glyphs;
	});
	return (rtl ? words.reverse() : words).flat();
}

function shapeWord(
	face: Face | typeof HELVETICA,
	text: string,
	shaped: string,
	rtl: boolean,
): PlacedGlyph[] {
	if (face === HELVETICA) {
		const chars = Array.from(shaped);
		const texts = Array.from(text);
		const glyphs = chars.map((ch, i) => {
			const code = Number.parseInt(helvetica.encodeText(ch).asString(), 16);
			const width = helvetica.widthOfTextAtSize(ch, 1000);
			return { face, gid: code, text: texts[i] ?? ch, advance: width, dx: 0, dy: 0, width };
		});
		return rtl ? glyphs.reverse() : glyphs;
	}
	const run = layout(face, shaped, rtl);
	const texts = clusterTexts(text, run, rtl);
	return run.glyphs.map((glyph, i) => {
		const position = run.positions[i]!;
		return {
			face,
			gid: glyph.id,
			text: texts[i]!,
			advance: position.xAdvance * face.scale,
			dx: position.xOffset * face.scale,
			dy: position.yOffset * face.scale,
			width: glyph.advanceWidth * face.scale,
		};
	});
}

/**
 * Lays out already {@link printable} text as one isolated field: split into runs of one direction, each into
 * runs of one font, shaped. Returns the glyphs from left to right.
 */
export function shapeField(text: string, fonts: WatermarkFonts, cjk: string): PlacedGlyph[] {
	const glyphs: PlacedGlyph[] = [];
	for (const run of visualRuns(text)) {
		const texts = Array.from(run.text);
		const shaped = Array.from(run.shaped);
		const segments: { face: Face | typeof HELVETICA; from: number; to: number }[] = [];
		shaped.forEach((ch, i) => {
			const last = segments.at(-1);
			// printable() has replaced what no font has, so only a lone "?" without fonts can be left here.
			const face = faceFor(ch, fonts, cjk, last?.face) ?? HELVETICA;
			if (last && last.face === face) last.to = i + 1;
			else segments.push({ face, from: i, to: i + 1 });
		});
		if (run.rtl) segments.reverse();
		for (const { face, from, to } of segments)
			glyphs.push(
				...shapeSegment(
					face,
					texts.slice(from, to).join(''),
					shaped.slice(from, to).join(''),
					run.rtl,
				),
			);
	}
	return glyphs;
}

/** The width of laid-out glyphs, in thousandths of an em. */
export const advanceOf = (glyphs: readonly PlacedGlyph[]): number =>
	glyphs.reduce((sum, g) => sum + g.advance, 0);

/** Hex PDF string of text in Helvetica (WinAnsi), e.g. the fingerprint. Throws on characters WinAnsi lacks. */
export const helveticaHex = (text: string): string => helvetica.encodeText(text).toString();
/** The width of text in Helvetica, in thousandths of an em. */
export const helveticaWidth = (text: string): number => helvetica.widthOfTextAtSize(text, 1000);

// ---- Embedding -----------------------------------------------------------------------------------------

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
const utf16 = (text: string) =>
	Array.from(text, (ch) => Buffer.from(ch, 'utf16le').swap16().toString('hex').toUpperCase()).join(
		'',
	);
const number = (n: number) => String(Math.round(n * 1000) / 1000);

/**
 * The glyphs one stamped copy draws from each face, numbered as the CIDs of that face's embedded subset: one CID
 * per glyph and text, since the same glyph can stand for different text (a consonant that carries its cluster's
 * text in one place and none in another).
 */
export class FontSubsets {
	readonly #faces = new Map<
		Face,
		{ cids: Map<string, number>; gids: number[]; texts: string[]; widths: number[] }
	>();

	/** The faces used so far, in the order of first use. */
	get faces(): Face[] {
		return [...this.#faces.keys()];
	}

	/** The code that draws `glyph`: a two-byte CID in its face's subset, or a WinAnsi byte in Helvetica. */
	code(glyph: PlacedGlyph): string {
		if (glyph.face === HELVETICA)
			return `<${glyph.gid.toString(16).toUpperCase().padStart(2, '0')}>`;
		let subset = this.#faces.get(glyph.face);
		if (!subset)
			this.#faces.set(
				glyph.face,
				(subset = { cids: new Map(), gids: [0], texts: [''], widths: [0] }),
			);
		const key = `${glyph.gid}:${glyph.text}`;
		let cid = subset.cids.get(key);
		if (cid === undefined) {
			cid = subset.gids.length;
			subset.cids.set(key, cid);
			subset.gids.push(glyph.gid);
			subset.texts.push(glyph.text);
			subset.widths.push(glyph.width);
		}
		return `<${hex4(cid)}>`;
	}

	/**
	 * The objects that embed one face's subset as a Type 0 font with Identity-H encoding and a ToUnicode map, its
	 * font dictionary first. `first` is the object number the first object will get.
	 */
	embed(face: Face, first: number): NewObject[] {
		const subset = this.#faces.get(face)!;
		const tag = Array.from(
			createHash('sha256')
				.update(`${face.key}${subset.gids.join()}${subset.texts.join('\u0000')}`)
				.digest()
				.subarray(0, 6),
			(b) => String.fromCharCode(65 + (b % 26)),
		).join('');
		const name = `/${tag}+${face.postscriptName}`;
		const cff = face.subsetter instanceof CffSubsetter;
		const program = cff
			? (face.subsetter as CffSubsetter).subset(subset.gids, face.postscriptName)
			: (face.subsetter as TrueTypeSubsetter).subset(subset.gids);
		const ref = (i: number) => `${first + i} 0 R`;
		const { font } = face;
		const bbox = [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY]
			.map((v) => number(v * face.scale))
			.join(' ');
		const mapped = subset.texts.flatMap((text, cid) =>
			cid && text ? [`<${hex4(cid)}> <${utf16(text)}>`] : [],
		);
		const blocks = Array.from({ length: Math.ceil(mapped.length / 100) }, (_, i) =>
			mapped.slice(i * 100, i * 100 + 100),
		).map((b) => `${b.length} beginbfchar\n${b.join('\n')}\nendbfchar`);
		const cmap = `/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n${blocks.join('\n')}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend`;
		return [
			`<< /Type /Font /Subtype /Type0 /BaseFont ${name} /Encoding /Identity-H /DescendantFonts [${ref(1)}] /ToUnicode ${ref(4)} >>`,
			`<< /Type /Font /Subtype /${cff ? 'CIDFontType0' : 'CIDFontType2'} /BaseFont ${name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ${ref(2)} /DW 0 /W [1 [${subset.widths.slice(1).map(number).join(' ')}]]${cff ? '' : ' /CIDToGIDMap /Identity'} >>`,
			`<< /Type /FontDescriptor /FontName ${name} /Flags 4 /FontBBox [${bbox}] /ItalicAngle 0 /Ascent ${number(font.ascent * face.scale)} /Descent ${number(font.descent * face.scale)} /CapHeight ${number((font.capHeight || font.ascent) * face.scale)} /StemV 80 /${cff ? 'FontFile3' : 'FontFile2'} ${ref(3)} >>`,
			{
				entries: cff
					? '/Subtype /CIDFontType0C /Filter /FlateDecode'
					: `/Length1 ${program.length} /Filter /FlateDecode`,
				data: deflateSync(program),
			},
			{ entries: '/Filter /FlateDecode', data: deflateSync(Buffer.from(cmap, 'latin1')) },
		];
	}
}
