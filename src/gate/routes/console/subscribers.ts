// Subscribers: counts by state and by topic, the subscribers a page at a time (by address, with a state
// filter and a search), and the delivery log, newest first. Admins remove a subscriber through the
// service the CLI's `subscribers remove` calls: their data is deleted, a salted hash stays.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import { deliveryLog } from '../../services/outbox.ts';
import { identity } from '../../services/staff-sessions.ts';
import {
	listSubscribers,
	removeSubscriberById,
	subscriberCounts,
	type SubscriberRecord,
} from '../../services/subscribers.ts';
import { topicLabel } from '../../../lib/labels.ts';
import { ENGLISH } from '../../../lib/words/words.ts';
import { SUBSCRIBER_STATES } from '../../../schemas/gate-command.ts';
import {
	DELIVERY_STATES,
	DeliveryLogQuerySchema,
	SubscribersQuerySchema,
} from '../../../schemas/console-subscribers.ts';
import { SUBSCRIPTION_TOPICS } from '../../../schemas/update.ts';
import { GateError } from '../../errors.ts';
import { countTable, listTable } from './filters.ts';
import { html, raw, when } from './html.ts';
import type { ConsoleDeps } from './index.ts';
import { PAGE_SIZE } from './requests.ts';
import { checkInput } from './input.ts';

/** Delivery log rows on one page. */
const LOG_PAGE_SIZE = 50;
const SUBSCRIBERS = `${ADMIN}/subscribers/`;
const DELIVERIES = `${ADMIN}/subscribers/deliveries/`;
const SUBSCRIBER_ID = /^sub_[0-9a-f]{16}$/;

/** The subscribers pages' routes. */
export function subscriberRoutes({ gate, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();

	routes.get(SUBSCRIBERS, auth.require('viewer', 'see the subscribers'), async (c) => {
		const staff = c.var.staff;
		const query = checkInput(SubscribersQuerySchema, c.req.query(), 'the filters');
		const [counts, rows] = await Promise.all([
			subscriberCounts(gate),
			listSubscribers(gate, {
				state: query.state,
				search: query.q,
				after: query.after,
				limit: PAGE_SIZE + 1,
			}),
		]);
		const shown = rows.slice(0, PAGE_SIZE);
		const token = csrf.issue(c);
		const canRemove = roleAtLeast(staff.role, 'admin');
		const removed = c.req.query('removed');
		const notice =
			removed && SUBSCRIBER_ID.test(removed)
				? html`<p class="tc-notice" role="status">
						Subscriber ${removed} is removed: their subscription and delivery records are deleted,
						and a salted hash of the address is kept so it is never mailed or added back by the
						form.
					</p>`
				: '';
		const filters = new URLSearchParams();
		if (query.state) filters.set('state', query.state);
		if (query.q) filters.set('q', query.q);
		const row = (s: SubscriberRecord) =>
			html`<tr>
				<td>${s.email}</td>
				<td>
					${s.state}${
						s.bounces
							? html`<br /><span class="tc-muted"
										>${s.bounces} failure(s)${s.lastBounce ? `: ${s.lastBounce}` : ''}</span
									>`
							: ''
					}
				</td>
				<td>${s.topics.map((t) => topicLabel(t, ENGLISH)).join(', ')}</td>
				<td>${when(s.confirmedAt ?? s.createdAt)}</td>
				${
					canRemove
						? html`<td>
								<form method="post" action="${ADMIN}/subscribers/${s.id}/remove">
									<input type="hidden" name="csrf" value="${token}" />
									<button type="submit" class="tc-button tc-secondary">
										Remove<span class="tc-visually-hidden"> ${s.email}</span>
									</button>
								</form>
							</td>`
						: ''
				}
			</tr>`;
		const nextPage = new URLSearchParams(filters);
		if (rows.length > PAGE_SIZE) nextPage.set('after', shown.at(-1)!.email);
		return c.html(
			pages.layout({
				title: 'Subscribers',
				staff,
				csrf: token,
				body: html`${notice}
					<p>
						People who asked to be mailed updates and subprocessor changes.
						<a href="${DELIVERIES}">The delivery log</a> lists every mail sent or queued.
					</p>
					<div class="tc-columns">
						${countTable('Subscribers by state', [
							...SUBSCRIBER_STATES.map((s) => [s, counts.byState[s]] as const),
							['removed (suppressed)', counts.suppressed],
						])}
						${countTable(
							'Active subscribers by topic',
							SUBSCRIPTION_TOPICS.map((t) => [topicLabel(t, ENGLISH), counts.byTopic[t]] as const),
						)}
					</div>
					<h2>Addresses</h2>
					<form method="get" action="${SUBSCRIBERS}" class="tc-form tc-filters" role="search">
						<p>
							<label for="sub-q">Address contains</label>
							<input id="sub-q" name="q" type="search" maxlength="254" value="${query.q ?? ''}" />
						</p>
						<p>
							<label for="sub-state">State</label>
							<select id="sub-state" name="state">
								<option value="">Any</option>
								${SUBSCRIBER_STATES.map(
									(s) =>
										html`<option value="${s}" ${query.state === s ? raw('selected') : ''}>
											${s}
										</option>`,
								)}
							</select>
						</p>
						<p><button type="submit" class="tc-button tc-secondary">Show</button></p>
					</form>
					${listTable({
						caption: `Subscribers by address${query.after ? ', continued' : ''}`,
						columns: ['Address', 'State', 'Topics', 'Since', ...(canRemove ? ['Remove'] : [])],
						rows: shown.map(row),
						empty: `No subscribers${query.state || query.q ? ' match' : ''}.`,
						next: nextPage.has('after') ? `${SUBSCRIBERS}?${nextPage.toString()}` : undefined,
						more: `Next ${PAGE_SIZE} subscribers`,
					})}
					${
						canRemove
							? html`<p class="tc-muted">
									Removing deletes the subscription and its delivery records, as
									<code>npm run gate -- subscribers remove &lt;email&gt;</code> does.
								</p>`
							: ''
					}`,
			}),
		);
	});

	routes.get(DELIVERIES, auth.require('viewer', 'see the delivery log'), async (c) => {
		const staff = c.var.staff;
		const query = checkInput(DeliveryLogQuerySchema, c.req.query(), 'the filters');
		const rows = await deliveryLog(gate, {
			state: query.state,
			before: query.before,
			limit: LOG_PAGE_SIZE + 1,
		});
		const shown = rows.slice(0, LOG_PAGE_SIZE);
		const older = new URLSearchParams(query.state ? { state: query.state } : {});
		if (rows.length > LOG_PAGE_SIZE) older.set('before', shown.at(-1)!.id);
		return c.html(
			pages.layout({
				title: 'Delivery log',
				staff,
				csrf: csrf.issue(c),
				body: html`<p>
						Every mail to a subscriber, newest first: the item, the recipient, its state, the
						attempts and the mail server's last reply.
						<a href="${SUBSCRIBERS}">Back to the subscribers</a>.
					</p>
					<nav aria-label="Delivery state" class="tc-tabs">
						<ul>
							${[undefined, ...DELIVERY_STATES].map(
								(s) =>
									html`<li>
										<a
											href="${DELIVERIES}${s ? `?state=${s}` : ''}"
											aria-current="${s === query.state ? 'page' : 'false'}"
											>${s ?? 'All'}</a
										>
									</li>`,
							)}
						</ul>
					</nav>
					${listTable({
						caption: `${query.state ? `Deliveries ${query.state}` : 'Deliveries'}, newest first${query.before ? ', continued' : ''}`,
						columns: ['Item', 'Recipient', 'State', 'Attempts', 'Last reply'],
						rows: shown.map(
							(d) =>
								html`<tr>
									<td>${d.item}<br /><span class="tc-muted">${d.itemId}</span></td>
									<td>${d.email}</td>
									<td>
										${d.state}<br /><span class="tc-muted"
											>${d.sentAt ? `sent ${when(d.sentAt)}` : `queued ${when(d.queuedAt)}`}</span
										>
									</td>
									<td>${d.attempts}</td>
									<td class="tc-break">
										${d.reply ?? (d.state === 'sent' ? 'not recorded' : 'none yet')}
									</td>
								</tr>`,
						),
						empty: `No deliveries${query.state ? ` ${query.state}` : ''}.`,
						next: older.has('before') ? `${DELIVERIES}?${older.toString()}` : undefined,
						more: 'Older deliveries',
					})}`,
			}),
		);
	});

	routes.post(
		`${ADMIN}/subscribers/:id/remove`,
		readBody,
		csrf.check,
		auth.require('admin', 'remove a subscriber'),
		async (c) => {
			const id = c.req.param('id');
			if (!SUBSCRIBER_ID.test(id))
				throw new GateError(
					404,
					'Unknown subscriber',
					'There is no such subscriber. Go back to the subscribers.',
					'subscriber-unknown',
				);
			await removeSubscriberById(gate, id, identity(c.var.staff));
			return c.redirect(`${SUBSCRIBERS}?removed=${id}`, 303);
		},
	);

	return routes;
}
