// Downloads: a signed link checked, the document stamped for its recipient, and the copy recorded.
import { readFile } from 'node:fs/promises';
import { verifyLink, type LinkClaims } from '../lib/signed-link.ts';
import { fingerprintFor } from '../lib/fingerprint.ts';
import { watermarkPdf } from '../lib/watermark.ts';
import { accessUrl } from '../../lib/routing/urls.ts';
import { readerRefusal, type GateError } from '../errors.ts';
import type { Queryable } from '../db.ts';
import { appendAudit } from './audit.ts';
import { grantRefusal } from './grants.ts';
import { newId, sha256, type Gate, type GrantRow, type RequestMeta } from './gate.ts';

/** The path the refusals send the reader back to, to ask again. */
const FORM = accessUrl();

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
		throw readerRefusal(410, 'link-expired', {
			title: 'gateRefusal.linkExpiredTitle',
			message: 'gateRefusal.linkExpired',
			values: { count: gate.config.rules.grant.linkMinutes, form: FORM },
		});
	throw readerRefusal(403, checked.refusal === 'forged' ? 'link-forged' : 'link-malformed', {
		title: 'gateRefusal.linkInvalidTitle',
		message: 'gateRefusal.linkInvalid',
		values: { form: FORM },
	});
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
			readerRefusal(403, 'doc-not-granted', {
				title: 'gateRefusal.notGrantedTitle',
				message: 'gateRefusal.notGranted',
				values: { form: FORM },
			}),
		);
	const maxUses = gate.config.rules.grant.linkUses;
	const usedUp = readerRefusal(410, 'link-used-up', {
		title: 'gateRefusal.usedUpTitle',
		message: 'gateRefusal.usedUp',
		values: { count: maxUses, form: FORM },
	});
	if ((grant!.uses ?? 0) >= maxUses) return refuse(usedUp);
	let source: Uint8Array;
	try {
		source = await readFile(document.path);
	} catch {
		throw readerRefusal(503, 'doc-missing', {
			title: 'gateRefusal.documentMissingTitle',
			message: 'gateRefusal.documentMissing',
			values: { title: document.title, contact: gate.config.site.contacts.security },
		});
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
		{ fonts: gate.fonts, words: gate.config.words },
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
