// The staff page: the passkeys of people without single sign-on and the open invitations, which every
// role reads; admins also see who is signed in and end a session, remove a passkey (which signs its
// sessions out at once), send invitations and cancel them.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { GateError } from '../../errors.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import {
	cancelInvites,
	inviteStaff,
	listPasskeys,
	openInvites,
	removePasskey,
} from '../../services/passkeys.ts';
import { endSession, identity, openSessions } from '../../services/staff-sessions.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import { InviteFormSchema } from '../../../schemas/console-forms.ts';
import { checkInput } from './input.ts';
import type { ConsoleDeps } from './index.ts';

const PASSKEY_ID = /^pk_[0-9a-f]{16}$/;
const INVITE_ID = /^inv_[0-9a-f]{16}$/;
const SESSION_ID = /^ses_[0-9a-f]{16}$/;

/** The staff page's routes: reading it needs any role, every change the admin role. */
export function staffRoutes({ gate, admin, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const page = async (
		staff: Env['Variables']['staff'],
		csrfToken: string,
		sent?: Parameters<typeof pages.staff>[0]['sent'],
	) =>
		pages.staff(
			{
				passkeys: await listPasskeys(gate),
				invites: await openInvites(gate),
				// Who is signed in, and from where, is for admins, who can end a session.
				sessions: roleAtLeast(staff.role, 'admin') ? await openSessions(gate, admin) : undefined,
				sent,
			},
			staff,
			csrfToken,
		);

	routes.get(`${ADMIN}/staff/`, auth.require('viewer', 'see staff and passkeys'), async (c) =>
		c.html(await page(c.var.staff, csrf.issue(c))),
	);

	routes.post(
		`${ADMIN}/staff/passkeys/:id/remove`,
		readBody,
		csrf.check,
		auth.require('admin', 'remove a passkey'),
		async (c) => {
			const id = c.req.param('id');
			if (!PASSKEY_ID.test(id))
				throw new GateError(
					404,
					'Unknown passkey',
					'This passkey does not exist. Reload the staff page.',
					'passkey-unknown',
				);
			await removePasskey(gate, id, identity(c.var.staff));
			// Removing one's own passkey ends one's own session: the next page is the sign-in page.
			return c.redirect(`${ADMIN}/staff/`, 303);
		},
	);

	routes.post(
		`${ADMIN}/staff/invites/:id/cancel`,
		readBody,
		csrf.check,
		auth.require('admin', 'cancel an invitation'),
		async (c) => {
			const id = c.req.param('id');
			if (!INVITE_ID.test(id))
				throw new GateError(
					404,
					'No open invitation',
					'This invitation does not exist. Reload the staff page.',
					'invite-unknown',
				);
			await cancelInvites(gate, { id }, identity(c.var.staff));
			return c.redirect(`${ADMIN}/staff/`, 303);
		},
	);

	routes.post(
		`${ADMIN}/staff/sessions/:id/end`,
		readBody,
		csrf.check,
		auth.require('admin', 'end a session'),
		async (c) => {
			const id = c.req.param('id');
			if (!SESSION_ID.test(id))
				throw new GateError(
					404,
					'No open session',
					'This session does not exist. Reload the staff page.',
					'session-unknown',
				);
			await endSession(gate, id, identity(c.var.staff));
			// Ending one's own session: the next page is the sign-in page, saying so.
			return c.redirect(`${ADMIN}/staff/`, 303);
		},
	);

	routes.post(
		`${ADMIN}/staff/invite`,
		readBody,
		csrf.check,
		auth.require('admin', 'invite staff'),
		async (c) => {
			const { email, role } = checkInput(InviteFormSchema, c.var.body, 'the invitation');
			const sent = await inviteStaff(gate, email, role, identity(c.var.staff));
			return c.html(await page(c.var.staff, csrf.issue(c), pages.sentInvite(sent)));
		},
	);

	return routes;
}
