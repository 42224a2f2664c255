// What the gate does, independent of HTTP and the CLI: requests, confirmation, decisions, grants,
// downloads, reports and traces. Every state change and its audit entry commit in one transaction.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AccessConfig, GateDocument } from './lib/access-config.ts';
import { decide, grantDays } from './lib/access-rules.ts';
import { signLink, verifyLink, type SigningKey } from './lib/signed-link.ts';
import { findFingerprints, fingerprintFor, verifyFingerprint, watermarkPdf } from './lib/watermark.ts';
import type { AccessRequestInput } from '../schemas/access-request.ts';
import { appendAudit } from './audit.ts';
import type { Db, Queryable } from './db.ts';
import type { Mailer } from './mail/mailer.ts';
import { confirmationMail, denialMail, grantMail, reviewMail, type MailText } from './mail/texts.ts';

/** How long an email confirmation link stays valid. */
export const CONFIRM_HOURS = 24;

/** Everything the gate's operations need. */
export interface Gate {
	db: Db;
	config: AccessConfig;
	keys: SigningKey[];
	mailer: Mailer;
	/** Base URL for links in emails, e.g. https://trust.example.com (no trailing slash). */
	publicUrl: string;
	now: () => Date;
}

/** A refusal the requester or operator sees: an HTTP status, a title, and what to do next. */
export class GateError extends Error {
	readonly status: 400 | 403 | 404 | 409 | 410 | 429 | 503;
	readonly title: string;
	readonly code: string;
	constructor(status: GateError['status'], title: string, message: string, code: string) {
		super(message);
		this.status = status;
		this.title = title;
		this.code = code;
	}
}

/** Who and where a request came from, as recorded in the audit log. */
export interface RequestMeta { ip: string; userAgent: string }

export const newId = (prefix: string): string => `${prefix}_${randomBytes(8).toString('hex')}`;
const newToken = (): string => randomBytes(32).toString('base64url');
const sha256 = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

interface RequestRow {
	id: string; created_at: Date; name: string; email: string; company: string; role: string; documents: string[]; reason: string | null;
	status: 'unverified' | 'pending' | 'partial' | 'approved' | 'denied'; verify_expires_at: Date; verified_at: Date | null; rule: string | null;
	pending_documents: string[]; decided_by: string | null; decision_reason: string | null;
}
interface GrantRow { id: string; request_id: string; documents: string[]; created_at: Date; expires_at: Date; access_hash: string; revoked_at: Date | null; revoke_reason: string | null }

/** The titles of documents by id, comma-separated, for mails and pages. */
export function documentTitles(gate: Pick<Gate, 'config'>, ids: readonly string[]): string {
	return ids.map((id) => gate.config.documents.find((d) => d.id === id)?.title ?? id).join(', ');
}

/** Sends one mail about request `about`, and records that it was sent (or failed) in the audit log. */
async function mail(gate: Gate, about: string, to: string, { kind, subject, text }: MailText): Promise<void> {
	let sent: Awaited<ReturnType<Mailer['send']>>;
	try {
		sent = await gate.mailer.send({ to, subject, text });
	} catch (error) {
		await gate.db.tx((q) => appendAudit(q, { type: 'email.failed', actor: 'gate', subject: about, data: { to, kind, subject, error: String((error as Error).message).slice(0, 200) } }, gate.now()));
		throw new GateError(503, 'Email could not be sent', `We could not send the email to ${to} just now. Please try again in a few minutes; if it keeps failing, write to ${gate.config.site.contacts.security}.`, 'mail-failed');
	}
	await gate.db.tx((q) => appendAudit(q, { type: 'email.sent', actor: 'gate', subject: about, data: { to, kind, subject, via: sent.via, messageId: sent.messageId } }, gate.now()));
}

/** Records a request and its NDA acceptance, and emails the confirmation link. Nothing is granted yet. */
export async function createRequest(gate: Gate, input: AccessRequestInput, meta: RequestMeta): Promise<{ id: string; email: string }> {
	const { nda } = gate.config;
	if (input.ndaSha256 !== nda.sha256 || input.ndaVersion !== nda.data.version) {
		throw new GateError(409, 'The NDA has changed', `The NDA changed after the request page was loaded: you accepted version ${input.ndaVersion}, the current one is ${nda.data.version}. Reload /access/, read the current NDA and submit again.`, 'nda-changed');
	}
	const id = newId('req');
	const token = newToken();
	const now = gate.now();
	await gate.db.tx(async (q) => {
		await q.query(
			`INSERT INTO access_requests (id, created_at, name, email, company, role, documents, reason, typed_name, nda_version, nda_sha256, ip, user_agent, status, verify_hash, verify_expires_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, 'unverified', $14, $15)`,
			[id, now, input.name, input.email, input.company, input.role, JSON.stringify(input.documents), input.reason ?? null, input.typedName, nda.data.version, nda.sha256, meta.ip, meta.userAgent, sha256(token), new Date(now.getTime() + CONFIRM_HOURS * 3_600_000)],
		);
		const actor = `requester:${input.email}`;
		await appendAudit(q, { type: 'request.created', actor, subject: id, data: { name: input.name, email: input.email, company: input.company, role: input.role, documents: input.documents, reason: input.reason ?? null } }, now);
		await appendAudit(q, { type: 'nda.accepted', actor, subject: id, data: { ndaVersion: nda.data.version, ndaSha256: nda.sha256, typedName: input.typedName, company: input.company, ip: meta.ip, userAgent: meta.userAgent } }, now);
	});
	await mail(gate, id, input.email, confirmationMail(gate, input, token, CONFIRM_HOURS));
	return { id, email: input.email };
}

/** What a confirmation (or a later visit to the same link) shows. */
export interface ConfirmResult {
	request: { id: string; name: string; email: string; status: RequestRow['status'] };
	granted: string[];
	review: string[];
	/** True when the link had been used before; nothing changed this time. */
	alreadyConfirmed: boolean;
}

async function createGrant(gate: Gate, q: Queryable, request: { id: string; email: string }, documents: string[], days: number, by: string): Promise<{ id: string; key: string; expires: Date }> {
	const id = newId('grant');
	const key = newToken();
	const now = gate.now();
	const expires = new Date(now.getTime() + days * 86_400_000);
	await q.query('INSERT INTO grants (id, request_id, documents, created_at, expires_at, access_hash, granted_by) VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)', [id, request.id, JSON.stringify(documents), now, expires, sha256(key), by]);
	await appendAudit(q, { type: 'grant.created', actor: by, subject: id, data: { request: request.id, email: request.email, documents, days, expiresAt: expires.toISOString() } }, now);
	return { id, key, expires };
}

/** Confirms the email behind `token`, applies the approval rules, and sends the outcome. */
export async function confirmEmail(gate: Gate, token: string, meta: RequestMeta): Promise<ConfirmResult> {
	const now = gate.now();
	const result = await gate.db.tx(async (q) => {
		const request = (await q.query<RequestRow>('SELECT * FROM access_requests WHERE verify_hash = $1 FOR UPDATE', [sha256(token)])).rows[0];
		if (!request) throw new GateError(404, 'Unknown confirmation link', 'This confirmation link is not one we sent, or it was copied incompletely. Open the link from the email again, or make a new request at /access/.', 'confirm-unknown');
		const summary = { id: request.id, name: request.name, email: request.email, status: request.status };
		if (request.status !== 'unverified') return { summary, granted: [], review: request.pending_documents, already: true as const };
		if (request.verify_expires_at.getTime() < now.getTime()) throw new GateError(410, 'Confirmation link expired', `This confirmation link expired ${CONFIRM_HOURS} hours after the request. Make a new request at /access/; it takes a minute.`, 'confirm-expired');
		const decision = decide(gate.config.rules, request.email, request.documents);
		const status = ({ approve: 'approved', partial: 'partial', review: 'pending', deny: 'denied' } as const)[decision.outcome];
		const actor = `requester:${request.email}`;
		await appendAudit(q, { type: 'email.verified', actor, subject: request.id, data: { ip: meta.ip, userAgent: meta.userAgent } }, now);
		const automatic = decision.outcome === 'approve' || decision.outcome === 'deny';
		await q.query('UPDATE access_requests SET status = $2, verified_at = $3, rule = $4, pending_documents = $5::jsonb, decided_at = $6, decided_by = $7 WHERE id = $1', [
			request.id, status, now, decision.because, JSON.stringify(decision.review), automatic ? now : null, automatic ? 'rules' : null,
		]);
		const type = { approve: 'request.approved', partial: 'request.partially-approved', review: 'request.review', deny: 'request.denied' }[decision.outcome];
		await appendAudit(q, { type, actor: 'rules', subject: request.id, data: { because: decision.because, granted: decision.grant, review: decision.review } }, now);
		const grant = decision.grant.length > 0 ? await createGrant(gate, q, request, decision.grant, decision.days, `rules:${decision.because}`) : undefined;
		return { summary: { ...summary, status }, granted: decision.grant, review: decision.review, already: false as const, grant, request, because: decision.because };
	});
	if (!result.already) {
		const { request } = result;
		if (result.grant) await mail(gate, request.id, request.email, grantMail(gate, request.name, result.grant, result.granted));
		if (result.review.length > 0) {
			const reviewers = gate.config.rules.reviewers ?? [gate.config.site.contacts.security];
			const text = reviewMail(gate, request, result.review, { partial: result.summary.status === 'partial', because: result.because });
			for (const to of reviewers) await mail(gate, request.id, to, text);
		}
	}
	return { request: result.summary, granted: result.granted, review: result.review, alreadyConfirmed: result.already };
}

/** A request waiting for the security team, with everything needed to decide. */
export interface PendingRequest { id: string; createdAt: Date; name: string; email: string; company: string; role: string; reason: string | null; documents: string[]; rule: string | null; status: string }

/** Requests that wait for a decision, oldest first. */
export async function pendingRequests(gate: Gate): Promise<PendingRequest[]> {
	const { rows } = await gate.db.query<RequestRow & { rule: string | null }>("SELECT * FROM access_requests WHERE status IN ('pending', 'partial') ORDER BY created_at, id");
	return rows.map((r) => ({ id: r.id, createdAt: r.created_at, name: r.name, email: r.email, company: r.company, role: r.role, reason: r.reason, documents: r.pending_documents, rule: r.rule, status: r.status }));
}

async function waitingRequest(q: Queryable, id: string): Promise<RequestRow> {
	const request = (await q.query<RequestRow>('SELECT * FROM access_requests WHERE id = $1 FOR UPDATE', [id])).rows[0];
	if (!request) throw new GateError(404, 'Unknown request', `No request "${id}". List the waiting ones with: npm run gate -- requests`, 'request-unknown');
	if (request.status === 'unverified') throw new GateError(409, 'Not confirmed', `Request ${id} has not confirmed its email yet, and nothing is granted on an unverified email. It can be decided once ${request.email} confirms.`, 'request-unverified');
	if (request.status !== 'pending' && request.status !== 'partial') throw new GateError(409, 'Already decided', `Request ${id} is already ${request.status}${request.decided_by ? ` (by ${request.decided_by})` : ''}; nothing changed.`, 'request-decided');
	return request;
}

/** Grants the documents a request waits for; `days` is capped by each document's `maxDays`. */
export async function approve(gate: Gate, id: string, actor: string, days?: number): Promise<{ grant: string; documents: string[]; days: number; capped: boolean }> {
	const now = gate.now();
	const done = await gate.db.tx(async (q) => {
		const request = await waitingRequest(q, id);
		const wanted = days ?? gate.config.rules.grant.days;
		const allowed = grantDays(gate.config.rules, request.pending_documents, wanted);
		await q.query("UPDATE access_requests SET status = 'approved', pending_documents = '[]'::jsonb, decided_at = $2, decided_by = $3 WHERE id = $1", [id, now, actor]);
		await appendAudit(q, { type: 'request.approved', actor, subject: id, data: { documents: request.pending_documents, days: allowed } }, now);
		const grant = await createGrant(gate, q, request, request.pending_documents, allowed, actor);
		return { request, grant, allowed, capped: allowed < wanted };
	});
	await mail(gate, id, done.request.email, grantMail(gate, done.request.name, done.grant, done.request.pending_documents));
	return { grant: done.grant.id, documents: done.request.pending_documents, days: done.allowed, capped: done.capped };
}

/** Refuses the documents a request waits for, with a reason the requester is told. */
export async function deny(gate: Gate, id: string, actor: string, reason: string): Promise<void> {
	const now = gate.now();
	const request = await gate.db.tx(async (q) => {
		const row = await waitingRequest(q, id);
		await q.query("UPDATE access_requests SET status = 'denied', decided_at = $2, decided_by = $3, decision_reason = $4 WHERE id = $1", [id, now, actor, reason]);
		await appendAudit(q, { type: 'request.denied', actor, subject: id, data: { documents: row.pending_documents, reason } }, now);
		return row;
	});
	await mail(gate, id, request.email, denialMail(gate, request.name, request.pending_documents, reason));
}

/** Revokes a grant at once: its page and every link already issued stop working. */
export async function revoke(gate: Gate, grantId: string, actor: string, reason: string | undefined): Promise<void> {
	const now = gate.now();
	await gate.db.tx(async (q) => {
		const grant = (await q.query<GrantRow>('SELECT * FROM grants WHERE id = $1 FOR UPDATE', [grantId])).rows[0];
		if (!grant) throw new GateError(404, 'Unknown grant', `No grant "${grantId}". Grant ids start with "grant_"; see npm run gate -- grants`, 'grant-unknown');
		if (grant.revoked_at) throw new GateError(409, 'Already revoked', `Grant ${grantId} was already revoked at ${grant.revoked_at.toISOString()}; nothing changed.`, 'grant-revoked');
		await q.query('UPDATE grants SET revoked_at = $2, revoked_by = $3, revoke_reason = $4 WHERE id = $1', [grantId, now, actor, reason ?? null]);
		await appendAudit(q, { type: 'grant.revoked', actor, subject: grantId, data: { reason: reason ?? null } }, now);
	});
}

/** Every grant with its requester, newest first. */
export async function listGrants(gate: Gate): Promise<Array<{ id: string; email: string; company: string; documents: string[]; expiresAt: Date; revokedAt: Date | null }>> {
	const { rows } = await gate.db.query<GrantRow & { email: string; company: string }>('SELECT g.*, r.email, r.company FROM grants g JOIN access_requests r ON r.id = g.request_id ORDER BY g.created_at DESC, g.id');
	return rows.map((r) => ({ id: r.id, email: r.email, company: r.company, documents: r.documents, expiresAt: r.expires_at, revokedAt: r.revoked_at }));
}

function grantRefusal(grant: GrantRow | undefined, now: Date): GateError | undefined {
	const ask = 'Ask again at /access/, or reply to the email that sent you the link.';
	if (!grant) return new GateError(404, 'Unknown link', `This link does not belong to any grant. Open the link from your email again. ${ask}`, 'grant-unknown');
	if (grant.revoked_at) return new GateError(410, 'Access revoked', `Access to these documents was revoked on ${grant.revoked_at.toISOString().slice(0, 10)}. ${ask}`, 'grant-revoked');
	if (grant.expires_at.getTime() < now.getTime()) return new GateError(410, 'Access expired', `Your access to these documents ended on ${grant.expires_at.toISOString().slice(0, 10)}. ${ask}`, 'grant-expired');
	return undefined;
}

/** The documents of a grant with fresh signed download links; `key` is the secret from the grant email. */
export async function grantPage(gate: Gate, grantId: string, key: string): Promise<{ expiresAt: Date; name: string; links: Array<{ document: GateDocument; href: string }>; linkMinutes: number; linkUses: number }> {
	// Ids and keys are checked for shape first: text the database cannot store (NUL) never reaches it.
	const wellFormed = /^grant_[0-9a-f]{16}$/.test(grantId) && /^[A-Za-z0-9_-]{43}$/.test(key);
	const row = wellFormed ? (await gate.db.query<GrantRow & { name: string }>('SELECT g.*, r.name FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.id = $1', [grantId])).rows[0] : undefined;
	const found = row && sameHash(row.access_hash, sha256(key)) ? row : undefined;
	const refusal = grantRefusal(found, gate.now());
	if (refusal) throw refusal;
	const { linkMinutes, linkUses } = gate.config.rules.grant;
	const iat = Math.floor(gate.now().getTime() / 1000);
	const links = found!.documents.flatMap((doc) => {
		const document = gate.config.documents.find((d) => d.id === doc);
		return document ? [{ document, href: `/download/?${signLink({ grant: grantId, doc, link: newId('link'), iat, exp: iat + linkMinutes * 60 }, gate.keys)}` }] : [];
	});
	return { expiresAt: found!.expires_at, name: found!.name, links, linkMinutes, linkUses };
}

/** A served copy. */
export interface Download { id: string; bytes: Uint8Array; filename: string; sha256: string }

/**
 * Checks a signed link and serves its document stamped for the recipient. The link is checked before
 * any database work, the grant and use count again inside the transaction that records the download.
 */
export async function download(gate: Gate, query: URLSearchParams, meta: RequestMeta): Promise<Download> {
	const ask = 'Open the documents page from your email again to get a fresh link, or ask again at /access/.';
	const nowDate = gate.now();
	const checked = verifyLink(query, gate.keys, Math.floor(nowDate.getTime() / 1000));
	if (!checked.ok) {
		if (checked.refusal === 'expired') throw new GateError(410, 'Link expired', `Download links work for ${gate.config.rules.grant.linkMinutes} minutes, and this one has expired. ${ask}`, 'link-expired');
		throw new GateError(403, 'Link not valid', `This download link is not valid: it was changed, or it was not issued by us. ${ask}`, checked.refusal === 'forged' ? 'link-forged' : 'link-malformed');
	}
	const { claims } = checked;
	const lookup = async (q: Queryable, lock: boolean) => (await q.query<GrantRow & { name: string; company: string; email: string }>(`SELECT g.*, r.name, r.company, r.email FROM grants g JOIN access_requests r ON r.id = g.request_id WHERE g.id = $1${lock ? ' FOR UPDATE OF g' : ''}`, [claims.grant])).rows[0];
	const refuse = async (error: GateError): Promise<never> => {
		await gate.db.tx((q) => appendAudit(q, { type: 'download.refused', actor: 'gate', subject: claims.grant, data: { document: claims.doc, link: claims.link, why: error.code, ip: meta.ip } }, nowDate));
		throw error;
	};
	const grant = await lookup(gate.db, false);
	const refusal = grantRefusal(grant, nowDate);
	if (refusal) return refuse(refusal);
	const document = gate.config.documents.find((d) => d.id === claims.doc);
	if (!document || !grant!.documents.includes(claims.doc)) return refuse(new GateError(403, 'Not in your grant', `This link is for a document your access does not include. ${ask}`, 'doc-not-granted'));
	let source: Uint8Array;
	try {
		source = await readFile(document.path);
	} catch {
		throw new GateError(503, 'Document not available', `"${document.title}" is not available right now. Please try again later, or write to ${gate.config.site.contacts.security}.`, 'doc-missing');
	}
	const id = newId('dl');
	const bytes = await watermarkPdf(source, { name: grant!.name, company: grant!.company, email: grant!.email, downloadId: id, issuedAt: nowDate }, fingerprintFor(id, gate.keys[0]!.secret));
	const hash = sha256(bytes);
	const maxUses = gate.config.rules.grant.linkUses;
	const outcome = await gate.db.tx(async (q) => {
		const fresh = await lookup(q, true);
		const late = grantRefusal(fresh, nowDate);
		if (late) return late;
		const used = await q.query('INSERT INTO link_uses (link_id, grant_id, uses) VALUES ($1, $2, 1) ON CONFLICT (link_id) DO UPDATE SET uses = link_uses.uses + 1 WHERE link_uses.uses < $3 RETURNING uses', [claims.link, claims.grant, maxUses]);
		if (used.rows.length === 0) return new GateError(410, 'Link used up', `This download link has already been used ${maxUses} times, its limit. ${ask}`, 'link-used-up');
		await q.query('INSERT INTO downloads (id, grant_id, link_id, document, at, ip, user_agent, sha256, bytes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [id, claims.grant, claims.link, claims.doc, nowDate, meta.ip, meta.userAgent, hash, bytes.length]);
		await appendAudit(q, { type: 'download.served', actor: `requester:${grant!.email}`, subject: id, data: { grant: claims.grant, document: claims.doc, link: claims.link, sha256: hash, bytes: bytes.length, ip: meta.ip, userAgent: meta.userAgent } }, nowDate);
		return undefined;
	});
	if (outcome) return refuse(outcome);
	return { id, bytes, filename: `${claims.doc}-${id}.pdf`, sha256: hash };
}

/** Downloads per company, person and document. */
export async function report(gate: Gate): Promise<Array<{ company: string; email: string; name: string; document: string; downloads: number; first: Date; last: Date }>> {
	const { rows } = await gate.db.query<{ company: string; email: string; name: string; document: string; downloads: number; first: Date; last: Date }>(
		`SELECT r.company, r.email, r.name, d.document, count(*)::int AS downloads, min(d.at) AS first, max(d.at) AS last
		 FROM downloads d JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id
		 GROUP BY r.company, r.email, r.name, d.document ORDER BY lower(r.company), r.email, d.document`,
	);
	return rows;
}

/** Who a leaked copy was issued to: an exact match of its SHA-256, or its hidden fingerprint. */
export async function trace(gate: Gate, pdf: Uint8Array): Promise<{ match: 'exact' | 'fingerprint'; download: { id: string; document: string; at: Date; name: string; company: string; email: string; grant: string } } | { match: 'none'; fingerprints: string[] }> {
	const select = `SELECT d.id, d.document, d.at, d.grant_id AS grant, r.name, r.company, r.email FROM downloads d JOIN grants g ON g.id = d.grant_id JOIN access_requests r ON r.id = g.request_id WHERE `;
	type Row = { id: string; document: string; at: Date; grant: string; name: string; company: string; email: string };
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
