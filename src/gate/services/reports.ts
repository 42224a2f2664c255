// What the security team reads: downloads by company and person, and who a leaked copy was issued to.
import { Worker } from 'node:worker_threads';
import { verifyFingerprint } from '../lib/fingerprint.ts';
import type { PdfScan } from '../lib/fingerprint-worker.ts';
import { appendAudit, type Actor } from './audit.ts';
import { sha256, type Gate } from './gate.ts';
import { filterConditions, type ListFilter } from './list-filters.ts';
import type { After } from './requests.ts';

/** One row of the download report: how often one person downloaded one document. */
export interface DownloadReportRow {
	company: string;
	email: string;
	name: string;
	document: string;
	downloads: number;
	first: Date;
	last: Date;
}

/** Which downloads: by who asked and when (the console's shared filters), and one document. */
export interface DownloadFilter extends ListFilter {
	/** A document id. */
	document?: string | undefined;
}

/** Downloads joined with their grant's request, as `d` and `r`. */
const DOWNLOADS =
	'downloads d JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id';

/** The WHERE clause for `filter` (and a page start) on DOWNLOADS, its values pushed onto `params`. */
function downloadsWhere(
	filter: DownloadFilter,
	before: After | undefined,
	params: unknown[],
): string {
	const where = filterConditions(filter, before, params, { time: 'd.at', id: 'd.id' });
	if (filter.document) where.push(`d.document = $${params.push(filter.document)}`);
	return where.length ? `WHERE ${where.join(' AND ')}` : '';
}

/** Downloads per company, person and document (the CLI's `report`), of those `filter` lets through. */
export async function report(
	gate: Gate,
	filter: DownloadFilter = {},
): Promise<DownloadReportRow[]> {
	const params: unknown[] = [];
	const { rows } = await gate.db.query<DownloadReportRow>(
		`SELECT r.company, r.email, r.name, d.document, count(*)::int AS downloads, min(d.at) AS first, max(d.at) AS last
		 FROM ${DOWNLOADS} ${downloadsWhere(filter, undefined, params)}
		 GROUP BY r.company, r.email, r.name, d.document ORDER BY lower(r.company), r.email, d.document`,
		params,
	);
	return rows;
}

/** One served copy: who it was for, which document, when, and how to recognise it. */
export interface DownloadListing {
	id: string;
	at: Date;
	document: string;
	grant: string;
	name: string;
	email: string;
	company: string;
	ip: string;
	sha256: string;
}

/**
 * Downloads newest first, of those `filter` lets through, one page of `limit` before `before` (keyset
 * paging: the console's list and its CSV export read them a page at a time).
 */
export async function listDownloads(
	gate: Gate,
	filter: DownloadFilter,
	page: { before?: After | undefined; limit: number },
): Promise<DownloadListing[]> {
	const params: unknown[] = [];
	const { rows } = await gate.db.query<DownloadListing>(
		`SELECT d.id, d.at, d.document, d.grant_id AS grant, r.name, r.email, r.company, d.ip, d.sha256
		 FROM ${DOWNLOADS} ${downloadsWhere(filter, page.before, params)}
		 ORDER BY d.at DESC, d.id DESC LIMIT ${Math.floor(page.limit)}`,
		params,
	);
	return rows;
}

/** How downloads are counted: per company, or per document. */
export type DownloadGroup = 'company' | 'document';

/** The downloads of one company or document. */
export interface DownloadCount {
	/** The company's name, or the document's id. */
	key: string;
	downloads: number;
	/** Different e-mail addresses that downloaded. */
	people: number;
	last: Date;
}

/**
 * Download counts per company or per document, of those `filter` lets through, in name order, one page
 * of `limit` after the name `after`.
 */
export async function downloadCounts(
	gate: Gate,
	by: DownloadGroup,
	filter: DownloadFilter,
	page: { after?: string | undefined; limit: number },
): Promise<DownloadCount[]> {
	const params: unknown[] = [];
	const key = by === 'company' ? 'r.company' : 'd.document';
	const { rows } = await gate.db.query<DownloadCount>(
		`SELECT ${key} AS key, count(*)::int AS downloads, count(DISTINCT r.email)::int AS people, max(d.at) AS last
		 FROM ${DOWNLOADS} ${downloadsWhere(filter, undefined, params)}
		 GROUP BY ${key} ${page.after === undefined ? '' : `HAVING ${key} > $${params.push(page.after)}`}
		 ORDER BY ${key} LIMIT ${Math.floor(page.limit)}`,
		params,
	);
	return rows;
}

/** Records that `actor` exported the downloads `filter` lets through (a list of people's names and addresses). */
export async function recordExport(
	gate: Gate,
	actor: Actor,
	filter: DownloadFilter,
): Promise<void> {
	await gate.db.tx((q) =>
		appendAudit(
			q,
			{ type: 'downloads.exported', actor, subject: 'downloads', data: { filter: { ...filter } } },
			gate.now(),
		),
	);
}

// The reading of one leaked PDF gets this much heap at most; past it, the worker is stopped and the gate goes on.
const SCAN_HEAP_MB = 256;
// And this much time: the largest upload the console takes reads in a few seconds.
const SCAN_SECONDS = 60;

// The fingerprints of one file a trace looks at, at most.
const MAX_FINGERPRINTS = 100;

// Traces read one at a time: each may take its worker's heap and a core, and staff can start several.
let scanning: Promise<unknown> = Promise.resolve();

/**
 * Reads a leaked PDF in a worker thread (fingerprint-worker.ts), so that the gate keeps answering while a large or
 * hostile file is read, and a file made to exhaust memory or time costs at most the worker's heap and
 * `seconds`. One file is read at a time; the next waits for it.
 */
export function scanPdf(
	pdf: Uint8Array,
	seconds: number = SCAN_SECONDS,
): Promise<PdfScan | { refused: string }> {
	const scan = scanning.then(() => scanOne(pdf, seconds));
	scanning = scan.catch(() => undefined);
	return scan;
}

function scanOne(pdf: Uint8Array, seconds: number): Promise<PdfScan | { refused: string }> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(new URL('../lib/fingerprint-worker.ts', import.meta.url), {
			workerData: pdf,
			resourceLimits: { maxOldGenerationSizeMb: SCAN_HEAP_MB },
		});
		// Out of time, the worker is stopped, and its exit answers: the next file waits until it has stopped.
		let expired = false;
		const timer = setTimeout(() => {
			expired = true;
			void worker.terminate();
		}, seconds * 1000);
		const settle = () => clearTimeout(timer);
		worker.once('message', (scan: PdfScan) => {
			settle();
			resolve(scan);
		});
		worker.once('error', (error: NodeJS.ErrnoException) => {
			settle();
			if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
				resolve({
					refused: `reading it needed more than the ${SCAN_HEAP_MB} MB trace allows. No copy the gate serves comes near that; this file may be made to exhaust memory.`,
				});
			else reject(error);
		});
		// After an answer or an error this changes nothing; after the time limit it is the answer; on its
		// own, the worker stopped without either.
		worker.once('exit', (code) => {
			settle();
			if (expired)
				resolve({
					refused: `reading it took longer than the ${seconds} s trace allows. No copy the gate serves comes near that; this file may be made to take the server's time.`,
				});
			else reject(new Error(`the worker reading the PDF stopped with exit code ${code}`));
		});
	});
}

/** A download a traced copy came from, with its recipient and grant. */
export interface TracedDownload {
	id: string;
	document: string;
	at: Date;
	name: string;
	company: string;
	email: string;
	grant: string;
}

/** What a trace found: the downloads a copy came from, or why none. */
export type TraceResult =
	| {
			/** The same bytes as one download, by SHA-256. */
			match: 'exact';
			downloads: [TracedDownload];
	  }
	| {
			/**
			 * Changed after download; each fingerprint that verifies names a download. A file holding pages
			 * of several copies (pages of one recipient's copy put in front of another's) names them all, in
			 * the order their fingerprints come in the file.
			 */
			match: 'fingerprint';
			downloads: [TracedDownload, ...TracedDownload[]];
	  }
	| { match: 'none'; fingerprints: string[] }
	| { match: 'refused'; reason: string };

/**
 * Why a copy was not identified, for the console and the CLI. A copy printed to PDF again, re-rendered
 * by another program or edited can lose its fingerprint, so "not identified" is never "not ours".
 */
export function untraced(fingerprints: readonly string[]): string {
	return fingerprints.length
		? `It carries fingerprint(s) ${fingerprints.join(', ')}, but none verifies with this gate’s keys: it was issued by another gate, or with a key this gate no longer has.`
		: 'No download matches its hash, and it carries no fingerprint of this gate. It did not come through this gate, or it was made again (printed to PDF, re-rendered by another program) or edited, which loses the fingerprint. A name printed on its pages proves nothing: anyone can type one.';
}

/**
 * Who a leaked copy was issued to: an exact match of its SHA-256, or its hidden fingerprint; `refused` when the
 * file is too large to search for a fingerprint (see INFLATE_LIMITS in fingerprint.ts), with the reason. The
 * trace is an audit entry of `actor` (the CLI's user or the console's staff member), with what it found.
 */
export async function trace(gate: Gate, pdf: Uint8Array, actor: Actor): Promise<TraceResult> {
	const found = await match(gate, pdf);
	await gate.db.tx((q) =>
		appendAudit(
			q,
			{
				type: 'download.traced',
				actor,
				subject: 'downloads' in found ? found.downloads[0].id : 'none',
				data: {
					match: found.match,
					sha256: sha256(pdf),
					bytes: pdf.length,
					...('downloads' in found
						? {
								downloads: found.downloads.map((d) => d.id),
								grants: found.downloads.map((d) => d.grant),
							}
						: {}),
				},
			},
			gate.now(),
		),
	);
	return found;
}

/** The trace itself: the copy's hash, then each fingerprint it carries. */
async function match(gate: Gate, pdf: Uint8Array): Promise<TraceResult> {
	const select = `SELECT d.id, d.document, d.at, d.grant_id AS grant, r.name, r.company, r.email FROM downloads d JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id WHERE `;
	const scan = await scanPdf(pdf);
	if ('sha256' in scan) {
		const exact = (await gate.db.query<TracedDownload>(`${select}d.sha256 = $1`, [scan.sha256]))
			.rows[0];
		if (exact) return { match: 'exact', downloads: [exact] };
	}
	if ('refused' in scan) return { match: 'refused', reason: scan.refused };
	// Every fingerprint, not the first that verifies: a leaker who puts a page of someone else's copy
	// first must not get that person named in their place.
	const ids = new Set<string>();
	// A copy carries one fingerprint, a file of pages of several copies a few; a file with more is made
	// to cost the gate time, and the first of them are as good as any.
	for (const fp of scan.fingerprints.slice(0, MAX_FINGERPRINTS)) {
		// Retired keys too: a copy leaked years ago still names its recipient.
		const id = [...gate.keyring.keys, ...gate.keyring.retired]
			.map((k) => verifyFingerprint(fp, k.secret))
			.find(Boolean);
		if (id) ids.add(id);
	}
	const rows = ids.size
		? (await gate.db.query<TracedDownload>(`${select}d.id = ANY($1::text[])`, [[...ids]])).rows
		: [];
	const [first, ...more] = [...ids].flatMap((id) => rows.filter((r) => r.id === id));
	if (first) return { match: 'fingerprint', downloads: [first, ...more] };
	return { match: 'none', fingerprints: scan.fingerprints.slice(0, MAX_FINGERPRINTS) };
}
