// Access requests and their decisions: a request with its NDA acceptance, the email confirmation that
// applies the rules, and the security team's approvals and denials. Each state change and its audit
// entries commit in one transaction; mail goes out after the commit. A decision stands whatever becomes
// of its mail: the staff member is told what the mailer said, never to decide again.
import { decide, grantDays, ndaWaiver } from '../lib/access-rules.ts';
import type { AccessRequestInput } from '../../schemas/access-request.ts';
import { accessUrl } from '../../lib/routing/urls.ts';
import { GateError, readerRefusal } from '../errors.ts';
import type { Queryable } from '../db.ts';
import { confirmationMail, denialMail, grantMail, reviewMail } from '../mail/texts.ts';
import { actorName, appendAudit, type Actor } from './audit.ts';
import { createGrant } from './grants.ts';
import { filterConditions, type ListFilter } from './list-filters.ts';
import { deliverMail, sendMail, type MailFailure, type MailOutcome } from './mail.ts';
import { newId, newToken, sha256, type Gate, type RequestMeta, type RequestRow } from './gate.ts';

/** How long an email confirmation link stays valid. */
export const CONFIRM_HOURS = 24;

/**
 * Records a request and its NDA acceptance (or the rule that waived the NDA for its address), and emails
 * the confirmation link. Nothing is granted yet.
 */
export async function createRequest(
	gate: Gate,
	input: AccessRequestInput,
	meta: RequestMeta,
): Promise<{ id: string; email: string; ndaWaivedBy: string | null }> {
	const { nda } = gate.config;
	if (input.ndaSha256 !== nda.sha256 || input.ndaVersion !== nda.data.version) {
		throw readerRefusal(409, 'nda-changed', {
			title: 'gateRefusal.ndaChangedTitle',
			message: 'gateRefusal.ndaChanged',
			values: { accepted: input.ndaVersion, current: nda.data.version, form: accessUrl() },
		});
	}
	// Waived only for an address a rule waives it for, and only when the requester did not sign anyway.
	const waiver = input.accept ? undefined : ndaWaiver(gate.config.rules, input.email);
	// The request schema refuses this already; a caller that skipped it must not store an unsigned request.
	if (!input.accept && !waiver)
		throw new Error(`createRequest: ${input.email} neither accepted the NDA nor has it waived`);
	const id = newId('req');
	const token = newToken();
	const now = gate.now();
	await gate.db.tx(async (q) => {
		await q.query(
			`INSERT INTO access_requests (id, created_at, name, email, company, role, documents, reason, typed_name, nda_version, nda_sha256, ip, user_agent, status, verify_hash, verify_expires_at, nda_waived_by)
			 VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, 'unverified', $14, $15, $16)`,
			[
				id,
				now,
				input.name,
				input.email,
				input.company,
				input.role,
				JSON.stringify(input.documents),
				input.reason ?? null,
				waiver ? null : input.typedName,
				nda.data.version,
				nda.sha256,
				meta.ip,
				meta.userAgent,
				sha256(token),
				new Date(now.getTime() + CONFIRM_HOURS * 3_600_000),
				waiver?.name ?? null,
			],
		);
		const actor = `requester:${input.email}`;
		await appendAudit(
			q,
			{
				type: 'request.created',
				actor,
				subject: id,
				data: {
					name: input.name,
					email: input.email,
					company: input.company,
					role: input.role,
					documents: input.documents,
					reason: input.reason ?? null,
				},
			},
			now,
		);
		const ndaFacts = {
			ndaVersion: nda.data.version,
			ndaSha256: nda.sha256,
			company: input.company,
			ip: meta.ip,
			userAgent: meta.userAgent,
		};
		await appendAudit(
			q,
			waiver
				? {
						type: 'nda.waived',
						actor,
						subject: id,
						data: { ...ndaFacts, rule: waiver.name, domains: waiver.domains },
					}
				: {
						type: 'nda.accepted',
						actor,
						subject: id,
						data: { ...ndaFacts, typedName: input.typedName },
					},
			now,
		);
	});
	await sendMail(gate, id, input.email, confirmationMail(gate, input, token, CONFIRM_HOURS));
	return { id, email: input.email, ndaWaivedBy: waiver?.name ?? null };
}

/** What a confirmation (or a later visit to the same link) shows. */
export interface ConfirmResult {
	request: { id: string; name: string; email: string; status: RequestRow['status'] };
	granted: string[];
	review: string[];
	/** True when the link had been used before; nothing changed this time. */
	alreadyConfirmed: boolean;
}

/** Confirms the email behind `token`, applies the approval rules, and sends the outcome. */
export async function confirmEmail(
	gate: Gate,
	token: string,
	meta: RequestMeta,
): Promise<ConfirmResult> {
	const now = gate.now();
	const result = await gate.db.tx(async (q) => {
		const request = (
			await q.query<RequestRow>('SELECT * FROM access_requests WHERE verify_hash = $1 FOR UPDATE', [
				sha256(token),
			])
		).rows[0];
		if (!request)
			throw readerRefusal(404, 'confirm-unknown', {
				title: 'gateRefusal.unknownConfirmTitle',
				message: 'gateRefusal.confirmUnknown',
				values: { form: accessUrl() },
			});
		const summary = {
			id: request.id,
			name: request.name,
			email: request.email,
			status: request.status,
		};
		const expired = request.verify_expires_at.getTime() < now.getTime();
		// A used link shows the request (who, which address, what became of it) only until it expires.
		if (request.status !== 'unverified' && expired)
			throw readerRefusal(410, 'confirm-expired', {
				title: 'gateRefusal.confirmExpiredTitle',
				message: 'gateRefusal.confirmUsedExpired',
				values: { count: CONFIRM_HOURS, form: accessUrl() },
			});
		if (request.status !== 'unverified')
			return { summary, granted: [], review: request.pending_documents, already: true as const };
		if (expired)
			throw readerRefusal(410, 'confirm-expired', {
				title: 'gateRefusal.confirmExpiredTitle',
				message: 'gateRefusal.confirmExpired',
				values: { count: CONFIRM_HOURS, form: accessUrl() },
			});
		let decision = decide(gate.config.rules, request.email, request.documents);
		// The rules may have changed since the request: a waiver that no longer holds decides nothing.
		const waivedBy = request.nda_waived_by;
		if (
			waivedBy &&
			decision.outcome !== 'deny' &&
			ndaWaiver(gate.config.rules, request.email)?.name !== waivedBy
		)
			decision = {
				outcome: 'review',
				because: `rule "${waivedBy}" waived the NDA at the request, and no longer does`,
				grant: [],
				review: [...request.documents],
				days: 0,
			};
		const status = (
			{ approve: 'approved', partial: 'partial', review: 'pending', deny: 'denied' } as const
		)[decision.outcome];
		const actor = `requester:${request.email}`;
		await appendAudit(
			q,
			{
				type: 'email.verified',
				actor,
				subject: request.id,
				data: { ip: meta.ip, userAgent: meta.userAgent },
			},
			now,
		);
		const automatic = decision.outcome === 'approve' || decision.outcome === 'deny';
		await q.query(
			'UPDATE access_requests SET status = $2, verified_at = $3, rule = $4, pending_documents = $5::jsonb, decided_at = $6, decided_by = $7 WHERE id = $1',
			[
				request.id,
				status,
				now,
				decision.because,
				JSON.stringify(decision.review),
				automatic ? now : null,
				automatic ? 'rules' : null,
			],
		);
		const type = {
			approve: 'request.approved',
			partial: 'request.partially-approved',
			review: 'request.review',
			deny: 'request.denied',
		}[decision.outcome];
		await appendAudit(
			q,
			{
				type,
				actor: 'rules',
				subject: request.id,
				data: {
					because: decision.because,
					granted: decision.grant,
					review: decision.review,
					...(waivedBy ? { ndaWaivedBy: waivedBy } : {}),
				},
			},
			now,
		);
		const grant =
			decision.grant.length > 0
				? await createGrant(
						gate,
						q,
						request,
						decision.grant,
						decision.days,
						`rules:${decision.because}`,
					)
				: undefined;
		return {
			summary: { ...summary, status },
			granted: decision.grant,
			review: decision.review,
			already: false as const,
			grant,
			request,
			because: decision.because,
		};
	});
	if (!result.already) {
		const { request } = result;
		if (result.grant)
			await sendMail(
				gate,
				request.id,
				request.email,
				grantMail(gate, result.grant, result.granted, request.nda_waived_by !== null),
			);
		if (result.review.length > 0) {
			const reviewers = gate.config.rules.reviewers ?? [gate.config.site.contacts.security];
			const text = reviewMail(gate, request, result.review, {
				partial: result.summary.status === 'partial',
				because: result.because,
				ndaWaivedBy: request.nda_waived_by,
			});
			for (const to of reviewers) await sendMail(gate, request.id, to, text);
		}
	}
	return {
		request: result.summary,
		granted: result.granted,
		review: result.review,
		alreadyConfirmed: result.already,
	};
}

/** A request waiting for the security team, with everything needed to decide. */
export interface PendingRequest {
	id: string;
	createdAt: Date;
	name: string;
	email: string;
	company: string;
	role: string;
	reason: string | null;
	documents: string[];
	rule: string | null;
	status: string;
	/** The rule that waived the NDA for this address, or null when the requester accepted and signed it. */
	ndaWaivedBy: string | null;
	/** The version of the NDA the requester accepted. */
	ndaVersion: string;
}

/** Where a page of a list sorted by (created_at, id) starts: after this entry. */
export interface After {
	createdAt: Date;
	id: string;
}

/**
 * Requests that wait for a decision, oldest first: all of them, or one page of `limit` after `after`
 * (keyset paging, so a page costs the same however long the queue is).
 */
export async function pendingRequests(
	gate: Gate,
	page: { after?: After | undefined; limit?: number } = {},
): Promise<PendingRequest[]> {
	const { rows } = await gate.db.query<RequestRow & { rule: string | null; nda_version: string }>(
		`SELECT * FROM access_requests WHERE status IN ('pending', 'partial')
		 ${page.after ? 'AND (created_at, id) > ($1, $2)' : ''}
		 ORDER BY created_at, id ${page.limit ? `LIMIT ${Math.floor(page.limit)}` : ''}`,
		page.after ? [page.after.createdAt, page.after.id] : [],
	);
	return rows.map((r) => ({
		id: r.id,
		createdAt: r.created_at,
		name: r.name,
		email: r.email,
		company: r.company,
		role: r.role,
		reason: r.reason,
		documents: r.pending_documents,
		rule: r.rule,
		status: r.status,
		ndaWaivedBy: r.nda_waived_by,
		ndaVersion: r.nda_version,
	}));
}

/** A request as the history lists it: who asked, for what, and what became of it. */
export interface HistoryRequest {
	id: string;
	createdAt: Date;
	name: string;
	email: string;
	company: string;
	documents: string[];
	status: RequestRow['status'];
	decidedAt: Date | null;
	decidedBy: string | null;
	decisionReason: string | null;
}

/**
 * Every request, newest first, narrowed by `filter` (and `status`), one page of `limit` before `before`
 * (keyset paging: the indexes of migration 007 keep a page's cost flat however long the history is).
 */
export async function requestHistory(
	gate: Gate,
	filter: ListFilter & { status?: RequestRow['status'] | undefined },
	page: { before?: After | undefined; limit: number },
): Promise<HistoryRequest[]> {
	const params: unknown[] = [];
	const where = filterConditions(filter, page.before, params, { time: 'r.created_at', id: 'r.id' });
	if (filter.status) where.push(`r.status = $${params.push(filter.status)}`);
	const { rows } = await gate.db.query<RequestRow & { decided_at: Date | null }>(
		`SELECT r.* FROM access_requests r ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
		 ORDER BY r.created_at DESC, r.id DESC LIMIT ${Math.floor(page.limit)}`,
		params,
	);
	return rows.map((r) => ({
		id: r.id,
		createdAt: r.created_at,
		name: r.name,
		email: r.email,
		company: r.company,
		documents: r.documents,
		status: r.status,
		decidedAt: r.decided_at,
		decidedBy: r.decided_by,
		decisionReason: r.decision_reason,
	}));
}

async function waitingRequest(q: Queryable, id: string): Promise<RequestRow> {
	const request = (
		await q.query<RequestRow>('SELECT * FROM access_requests WHERE id = $1 FOR UPDATE', [id])
	).rows[0];
	if (!request)
		throw new GateError(
			404,
			'Unknown request',
			`No request "${id}". List the waiting ones with: npm run gate -- requests`,
			'request-unknown',
		);
	if (request.status === 'unverified')
		throw new GateError(
			409,
			'Not confirmed',
			`Request ${id} has not confirmed its email yet, and nothing is granted on an unverified email. It can be decided once ${request.email} confirms.`,
			'request-unverified',
		);
	if (request.status !== 'pending' && request.status !== 'partial')
		throw new GateError(
			409,
			'Already decided',
			`Request ${id} is already ${request.status}${request.decided_by ? ` (by ${request.decided_by})` : ''}; nothing changed.`,
			'request-decided',
		);
	return request;
}

/**
 * Grants the documents a request waits for, or only `scope` of them (the rest are not granted); `days`
 * is capped by each document's `maxDays`. Mails the requester the grant's link; a mail that fails is
 * answered in `mail`, and the grant's link can be sent again (`resendGrant`).
 */
export async function approve(
	gate: Gate,
	id: string,
	actor: Actor,
	days?: number,
	scope?: readonly string[],
): Promise<{
	grant: string;
	documents: string[];
	days: number;
	expires: Date;
	capped: boolean;
	mail: MailOutcome | MailFailure;
}> {
	const now = gate.now();
	const done = await gate.db.tx(async (q) => {
		const waiting = await waitingRequest(q, id);
		const outside = (scope ?? []).filter((d) => !waiting.pending_documents.includes(d));
		if (scope && (scope.length === 0 || outside.length > 0))
			throw new GateError(
				400,
				'Choose the documents',
				scope.length === 0
					? `Choose at least one of the documents request ${id} waits for (${waiting.pending_documents.join(', ')}), or deny it.`
					: `Request ${id} does not wait for ${outside.join(', ')}; it waits for ${waiting.pending_documents.join(', ')}.`,
				'scope-invalid',
				{ fields: [{ field: 'documents', message: 'choose documents the request waits for' }] },
			);
		const documents = scope ? [...scope] : waiting.pending_documents;
		const request = { ...waiting, pending_documents: documents };
		const declined = waiting.pending_documents.filter((d) => !documents.includes(d));
		const wanted = days ?? gate.config.rules.grant.days;
		const allowed = grantDays(gate.config.rules, request.pending_documents, wanted);
		await q.query(
			"UPDATE access_requests SET status = 'approved', pending_documents = '[]'::jsonb, decided_at = $2, decided_by = $3 WHERE id = $1",
			[id, now, actorName(actor)],
		);
		await appendAudit(
			q,
			{
				type: 'request.approved',
				actor,
				subject: id,
				data: {
					documents: request.pending_documents,
					days: allowed,
					...(declined.length ? { declined } : {}),
				},
			},
			now,
		);
		const grant = await createGrant(gate, q, request, request.pending_documents, allowed, actor);
		return { request, grant, allowed, capped: allowed < wanted };
	});
	const mail = await deliverMail(
		gate,
		id,
		done.request.email,
		grantMail(
			gate,
			done.grant,
			done.request.pending_documents,
			done.request.nda_waived_by !== null,
		),
	);
	return {
		grant: done.grant.id,
		documents: done.request.pending_documents,
		days: done.allowed,
		expires: done.grant.expires,
		capped: done.capped,
		mail,
	};
}

/**
 * Refuses the documents a request waits for, with a reason the requester is told; a mail that fails is
 * answered in `mail`.
 */
export async function deny(
	gate: Gate,
	id: string,
	actor: Actor,
	reason: string,
): Promise<{ mail: MailOutcome | MailFailure }> {
	const now = gate.now();
	const request = await gate.db.tx(async (q) => {
		const row = await waitingRequest(q, id);
		await q.query(
			"UPDATE access_requests SET status = 'denied', decided_at = $2, decided_by = $3, decision_reason = $4 WHERE id = $1",
			[id, now, actorName(actor), reason],
		);
		await appendAudit(
			q,
			{
				type: 'request.denied',
				actor,
				subject: id,
				data: { documents: row.pending_documents, reason },
			},
			now,
		);
		return row;
	});
	return {
		mail: await deliverMail(
			gate,
			id,
			request.email,
			denialMail(gate, request.pending_documents, reason),
		),
	};
}
