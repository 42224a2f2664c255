import { createHash, hash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { TrustContent } from '../content/load.ts';
import type { Staff } from '../../schemas/staff.ts';
import { walkFiles } from '../files.ts';
import { label } from '../labels.ts';
import { siteWords } from '../words/words.ts';
import type { SourcePage } from '../content/source-pages.ts';
import { controlStates, type Freshness } from '../status/counts.ts';
import { isNdaControlList, isNdaName, NDA_ELEMENT, ndaBlocks, publicBody } from './visibility.ts';

/** One NDA-only text the public build must not contain. */
export interface Secret {
	/** Normalised words (see `words`), matched whole-word. */
	needle: string;
	/** The text as written, shortened, for the report. */
	excerpt: string;
	/** Where it comes from, e.g. `content/docs/security/network.mdx:14 (<NdaOnly> block)`. */
	source: string;
}

/** One NDA-only text found in the public build. */
export interface Leak {
	/** Path of the built file relative to the project root, e.g. `dist/security/index.html`. */
	file: string;
	secret: Secret;
}

/**
 * Letters of the scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer,
 * Myanmar) and of Korean, whose particles attach to the word before them: each counts as a word of its
 * own, so a name or sentence in them is found wherever it starts, as whole words are elsewhere.
 */
const UNSPACED =
	/[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}\p{scx=Thai}\p{scx=Lao}\p{scx=Khmer}\p{scx=Myanmar}]/gu;

/**
 * Lowercase words joined by single spaces, with markup, entities and punctuation gone: the form in
 * which a sentence from Markdown and the same sentence in built HTML, JSON or a search fragment
 * compare equal, whatever the smart quotes, tags or escapes around it. Each letter of a script written
 * without spaces is a word ({@link UNSPACED}). `markup: false` keeps the text inside tags, for MDX
 * sources whose component props hold visible text.
 */
export function words(text: string, { markup = true } = {}): string {
	return (
		(markup ? text.replace(/<[^>]*>/g, ' ') : text)
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
			.replace(/\\[nrt]/g, ' ')
			.replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
			.replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
			.replace(/&[a-z]+;/gi, ' ')
			// NFKD only where characters are not ASCII, which is its own normal form: the same text, without
			// a pass over every character of a page.
			.replace(/[^\p{ASCII}]+/gu, (run) => run.normalize('NFKD').replace(UNSPACED, ' $& '))
			.toLowerCase()
			// One replace, not a match and a join: a list of every word of a page costs twice the time.
			.replace(/[^\p{L}\p{N}]+/gu, ' ')
			.trim()
	);
}

/**
 * Sentences short enough to be common phrasing are not evidence of a leak: at least 4 words and 24
 * characters, spaces included, which in a script without spaces is 12 letters.
 */
const MIN_WORDS = 4;
const MIN_CHARS = 24;

/** Splits Markdown/MDX into sentence-sized needles, skipping imports and short fragments. */
export function sentences(markdown: string): { needle: string; excerpt: string }[] {
	const text = markdown
		.split('\n')
		.filter((line) => !/^\s*(import|export)\s/.test(line))
		.join('\n');
	return text
		.split(/(?<=[.!?])\s+|(?<=[。．！？])|\n|\||"|`/)
		.map((raw) => ({ raw: raw.trim(), needle: words(raw) }))
		.filter(({ needle }) => needle.length >= MIN_CHARS && needle.split(' ').length >= MIN_WORDS)
		.map(({ raw, needle }) => ({
			needle,
			excerpt: raw.length > 70 ? `${raw.slice(0, 67)}...` : raw,
		}));
}

const LEGAL_SUFFIX =
	/[,\s]+(inc|ltd|llc|gmbh|ag|sa|sas|s\.a\.|b\.v\.|bv|oy|ab|plc|corp|limited|co)\.?$/i;

/**
 * Collects every NDA-only text: `<NdaOnly>` bodies, pages and entries with `visibility: nda`, bodies
 * of policies classified nda, subprocessor names behind public descriptors, and the per-control
 * status rows when the per-control list is NDA-only.
 */
export function collectSecrets(
	content: TrustContent,
	pages: readonly SourcePage[],
	freshness: Freshness,
): { secrets: Secret[]; alsoPublic: Secret[] } {
	const secrets: Secret[] = [];
	const alsoPublic: Secret[] = [];
	// A sentence the sources also publish (the same fact written on a public page) is not NDA-only.
	const publicText = ` ${pages
		.filter((p) => !p.ndaPage)
		.map((p) =>
			words(`${JSON.stringify(p.data)} ${p.ndaBody ? '' : publicBody(p)}`, { markup: false }),
		)
		.join(' | ')} `;
	const add = (text: string, source: string) => {
		for (const s of sentences(text))
			(publicText.includes(` ${s.needle} `) ? alsoPublic : secrets).push({ ...s, source });
	};
	for (const page of pages) {
		if (page.ndaPage) {
			add(`${page.title}.\n${page.body}`, `${page.file} (visibility: nda)`);
			continue;
		}
		if (page.ndaBody) add(page.body, `${page.file} (classification: nda)`);
		else
			for (const block of ndaBlocks(page))
				add(block.text, `${page.file}:${block.line} (<${NDA_ELEMENT}> block)`);
	}
	// A hidden name that a public entry's name also holds (two legal entities of one brand, "Vaultbound
	// Ltd" behind a descriptor and "Vaultbound Pty Ltd" listed by name) is published there.
	const publicNames = content.subprocessors
		.filter(({ data }) => !isNdaName(data))
		.map(({ file, data }) => ({ file, words: ` ${words(data.name)} ` }));
	for (const { file, data } of content.subprocessors) {
		if (!isNdaName(data)) continue;
		const source = `${file} (name behind publicDescriptor)`;
		for (const name of new Set([data.name, data.name.replace(LEGAL_SUFFIX, '')])) {
			const needle = words(name);
			const publicIn = publicNames.find((p) => p.words.includes(` ${needle} `))?.file;
			if (publicIn)
				alsoPublic.push({
					needle,
					excerpt: name,
					source: `${file}, name behind publicDescriptor, and the name of ${publicIn}`,
				});
			else secrets.push({ needle, excerpt: name, source });
		}
		if (data.website)
			secrets.push({
				needle: words(new URL(data.website).hostname.replace(/^www\./, '')),
				excerpt: data.website,
				source,
			});
	}
	if (isNdaControlList(content.site)) {
		// The row as the control list shows it, status in the site's words.
		const t = siteWords(content.site);
		for (const { file, data: catalog } of content.catalogs) {
			for (const c of controlStates(catalog, content.snapshot.data, freshness)) {
				const row = `${c.id} ${c.title} ${c.domain} ${label(c.status, t)}`;
				secrets.push({
					needle: words(row),
					excerpt: row,
					source: `${file} (per-control status, publicControlList: false)`,
				});
			}
		}
	}
	return { secrets: secrets.filter((s) => s.needle.length >= 4), alsoPublic };
}

/** The staff file's e-mail addresses: who may sign in to the console is never published. */
export function staffSecrets(staff: { file: string; data: Staff }): Secret[] {
	return staff.data.people.map((p) => ({
		needle: words(p.email),
		excerpt: p.email,
		source: `${staff.file} (staff e-mail address)`,
	}));
}

/**
 * Built files that hold no text a reader could see: never searched (NDA files are matched by hash). The
 * build's brotli and gzip copies hold the same text as the files beside them, which are searched.
 */
const BINARY = /\.(png|jpe?g|gif|webp|avif|ico|woff2?|ttf|otf|wasm|pdf|zip|br|gz)$/i;
/** Pagefind's index and fragments are gzip-compressed. */
const COMPRESSED = /\.pf_(fragment|index|meta|filter)$/;

/** Reads a built file's bytes, decompressing Pagefind's files. */
function readBuilt(path: string): Buffer {
	const bytes = readFileSync(path);
	return COMPRESSED.test(path) && bytes[0] === 0x1f && bytes[1] === 0x8b
		? gunzipSync(bytes)
		: bytes;
}

/** Reads a built file as searchable text, decompressing Pagefind's files. */
export function readBuiltText(path: string): string {
	return readBuilt(path).toString('utf8');
}

/** Secrets indexed by their first one or two words, so a file is scanned once, not once per secret. */
function indexSecrets(secrets: readonly Secret[]): Map<string, Secret[]> {
	const index = new Map<string, Secret[]>();
	for (const secret of secrets) {
		const key = secret.needle.split(' ').slice(0, 2).join(' ');
		index.set(key, [...(index.get(key) ?? []), secret]);
	}
	return index;
}

/** Returns the secrets whose needles are in `text` (normalised by `words`), whole-word. */
function secretFinder(secrets: readonly Secret[]): (text: string) => Set<Secret> {
	const index = indexSecrets(secrets);
	return (text) => {
		const found = new Set<Secret>();
		// One pass over the words: at each word boundary, only the secrets that begin with that word (or
		// those two words) are compared, in place, without splitting the text into an array of words.
		const check = (candidates: Secret[] | undefined, start: number) => {
			if (!candidates) return;
			for (const secret of candidates) {
				const end = start + secret.needle.length;
				if (
					!found.has(secret) &&
					text.startsWith(secret.needle, start) &&
					(end === text.length || text[end] === ' ')
				)
					found.add(secret);
			}
		};
		for (let start = 0; start < text.length;) {
			const space = text.indexOf(' ', start);
			const oneEnd = space === -1 ? text.length : space;
			check(index.get(text.slice(start, oneEnd)), start);
			if (space !== -1) {
				const next = text.indexOf(' ', space + 1);
				check(index.get(text.slice(start, next === -1 ? text.length : next)), start);
			}
			start = oneEnd + 1;
		}
		return found;
	};
}

/**
 * Where a page is cut into pieces: before each sidebar group, stylesheet and script, and after each
 * stylesheet and script. Every page repeats the sidebar, with a group for every folder of pages (on a
 * 2,000-page site, three quarters of each page's bytes), and the same stylesheets and scripts; only the
 * group of the page itself differs (it is open). So each distinct piece is read and searched once. A
 * cut is never inside a paragraph, list item or cell: no sentence a page shows runs across one.
 */
const CUTS = [
	{ open: Buffer.from('<details') },
	{ open: Buffer.from('<style'), close: Buffer.from('</style>') },
	{ open: Buffer.from('<script'), close: Buffer.from('</script>') },
];

/** The pieces of a built file: an HTML page's as cut at CUTS, any other file whole. */
function pieces(path: string, bytes: Buffer): Buffer[] {
	if (!path.endsWith('.html')) return [bytes];
	const cuts = new Set([0]);
	for (const { open, close } of CUTS)
		for (let at = bytes.indexOf(open); at !== -1; at = bytes.indexOf(open, at + 1)) {
			cuts.add(at);
			// The element's end is searched from its start only: the page is passed over once per kind.
			const end = close ? bytes.indexOf(close, at) : -1;
			if (end !== -1) {
				cuts.add(end);
				at = end;
			}
		}
	const starts = [...cuts].sort((a, b) => a - b);
	return starts.map((start, i) => bytes.subarray(start, starts[i + 1] ?? bytes.length));
}

/** Finds every secret in every text file under `dist`, whole-word. */
export function findLeaks(
	root: string,
	dist: string,
	secrets: readonly Secret[],
): { leaks: Leak[]; filesScanned: number } {
	const leaks: Leak[] = [];
	const find = secretFinder(secrets);
	// The secrets in each distinct piece, by the piece's SHA-256.
	const searched = new Map<string, Set<Secret>>();
	const files = walkFiles(dist, (name) => !BINARY.test(name));
	for (const path of files) {
		const found = new Set<Secret>();
		for (const piece of pieces(path, readBuilt(path))) {
			const key = hash('sha256', piece, 'base64');
			let inPiece = searched.get(key);
			if (!inPiece) {
				inPiece = find(words(piece.toString('utf8')));
				searched.set(key, inPiece);
			}
			for (const secret of inPiece) found.add(secret);
		}
		for (const secret of secrets)
			if (found.has(secret)) leaks.push({ file: relative(root, path), secret });
	}
	return { leaks, filesScanned: files.length };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * Files that must never be published: the NDA documents and everything the whitepaper step wrote to
 * private/ (the edition itself shares assets with the public site, so only its output counts).
 * Returns the built files whose bytes equal one of them.
 */
export function findPrivateFiles(
	root: string,
	dist: string,
	privateFiles: readonly string[],
): { file: string; copyOf: string }[] {
	const wanted = new Map(
		privateFiles.filter((f) => existsSync(join(root, f))).map((f) => [sha256(join(root, f)), f]),
	);
	// Only a file of the same size can be a copy: the rest are not read at all.
	const sizes = new Set(
		privateFiles.filter((f) => existsSync(join(root, f))).map((f) => statSync(join(root, f)).size),
	);
	return walkFiles(dist).flatMap((path) => {
		const copyOf = sizes.has(statSync(path).size) ? wanted.get(sha256(path)) : undefined;
		return copyOf ? [{ file: relative(root, path), copyOf }] : [];
	});
}
