import { deflateSync } from 'node:zlib';
import { ENGLISH, type WordKey, type Words } from '../../lib/words/words.ts';
import { fingerprintDownloadId } from './fingerprint.ts';
import {
	firstFreeObject,
	preparedPdf,
	writeStamped,
	type NewObject,
	type PreparedPage,
} from './pdf-stamp.ts';
import {
	advanceOf,
	cjkFace,
	FontSubsets,
	HELVETICA,
	helveticaHex,
	helveticaWidth,
	printable,
	shapeField,
	watermarkFonts,
	type Face,
	type PlacedGlyph,
	type WatermarkFonts,
} from './watermark-fonts.ts';

export { watermarkFontReport, watermarkFonts, type WatermarkFonts } from './watermark-fonts.ts';

/** Who a served PDF is stamped for. */
export interface Recipient {
	name: string;
	company: string;
	email: string;
	/** The download this copy was served for; also the id inside its fingerprint. */
	downloadId: string;
	/** When the copy was issued; printed in UTC so every reader sees the same time. */
	issuedAt: Date;
}

/** What is printed for a recipient. Each piece is laid out on its own (a bidi isolate), in logical order. */
interface StampText {
	/**
	 * The bottom line: the fixed words and each of the recipient's fields as separate pieces, with the
	 * name, the company and each part of the email cut to `limit` grapheme clusters (whole without one).
	 */
	line(limit?: number): string[];
	/** Name and company in one piece, so that it reads in the name's direction: an Arabic name starts on the right. */
	diagonal(limit?: number): string[];
	/** The longest of the name, the company and the email's two parts, in grapheme clusters: a limit that cuts none. */
	longest: number;
	cjk: string;
}

/** `text` cut to `limit` grapheme clusters, with an ellipsis when it was longer. */
const clip = (text: string, limit = Infinity) => {
	const kept = units(text, 'grapheme');
	return kept.length <= limit ? text : `${kept.slice(0, limit).join('').trimEnd()}…`;
};

/** The stamp's own texts, whose `{name}` placeholders hold the recipient's fields. */
const STAMP_KEYS = [
	'watermark.line',
	'watermark.nameAndContact',
	'watermark.contactOnly',
	'watermark.contact',
] as const satisfies readonly WordKey[];

/**
 * A text of the stamp as pieces: each `{name}` placeholder replaced by what `slots` gives for it, text
 * (run into the text around it) or pieces of its own (none for an empty list), so that every field of
 * the recipient stays a piece of its own. A placeholder `slots` does not give stays as typed.
 */
function pieces(
	text: string,
	slots: Readonly<Record<string, string | readonly string[]>>,
): string[] {
	const out: string[] = [];
	let run = '';
	text.split(/(\{\w+\})/).forEach((part, i) => {
		const filled = i % 2 ? (slots[part.slice(1, -1)] ?? part) : part;
		if (typeof filled === 'string') run += filled;
		else {
			if (run) out.push(run);
			run = '';
			out.push(...filled);
		}
	});
	return run ? [...out, run] : out;
}

/**
 * The words the stamp is printed in, and the CJK face it is drawn with: the site's, when the fonts can draw
 * every letter of its texts; else English, which Helvetica always can (a site in Japanese whose gate has no
 * CJK font would otherwise print its own words as "?").
 */
function stampWords(
	recipientText: string,
	fonts: WatermarkFonts,
	words: Words,
): { t: Words; cjk: string } {
	if (words !== ENGLISH) {
		const own = STAMP_KEYS.map((key) => words(key).replace(/\{\w+\}/g, ' ')).join(' ');
		const cjk = cjkFace(`${recipientText} ${own}`);
		if (Array.from(own).every((ch) => /\s/u.test(ch) || printable(ch, fonts, cjk) === ch))
			return { t: words, cjk };
	}
	return { t: ENGLISH, cjk: cjkFace(recipientText) };
}

function stampText(r: Recipient, fonts: WatermarkFonts, words: Words): StampText {
	if (Number.isNaN(r.issuedAt.getTime()))
		throw new Error('The recipient’s issuedAt is not a valid date');
	const { t, cjk } = stampWords(`${r.name} ${r.company} ${r.email}`, fonts, words);
	const [name, company, email] = [r.name, r.company, r.email].map((s) =>
		printable(s, fonts, cjk),
	) as [string, string, string];
	// In UTC, as YYYY-MM-DD HH:MM, whatever the language: the same for every reader of the copy.
	const issued = `${r.issuedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
	const download = printable(r.downloadId, fonts, cjk);
	// The address is typed by the requester too: its two parts are cut apart, so a cut one keeps its domain.
	const at = email.lastIndexOf('@');
	const [local, domain] = at < 0 ? [email, ''] : [email.slice(0, at), email.slice(at + 1)];
	const clipEmail = (limit?: number) =>
		at < 0 ? clip(email, limit) : `${clip(local, limit)}@${clip(domain, limit)}`;
	const line = (limit?: number) => {
		const fields = { name: name ? [clip(name, limit)] : [] };
		const [co, mail] = [clip(company, limit), clipEmail(limit)];
		const contact =
			co && mail
				? pieces(t('watermark.contact'), { company: [co], email: [mail] })
				: [co || mail].filter(Boolean);
		const recipient = contact.length
			? pieces(t(name ? 'watermark.nameAndContact' : 'watermark.contactOnly'), {
					...fields,
					contact,
				})
			: fields.name;
		// Everything but the recipient is one piece: the time and download that identify the copy are not theirs.
		return pieces(t('watermark.line'), { recipient, issued, download });
	};
	const diagonal = (limit?: number) =>
		[
			[name, company]
				.filter(Boolean)
				.map((field) => clip(field, limit))
				.join(' · '),
		].filter(Boolean);
	const longest = Math.max(
		...[name, company, local, domain].map((field) => units(field, 'grapheme').length),
	);
	return { line, diagonal, longest, cjk };
}

/**
 * The line printed along the bottom of every page, e.g. "Provided to Ada Quinn (Fabrikam Ltd,
 * ada@fabrikam.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA", in logical
 * order: exactly what is drawn (before any truncation to fit a narrow page) and what text extraction gives back.
 * Its words are `words`' (default English) when `fonts` can draw them, else English. Characters no font in
 * `fonts` can draw are "?" (see {@link printable}). Throws when `issuedAt` is an invalid Date.
 */
export function visibleLine(
	r: Recipient,
	fonts: WatermarkFonts = watermarkFonts(),
	words: Words = ENGLISH,
): string {
	return stampText(r, fonts, words).line().join('');
}

const LINE_SIZE = 7;
const MIN_LINE_SIZE = 5;
const MAX_DIAGONAL_SIZE = 60;
/** Below this the faint diagonal is a hairline nobody sees: a long name is cut rather than drawn smaller. */
const MIN_DIAGONAL_SIZE = 24;
/** A name or company is cut to no fewer grapheme clusters than this; on a page narrower still, the line's end goes. */
const MIN_CLIP = 16;
const FINGERPRINT_SIZE = 4;
const GREY = '0.4 0.4 0.4 rg';

/** A line as pieces, each laid out on its own (see StampText). */
type Pieces = string[];
const shape = (pieces: Pieces, fonts: WatermarkFonts, cjk: string) =>
	pieces.flatMap((piece) => shapeField(piece, fonts, cjk));
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Splits text into words, each with the spaces after it, or into grapheme clusters. */
const units = (text: string, unit: 'word' | 'grapheme') =>
	unit === 'word'
		? text.split(/(?<= )(?! )/u).filter(Boolean)
		: Array.from(graphemes.segment(text), (s) => s.segment);

/** The first `count` words (or grapheme clusters) of the line, followed by an ellipsis. */
function cut(pieces: Pieces, count: number, unit: 'word' | 'grapheme'): Pieces {
	const out: Pieces = [];
	let left = count;
	for (const piece of pieces) {
		const kept = units(piece, unit).slice(0, left);
		left -= kept.length;
		if (kept.length) out.push(kept.join(''));
		if (left <= 0) break;
	}
	if (out.length) out[out.length - 1] = out.at(-1)!.trimEnd();
	return [...out, '…'];
}

/** The largest whole number in `lo`..`hi` for which `fits` holds (it holds for every smaller one), or undefined. */
function largest(lo: number, hi: number, fits: (n: number) => boolean): number | undefined {
	if (hi < lo || !fits(lo)) return undefined;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (fits(mid)) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/**
 * Shrinks the line to fit `maxWidth`, down to the smallest legible size. Only then does it cut, first the
 * name, the company and the email's parts (all typed by the requester, so a long one cannot push out the
 * time and download that identify the copy), and only on a page too narrow for even that, the line from
 * its end.
 */
function fitLine(
	text: StampText,
	glyphs: PlacedGlyph[],
	maxWidth: number,
	fonts: WatermarkFonts,
): { glyphs: PlacedGlyph[]; size: number } {
	const natural = (advanceOf(glyphs) * LINE_SIZE) / 1000;
	if (natural <= maxWidth) return { glyphs, size: LINE_SIZE };
	// Width grows linearly with size, so the size that fits exactly can be computed rather than searched for.
	if ((natural * MIN_LINE_SIZE) / LINE_SIZE <= maxWidth)
		return { glyphs, size: (LINE_SIZE * maxWidth) / natural };
	const fitting = (pieces: Pieces) => {
		const candidate = shape(pieces, fonts, text.cjk);
		return (advanceOf(candidate) * MIN_LINE_SIZE) / 1000 <= maxWidth ? candidate : undefined;
	};
	// Binary searches, as names can be arbitrarily long: first for the longest name and company that fit.
	const limit = largest(MIN_CLIP, text.longest - 1, (n) => fitting(text.line(n)) !== undefined);
	if (limit !== undefined) return { glyphs: fitting(text.line(limit))!, size: MIN_LINE_SIZE };
	// Then, with the name and company that short, for the longest start of the line that fits. It cuts after a
	// word, and only when not even the first word fits, inside it, between grapheme clusters, so that no letter
	// loses its marks.
	const pieces = text.line(MIN_CLIP);
	const total = (unit: 'word' | 'grapheme') =>
		pieces.reduce((n, piece) => n + units(piece, unit).length, 0);
	const start = (unit: 'word' | 'grapheme') => {
		const count = largest(1, total(unit), (n) => fitting(cut(pieces, n, unit)) !== undefined);
		return count === undefined ? undefined : fitting(cut(pieces, count, unit));
	};
	return {
		glyphs:
			start('word') ?? start('grapheme') ?? shape(cut(pieces, 0, 'grapheme'), fonts, text.cjk),
		size: MIN_LINE_SIZE,
	};
}

/**
 * The diagonal's glyphs and size on a page whose diagonal is `length` long: as large as fits, up to
 * MAX_DIAGONAL_SIZE; when that is under MIN_DIAGONAL_SIZE, the name and company are cut until it is not.
 */
function fitDiagonal(
	text: StampText,
	glyphs: PlacedGlyph[],
	length: number,
	fonts: WatermarkFonts,
): { glyphs: PlacedGlyph[]; size: number } {
	const sizeFor = (g: PlacedGlyph[]) =>
		Math.min(MAX_DIAGONAL_SIZE, (0.7 * length * 1000) / advanceOf(g));
	if (sizeFor(glyphs) >= MIN_DIAGONAL_SIZE) return { glyphs, size: sizeFor(glyphs) };
	const shaped = (n: number) => shape(text.diagonal(n), fonts, text.cjk);
	const limit = largest(MIN_CLIP, text.longest - 1, (n) => sizeFor(shaped(n)) >= MIN_DIAGONAL_SIZE);
	// On a page too small for even that, as short as the line may be cut, at whatever size that fits.
	const fitted = shaped(limit ?? MIN_CLIP);
	return { glyphs: fitted, size: sizeFor(fitted) };
}

const num = (n: number) => String(Math.round(n * 1000) / 1000);

/** Text-showing operators for glyphs at `size`, from the current text position, switching fonts as needed. */
function showGlyphs(
	glyphs: readonly PlacedGlyph[],
	size: number,
	subsets: FontSubsets,
	names: ResourceNames,
): string {
	const ops: string[] = [];
	let array: string[] = [];
	let font = '';
	const flush = () => {
		if (array.length) ops.push(`[${array.join(' ')}] TJ`);
		array = [];
	};
	for (const glyph of glyphs) {
		const code = subsets.code(glyph);
		const name = glyph.face === HELVETICA ? names.helvetica : names.face(glyph.face);
		if (name !== font) {
			flush();
			ops.push(`${name} ${num(size)} Tf`);
			font = name;
		}
		// TJ numbers move left by thousandths of an em: shift a mark by its offset, then make up the difference
		// between the width the font's width table gives and the advance the shaper chose (kerning, marks).
		if (glyph.dy) {
			flush();
			ops.push(`${num((glyph.dy * size) / 1000)} Ts`);
		}
		if (glyph.dx) array.push(num(-glyph.dx));
		array.push(code);
		const adjust = glyph.width - glyph.advance + glyph.dx;
		if (Math.abs(adjust) > 0.001) array.push(num(adjust));
		if (glyph.dy) {
			flush();
			ops.push('0 Ts');
		}
	}
	flush();
	return ops.join('\n');
}

/**
 * The transformation to a coordinate system matching the page as a viewer shows it: origin at the bottom left of
 * the visible (cropped) area, x to the right, after /Rotate. With the displayed width and height.
 */
function displayCoordinates(page: PreparedPage): { matrix: string; width: number; height: number } {
	const box = page.cropBox;
	const angle = page.rotation;
	// Viewers (pdf.js, Poppler) ignore a /Rotate that is not a multiple of 90, so the stamp must too.
	const turn = angle % 90 === 0 ? ((angle % 360) + 360) % 360 : 0;
	const cos = Math.round(Math.cos((turn * Math.PI) / 180));
	const sin = Math.round(Math.sin((turn * Math.PI) / 180));
	const e = box.x + (turn === 90 || turn === 180 ? box.width : 0);
	const f = box.y + (turn >= 180 ? box.height : 0);
	const [width, height] = turn % 180 === 0 ? [box.width, box.height] : [box.height, box.width];
	return { matrix: [cos, sin, -sin, cos, e, f].map(num).join(' '), width, height };
}

/** The names the stamp's fonts and graphics state have in every page's resources. */
interface ResourceNames {
	helvetica: string;
	graphicsState: string;
	face(face: Face): string;
}

/** Everything one recipient's stamp is drawn from, shared by the stamps of every page size. */
interface Drawn {
	/** The whole line and diagonal, shaped once: most pages need nothing cut. */
	line: PlacedGlyph[];
	diagonal: PlacedGlyph[];
	text: StampText;
	fonts: WatermarkFonts;
	fingerprint: string;
	subsets: FontSubsets;
	names: ResourceNames;
}

/** The stamp's content for pages that display as `width` × `height` after `matrix`, closing the q that precedes the page's own content. */
function stampContent(
	{ matrix, width, height }: { matrix: string; width: number; height: number },
	d: Drawn,
): string {
	const margin = Math.min(18, width * 0.04);
	const baseline = Math.min(10, height * 0.06);
	// Marked as a pagination artifact, like a running footer, so screen readers and tagged-PDF tools skip the
	// visible stamp instead of reading it into the document's text.
	const ops = ['Q', 'q', `${matrix} cm`, '/Artifact BMC'];
	if (d.diagonal.length) {
		const angle = Math.atan2(height, width);
		const { glyphs: diagonal, size } = fitDiagonal(
			d.text,
			d.diagonal,
			Math.hypot(width, height),
			d.fonts,
		);
		const half = (advanceOf(diagonal) * size) / 2000;
		// Half a typical cap height, to centre the letters rather than their baseline on the page's centre.
		const lift = 0.35 * size;
		const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
		const x = width / 2 - half * cos + lift * sin;
		const y = height / 2 - half * sin - lift * cos;
		ops.push(
			'q',
			`${d.names.graphicsState} gs`,
			GREY,
			'BT',
			`${[cos, sin, -sin, cos, x, y].map(num).join(' ')} Tm`,
			showGlyphs(diagonal, size, d.subsets, d.names),
			'ET',
			'Q',
		);
	}
	const fitted = fitLine(d.text, d.line, width - 2 * margin, d.fonts);
	const x = (width - (advanceOf(fitted.glyphs) * fitted.size) / 1000) / 2;
	ops.push(
		GREY,
		'BT',
		`1 0 0 1 ${num(x)} ${num(baseline)} Tm`,
		showGlyphs(fitted.glyphs, fitted.size, d.subsets, d.names),
		'ET',
		'EMC',
	);

	// Invisible text (render mode 3) is not painted but stays in the page content, so copying, text extraction and
	// stripping the document metadata all keep it. It must also fit the page: extractors drop text outside it.
	// It sits below the visible line so extractors keep the two on separate lines. It is in Helvetica, whose
	// one-byte codes keep the fingerprint readable in the content stream, which is where trace looks for it.
	const size = Math.min(
		FINGERPRINT_SIZE,
		((width - 2 * margin) * 1000) / helveticaWidth(d.fingerprint),
	);
	ops.push(
		'q',
		'3 Tr',
		'BT',
		`${d.names.helvetica} ${num(size)} Tf`,
		`1 0 0 1 ${num(margin)} ${num(baseline * 0.3)} Tm`,
		`${helveticaHex(d.fingerprint)} Tj`,
		'ET',
		'Q',
	);
	// The last Q ends the display coordinates, leaving nothing changed for content appended later.
	ops.push('Q');
	return ops.join('\n');
}

/** Options of {@link watermarkPdf}. */
export interface WatermarkOptions {
	/** The fonts to draw with; default {@link watermarkFonts}() (the Noto fonts under $GATE_WATERMARK_FONT_DIR). */
	fonts?: WatermarkFonts;
	/** The words the stamp is printed in (`gate.config.words`); default English. See {@link visibleLine}. */
	words?: Words;
}

/**
 * Stamps a built PDF for one recipient, on every page, and returns the new bytes: {@link visibleLine} in small
 * grey type along the bottom, the recipient's name and company large and faint across the middle, and the
 * fingerprint as invisible text. Names in any script the Noto fonts cover are drawn with a subset of them,
 * shaped and in visual order, and extract in logical order. The fingerprint also goes into the Info
 * dictionary's Keywords and Subject, but only the page copy survives metadata stripping. Pages, outline and
 * everything else are kept as they are; each page's existing content is wrapped in q/Q first, so a page that
 * leaves its transformation changed cannot move the stamp. The document is parsed on its first stamp only (see
 * pdf-stamp.ts). Throws when `fingerprint` is malformed or belongs to another download.
 */
export async function watermarkPdf(
	pdf: Uint8Array,
	recipient: Recipient,
	fingerprint: string,
	options: WatermarkOptions = {},
): Promise<Uint8Array> {
	if (fingerprintDownloadId(fingerprint) !== recipient.downloadId)
		throw new Error(
			`Fingerprint ${JSON.stringify(fingerprint.slice(0, 80))} is not a fingerprint of download ${JSON.stringify(recipient.downloadId.slice(0, 60))}`,
		);
	const fonts = options.fonts ?? watermarkFonts();
	const text = stampText(recipient, fonts, options.words ?? ENGLISH);
	const prepared = await preparedPdf(pdf);
	const prefix = prepared.resourcePrefix;
	const subsets = new FontSubsets();
	const names: ResourceNames = {
		helvetica: `${prefix}H`,
		graphicsState: `${prefix}Gs`,
		face: (face) => `${prefix}F${subsets.faces.indexOf(face)}`,
	};
	const drawn: Drawn = {
		line: shape(text.line(), fonts, text.cjk),
		diagonal: shape(text.diagonal(), fonts, text.cjk),
		text,
		fonts,
		fingerprint,
		subsets,
		names,
	};

	// Pages that display alike share one stamp stream: a 100-page document of one paper size gets one.
	const first = firstFreeObject(prepared);
	const objects: NewObject[] = [
		'<< /Type /ExtGState /ca 0.1 /CA 0.1 >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		{ entries: '', data: Buffer.from('q\n') },
	];
	const ref = (i: number) => `${first + i} 0 R`;
	const stamps = new Map<string, string>();
	const pageStamp = prepared.pages.map((page) => {
		const display = displayCoordinates(page);
		const key = `${display.matrix} ${display.width} ${display.height}`;
		let stamp = stamps.get(key);
		if (!stamp) {
			stamp = ref(objects.length);
			stamps.set(key, stamp);
			objects.push({
				entries: '/Filter /FlateDecode',
				data: deflateSync(Buffer.from(stampContent(display, drawn), 'latin1')),
			});
		}
		return stamp;
	});
	const fontRefs = subsets.faces.map((face) => {
		const at = objects.length;
		objects.push(...subsets.embed(face, first + at));
		return ref(at);
	});
	const fontEntries = [
		`${names.helvetica} ${ref(1)}`,
		...subsets.faces.map((face, i) => `${names.face(face)} ${fontRefs[i]}`),
	].join(' ');
	const keywords = prepared.info.keywords;
	const subject = prepared.info.subject;
	return writeStamped(prepared, {
		objects,
		page: (page, i) => ({
			contents: [ref(2), ...page.contents, pageStamp[i]!],
			fonts: fontEntries,
			extGStates: `${names.graphicsState} ${ref(0)}`,
		}),
		keywords: keywords ? `${keywords} ${fingerprint}` : fingerprint,
		subject: subject ? `${subject} (${fingerprint})` : fingerprint,
	});
}
