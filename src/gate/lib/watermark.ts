import { createHmac, timingSafeEqual } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';
import { beginMarkedContent, concatTransformationMatrix, degrees, endMarkedContent, PDFDocument, popGraphicsState, pushGraphicsState, rgb, setTextRenderingMode, StandardFonts, TextRenderingMode, type PDFFont, type PDFPage } from 'pdf-lib';

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

const DOWNLOAD_ID = /^[A-Za-z0-9_]{6,40}$/;
const FINGERPRINT = /^TCFP1-([A-Za-z0-9_]{6,40})-([0-9a-f]{16})$/;
// The look-arounds stop a match from starting or ending inside a longer word, which would yield a fingerprint nobody issued.
const FINGERPRINT_IN_TEXT = /(?<![A-Za-z0-9_])TCFP1-[A-Za-z0-9_]{6,40}-[0-9a-f]{16}(?![A-Za-z0-9_])/g;

function mac(downloadId: string, key: Uint8Array | string): string {
	// An empty key makes every fingerprint forgeable, so it is a configuration error, not a value to accept.
	if ((typeof key === 'string' ? key.length : key.byteLength) === 0) throw new Error('The fingerprint key is empty');
	return createHmac('sha256', key).update(downloadId).digest('hex').slice(0, 16);
}

/**
 * The fingerprint hidden in every page served for one download: `TCFP1-<downloadId>-<first 16 hex chars of
 * HMAC-SHA256(key, downloadId)>`. The HMAC lets a leaked copy be traced to its download without trusting the
 * id alone, which anyone could type. Throws when `downloadId` is not 6–40 letters, digits or underscores (the
 * fingerprint must stay parseable and fit on a page), or when the key is empty.
 */
export function fingerprintFor(downloadId: string, key: Uint8Array | string): string {
	if (!DOWNLOAD_ID.test(downloadId)) throw new Error(`Invalid downloadId ${JSON.stringify(downloadId.slice(0, 60))}: expected 6 to 40 letters, digits or underscores`);
	return `TCFP1-${downloadId}-${mac(downloadId, key)}`;
}

/**
 * Checks a fingerprint found in a leaked PDF against the key. Returns its downloadId when the HMAC matches,
 * undefined for anything else (wrong key, tampered id or HMAC, not a fingerprint). The HMAC is compared in
 * constant time so the check cannot be used as an oracle to forge one byte by byte. Throws when the key is empty.
 */
export function verifyFingerprint(fp: string, key: Uint8Array | string): string | undefined {
	const match = FINGERPRINT.exec(fp);
	if (!match) return undefined;
	const [, downloadId = '', given = ''] = match;
	return timingSafeEqual(Buffer.from(given), Buffer.from(mac(downloadId, key))) ? downloadId : undefined;
}

// Code points outside Latin-1 that Helvetica's WinAnsi encoding maps to bytes 0x80–0x9F.
const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Makes any string drawable with pdf-lib's standard Helvetica, which throws on characters WinAnsi cannot
 * encode. NFKC folds look-alikes (ligatures, full-width letters) to encodable ones; invisible characters
 * (controls, zero-width and bidi marks, variation selectors) are dropped rather than shown as "?", with line
 * breaks and other spacing turned into single spaces so words do not run together; every other character
 * WinAnsi lacks becomes "?". Never throws.
 */
export function toWinAnsi(s: string): string {
	const visible = s
		.normalize('NFKC')
		.replace(/[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu, '')
		.replace(/\s+/gu, ' ')
		.replace(/\p{Cc}/gu, '');
	let out = '';
	for (const ch of visible) {
		const cp = ch.codePointAt(0) ?? 0;
		out += (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRAS.has(ch) ? ch : '?';
	}
	return out.trim();
}

/**
 * The line printed along the bottom of every page, e.g. "Provided to Ada Quinn (Fabrikam Ltd,
 * ada@fabrikam.example) · 2026-11-23 10:04 UTC · download dl_abc123 · Confidential, under NDA". Returned
 * already passed through {@link toWinAnsi}, so it is exactly what is drawn (before any truncation to fit a
 * narrow page). Throws when `issuedAt` is an invalid Date.
 */
export function visibleLine(r: Recipient): string {
	if (Number.isNaN(r.issuedAt.getTime())) throw new Error('The recipient’s issuedAt is not a valid date');
	const issued = `${r.issuedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
	const contact = [r.company, r.email].map(toWinAnsi).filter(Boolean).join(', ');
	const who = [toWinAnsi(r.name), contact && `(${contact})`].filter(Boolean).join(' ');
	return `Provided to ${who} · ${issued} · download ${toWinAnsi(r.downloadId)} · Confidential, under NDA`;
}

const LINE_SIZE = 7;
const MIN_LINE_SIZE = 5;
const MAX_DIAGONAL_SIZE = 60;
const FINGERPRINT_SIZE = 4;
const GREY = rgb(0.4, 0.4, 0.4);

/** Shrinks the line to fit `maxWidth`, down to the smallest legible size, and only then cuts it. */
function fitLine(font: PDFFont, text: string, maxWidth: number): { text: string; size: number } {
	const natural = font.widthOfTextAtSize(text, LINE_SIZE);
	if (natural <= maxWidth) return { text, size: LINE_SIZE };
	// Width grows linearly with size, so the size that fits exactly can be computed rather than searched for.
	if ((natural * MIN_LINE_SIZE) / LINE_SIZE <= maxWidth) return { text, size: (LINE_SIZE * maxWidth) / natural };
	// Binary search: names can be arbitrarily long, and measuring every prefix would be quadratic.
	let lo = 0;
	let hi = text.length;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (font.widthOfTextAtSize(`${text.slice(0, mid)}…`, MIN_LINE_SIZE) <= maxWidth) lo = mid;
		else hi = mid - 1;
	}
	return { text: `${text.slice(0, lo).trimEnd()}…`, size: MIN_LINE_SIZE };
}

/**
 * Sets up a coordinate system matching the page as a viewer shows it: origin at the bottom left of the
 * visible (cropped) area, x to the right, after /Rotate. Returns the displayed width and height.
 */
function useDisplayCoordinates(page: PDFPage): { width: number; height: number } {
	const box = page.getCropBox();
	const angle = page.getRotation().angle;
	// Viewers (pdf.js, Poppler) ignore a /Rotate that is not a multiple of 90, so the stamp must too.
	const turn = angle % 90 === 0 ? ((angle % 360) + 360) % 360 : 0;
	const cos = Math.round(Math.cos((turn * Math.PI) / 180));
	const sin = Math.round(Math.sin((turn * Math.PI) / 180));
	const e = box.x + (turn === 90 || turn === 180 ? box.width : 0);
	const f = box.y + (turn >= 180 ? box.height : 0);
	page.pushOperators(concatTransformationMatrix(cos, sin, -sin, cos, e, f));
	return turn % 180 === 0 ? { width: box.width, height: box.height } : { width: box.height, height: box.width };
}

function stampPage(page: PDFPage, font: PDFFont, line: string, diagonal: string, fingerprint: string): void {
	page.pushOperators(pushGraphicsState());
	const { width, height } = useDisplayCoordinates(page);
	const margin = Math.min(18, width * 0.04);
	const baseline = Math.min(10, height * 0.06);

	// Marked as a pagination artifact, like a running footer, so screen readers and tagged-PDF tools skip the
	// visible stamp instead of reading it into the document's text.
	page.pushOperators(beginMarkedContent('Artifact'));
	if (diagonal) {
		const angle = Math.atan2(height, width);
		const size = Math.min(MAX_DIAGONAL_SIZE, (0.7 * Math.hypot(width, height)) / font.widthOfTextAtSize(diagonal, 1));
		const half = font.widthOfTextAtSize(diagonal, size) / 2;
		const lift = font.heightAtSize(size, { descender: false }) / 2;
		page.drawText(diagonal, {
			font,
			size,
			color: GREY,
			opacity: 0.1,
			rotate: degrees((angle * 180) / Math.PI),
			x: width / 2 - half * Math.cos(angle) + lift * Math.sin(angle),
			y: height / 2 - half * Math.sin(angle) - lift * Math.cos(angle),
		});
	}

	const fitted = fitLine(font, line, width - 2 * margin);
	page.drawText(fitted.text, { font, size: fitted.size, color: GREY, x: (width - font.widthOfTextAtSize(fitted.text, fitted.size)) / 2, y: baseline });
	page.pushOperators(endMarkedContent());

	// Invisible text (render mode 3) is not painted but stays in the page content, so copying, text extraction and
	// stripping the document metadata all keep it. It must also fit the page: extractors drop text outside it.
	// It sits below the visible line so extractors keep the two on separate lines.
	const size = Math.min(FINGERPRINT_SIZE, (width - 2 * margin) / font.widthOfTextAtSize(fingerprint, 1));
	page.pushOperators(pushGraphicsState(), setTextRenderingMode(TextRenderingMode.Invisible));
	page.drawText(fingerprint, { font, size, x: margin, y: baseline * 0.3 });
	// The second Q ends the display coordinates, leaving nothing changed for content appended later.
	page.pushOperators(popGraphicsState(), popGraphicsState());
}

/**
 * Stamps a built PDF for one recipient, on every page, and returns the new bytes: {@link visibleLine} in small
 * grey type along the bottom, the recipient's name and company large and faint across the middle, and the
 * fingerprint as invisible text. The fingerprint also goes into the Info dictionary's Keywords and Subject,
 * but only the page copy survives metadata stripping. Pages, outline and everything else are kept as they are;
 * pdf-lib wraps each page's existing content in q/Q first, so a page that leaves its transformation changed
 * cannot move the stamp. Throws when `fingerprint` is malformed or belongs to another download.
 */
export async function watermarkPdf(pdf: Uint8Array, recipient: Recipient, fingerprint: string): Promise<Uint8Array> {
	if (FINGERPRINT.exec(fingerprint)?.[1] !== recipient.downloadId) throw new Error(`Fingerprint ${JSON.stringify(fingerprint.slice(0, 80))} is not a fingerprint of download ${JSON.stringify(recipient.downloadId.slice(0, 60))}`);
	const doc = await PDFDocument.load(pdf, { updateMetadata: false });
	const font = await doc.embedFont(StandardFonts.Helvetica);
	const line = visibleLine(recipient);
	const diagonal = [recipient.name, recipient.company].map(toWinAnsi).filter(Boolean).join(' · ');
	for (const page of doc.getPages()) stampPage(page, font, line, diagonal, fingerprint);

	const keywords = doc.getKeywords();
	doc.setKeywords(keywords ? [keywords, fingerprint] : [fingerprint]);
	const subject = doc.getSubject();
	doc.setSubject(subject ? `${subject} (${fingerprint})` : fingerprint);
	// pdf-lib would otherwise add a blank page to a document without pages, changing the page count.
	return doc.save({ addDefaultPage: false });
}

// Leaked files are untrusted: a small stream that inflates to gigabytes must not take the process down.
const MAX_INFLATED_BYTES = 64 * 1024 * 1024;
// No shorter hex or literal string can hold a fingerprint (29 characters at least), so shorter ones are skipped.
const HEX_STRING = /<([0-9A-Fa-f\s]{58,})>/g;
const LITERAL_STRING = /\(((?:[^()\\]|\\[\s\S]){29,})\)/g;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

/** Reads a decoded PDF string as text, honouring the UTF-16BE byte order mark pdf-lib uses for Info entries. */
function pdfText(bytes: string): string {
	if (!bytes.startsWith('\xFE\xFF')) return bytes;
	let text = '';
	for (let i = 2; i + 1 < bytes.length; i += 2) text += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
	return text;
}

function hexBytes(hex: string): string {
	const digits = hex.replace(/\s/g, '');
	// The PDF spec reads a missing final digit as 0; Buffer would drop the half byte instead.
	return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex').toString('latin1');
}

function literalBytes(body: string): string {
	return body.replace(/\\(?:([0-7]{1,3})|(\r\n|\r|\n)|([\s\S]))/g, (_, octal?: string, eol?: string, ch?: string) => (octal ? String.fromCharCode(parseInt(octal, 8) & 0xff) : eol ? '' : (ESCAPES[ch ?? ''] ?? ch ?? '')));
}

/** The decompressed data of every Flate stream, including object streams, read as latin1 so byte offsets stay character offsets. */
function inflatedStreams(pdf: Uint8Array, raw: string): string[] {
	const out: string[] = [];
	const start = /stream\r?\n/g;
	for (let match = start.exec(raw); match; match = start.exec(raw)) {
		// The keyword only opens a stream right after the stream's dictionary; elsewhere it is just text (or "endstream").
		if (!raw.slice(Math.max(0, match.index - 64), match.index).trimEnd().endsWith('>>')) continue;
		const from = match.index + match[0].length;
		const to = raw.indexOf('endstream', from);
		if (to < 0) break;
		start.lastIndex = to;
		try {
			// Trying every stream is simpler and sturdier than parsing its /Filter (which may be indirect or an array):
			// data that is not zlib fails on its first two bytes. A sync flush still yields what a truncated stream holds.
			out.push(inflateSync(pdf.subarray(from, to), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: MAX_INFLATED_BYTES }).toString('latin1'));
		} catch {
			// Not Flate data, or corrupt: its raw bytes were scanned already.
		}
	}
	return out;
}

/**
 * Every fingerprint present in a PDF, deduplicated, in the order found. Looks in the raw bytes and in every
 * Flate-compressed stream (page content and object streams alike), in plain text, hex `<...>` strings and
 * literal `(...)` strings, so it finds the page copy whether or not a later tool recompressed the file or
 * stripped its metadata. Fingerprints are not verified: pass each to {@link verifyFingerprint}. Never throws on
 * garbage; returns [] when there is nothing to find.
 */
export function findFingerprints(pdf: Uint8Array): string[] {
	const raw = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
	const found = new Set<string>();
	const scan = (text: string) => {
		for (const [fp] of text.matchAll(FINGERPRINT_IN_TEXT)) found.add(fp);
	};
	for (const text of [raw, ...inflatedStreams(pdf, raw)]) {
		scan(text);
		for (const [, hex = ''] of text.matchAll(HEX_STRING)) scan(pdfText(hexBytes(hex)));
		for (const [, body = ''] of text.matchAll(LITERAL_STRING)) scan(pdfText(literalBytes(body)));
	}
	return [...found];
}
