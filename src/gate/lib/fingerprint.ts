// The invisible fingerprint of a served copy: how it is made from a download id, how one found in a leaked copy
// is checked, and how a leaked PDF, an untrusted file, is searched for it within fixed limits.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { constants, inflateSync } from 'node:zlib';

const DOWNLOAD_ID = /^[A-Za-z0-9_]{6,40}$/;
const FINGERPRINT = /^TCFP1-([A-Za-z0-9_]{6,40})-([0-9a-f]{16})$/;
// The look-arounds stop a match from starting or ending inside a longer word, which would yield a fingerprint nobody issued.
const FINGERPRINT_IN_TEXT =
	/(?<![A-Za-z0-9_])TCFP1-[A-Za-z0-9_]{6,40}-[0-9a-f]{16}(?![A-Za-z0-9_])/g;

function mac(downloadId: string, key: Uint8Array | string): string {
	// An empty key makes every fingerprint forgeable, so it is a configuration error, not a value to accept.
	if ((typeof key === 'string' ? key.length : key.byteLength) === 0)
		throw new Error('The fingerprint key is empty');
	return createHmac('sha256', key).update(downloadId).digest('hex').slice(0, 16);
}

/**
 * The fingerprint hidden in every page served for one download: `TCFP1-<downloadId>-<first 16 hex chars of
 * HMAC-SHA256(key, downloadId)>`. The HMAC lets a leaked copy be traced to its download without trusting the
 * id alone, which anyone could type. Throws when `downloadId` is not 6–40 letters, digits or underscores (the
 * fingerprint must stay parseable and fit on a page), or when the key is empty.
 */
export function fingerprintFor(downloadId: string, key: Uint8Array | string): string {
	if (!DOWNLOAD_ID.test(downloadId))
		throw new Error(
			`Invalid downloadId ${JSON.stringify(downloadId.slice(0, 60))}: expected 6 to 40 letters, digits or underscores`,
		);
	return `TCFP1-${downloadId}-${mac(downloadId, key)}`;
}

/** The download id a well-formed fingerprint names, unverified; undefined when `fp` is not one. */
export function fingerprintDownloadId(fp: string): string | undefined {
	return FINGERPRINT.exec(fp)?.[1];
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
	return timingSafeEqual(Buffer.from(given), Buffer.from(mac(downloadId, key)))
		? downloadId
		: undefined;
}

const MB = 1024 * 1024;
/**
 * How much a search inflates, at most: in one stream, and in all of them together. Leaked files are untrusted, and a
 * few hundred KB of Flate data can inflate to gigabytes. A copy the gate serves inflates to a few MB; images, where
 * most of a document's bytes are, hold no fingerprint and are neither inflated nor counted.
 */
export const INFLATE_LIMITS: InflateLimits = { stream: 32 * MB, total: 128 * MB };

/** Bytes a search may inflate from one stream, and from all streams together. */
export interface InflateLimits {
	stream: number;
	total: number;
}

const size = (bytes: number) => (bytes % MB === 0 ? `${bytes / MB} MB` : `${bytes} bytes`);

/** A PDF that would inflate past its limits: searching it was stopped. */
export class InflateLimitError extends Error {
	override name = 'InflateLimitError';
	constructor(limits: InflateLimits) {
		super(
			`its compressed streams inflate to more than trace reads (${size(limits.stream)} in one stream, ${size(limits.total)} in all, images not counted). No copy the gate serves comes near that; this file may be made to exhaust memory.`,
		);
	}
}

// No shorter hex or literal string can hold a fingerprint (29 characters at least), so shorter ones are skipped.
const HEX_STRING = /<([0-9A-Fa-f\s]{58,})>/g;
const LITERAL_STRING = /\(((?:[^()\\]|\\[\s\S]){29,})\)/g;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };
// A stream's dictionary starts after the `obj` keyword; a longer one than this is not worth reading back through.
const DICTIONARY_LOOKBACK = 4096;
const IMAGE = /\/Subtype\s*\/Image\b/;

/** Reads a decoded PDF string as text, honouring the UTF-16BE byte order mark pdf-lib uses for Info entries. */
function pdfText(bytes: string): string {
	if (!bytes.startsWith('\xFE\xFF')) return bytes;
	let text = '';
	for (let i = 2; i + 1 < bytes.length; i += 2)
		text += String.fromCharCode((bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1));
	return text;
}

function hexBytes(hex: string): string {
	const digits = hex.replace(/\s/g, '');
	// The PDF spec reads a missing final digit as 0; Buffer would drop the half byte instead.
	return Buffer.from(digits.length % 2 ? `${digits}0` : digits, 'hex').toString('latin1');
}

function literalBytes(body: string): string {
	return body.replace(
		/\\(?:([0-7]{1,3})|(\r\n|\r|\n)|([\s\S]))/g,
		(_, octal?: string, eol?: string, ch?: string) =>
			octal
				? String.fromCharCode(parseInt(octal, 8) & 0xff)
				: eol
					? ''
					: (ESCAPES[ch ?? ''] ?? ch ?? ''),
	);
}

/**
 * The decompressed data of each Flate stream but images, object streams included, read as latin1 so byte offsets
 * stay character offsets: one at a time, so that only one is held at once. Throws {@link InflateLimitError} before
 * inflating past `limits`.
 */
function* inflatedStreams(pdf: Uint8Array, raw: string, limits: InflateLimits): Generator<string> {
	let total = 0;
	const start = /stream\r?\n/g;
	for (let match = start.exec(raw); match; match = start.exec(raw)) {
		const head = raw.slice(Math.max(0, match.index - DICTIONARY_LOOKBACK), match.index);
		// The keyword only opens a stream right after the stream's dictionary; elsewhere it is just text (or "endstream").
		if (!head.trimEnd().endsWith('>>')) continue;
		const from = match.index + match[0].length;
		const to = raw.indexOf('endstream', from);
		if (to < 0) break;
		start.lastIndex = to;
		if (IMAGE.test(head.slice(head.lastIndexOf('obj') + 1))) continue;
		const room = Math.min(limits.stream, limits.total - total);
		if (room <= 0) throw new InflateLimitError(limits);
		let data: Buffer;
		try {
			// Trying every stream is simpler and sturdier than parsing its /Filter (which may be indirect or an array):
			// data that is not zlib fails on its first two bytes. A sync flush still yields what a truncated stream holds.
			data = inflateSync(pdf.subarray(from, to), {
				finishFlush: constants.Z_SYNC_FLUSH,
				maxOutputLength: room,
			});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
				throw new InflateLimitError(limits);
			// Not Flate data, or corrupt: its raw bytes were scanned already.
			continue;
		}
		total += data.length;
		yield data.toString('latin1');
	}
}

/**
 * Every fingerprint present in a PDF, deduplicated, in the order found. Looks in the raw bytes and in every
 * Flate-compressed stream but images (page content and object streams alike), in plain text, hex `<...>` strings
 * and literal `(...)` strings, so it finds the page copy whether or not a later tool recompressed the file or
 * stripped its metadata. Fingerprints are not verified: pass each to {@link verifyFingerprint}. Returns [] when
 * there is nothing to find, however damaged the file; throws {@link InflateLimitError} for a file that would
 * inflate past `limits`. Synchronous and CPU-bound: the gate runs it in a worker thread.
 */
export function findFingerprints(
	pdf: Uint8Array,
	limits: InflateLimits = INFLATE_LIMITS,
): string[] {
	const raw = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
	const found = new Set<string>();
	const scan = (text: string) => {
		for (const [fp] of text.matchAll(FINGERPRINT_IN_TEXT)) found.add(fp);
	};
	const search = (text: string) => {
		scan(text);
		for (const [, hex = ''] of text.matchAll(HEX_STRING)) scan(pdfText(hexBytes(hex)));
		for (const [, body = ''] of text.matchAll(LITERAL_STRING)) scan(pdfText(literalBytes(body)));
	};
	search(raw);
	for (const text of inflatedStreams(pdf, raw, limits)) search(text);
	return [...found];
}
