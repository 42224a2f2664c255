// The console's sessions and the sign-ins that lead to them, in the database so that every replica
// shares them: a sign-out or a removed passkey takes effect on the next request, wherever it lands.
// Each session's start and end is an audit entry naming the staff member.
import type { Queryable } from '../db.ts';
import { lowerRole, staffMatch } from '../lib/staff-roles.ts';
import type { StaffRole } from '../../schemas/staff.ts';
import { GateError } from '../errors.ts';
import { appendAudit, type Actor, type StaffIdentity } from './audit.ts';
import { byCodeUnits } from '../../lib/routing/order.ts';
import { newId, newToken, sha256, type Gate, type RequestMeta } from './gate.ts';

/** How long a sign-in may take from its start to its end: the identity provider's pages, the passkey prompt. */
export const SIGNIN_MINUTES = 10;

/** Sessions are kept this long after their absolute timeout, then dropped. */
const KEEP_DAYS = 30;

/** How long sessions last. */
export interface SessionLimits {
	/** A session ends after this many minutes without a request. */
	idleMinutes: number;
	/** A session ends this many hours after sign-in. */
	maxHours: number;
}

/** A staff member signed in to the console, as the routes after the session middleware see them. */
export interface StaffSession extends StaffIdentity {
	/** The name to greet them by: the staff file's, the identity provider's, or the e-mail. */
	name: string;
	/** The staff file's entry that gives them their role, e.g. `group "trust-approvers"`. */
	because: string;
	createdAt: Date;
	expiresAt: Date;
}

/** Why a session is no longer valid, as the sign-in page tells the person. */
export type SessionEnd =
	'idle' | 'expired' | 'removed' | 'not-staff' | 'signed-out' | 'everywhere' | 'ended-by-admin';

/** Who signed in, before the staff file gives them a role. */
export interface SignedInPerson {
	method: StaffIdentity['method'];
	issuer: string;
	subject: string;
	email: string;
	/** The name the identity provider sent, if any. */
	name?: string | undefined;
	/** The identity provider's groups claim; none for a passkey. */
	groups: readonly string[];
	/** For a passkey sign-in: the passkey, whose role caps the session's. */
	passkey?: { id: string; role: StaffRole } | undefined;
}

/** Starts a sign-in of `kind`, keeping `data` (state, nonce, challenge…) for its end; returns the browser's token. */
export async function beginSignin(
	gate: Pick<Gate, 'db' | 'now'>,
	kind: 'oidc' | 'passkey' | 'enrol',
	data: Record<string, unknown>,
): Promise<string> {
	const token = newToken();
	await gate.db.query(
		'INSERT INTO staff_signins (token_hash, kind, data, expires_at) VALUES ($1, $2, $3::jsonb, $4)',
		[
			sha256(token),
			kind,
			JSON.stringify(data),
			new Date(gate.now().getTime() + SIGNIN_MINUTES * 60_000),
		],
	);
	return token;
}

/** Ends the sign-in the browser's `token` started, once: its data, or undefined when there is none of `kind` in time. */
export async function takeSignin<T>(
	gate: Pick<Gate, 'db' | 'now'>,
	token: string | undefined,
	kind: 'oidc' | 'passkey' | 'enrol',
): Promise<T | undefined> {
	if (!token) return undefined;
	const row = (
		await gate.db.query<{ kind: string; data: T; expires_at: Date }>(
			'DELETE FROM staff_signins WHERE token_hash = $1 RETURNING kind, data, expires_at',
			[sha256(token)],
		)
	).rows[0];
	if (!row || row.kind !== kind || row.expires_at.getTime() < gate.now().getTime())
		return undefined;
	return row.data;
}

/** The role the staff file gives a person now; a passkey's own role caps it. */
function currentRole(
	gate: Pick<Gate, 'config'>,
	person: Pick<SignedInPerson, 'email' | 'groups' | 'passkey'>,
) {
	const staff = gate.config.staff;
	const match = staff && staffMatch(staff, person.email, person.passkey ? [] : person.groups);
	if (!match) return undefined;
	return person.passkey ? { ...match, role: lowerRole(match.role, person.passkey.role) } : match;
}

/**
 * Starts a session for `person` when the staff file names them (returning the cookie's token), or
 * returns undefined. Ends the browser's previous session, if `previousToken` names one.
 */
export async function startSession(
	gate: Gate,
	person: SignedInPerson,
	meta: RequestMeta,
	limits: SessionLimits,
	previousToken?: string,
): Promise<{ token: string; session: StaffSession } | undefined> {
	const match = currentRole(gate, person);
	if (!match) return undefined;
	const now = gate.now();
	const token = newToken();
	const id = newId('ses');
	const name = match.name ?? person.name ?? person.email;
	const expiresAt = new Date(now.getTime() + limits.maxHours * 3_600_000);
	const session: StaffSession = {
		method: person.method,
		issuer: person.issuer,
		subject: person.subject,
		email: person.email,
		role: match.role,
		session: id,
		name,
		because: match.because,
		createdAt: now,
		expiresAt,
	};
	await gate.db.tx(async (q) => {
		if (previousToken) await endByToken(q, previousToken, now, 'replaced');
		await q.query(
			`INSERT INTO staff_sessions (id, token_hash, email, name, method, issuer, subject, groups, passkey_id, ip, user_agent, created_at, last_seen_at, expires_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $12, $13)`,
			[
				id,
				sha256(token),
				person.email,
				name,
				person.method,
				person.issuer,
				person.subject,
				JSON.stringify(person.groups),
				person.passkey?.id ?? null,
				meta.ip,
				meta.userAgent,
				now,
				expiresAt,
			],
		);
		await appendAudit(
			q,
			{
				type: 'staff.signed-in',
				actor: identity(session),
				subject: id,
				data: {
					because: match.because,
					groups: [...person.groups],
					ip: meta.ip,
					userAgent: meta.userAgent,
					expiresAt: expiresAt.toISOString(),
				},
			},
			now,
		);
	});
	return { token, session };
}

/** The audit log's view of a session: who, at which issuer, with which role, in which session. */
export function identity(s: StaffIdentity): StaffIdentity {
	return {
		method: s.method,
		issuer: s.issuer,
		subject: s.subject,
		email: s.email,
		role: s.role,
		session: s.session,
	};
}

interface SessionRow {
	id: string;
	email: string;
	name: string | null;
	method: StaffIdentity['method'];
	issuer: string;
	subject: string;
	groups: string[];
	passkey_id: string | null;
	passkey_role: StaffRole | null;
	created_at: Date;
	last_seen_at: Date;
	expires_at: Date;
	ended_at: Date | null;
	end_reason: SessionEnd | 'replaced' | null;
}

async function endByToken(q: Queryable, token: string, now: Date, reason: string): Promise<void> {
	await q.query(
		'UPDATE staff_sessions SET ended_at = $2, end_reason = $3 WHERE token_hash = $1 AND ended_at IS NULL',
		[sha256(token), now, reason],
	);
}

/**
 * The session behind the browser's `token`, with the role the staff file gives now; it is seen as
 * active from now. A session past its idle or absolute timeout, whose passkey was removed, or whose
 * person the staff file no longer names, is ended (an audit entry says why) and reported as ended.
 */
export async function readSession(
	gate: Gate,
	token: string,
	limits: SessionLimits,
): Promise<{ ok: true; session: StaffSession } | { ok: false; ended: SessionEnd | undefined }> {
	const now = gate.now();
	const row = (
		await gate.db.query<SessionRow>(
			`SELECT s.id, s.email, s.name, s.method, s.issuer, s.subject, s.groups, s.passkey_id, p.role AS passkey_role,
			        s.created_at, s.last_seen_at, s.expires_at, s.ended_at, s.end_reason
			 FROM staff_sessions s LEFT JOIN staff_passkeys p ON p.id = s.passkey_id
			 WHERE s.token_hash = $1`,
			[sha256(token)],
		)
	).rows[0];
	if (!row) return { ok: false, ended: undefined };
	if (row.ended_at)
		return {
			ok: false,
			ended: row.end_reason === 'replaced' ? undefined : (row.end_reason ?? undefined),
		};
	const person = {
		email: row.email,
		groups: row.groups,
		passkey: row.passkey_id ? { id: row.passkey_id, role: row.passkey_role! } : undefined,
	};
	const match = row.passkey_id && !row.passkey_role ? undefined : currentRole(gate, person);
	const ended: SessionEnd | undefined =
		row.expires_at.getTime() <= now.getTime()
			? 'expired'
			: row.last_seen_at.getTime() + limits.idleMinutes * 60_000 <= now.getTime()
				? 'idle'
				: row.passkey_id && !row.passkey_role
					? 'removed'
					: !match
						? 'not-staff'
						: undefined;
	const session: StaffSession = {
		method: row.method,
		issuer: row.issuer,
		subject: row.subject,
		email: row.email,
		role: match?.role ?? 'viewer',
		session: row.id,
		name: row.name ?? row.email,
		because: match?.because ?? '',
		createdAt: row.created_at,
		expiresAt: row.expires_at,
	};
	if (ended) {
		await gate.db.tx(async (q) => {
			const { rows } = await q.query(
				'UPDATE staff_sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL RETURNING id',
				[row.id, now, ended],
			);
			// Another replica may have ended it a moment ago; one audit entry is enough.
			if (rows.length > 0)
				await appendAudit(
					q,
					{
						type: 'staff.session.ended',
						actor: 'gate',
						subject: row.id,
						data: {
							email: row.email,
							reason: ended,
							lastSeenAt: row.last_seen_at.toISOString(),
						},
					},
					now,
				);
		});
		return { ok: false, ended };
	}
	await gate.db.query('UPDATE staff_sessions SET last_seen_at = $2 WHERE id = $1', [row.id, now]);
	return { ok: true, session };
}

/** Signs a session out: it stops working at once, on every replica. */
export async function signOut(gate: Gate, session: StaffSession): Promise<void> {
	const now = gate.now();
	await gate.db.tx(async (q) => {
		await q.query(
			"UPDATE staff_sessions SET ended_at = $2, end_reason = 'signed-out' WHERE id = $1 AND ended_at IS NULL",
			[session.session, now],
		);
		await appendAudit(
			q,
			{ type: 'staff.signed-out', actor: identity(session), subject: session.session, data: {} },
			now,
		);
	});
}

/** Ends every session of the person behind `session` (every browser, every sign-in method); returns how many. */
export async function signOutEverywhere(gate: Gate, session: StaffSession): Promise<number> {
	const now = gate.now();
	return gate.db.tx(async (q) => {
		const { rows } = await q.query<{ id: string }>(
			"UPDATE staff_sessions SET ended_at = $2, end_reason = 'everywhere' WHERE lower(email) = lower($1) AND ended_at IS NULL RETURNING id",
			[session.email, now],
		);
		await appendAudit(
			q,
			{
				type: 'staff.signed-out-everywhere',
				actor: identity(session),
				subject: session.session,
				data: { sessions: rows.map((r) => r.id).sort() },
			},
			now,
		);
		return rows.length;
	});
}

/** A console session that is open now, for the admins' staff page. */
export interface OpenSession {
	id: string;
	email: string;
	name: string | null;
	method: StaffIdentity['method'];
	ip: string;
	createdAt: Date;
	lastSeenAt: Date;
}

/** How a session signed in, in the words of the staff page and of `npm run gate -- staff sessions`. */
export const SIGNIN_METHOD_NAMES: Readonly<Record<StaffIdentity['method'], string>> = {
	oidc: 'identity provider',
	passkey: 'passkey',
};

/** How many open sessions the staff page lists at most, most recently active first. */
export const OPEN_SESSIONS_SHOWN = 100;

/** The sessions open now (not ended, within their idle and absolute limits), most recently active first. */
export async function openSessions(gate: Gate, limits: SessionLimits): Promise<OpenSession[]> {
	const now = gate.now();
	const { rows } = await gate.db.query<{
		id: string;
		email: string;
		name: string | null;
		method: StaffIdentity['method'];
		ip: string;
		created_at: Date;
		last_seen_at: Date;
	}>(
		`SELECT id, email, name, method, ip, created_at, last_seen_at FROM staff_sessions
		WHERE ended_at IS NULL AND expires_at > $1 AND last_seen_at > $2
		ORDER BY last_seen_at DESC, id LIMIT $3`,
		[now, new Date(now.getTime() - limits.idleMinutes * 60_000), OPEN_SESSIONS_SHOWN],
	);
	return rows.map((r) => ({
		id: r.id,
		email: r.email,
		name: r.name,
		method: r.method,
		ip: r.ip,
		createdAt: r.created_at,
		lastSeenAt: r.last_seen_at,
	}));
}

/**
 * Ends open sessions for an admin or the CLI: one (`id`: a lost laptop) or every one of a person
 * (`email`: someone leaving before the staff file changes). They stop working at once on every replica,
 * and the browser's next page says an admin ended them; each is an audit entry naming `actor`. Refused
 * with 404 when none is open. Returns the sessions ended, with their e-mail.
 */
export async function endSessions(
	gate: Gate,
	which: { id: string } | { email: string },
	actor: Actor,
): Promise<Array<{ id: string; email: string }>> {
	const now = gate.now();
	const [match, value] =
		'id' in which ? ['id = $1', which.id] : ['lower(email) = $1', which.email.trim().toLowerCase()];
	return gate.db.tx(async (q) => {
		const { rows } = await q.query<{ id: string; email: string }>(
			`UPDATE staff_sessions SET ended_at = $2, end_reason = 'ended-by-admin'
			WHERE ${match} AND ended_at IS NULL AND expires_at > $2 RETURNING id, email`,
			[value, now],
		);
		if (rows.length === 0)
			throw new GateError(
				404,
				'No open session',
				'id' in which
					? 'This session has ended already, or does not exist. Reload the staff page.'
					: `${value} has no open console session.`,
				'session-unknown',
			);
		const ended = rows.sort((a, b) => byCodeUnits(a.id, b.id));
		for (const session of ended)
			await appendAudit(
				q,
				{
					type: 'staff.session.ended',
					actor,
					subject: session.id,
					data: { email: session.email, reason: 'ended-by-admin' },
				},
				now,
			);
		return ended;
	});
}

/** Why a sign-in was refused, for the audit log. */
export interface SigninRefusal {
	method: StaffIdentity['method'];
	/** A short code, e.g. `not-staff`, `email-not-verified`, `state-mismatch`. */
	reason: string;
	email?: string | undefined;
	issuer?: string | undefined;
	subject?: string | undefined;
	/** What the library or provider said, shortened. */
	detail?: string | undefined;
}

/** Records a refused sign-in. The actor is `signin:<email>`, or `signin:unknown` before an e-mail is known. */
export async function recordRefusal(
	gate: Gate,
	refusal: SigninRefusal,
	meta: RequestMeta,
): Promise<void> {
	const now = gate.now();
	await gate.db.tx((q) =>
		appendAudit(
			q,
			{
				type: 'staff.signin.refused',
				actor: `signin:${refusal.email ?? 'unknown'}`,
				subject: refusal.subject ?? refusal.email ?? 'unknown',
				data: {
					method: refusal.method,
					reason: refusal.reason,
					email: refusal.email,
					issuer: refusal.issuer,
					subject: refusal.subject,
					detail: refusal.detail?.slice(0, 200),
					ip: meta.ip,
					userAgent: meta.userAgent,
				},
			},
			now,
		),
	);
}

/** Records a signed-in staff member's attempt at something their role does not allow. */
export async function recordForbidden(
	gate: Gate,
	session: StaffSession,
	attempt: { action: string; needed: StaffRole },
): Promise<void> {
	const now = gate.now();
	await gate.db.tx((q) =>
		appendAudit(
			q,
			{
				type: 'console.refused',
				actor: identity(session),
				subject: attempt.action,
				data: { needed: attempt.needed },
			},
			now,
		),
	);
}

/** Drops sign-ins that were never finished, and sessions past their absolute timeout for 30 days (the audit log keeps their story). */
export async function pruneStaffSessions(q: Queryable, now: Date): Promise<void> {
	await q.query('DELETE FROM staff_signins WHERE expires_at < $1', [now]);
	await q.query('DELETE FROM staff_sessions WHERE expires_at < $1', [
		new Date(now.getTime() - KEEP_DAYS * 86_400_000),
	]);
}
