// Grants: made by a decision, listed and revoked by the security team, opened by the requester on the
// documents page with fresh signed download links.
import type { GateDocument } from '../lib/access-config.ts';
import { signLink } from '../lib/signed-link.ts';
import { addDays } from '../../lib/dates.ts';
import { accessUrl, downloadUrl } from '../../lib/routing/urls.ts';
import { GateError, readerRefusal } from '../errors.ts';
import type { Queryable } from '../db.ts';
import { actorName, appendAudit, type Actor } from './audit.ts';
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

/** Revokes a grant at once: its page and every link already issued stop working. */
export async function revoke(
	gate: Gate,
	grantId: string,
	actor: Actor,
	reason: string | undefined,
): Promise<void> {
	const now = gate.now();
	await gate.db.tx(async (q) => {
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
	const { rows } = await gate.db.query<
		GrantRow & { email: string; company: string; revoked_by: string | null }
	>(
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
