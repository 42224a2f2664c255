// The review queue: requests waiting for a decision, oldest first, a page at a time, each with what the
// security team needs to decide (the rule that sent it to review, the NDA version accepted, company,
// role and the requester's own words); approvers approve a scope for a number of days (capped by
// maxDays) or deny with a reason. Both call the services the CLI calls, so the audit entries and the
// requester's e-mail are the same. A decision whose mail fails stands, and the page says so: what the
// mailer said, and what to do (for an approval, send the grant's link again).
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { GateError } from '../../errors.ts';
import { grantDays } from '../../lib/access-rules.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import type { Gate } from '../../services/gate.ts';
import { identity, type StaffSession } from '../../services/staff-sessions.ts';
import {
	approve,
	deny,
	pendingRequests,
	requestHistory,
	type HistoryRequest,
	type PendingRequest,
} from '../../services/requests.ts';
import { documentTitles } from '../../services/gate.ts';
import { grantOfRequest } from '../../services/grants.ts';
import { daysBetween } from '../../../lib/dates.ts';
import {
	REQUEST_STATUSES,
	RequestHistoryQuerySchema,
} from '../../../schemas/request-history-query.ts';
import { pageStartAfter, parsePageStart } from '../../../schemas/console-filters.ts';
import { ApproveFormSchema, DenyFormSchema } from '../../../schemas/console-forms.ts';
import { filterForm, filterQuery, listTable } from './filters.ts';
import { html, type Html, when } from './html.ts';
import { checkInput } from './input.ts';
import { mailedNotice, notSent, ONCE_MAIL_WORKS, resendForm } from './mail-notices.ts';
import type { ConsoleDeps } from './index.ts';

/** Requests on one page of the queue. */
export const PAGE_SIZE = 25;

const REQUEST_ID = /^req_[0-9a-f]{16}$/;

/**
 * What the queue page says after an approval, redirected with `?approved=<id>`: what the grant holds, as
 * stored (a grant shortened by maxDays says its real length), or nothing for a request with no grant.
 */
async function approvedNotice(gate: Gate, id: string): Promise<Html | ''> {
	const grant = await grantOfRequest(gate, id);
	if (!grant) return '';
	const days = daysBetween(grant.created_at, grant.expires_at);
	return html`<p class="tc-notice" role="status">
		Request ${id} is approved: ${documentTitles(gate, grant.documents)} for ${days}
		${days === 1 ? 'day' : 'days'}, until ${when(grant.expires_at)}.
		${mailedNotice(gate, 'their download link')}
	</p>`;
}

/** One waiting request, with the approve and deny forms for approvers. */
function requestCard(gate: Gate, r: PendingRequest, canDecide: boolean, csrf: string): Html {
	const title = (id: string) => gate.config.documents.find((d) => d.id === id)?.title ?? id;
	const defaultDays = gate.config.rules.grant.days;
	const cap = grantDays(gate.config.rules, r.documents, Infinity);
	const forms = canDecide
		? html`<div class="tc-decide">
				<form method="post" action="${ADMIN}/requests/${r.id}/approve" class="tc-form">
					<input type="hidden" name="csrf" value="${csrf}" />
					<fieldset>
						<legend>Documents to grant</legend>
						${r.documents.map(
							(d) =>
								html`<p>
									<input
										type="checkbox"
										name="documents"
										value="${d}"
										id="doc-${r.id}-${d}"
										checked
									/><label class="tc-inline" for="doc-${r.id}-${d}">${title(d)}</label>
								</p>`,
						)}
					</fieldset>
					<p>
						<label for="days-${r.id}">Days</label>
						<input
							id="days-${r.id}"
							name="days"
							type="number"
							min="1"
							max="730"
							value="${Math.min(defaultDays, cap)}"
							required
							aria-describedby="days-help-${r.id}"
						/>
					</p>
					<p class="tc-muted" id="days-help-${r.id}">
						${
							Number.isFinite(cap)
								? `At most ${cap} days for these documents (maxDays); a longer grant is shortened.`
								: `Default ${defaultDays} days (access-rules.yaml).`
						}
					</p>
					<p>
						<button type="submit" class="tc-button">
							Approve<span class="tc-visually-hidden"> request ${r.id}</span>
						</button>
					</p>
				</form>
				<form method="post" action="${ADMIN}/requests/${r.id}/deny" class="tc-form">
					<input type="hidden" name="csrf" value="${csrf}" />
					<p>
						<label for="reason-${r.id}">Reason (sent to the requester)</label>
						<textarea
							id="reason-${r.id}"
							name="reason"
							rows="2"
							maxlength="500"
							required
						></textarea>
					</p>
					<p>
						<button type="submit" class="tc-button tc-secondary">
							Deny<span class="tc-visually-hidden"> request ${r.id}</span>
						</button>
					</p>
				</form>
			</div>`
		: '';
	return html`<article class="tc-card" aria-labelledby="h-${r.id}">
		<h2 id="h-${r.id}">${r.company}: ${r.name}</h2>
		<dl class="tc-facts">
			<dt>Request</dt>
			<dd>${r.id}, ${when(r.createdAt)}</dd>
			<dt>E-mail</dt>
			<dd>${r.email}</dd>
			<dt>Role</dt>
			<dd>${r.role}</dd>
			<dt>Waits for</dt>
			<dd>${r.documents.map(title).join(', ')}</dd>
			<dt>Sent to review by</dt>
			<dd>${r.rule ?? 'no rule recorded'}</dd>
			<dt>NDA</dt>
			<dd>
				${
					r.ndaWaivedBy
						? `waived by ${r.ndaWaivedBy} (NDA version ${r.ndaVersion} at the time)`
						: `accepted, version ${r.ndaVersion}`
				}
			</dd>
			<dt>Reason given</dt>
			<dd>${r.reason ? html`<q class="tc-quote">${r.reason}</q>` : 'none'}</dd>
		</dl>
		${forms}
	</article>`;
}

/** The review queue's routes. */
export function requestRoutes({ gate, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();

	routes.get(`${ADMIN}/requests/`, auth.require('viewer', 'see the review queue'), async (c) => {
		const staff: StaffSession = c.var.staff;
		const after = parsePageStart(c.req.query('after'));
		const rows = await pendingRequests(gate, { after, limit: PAGE_SIZE + 1 });
		const shown = rows.slice(0, PAGE_SIZE);
		const token = csrf.issue(c);
		const approved = c.req.query('approved') ?? '';
		const denied = c.req.query('denied') ?? '';
		const notice = REQUEST_ID.test(approved)
			? await approvedNotice(gate, approved)
			: REQUEST_ID.test(denied)
				? html`<p class="tc-notice" role="status">
						Request ${denied} is denied. ${mailedNotice(gate, 'the reason')}
					</p>`
				: '';
		const canDecide = roleAtLeast(staff.role, 'approver');
		const next =
			rows.length > PAGE_SIZE
				? html`<p>
						<a href="${ADMIN}/requests/?after=${encodeURIComponent(pageStartAfter(shown.at(-1)!))}"
							>Next ${PAGE_SIZE} requests</a
						>
					</p>`
				: '';
		return c.html(
			pages.layout({
				title: 'Review queue',
				staff,
				csrf: token,
				body: html`${notice}
					<p>
						Requests waiting for a decision, oldest first${after ? ' (continued)' : ''}.
						${
							canDecide
								? 'Approving or denying e-mails the requester, as the CLI does.'
								: 'Your role can read the queue; approvers decide.'
						}
					</p>
					${
						shown.length
							? shown.map((r) => requestCard(gate, r, canDecide, token))
							: html`<p>No requests are waiting.</p>`
					}
					${next}`,
			}),
		);
	});

	routes.get(
		`${ADMIN}/requests/history/`,
		auth.require('viewer', 'see the request history'),
		async (c) => {
			const staff = c.var.staff;
			const query = checkInput(RequestHistoryQuerySchema, c.req.query(), 'the filters');
			const { before, ...filters } = query;
			const rows = await requestHistory(gate, filters, {
				before: parsePageStart(before),
				limit: PAGE_SIZE + 1,
			});
			const shown = rows.slice(0, PAGE_SIZE);
			const filtered = Object.values(filters).some(Boolean);
			const row = (r: HistoryRequest) =>
				html`<tr>
					<td>${when(r.createdAt)}<br /><span class="tc-muted">${r.id}</span></td>
					<td>${r.company}</td>
					<td>${r.name}<br /><span class="tc-muted">${r.email}</span></td>
					<td>${documentTitles(gate, r.documents)}</td>
					<td>
						${r.status}${
							r.decidedBy
								? html`<br /><span class="tc-muted"
											>by ${r.decidedBy}${r.decidedAt ? `, ${when(r.decidedAt)}` : ''}</span
										>`
								: ''
						}${r.decisionReason ? html`<br /><q>${r.decisionReason}</q>` : ''}
					</td>
				</tr>`;
			const status = html`<p>
				<label for="f-status">Status</label>
				<select id="f-status" name="status">
					<option value="">Any</option>
					${REQUEST_STATUSES.map(
						(s) =>
							html`<option value="${s}" ${s === filters.status ? html`selected` : ''}>
								${s}
							</option>`,
					)}
				</select>
			</p>`;
			return c.html(
				pages.layout({
					title: 'Request history',
					staff,
					csrf: csrf.issue(c),
					body: html`<p>
							Every access request, newest first${before ? ' (continued)' : ''}. The filters
							combine; the address of a filtered list can be bookmarked.
						</p>
						${filterForm(`${ADMIN}/requests/history/`, filters, status)}
						${listTable({
							caption: `${filtered ? 'Requests matching the filters' : 'Requests'}, newest first`,
							columns: ['Requested', 'Company', 'Requester', 'Documents', 'Status'],
							rows: shown.map(row),
							empty: filtered ? 'No requests match these filters.' : 'No requests yet.',
							next:
								rows.length > PAGE_SIZE
									? `${ADMIN}/requests/history/?${filterQuery({ ...filters, before: pageStartAfter(shown.at(-1)!) })}`
									: undefined,
							more: 'Older requests',
						})}`,
				}),
			);
		},
	);

	const requestId = (id: string) => {
		if (!REQUEST_ID.test(id))
			throw new GateError(
				404,
				'Unknown request',
				'There is no such request. Go back to the review queue.',
				'request-unknown',
			);
		return id;
	};

	routes.post(
		`${ADMIN}/requests/:id/approve`,
		readBody,
		csrf.check,
		auth.require('approver', 'approve a request'),
		async (c) => {
			const id = requestId(c.req.param('id'));
			const { days, documents } = checkInput(ApproveFormSchema, c.var.body, 'the approval');
			const done = await approve(gate, id, identity(c.var.staff), days, documents);
			if (done.mail.via !== 'failed') return c.redirect(`${ADMIN}/requests/?approved=${id}`, 303);
			const { to } = done.mail;
			const token = csrf.issue(c);
			return c.html(
				pages.layout({
					title: 'Approved; the e-mail was not sent',
					staff: c.var.staff,
					csrf: token,
					body: html`<div class="tc-notice tc-alert" role="alert">
							<p>
								Request ${id} is approved and recorded: ${documentTitles(gate, done.documents)} for
								${done.days} ${done.days === 1 ? 'day' : 'days'}, until ${when(done.expires)}, as
								grant ${done.grant}. ${notSent(done.mail, 'their download link')}
							</p>
							<p>
								The link is only in that e-mail, so ${to} cannot open the grant yet. Do not approve
								again: the approval stands. ${ONCE_MAIL_WORKS}, send them a new link:
							</p>
							${resendForm(done.grant, token)}
						</div>
						<p><a href="${ADMIN}/requests/">Back to the review queue</a></p>`,
				}),
			);
		},
	);

	routes.post(
		`${ADMIN}/requests/:id/deny`,
		readBody,
		csrf.check,
		auth.require('approver', 'deny a request'),
		async (c) => {
			const id = requestId(c.req.param('id'));
			const { reason } = checkInput(DenyFormSchema, c.var.body, 'the denial');
			const { mail } = await deny(gate, id, identity(c.var.staff), reason);
			if (mail.via !== 'failed') return c.redirect(`${ADMIN}/requests/?denied=${id}`, 303);
			return c.html(
				pages.layout({
					title: 'Denied; the e-mail was not sent',
					staff: c.var.staff,
					csrf: csrf.issue(c),
					body: html`<div class="tc-notice tc-alert" role="alert">
							<p>Request ${id} is denied and recorded. ${notSent(mail, 'the reason')}</p>
							<p>
								Do not deny again: the denial stands. They have not been told yet: write to them
								yourself at ${mail.to}.
							</p>
						</div>
						<p><a href="${ADMIN}/requests/">Back to the review queue</a></p>`,
				}),
			);
		},
	);

	return routes;
}
