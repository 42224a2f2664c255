// What the security team reads: downloads by company and person, and who a leaked copy was issued to.
import { Worker } from 'node:worker_threads';
import { verifyFingerprint } from '../lib/fingerprint.ts';
import type { PdfScan } from '../lib/fingerprint-worker.ts';
import type { Gate } from './gate.ts';

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

/** Downloads per company, person and document. */
export async function report(gate: Gate): Promise<DownloadReportRow[]> {
	const { rows } = await gate.db.query<DownloadReportRow>(
		`SELECT r.company, r.email, r.name, d.document, count(*)::int AS downloads, min(d.at) AS first, max(d.at) AS last
		 FROM downloads d JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id
		 GROUP BY r.company, r.email, r.name, d.document ORDER BY lower(r.company), r.email, d.document`,
	);
	return rows;
}

// The reading of one leaked PDF gets this much heap at most; past it, the worker is stopped and the gate goes on.
const SCAN_HEAP_MB = 256;

/**
 * Reads a leaked PDF in a worker thread (fingerprint-worker.ts), so that the gate keeps answering while a large or
 * hostile file is read, and a file made to exhaust memory costs at most the worker's heap.
 */
function scanPdf(pdf: Uint8Array): Promise<PdfScan | { refused: string }> {
	return new Promise((resolve, reject) => {
		const worker = new Worker(new URL('../lib/fingerprint-worker.ts', import.meta.url), {
			workerData: pdf,
			resourceLimits: { maxOldGenerationSizeMb: SCAN_HEAP_MB },
		});
		worker.once('message', resolve);
		worker.once('error', (error: NodeJS.ErrnoException) =>
			error.code === 'ERR_WORKER_OUT_OF_MEMORY'
				? resolve({
						refused: `reading it needed more than the ${SCAN_HEAP_MB} MB trace allows. No copy the gate serves comes near that; this file may be made to exhaust memory.`,
					})
				: reject(error),
		);
		// After an answer or an error this changes nothing; on its own, the worker stopped without either.
		worker.once('exit', (code) =>
			reject(new Error(`the worker reading the PDF stopped with exit code ${code}`)),
		);
	});
}

/**
 * Who a leaked copy was issued to: an exact match of its SHA-256, or its hidden fingerprint; `refused` when the
 * file is too large to search for a fingerprint (see INFLATE_LIMITS in fingerprint.ts), with the reason.
 */
export async function trace(
	gate: Gate,
	pdf: Uint8Array,
): Promise<
	| {
			match: 'exact' | 'fingerprint';
			download: {
				id: string;
				document: string;
				at: Date;
				name: string;
				company: string;
				email: string;
				grant: string;
			};
	  }
	| { match: 'none'; fingerprints: string[] }
	| { match: 'refused'; reason: string }
> {
	const select = `SELECT d.id, d.document, d.at, d.grant_id AS grant, r.name, r.company, r.email FROM downloads d JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id WHERE `;
	type Row = {
		id: string;
		document: string;
		at: Date;
		grant: string;
		name: string;
		company: string;
		email: string;
	};
	const scan = await scanPdf(pdf);
	if ('sha256' in scan) {
		const exact = (await gate.db.query<Row>(`${select}d.sha256 = $1`, [scan.sha256])).rows[0];
		if (exact) return { match: 'exact', download: exact };
	}
	if ('refused' in scan) return { match: 'refused', reason: scan.refused };
	for (const fp of scan.fingerprints) {
		const id = gate.keys.map((k) => verifyFingerprint(fp, k.secret)).find(Boolean);
		const row = id && (await gate.db.query<Row>(`${select}d.id = $1`, [id])).rows[0];
		if (row) return { match: 'fingerprint', download: row };
	}
	return { match: 'none', fingerprints: scan.fingerprints };
}
