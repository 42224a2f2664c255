// What the security team reads: downloads by company and person, and who a leaked copy was issued to.
import { findFingerprints, verifyFingerprint } from '../lib/watermark.ts';
import { sha256, type Gate } from './gate.ts';

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

/** Who a leaked copy was issued to: an exact match of its SHA-256, or its hidden fingerprint. */
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
	const exact = (await gate.db.query<Row>(`${select}d.sha256 = $1`, [sha256(pdf)])).rows[0];
	if (exact) return { match: 'exact', download: exact };
	const fingerprints = findFingerprints(pdf);
	for (const fp of fingerprints) {
		const id = gate.keys.map((k) => verifyFingerprint(fp, k.secret)).find(Boolean);
		const row = id && (await gate.db.query<Row>(`${select}d.id = $1`, [id])).rows[0];
		if (row) return { match: 'fingerprint', download: row };
	}
	return { match: 'none', fingerprints };
}
