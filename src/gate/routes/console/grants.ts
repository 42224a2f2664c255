// Grants: active, expired and revoked, newest first and a page at a time; approvers revoke an active
// grant with a reason, which stops its page and every link already issued at once, or send its link
// again with a fresh key, which stops the link mailed before (the services the CLI's revoke and resend
// call).
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { GateError } from '../../errors.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import { documentTitles } from '../../services/gate.ts';
import {
	listGrants,
	resendGrant,
	revoke,
	type GrantListing,
	type GrantState,
} from '../../services/grants.ts';
import { identity } from '../../services/staff-sessions.ts';
import { listTable } from './filters.ts';
import { html, when } from './html.ts';
import type { ConsoleDeps } from './index.ts';
import { pageStartAfter, parsePageStart } from '../../../schemas/console-filters.ts';
import { PAGE_SIZE } from './requests.ts';
import { RevokeFormSchema } from '../../../schemas/console-forms.ts';
import { checkInput } from './input.ts';
import { mailedNotice, notSent, ONCE_MAIL_WORKS, resendForm } from './mail-notices.ts';

const GRANT_ID = /^grant_[0-9a-f]{16}$/;
const STATES: readonly { state: GrantState; label: string }[] = [
	{ state: 'active', label: 'Active' },
	{ state: 'expired', label: 'Expired' },
	{ state: 'revoked', label: 'Revoked' },
];

/** A grant id from a console address, or the refusal of one the gate cannot have made. */
function grantId(id: string): string {
	if (!GRANT_ID.test(id))
		throw new GateError(
			404,
			'Unknown grant',
			'There is no such grant. Go back to the grants.',
			'grant-unknown',
		);
	return id;
}

/** What sending a grant's link again did, whatever became of the mail. */
const newLink = (grant: string) =>
	`Grant ${grant} has a new link, and the link sent before no longer works.`;

/** The grants page's routes. */
export function grantRoutes({ gate, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();

	routes.get(`${ADMIN}/grants/`, auth.require('viewer', 'see the grants'), async (c) => {
		const staff = c.var.staff;
		const state = STATES.find((s) => s.state === c.req.query('state'))?.state ?? 'active';
		const before = parsePageStart(c.req.query('before'));
		const rows = await listGrants(gate, { state, before, limit: PAGE_SIZE + 1 });
		const shown = rows.slice(0, PAGE_SIZE);
		const token = csrf.issue(c);
		const canAct = state === 'active' && roleAtLeast(staff.role, 'approver');
		const revoked = c.req.query('revoked');
		const resent = c.req.query('resent');
		const notice =
			revoked && GRANT_ID.test(revoked)
				? html`<p class="tc-notice" role="status">
						Grant ${revoked} is revoked: its page and every link issued for it stopped working.
					</p>`
				: resent && GRANT_ID.test(resent)
					? html`<p class="tc-notice" role="status">
							${newLink(resent)} ${mailedNotice(gate, 'the new link')}
						</p>`
					: '';
		const row = (g: GrantListing) =>
			html`<tr>
				<td>${g.id}</td>
				<td>${g.company}<br /><span class="tc-muted">${g.email}</span></td>
				<td>${documentTitles(gate, g.documents)}</td>
				<td>${when(g.createdAt)}</td>
				<td>
					${
						g.revokedAt
							? html`revoked ${when(g.revokedAt)} by
								${g.revokedBy ?? 'unknown'}${g.revokeReason ? html`: <q>${g.revokeReason}</q>` : ''}`
							: `${state === 'expired' ? 'ended' : 'until'} ${when(g.expiresAt)}`
					}
				</td>
				${
					canAct
						? html`<td>
								${resendForm(g.id, token)}
								<form method="post" action="${ADMIN}/grants/${g.id}/revoke" class="tc-form">
									<input type="hidden" name="csrf" value="${token}" />
									<label for="why-${g.id}">Reason</label>
									<input id="why-${g.id}" name="reason" required maxlength="500" />
									<button type="submit" class="tc-button tc-secondary">
										Revoke<span class="tc-visually-hidden"> grant ${g.id}</span>
									</button>
								</form>
							</td>`
						: ''
				}
			</tr>`;
		return c.html(
			pages.layout({
				title: 'Grants',
				staff,
				csrf: token,
				body: html`${notice}
					<nav aria-label="Grant state" class="tc-tabs">
						<ul>
							${STATES.map(
								(s) =>
									html`<li>
										<a
											href="${ADMIN}/grants/?state=${s.state}"
											aria-current="${s.state === state ? 'page' : 'false'}"
											>${s.label}</a
										>
									</li>`,
							)}
						</ul>
					</nav>
					${listTable({
						caption: `${STATES.find((s) => s.state === state)!.label} grants, newest first`,
						columns: [
							'Grant',
							'Company',
							'Documents',
							'Granted',
							'State',
							...(canAct ? ['Actions'] : []),
						],
						rows: shown.map(row),
						empty: `No ${state} grants.`,
						next:
							rows.length > PAGE_SIZE
								? `${ADMIN}/grants/?state=${state}&before=${encodeURIComponent(pageStartAfter(shown.at(-1)!))}`
								: undefined,
						more: 'Older grants',
					})}`,
			}),
		);
	});

	routes.post(
		`${ADMIN}/grants/:id/revoke`,
		readBody,
		csrf.check,
		auth.require('approver', 'revoke a grant'),
		async (c) => {
			const id = grantId(c.req.param('id'));
			const { reason } = checkInput(RevokeFormSchema, c.var.body, 'the revocation');
			await revoke(gate, id, identity(c.var.staff), reason);
			return c.redirect(`${ADMIN}/grants/?state=revoked&revoked=${id}`, 303);
		},
	);

	routes.post(
		`${ADMIN}/grants/:id/resend`,
		readBody,
		csrf.check,
		auth.require('approver', 'send the link of a grant again'),
		async (c) => {
			const id = grantId(c.req.param('id'));
			const { mail } = await resendGrant(gate, id, identity(c.var.staff));
			if (mail.via !== 'failed')
				return c.redirect(`${ADMIN}/grants/?state=active&resent=${id}`, 303);
			const token = csrf.issue(c);
			return c.html(
				pages.layout({
					title: 'New link made; the e-mail was not sent',
					staff: c.var.staff,
					csrf: token,
					body: html`<div class="tc-notice tc-alert" role="alert">
							<p>${newLink(id)} ${notSent(mail, 'the new link')}</p>
							<p>${ONCE_MAIL_WORKS}, send it again:</p>
							${resendForm(id, token)}
						</div>
						<p><a href="${ADMIN}/grants/">Back to the grants</a></p>`,
				}),
			);
		},
	);

	return routes;
}
