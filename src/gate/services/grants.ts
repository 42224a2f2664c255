// Grants: made by a decision, listed and revoked by the security team, their link sent again with a
// fresh key when its mail was lost, opened by the requester on the documents page with fresh signed
// download links.
import type { GateDocument } from '../lib/access-config.ts';
import { signLink } from '../lib/signed-link.ts';
import { addDays, utcMinute } from '../../lib/dates.ts';
import { absoluteUrl, accessUrl, downloadUrl } from '../../lib/routing/urls.ts';
import { GateError, readerRefusal } from '../errors.ts';
import type { Queryable } from '../db.ts';
import { grantMail } from '../mail/texts.ts';
import { actorName, appendAudit, type Actor } from './audit.ts';
import { deliverMail, type MailFailure, type MailOutcome } from './mail.ts';
import { isToken, newId, newToken, sameHash, sha256, type Gate, type GrantRow } from './gate.ts';

/** Grants `documents` to a request for `days`, inside the caller's transaction; `by` is the actor. */
export async function createGrant(
	gate: Gate,
	q: Queryable,
	request: { id: string; email: string },
	documents: string[],
	days: number,
	by: Actor,
): Promise<{ id: string; key: string; expires: Date }> {
	const id = newId('grant');
	const key = newToken();
	const now = gate.now();
	const expires = addDays(now, days);
	await q.query(
		'INSERT INTO grants (id, request_id, documents, created_at, expires_at, access_hash, granted_by) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)',
		[id, request.id, JSON.stringify(documents), now, expires, sha256(key), actorName(by)],
	);
	await appendAudit(
		q,
		{
			type: 'grant.created',
			actor: by,
			subject: id,
			data: {
				request: request.id,
				email: request.email,
				documents,
				days,
				expiresAt: expires.toISOString(),
			},
		},
		now,
	);
	return { id, key, expires };
}

/** The grant `grantId`, locked for the caller's transaction, or the refusal of an unknown one. */
async function lockedGrant(q: Queryable, grantId: string): Promise<GrantRow> {
	const grant = (
		await q.query<GrantRow>('SELECT * FROM grants WHERE id = $1 FOR UPDATE', [grantId])
	).rows[0];
	if (!grant)
		throw new GateError(
			404,
			'Unknown grant',
			`No grant "${grantId}". Grant ids start with "grant_"; see npm run gate -- grants`,
			'grant-unknown',
		);
	return grant;
}

/** Revokes a grant at once: its page and every link already issued stop working. */
export async function revoke(
	gate: Gate,
	grantId: string,
	actor: Actor,
	reason: string | undefined,
): Promise<void> {
	const now = gate.now();
	await gate.db.tx(async (q) => {
		const grant = await lockedGrant(q, grantId);
		if (grant.revoked_at)
			throw new GateError(
				409,
				'Already revoked',
				`Grant ${grantId} was already revoked at ${grant.revoked_at.toISOString()}; nothing changed.`,
				'grant-revoked',
			);
		await q.query(
			'UPDATE grants SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1',
			[grantId, now, actorName(actor), reason ?? null],
		);
		await appendAudit(
			q,
			{ type: 'grant.revoked', actor, subject: grantId, data: { reason: reason ?? null } },
			now,
		);
	});
}

/**
 * Sends a grant's link again, with a fresh key: the stored hash is replaced (so the link mailed before,
 * lost or not, stops working) and the audit entry names `actor`, in one transaction; then the link is
 * mailed, and `mail` says how it left or why it did not (sending again is then safe). A revoked or
 * expired grant is refused: its link would open nothing.
 */
export async function resendGrant(
	gate: Gate,
	grantId: string,
	actor: Actor,
): Promise<{ email: string; mail: MailOutcome | MailFailure }> {
	const now = gate.now();
	const made = await gate.db.tx(async (q) => {
		const grant = await lockedGrant(q, grantId);
		const { email, nda_waived_by } = (
			await q.query<{ email: string; nda_waived_by: string | null }>(
				'SELECT email, nda_waived_by FROM access_requests WHERE id = $1',
				[grant.request_id],
			)
		).rows[0]!;
		const askAgain = `a new link would open nothing, so none was made or sent. If ${email} should have the documents again, they can ask at ${absoluteUrl(accessUrl(), gate.publicUrl)}.`;
		if (grant.revoked_at)
			throw new GateError(
				409,
				'Grant revoked',
				`Grant ${grantId} was revoked on ${utcMinute(grant.revoked_at)}${grant.revoked_by ? ` by ${grant.revoked_by}` : ''}: ${askAgain}`,
				'grant-revoked',
			);
		if (grant.expires_at.getTime() < now.getTime())
			throw new GateError(
				409,
				'Grant expired',
				`Grant ${grantId} ended on ${utcMinute(grant.expires_at)}: ${askAgain}`,
				'grant-expired',
			);
		const key = newToken();
		await q.query('UPDATE grants SET access_hash = $2 WHERE id = $1', [grantId, sha256(key)]);
		await appendAudit(
			q,
			{
				type: 'grant.resent',
				actor,
				subject: grantId,
				data: { request: grant.request_id, email, expiresAt: grant.expires_at.toISOString() },
			},
			now,
		);
		return { grant, key, email, ndaWaived: nda_waived_by !== null };
	});
	const mail = await deliverMail(
		gate,
		grantId,
		made.email,
		grantMail(
			gate,
			{ id: grantId, key: made.key, expires: made.grant.expires_at },
			made.grant.documents,
			made.ndaWaived,
		),
	);
	return { email: made.email, mail };
}

/** The grant an approval of request `requestId` made, if it was approved. */
export async function grantOfRequest(gate: Gate, requestId: string): Promise<GrantRow | undefined> {
	const { rows } = await gate.db.query<GrantRow>(
		'SELECT * FROM grants WHERE request_id = $1 ORDER BY created_at DESC LIMIT 1',
		[requestId],
	);
	return rows[0];
}

/** A grant with its requester, as the CLI and the console list them. */
export interface GrantListing {
	id: string;
	email: string;
	company: string;
	documents: string[];
	createdAt: Date;
	expiresAt: Date;
	revokedAt: Date | null;
	revokedBy: string | null;
	revokeReason: string | null;
}

/** Which grants: usable now, past their end, or revoked. */
export type GrantState = 'active' | 'expired' | 'revoked';

/**
 * Grants with their requester, newest first: all of them, or one page of `limit` before `before`
 * (keyset paging), only those in `state` when given.
 */
export async function listGrants(
	gate: Gate,
	page: {
		state?: GrantState | undefined;
		before?: { createdAt: Date; id: string } | undefined;
		limit?: number;
	} = {},
): Promise<GrantListing[]> {
	const where: string[] = [];
	const params: unknown[] = [];
	if (page.state === 'revoked') where.push('g.revoked_at IS NOT NULL');
	else if (page.state) {
		params.push(gate.now());
		where.push(
			`g.revoked_at IS NULL AND g.expires_at ${page.state === 'expired' ? '<=' : '>'} $${params.length}`,
		);
	}
	if (page.before) {
		params.push(page.before.createdAt, page.before.id);
		where.push(`(g.created_at, g.id) < ($${params.length - 1}, $${params.length})`);
	}
	const { rows } = await gate.db.query<GrantRow & { email: string; company: string }>(
		`SELECT g.*, r.email, r.company FROM grants g JOIN access_requests r ON r.id = g.request_id
		 ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
		 ORDER BY g.created_at DESC, g.id DESC ${page.limit ? `LIMIT ${Math.floor(page.limit)}` : ''}`,
		params,
	);
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		company: r.company,
		documents: r.documents,
		createdAt: r.created_at,
		expiresAt: r.expires_at,
		revokedAt: r.revoked_at,
		revokedBy: r.revoked_by,
		revokeReason: r.revoke_reason,
	}));
}

/**
 * Why a grant cannot be used now (unknown, revoked, expired), or undefined when it can. Days are
 * given as YYYY-MM-DD, in every language.
 */
export function grantRefusal(grant: GrantRow | undefined, now: Date): GateError | undefined {
	const form = accessUrl();
	if (!grant)
		return readerRefusal(404, 'grant-unknown', {
			title: 'gateRefusal.unknownLinkTitle',
			message: 'gateRefusal.grantUnknown',
			values: { form },
		});
	if (grant.revoked_at)
		return readerRefusal(410, 'grant-revoked', {
			title: 'gateRefusal.revokedTitle',
			message: 'gateRefusal.grantRevoked',
			values: { date: grant.revoked_at, form },
		});
	if (grant.expires_at.getTime() < now.getTime())
		return readerRefusal(410, 'grant-expired', {
			title: 'gateRefusal.expiredTitle',
			message: 'gateRefusal.grantExpired',
			values: { date: grant.expires_at, form },
		});
	return undefined;
}

/** What the documents page of a grant shows. */
export interface GrantView {
	expiresAt: Date;
	name: string;
	/** True when an access rule waived the NDA for the requester. */
	ndaWaived: boolean;
	links: Array<{ document: GateDocument; href: string }>;
	linkMinutes: number;
	linkUses: number;
}

/** A grant with its requester's name, or undefined for an id the gate never made. */
async function findGrant(
	gate: Gate,
	grantId: string,
): Promise<(GrantRow & { name: string; nda_waived_by: string | null }) | undefined> {
	// Ids are checked for shape first: text the database cannot store (NUL) never reaches it.
	if (!/^grant_[0-9a-f]{16}$/.test(grantId)) return undefined;
	return (
		await gate.db.query<GrantRow & { name: string; nda_waived_by: string | null }>(
			'SELECT g.*, r.name, r.nda_waived_by FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.id = $1',
			[grantId],
		)
	).rows[0];
}

/**
 * Refuses unless `key` is the secret from the grant email of a grant that can be used now. A wrong key
 * is answered like an unknown grant, so a grant id alone tells nothing.
 */
export async function checkGrantKey(gate: Gate, grantId: string, key: string): Promise<void> {
	const row = isToken(key) ? await findGrant(gate, grantId) : undefined;
	const found = row && sameHash(row.access_hash, sha256(key)) ? row : undefined;
	const refusal = grantRefusal(found, gate.now());
	if (refusal) throw refusal;
}

/**
 * The documents of a grant with fresh signed download links. Only for a browser that has shown the
 * grant's key (`checkGrantKey`); revoked, expired and unknown grants are refused.
 */
export async function grantPage(gate: Gate, grantId: string): Promise<GrantView> {
	const found = await findGrant(gate, grantId);
	const refusal = grantRefusal(found, gate.now());
	if (refusal) throw refusal;
	const { linkMinutes, linkUses } = gate.config.rules.grant;
	const iat = Math.floor(gate.now().getTime() / 1000);
	const links = found!.documents.flatMap((doc) => {
		const document = gate.config.documents.find((d) => d.id === doc);
		return document
			? [
					{
						document,
						href: downloadUrl(
							signLink(
								{ grant: grantId, doc, link: newId('link'), iat, exp: iat + linkMinutes * 60 },
								gate.keyring.keys,
							),
						),
					},
				]
			: [];
	});
	return {
		expiresAt: found!.expires_at,
		name: found!.name,
		ndaWaived: found!.nda_waived_by !== null,
		links,
		linkMinutes,
		linkUses,
	};
}
