// Downloads: a signed link checked, the document stamped for its recipient, and the copy recorded.
import { readFile } from 'node:fs/promises';
import { verifyLink, type LinkClaims } from '../lib/signed-link.ts';
import { fingerprintFor } from '../lib/fingerprint.ts';
import { watermarkPdf } from '../lib/watermark.ts';
import { accessUrl } from '../../lib/routing/urls.ts';
import { GateError } from '../errors.ts';
import type { Queryable } from '../db.ts';
import { appendAudit } from './audit.ts';
import { grantRefusal } from './grants.ts';
import { newId, sha256, type Gate, type GrantRow, type RequestMeta } from './gate.ts';

const ASK = `Open the documents page from your email again to get a fresh link, or ask again at ${accessUrl()}.`;

/** A served copy. */
export interface Download {
	id: string;
	bytes: Uint8Array;
	filename: string;
	sha256: string;
}

/**
 * Checks a download link's signature and expiry (in constant time, without the database) and returns
 * what it grants; refuses a malformed, forged or expired link.
 */
export function checkLink(gate: Gate, query: URLSearchParams): LinkClaims {
	const checked = verifyLink(query, gate.keyring.keys, Math.floor(gate.now().getTime() / 1000));
	if (checked.ok) return checked.claims;
	if (checked.refusal === 'expired')
		throw new GateError(
			410,
			'Link expired',
			`Download links work for ${gate.config.rules.grant.linkMinutes} minutes, and this one has expired. ${ASK}`,
			'link-expired',
		);
	throw new GateError(
		403,
		'Link not valid',
		`This download link is not valid: it was changed, or it was not issued by us. ${ASK}`,
		checked.refusal === 'forged' ? 'link-forged' : 'link-malformed',
	);
}

/**
 * Serves the document of a checked link (`checkLink`) stamped for its recipient. The grant and the
 * link's uses are checked before the watermark, which costs the most; the use is counted atomically
 * in the transaction that records the download, so concurrent requests never pass the limit.
 */
export async function download(
	gate: Gate,
	claims: LinkClaims,
	meta: RequestMeta,
): Promise<Download> {
	const nowDate = gate.now();
	const lookup = async (q: Queryable, lock: boolean) =>
		(
			await q.query<
				GrantRow & { name: string; company: string; email: string; uses: number | null }
			>(
				`SELECT g.*, r.name, r.company, r.email, (SELECT uses FROM link_uses WHERE link_id = $2) AS uses FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.id = $1${lock ? ' FOR UPDATE OF g' : ''}`,
				[claims.grant, claims.link],
			)
		).rows[0];
	const refuse = async (error: GateError): Promise<never> => {
		await gate.db.tx((q) =>
			appendAudit(
				q,
				{
					type: 'download.refused',
					actor: 'gate',
					subject: claims.grant,
					data: { document: claims.doc, link: claims.link, why: error.code, ip: meta.ip },
				},
				nowDate,
			),
		);
		throw error;
	};
	const grant = await lookup(gate.db, false);
	const refusal = grantRefusal(grant, nowDate);
	if (refusal) return refuse(refusal);
	const document = gate.config.documents.find((d) => d.id === claims.doc);
	if (!document || !grant!.documents.includes(claims.doc))
		return refuse(
			new GateError(
				403,
				'Not in your grant',
				`This link is for a document your access does not include. ${ASK}`,
				'doc-not-granted',
			),
		);
	const maxUses = gate.config.rules.grant.linkUses;
	const usedUp = new GateError(
		410,
		'Link used up',
		`This download link has already been used ${maxUses} times, its limit. ${ASK}`,
		'link-used-up',
	);
	if ((grant!.uses ?? 0) >= maxUses) return refuse(usedUp);
	let source: Uint8Array;
	try {
		source = await readFile(document.path);
	} catch {
		throw new GateError(
			503,
			'Document not available',
			`"${document.title}" is not available right now. Please try again later, or write to ${gate.config.site.contacts.security}.`,
			'doc-missing',
		);
	}
	const id = newId('dl');
	const bytes = await watermarkPdf(
		source,
		{
			name: grant!.name,
			company: grant!.company,
			email: grant!.email,
			downloadId: id,
			issuedAt: nowDate,
		},
		fingerprintFor(id, gate.keyring.keys[0]!.secret),
		{ fonts: gate.fonts },
	);
	const hash = sha256(bytes);
	const outcome = await gate.db.tx(async (q) => {
		const fresh = await lookup(q, true);
		const late = grantRefusal(fresh, nowDate);
		if (late) return late;
		const used = await q.query(
			'INSERT INTO link_uses (link_id, grant_id, uses) VALUES ($1, $2, 1) ON CONFLICT (link_id) DO UPDATE SET uses = link_uses.uses + 1 WHERE link_uses.uses < $3 RETURNING uses',
			[claims.link, claims.grant, maxUses],
		);
		if (used.rows.length === 0) return usedUp;
		await q.query(
			'INSERT INTO downloads (id, grant_id, link_id, document, at, ip, user_agent, sha256, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
			[
				id,
				claims.grant,
				claims.link,
				claims.doc,
				nowDate,
				meta.ip,
				meta.userAgent,
				hash,
				bytes.length,
			],
		);
		await appendAudit(
			q,
			{
				type: 'download.served',
				actor: `requester:${grant!.email}`,
				subject: id,
				data: {
					grant: claims.grant,
					document: claims.doc,
					link: claims.link,
					sha256: hash,
					bytes: bytes.length,
					ip: meta.ip,
					userAgent: meta.userAgent,
				},
			},
			nowDate,
		);
		return undefined;
	});
	if (outcome) return refuse(outcome);
	return { id, bytes, filename: `${claims.doc}-${id}.pdf`, sha256: hash };
}
