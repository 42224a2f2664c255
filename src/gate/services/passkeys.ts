// Passkeys for staff without an identity provider: a one-time invitation from the CLI, the passkey
// registered with it, sign-in with that passkey, and an admin removing one. @simplewebauthn/server
// makes the options and checks every response; each change and its audit entry commit together.
import { randomBytes } from 'node:crypto';
import {
	generateAuthenticationOptions,
	generateRegistrationOptions,
	verifyAuthenticationResponse,
	verifyRegistrationResponse,
	type AuthenticationResponseJSON,
	type PublicKeyCredentialCreationOptionsJSON,
	type PublicKeyCredentialRequestOptionsJSON,
	type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { utcMinute } from '../../lib/dates.ts';
import { byCodeUnits } from '../../lib/routing/order.ts';
import { GateError } from '../errors.ts';
import { roleAtLeast, staffMatch } from '../lib/staff-roles.ts';
import { inviteMail } from '../mail/texts.ts';
import type { StaffRole } from '../../schemas/staff.ts';
import { STAFF_EMAIL } from '../../schemas/gate-command.ts';
import { actorName, appendAudit, type Actor, type StaffIdentity } from './audit.ts';
import { newId, newToken, sha256, type Gate, type RequestMeta } from './gate.ts';
import { deliverMail, type MailFailure, type MailOutcome } from './mail.ts';
import { recordRefusal, type SignedInPerson } from './staff-sessions.ts';

/** How long an enrolment link works. */
export const INVITE_HOURS = 24;

/** How long the browser may wait for the person to touch their authenticator, in milliseconds. */
const PROMPT_MS = 120_000;

/** The WebAuthn relying party: the console's origin and host name, which every passkey is bound to. */
export interface RelyingParty {
	id: string;
	name: string;
	origin: string;
}

/** The relying party of the console at `gate.adminUrl`. */
export function relyingParty(gate: Pick<Gate, 'adminUrl' | 'config'>): RelyingParty {
	const url = new URL(gate.adminUrl);
	return { id: url.hostname, name: `${gate.config.site.companyName} console`, origin: url.origin };
}

/** A row of staff_invites. */
export interface InviteRow {
	id: string;
	email: string;
	role: StaffRole;
	created_at: Date;
	expires_at: Date;
	created_by: string;
	used_at: Date | null;
	/** When an admin cancelled it, and who (`actorName`); a cancelled invitation opens nothing. */
	cancelled_at: Date | null;
	cancelled_by: string | null;
}

/** A row of staff_passkeys. */
export interface PasskeyRow {
	id: string;
	credential_id: string;
	email: string;
	role: StaffRole;
	user_handle: string;
	public_key: string;
	counter: string | number;
	transports: string[];
	invite_id: string;
	created_at: Date;
	last_used_at: Date | null;
}

/** The role the staff file allows `email` for a passkey, or a refusal saying how to fix the file. */
function allowedRole(gate: Gate, email: string): StaffRole {
	const { staff, staffFile } = gate.config;
	if (!staff)
		throw new GateError(
			409,
			'No staff file',
			`There is no ${staffFile}, so nobody may sign in to the console. Create it (README.md, "The console"), restart the gate, and invite again.`,
			'no-staff-file',
		);
	const match = staffMatch(staff, email, []);
	if (!match)
		throw new GateError(
			403,
			'Not on the staff list',
			`${email} is not in ${staffFile}, and only the people it names may sign in to the console. Add them under people: (or their domain under domains:), restart the gate, and invite again.`,
			'not-staff',
		);
	return match.role;
}

/**
 * Invites `email` to register a passkey with `role` (default: the role the staff file gives them, which
 * an invitation can lower but never raise). Mails the one-time link and returns it, with what became of
 * the mail: when the mail server refuses it, the invitation stands and the admin passes the link on.
 */
export async function inviteStaff(
	gate: Gate,
	email: string,
	role: StaffRole | undefined,
	actor: Actor,
): Promise<{
	id: string;
	email: string;
	role: StaffRole;
	link: string;
	expiresAt: Date;
	/** How the mail left, or that the mail server refused it: the invitation stands either way. */
	mail: MailOutcome | MailFailure;
}> {
	const address = email.trim().toLowerCase();
	if (!STAFF_EMAIL.test(address) || address.length > 254)
		throw new GateError(
			400,
			'Not an e-mail address',
			`Expected an e-mail address like name@example.com, received ${JSON.stringify(email.slice(0, 80))}.`,
			'invalid-email',
			{ fields: [{ field: 'email', message: 'expected an e-mail address like name@example.com' }] },
		);
	const allowed = allowedRole(gate, address);
	if (role && !roleAtLeast(allowed, role))
		throw new GateError(
			403,
			'Role not allowed',
			`${gate.config.staffFile} gives ${address} the role ${allowed}; an invitation cannot give more. Invite them with --role ${allowed} or lower, or change their entry in ${gate.config.staffFile}.`,
			'role-not-allowed',
		);
	const granted = role ?? allowed;
	const id = newId('inv');
	const token = newToken();
	const now = gate.now();
	const expiresAt = new Date(now.getTime() + INVITE_HOURS * 3_600_000);
	await gate.db.tx(async (q) => {
		await q.query(
			'INSERT INTO staff_invites (id, token_hash, email, role, created_at, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)',
			[id, sha256(token), address, granted, now, expiresAt, actorName(actor)],
		);
		await appendAudit(
			q,
			{
				type: 'staff.invited',
				actor,
				subject: id,
				data: { email: address, role: granted, expiresAt: expiresAt.toISOString() },
			},
			now,
		);
	});
	const link = `${gate.adminUrl}/admin/enrol/?token=${token}`;
	const mail = await deliverMail(
		gate,
		id,
		address,
		inviteMail(gate, { role: granted, link, hours: INVITE_HOURS }),
	);
	return { id, email: address, role: granted, link, expiresAt, mail };
}

/**
 * The invitation behind `token`, when it can still be used. A used or expired one is refused with a
 * page saying how to get a new one, and the refusal is an audit entry.
 */
export async function openInvite(gate: Gate, token: string, meta: RequestMeta): Promise<InviteRow> {
	const invite = (
		await gate.db.query<InviteRow>('SELECT * FROM staff_invites WHERE token_hash = $1', [
			sha256(token),
		])
	).rows[0];
	if (!invite)
		throw new GateError(
			404,
			'Unknown invitation',
			'This enrolment link is not one we sent, or it was copied incompletely. Open the link from the invitation e-mail again, or ask a console admin for a new invitation.',
			'invite-unknown',
		);
	const refuse = async (reason: string, refusal: GateError) => {
		await recordRefusal(
			gate,
			{ method: 'passkey', reason, email: invite.email, subject: invite.id },
			meta,
		);
		return refusal;
	};
	if (invite.used_at)
		throw await refuse(
			'invite-used',
			new GateError(
				410,
				'Invitation already used',
				`This enrolment link was used on ${utcMinute(invite.used_at)} to register a passkey, and works only once. To register another passkey (or replace a lost one), ask a console admin for a new invitation.`,
				'invite-used',
			),
		);
	if (invite.cancelled_at)
		throw await refuse(
			'invite-cancelled',
			new GateError(
				410,
				'Invitation cancelled',
				`A console admin cancelled this enrolment link on ${utcMinute(invite.cancelled_at)}. If you still need to register a passkey, ask a console admin for a new invitation.`,
				'invite-cancelled',
			),
		);
	if (invite.expires_at.getTime() <= gate.now().getTime())
		throw await refuse(
			'invite-expired',
			new GateError(
				410,
				'Invitation expired',
				`This enrolment link expired on ${utcMinute(invite.expires_at)}, ${INVITE_HOURS} hours after it was sent. Ask a console admin for a new invitation.`,
				'invite-expired',
			),
		);
	try {
		allowedRole(gate, invite.email);
	} catch (error) {
		throw await refuse('not-staff', error as GateError);
	}
	return invite;
}

/** The options for registering a passkey with `invite`; the user handle is the person's, shared by their passkeys. */
export async function registrationOptions(
	gate: Gate,
	invite: InviteRow,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; userHandle: string }> {
	const rp = relyingParty(gate);
	const existing = (
		await gate.db.query<PasskeyRow>('SELECT * FROM staff_passkeys WHERE email = $1', [invite.email])
	).rows;
	const userHandle = existing[0]?.user_handle ?? randomBytes(16).toString('base64url');
	const name = gate.config.staff?.people.find((p) => p.email.toLowerCase() === invite.email)?.name;
	const options = await generateRegistrationOptions({
		rpName: rp.name,
		rpID: rp.id,
		userName: invite.email,
		userID: new Uint8Array(Buffer.from(userHandle, 'base64url')),
		userDisplayName: name ?? invite.email,
		attestationType: 'none',
		// A passkey the person already has for this console is not registered twice.
		excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: p.transports })),
		// Discoverable, so that sign-in needs no e-mail; user verification, so that the device alone is not enough.
		authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
		timeout: PROMPT_MS,
	});
	return { options, userHandle };
}

/**
 * Registers the passkey the browser made for the invitation behind `token`, and uses the invitation
 * up. Returns who signed in with it, for the session that starts now.
 */
export async function enrolPasskey(
	gate: Gate,
	token: string,
	credential: RegistrationResponseJSON,
	pending: { invite: string; challenge: string; userHandle: string },
	meta: RequestMeta,
): Promise<SignedInPerson> {
	const invite = await openInvite(gate, token, meta);
	const rp = relyingParty(gate);
	if (invite.id !== pending.invite)
		throw new GateError(
			400,
			'Registration not accepted',
			'This passkey was made for another invitation. Open your own enrolment link again and register from there.',
			'passkey-invalid',
		);
	let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
	try {
		verified = await verifyRegistrationResponse({
			response: credential,
			expectedChallenge: pending.challenge,
			expectedOrigin: rp.origin,
			expectedRPID: rp.id,
			requireUserVerification: true,
		});
	} catch (error) {
		await recordRefusal(
			gate,
			{
				method: 'passkey',
				reason: 'registration-invalid',
				email: invite.email,
				subject: invite.id,
				detail: (error as Error).message,
			},
			meta,
		);
		throw new GateError(
			400,
			'Registration not accepted',
			`Your browser's answer could not be verified (${(error as Error).message.slice(0, 160)}). Reload the enrolment page and try again.`,
			'passkey-invalid',
		);
	}
	if (!verified.verified)
		throw new GateError(
			400,
			'Registration not accepted',
			'Your browser’s answer could not be verified. Reload the enrolment page and try again.',
			'passkey-invalid',
		);
	const { credential: made, aaguid } = verified.registrationInfo;
	const id = newId('pk');
	const now = gate.now();
	await gate.db.tx(async (q) => {
		// The invitation is used up inside the transaction that uses it, so two tabs cannot both enrol.
		const { rows } = await q.query(
			'UPDATE staff_invites SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND cancelled_at IS NULL RETURNING id',
			[invite.id, now],
		);
		if (rows.length === 0)
			throw new GateError(
				410,
				'Invitation no longer open',
				'This enrolment link was used, or cancelled by a console admin, a moment ago. Ask a console admin for a new invitation.',
				'invite-used',
			);
		await q.query(
			`INSERT INTO staff_passkeys (id, credential_id, email, role, user_handle, public_key, counter, transports, invite_id, created_at)
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)`,
			[
				id,
				made.id,
				invite.email,
				invite.role,
				pending.userHandle,
				Buffer.from(made.publicKey).toString('base64url'),
				made.counter,
				JSON.stringify(made.transports ?? []),
				invite.id,
				now,
			],
		);
		await appendAudit(
			q,
			{
				type: 'staff.passkey.enrolled',
				actor: `signin:${invite.email}`,
				subject: id,
				data: {
					email: invite.email,
					role: invite.role,
					invite: invite.id,
					credential: made.id,
					aaguid,
					ip: meta.ip,
					userAgent: meta.userAgent,
				},
			},
			now,
		);
	});
	return passkeyPerson(gate, { id, email: invite.email, role: invite.role });
}

/** Who a passkey signs in: the console's own issuer, the passkey as subject, and its role as a cap. */
function passkeyPerson(
	gate: Pick<Gate, 'adminUrl' | 'config'>,
	passkey: { id: string; email: string; role: StaffRole },
): SignedInPerson {
	return {
		method: 'passkey',
		issuer: relyingParty(gate).origin,
		subject: passkey.id,
		email: passkey.email,
		groups: [],
		passkey: { id: passkey.id, role: passkey.role },
	};
}

/** Options for signing in with any passkey of this console: the browser offers the ones it has. */
export function authenticationOptions(gate: Gate): Promise<PublicKeyCredentialRequestOptionsJSON> {
	return generateAuthenticationOptions({
		rpID: relyingParty(gate).id,
		userVerification: 'required',
		timeout: PROMPT_MS,
	});
}

/**
 * Checks a signed challenge against the passkey it names, and moves its signature counter on. Returns
 * who signed in; a passkey that is unknown (or was removed) or a signature that does not verify is
 * refused, with an audit entry.
 */
export async function verifyPasskey(
	gate: Gate,
	credential: AuthenticationResponseJSON,
	challenge: string,
	meta: RequestMeta,
): Promise<SignedInPerson> {
	const rp = relyingParty(gate);
	const passkey = (
		await gate.db.query<PasskeyRow>('SELECT * FROM staff_passkeys WHERE credential_id = $1', [
			credential.id,
		])
	).rows[0];
	const refuse = async (reason: string, detail: string, message: string) => {
		await recordRefusal(
			gate,
			{ method: 'passkey', reason, email: passkey?.email, subject: passkey?.id, detail },
			meta,
		);
		return new GateError(403, 'Passkey not accepted', message, `passkey-${reason}`);
	};
	if (!passkey)
		throw await refuse(
			'unknown-passkey',
			`credential ${credential.id.slice(0, 40)}`,
			'This passkey is not registered with this console, or an admin removed it. Ask a console admin for a new invitation.',
		);
	const handle = credential.response.userHandle;
	let verified = false;
	let newCounter = 0;
	let problem = handle && handle !== passkey.user_handle ? 'user handle does not match' : '';
	if (!problem) {
		try {
			const result = await verifyAuthenticationResponse({
				response: credential,
				expectedChallenge: challenge,
				expectedOrigin: rp.origin,
				expectedRPID: rp.id,
				credential: {
					id: passkey.credential_id,
					publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')),
					counter: Number(passkey.counter),
					transports: passkey.transports,
				},
				requireUserVerification: true,
			});
			verified = result.verified;
			newCounter = result.authenticationInfo.newCounter;
		} catch (error) {
			problem = (error as Error).message;
		}
	}
	if (!verified)
		throw await refuse(
			'signature-invalid',
			problem || 'signature does not verify',
			'Your passkey’s answer could not be verified. Try again; if it keeps failing, ask a console admin for a new invitation.',
		);
	await gate.db.query('UPDATE staff_passkeys SET counter = $2, last_used_at = $3 WHERE id = $1', [
		passkey.id,
		newCounter,
		gate.now(),
	]);
	return passkeyPerson(gate, passkey);
}

/** Every passkey, newest first, for the admin's staff page. */
export async function listPasskeys(gate: Gate): Promise<PasskeyRow[]> {
	return (
		await gate.db.query<PasskeyRow>('SELECT * FROM staff_passkeys ORDER BY created_at DESC, id')
	).rows;
}

/** Invitations not yet used and not yet expired, newest first. */
export async function openInvites(gate: Gate): Promise<InviteRow[]> {
	return (
		await gate.db.query<InviteRow>(
			'SELECT * FROM staff_invites WHERE used_at IS NULL AND cancelled_at IS NULL AND expires_at > $1 ORDER BY created_at DESC, id',
			[gate.now()],
		)
	).rows;
}

/**
 * Cancels the open invitations (not used, not expired, not cancelled) of one id, or of one address: their
 * links open nothing from now on. Refused with 404 when there is none.
 */
export async function cancelInvites(
	gate: Gate,
	which: { id: string } | { email: string },
	actor: Actor,
): Promise<InviteRow[]> {
	const now = gate.now();
	const [column, value] =
		'id' in which ? ['id', which.id] : ['email', which.email.trim().toLowerCase()];
	return gate.db.tx(async (q) => {
		const { rows } = await q.query<InviteRow>(
			`UPDATE staff_invites SET cancelled_at = $2, cancelled_by = $3
			WHERE ${column} = $1 AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $2
			RETURNING *`,
			[value, now, actorName(actor)],
		);
		if (rows.length === 0)
			throw new GateError(
				404,
				'No open invitation',
				'id' in which
					? 'This invitation was used, expired or cancelled already. Reload the staff page.'
					: `${value} has no open invitation: it was used, expired or cancelled already, or none was sent.`,
				'invite-unknown',
			);
		for (const invite of rows.sort((a, b) => byCodeUnits(a.id, b.id)))
			await appendAudit(
				q,
				{
					type: 'staff.invite.cancelled',
					actor,
					subject: invite.id,
					data: { email: invite.email, role: invite.role },
				},
				now,
			);
		return rows;
	});
}

/** Removes a passkey: it can no longer sign in, and the sessions it started end at once. */
export async function removePasskey(
	gate: Gate,
	id: string,
	actor: StaffIdentity,
): Promise<PasskeyRow> {
	const now = gate.now();
	return gate.db.tx(async (q) => {
		const passkey = (
			await q.query<PasskeyRow>('DELETE FROM staff_passkeys WHERE id = $1 RETURNING *', [id])
		).rows[0];
		if (!passkey)
			throw new GateError(
				404,
				'Unknown passkey',
				'This passkey does not exist, or it was removed already. Reload the staff page.',
				'passkey-unknown',
			);
		const { rows } = await q.query<{ id: string }>(
			"UPDATE staff_sessions SET ended_at = $2, end_reason = 'removed' WHERE passkey_id = $1 AND ended_at IS NULL RETURNING id",
			[id, now],
		);
		await appendAudit(
			q,
			{
				type: 'staff.passkey.removed',
				actor,
				subject: id,
				data: {
					email: passkey.email,
					credential: passkey.credential_id,
					sessionsEnded: rows.map((r) => r.id).sort(),
				},
			},
			now,
		);
		return passkey;
	});
}
