// The staff page: the passkeys of people without single sign-on and the open invitations, which every
// role reads; admins also see who is signed in and end a session, remove a passkey (which signs its
// sessions out at once), send invitations and cancel them.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import type { StaffIdentity } from '../../services/audit.ts';
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
import { endSessions, identity, openSessions } from '../../services/staff-sessions.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import { InviteFormSchema } from '../../../schemas/console-forms.ts';
import { checkInput } from './input.ts';
import type { ConsoleDeps } from './index.ts';

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

	/**
	 * An admin's button on one row of the page: `path` with `:id`, which must match `pattern` (else the
	 * `unknown` 404 page), runs `act` and shows the page again. When it ended the admin's own session (their
	 * passkey removed, or their session ended), the page is the sign-in page, saying so.
	 */
	const rowAction = (
		path: string,
		pattern: RegExp,
		action: string,
		unknown: { title: string; message: string; code: string },
		act: (id: string, admin: StaffIdentity) => Promise<unknown>,
	) =>
		routes.post(path, readBody, csrf.check, auth.require('admin', action), async (c) => {
			const id = c.req.param('id') ?? '';
			if (!pattern.test(id)) throw new GateError(404, unknown.title, unknown.message, unknown.code);
			await act(id, identity(c.var.staff));
			return c.redirect(`${ADMIN}/staff/`, 303);
		});

	rowAction(
		`${ADMIN}/staff/passkeys/:id/remove`,
		/^pk_[0-9a-f]{16}$/,
		'remove a passkey',
		{
			title: 'Unknown passkey',
			message: 'This passkey does not exist. Reload the staff page.',
			code: 'passkey-unknown',
		},
		(id, admin) => removePasskey(gate, id, admin),
	);
	rowAction(
		`${ADMIN}/staff/invites/:id/cancel`,
		/^inv_[0-9a-f]{16}$/,
		'cancel an invitation',
		{
			title: 'No open invitation',
			message: 'This invitation does not exist. Reload the staff page.',
			code: 'invite-unknown',
		},
		(id, admin) => cancelInvites(gate, { id }, admin),
	);
	rowAction(
		`${ADMIN}/staff/sessions/:id/end`,
		/^ses_[0-9a-f]{16}$/,
		'end a session',
		{
			title: 'No open session',
			message: 'This session does not exist. Reload the staff page.',
			code: 'session-unknown',
		},
		(id, admin) => endSessions(gate, { id }, admin),
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
