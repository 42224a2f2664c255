// The audit log in the console: the chain a page at a time (newest first, optionally of one event type),
// Verify (the whole chain, streamed through the same check as the CLI's `audit verify`) and the JSON
// Lines export (the CLI's `audit export`, which `audit verify --against` accepts). Verifying and
// exporting are audit entries themselves.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import type { AuditEntry } from '../../lib/audit-chain.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import {
	auditTypes,
	exportAudit,
	listAudit,
	recordExport,
	recordVerification,
	verifyAudit,
	type AuditVerification,
} from '../../services/audit.ts';
import type { Gate } from '../../services/gate.ts';
import { identity } from '../../services/staff-sessions.ts';
import { AuditPageQuerySchema, AuditVerifyFormSchema } from '../../../schemas/console-audit.ts';
import { filterQuery, listTable } from './filters.ts';
import { html, type Html } from './html.ts';
import type { ConsoleDeps } from './index.ts';
import { checkInput } from './input.ts';

/** Entries on one page of the log. */
export const AUDIT_PAGE_SIZE = 50;
const AUDIT = `${ADMIN}/audit`;

/** An entry's data in one short line: its fields but the staff identity (the actor column says who). */
export function dataSummary(data: Record<string, unknown>, max = 120): string {
	const text = Object.entries(data)
		.filter(([key]) => key !== 'staff')
		.map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
		.join('; ');
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What the verify page says about a verification, and about the exported head it was checked against. */
function verdict(check: AuditVerification, anchor: Anchor | undefined): Html {
	if (!check.ok)
		return html`<div class="tc-notice tc-alert" role="alert">
			<p>
				<strong>Broken at entry #${check.seq}:</strong> ${check.reason}. The ${check.count} entries
				before it verify.
			</p>
			<p><a href="${AUDIT}/?before=${check.seq + 1}">Show entry #${check.seq}</a></p>
		</div>`;
	if (check.anchorProblem)
		return html`<p class="tc-notice tc-alert" role="alert">
			<strong>Not as exported:</strong> the chain verifies, but not against the exported head.
			${check.anchorProblem.charAt(0).toUpperCase()}${check.anchorProblem.slice(1)}.
		</p>`;
	return html`<p class="tc-notice" role="status">
		<strong>Intact:</strong> ${check.count}
		entries${
			check.head
				? html`, head #${check.head.seq} <code class="tc-break">${check.head.hash}</code>`
				: ' (the log is empty)'
		}${anchor ? html`; it still holds the exported head #${anchor.seq}` : ''}.
	</p>`;
}

/** The head of an earlier export that a verification checks the log against. */
type Anchor = { seq: number; hash: string };

/**
 * Runs one verification at a time for each exported head (or none): a request that arrives while the
 * same one runs gets its result, so pressing Verify repeatedly never stacks walks over a long log.
 */
function sharedVerify(gate: Gate): (anchor: Anchor | undefined) => Promise<AuditVerification> {
	const running = new Map<string, Promise<AuditVerification>>();
	return (anchor) => {
		const key = anchor ? `${anchor.seq}:${anchor.hash}` : '';
		let walk = running.get(key);
		if (!walk) {
			walk = verifyAudit(gate.db, { anchor }).finally(() => running.delete(key));
			running.set(key, walk);
		}
		return walk;
	};
}

/** The audit log's routes. */
export function auditRoutes({ gate, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const verify = sharedVerify(gate);

	routes.get(`${AUDIT}/`, auth.require('viewer', 'read the audit log'), async (c) => {
		const { type, before } = checkInput(AuditPageQuerySchema, c.req.query(), 'the filters');
		const [rows, types] = await Promise.all([
			listAudit(gate.db, { before, type, limit: AUDIT_PAGE_SIZE + 1 }),
			auditTypes(gate.db),
		]);
		const shown = rows.slice(0, AUDIT_PAGE_SIZE);
		const token = csrf.issue(c);
		const row = (e: AuditEntry) =>
			html`<tr>
				<td>${e.seq}</td>
				<td>${e.at.slice(0, 19).replace('T', ' ')}</td>
				<td>${e.type}</td>
				<td class="tc-break">${e.actor}</td>
				<td class="tc-break">${e.subject}</td>
				<td class="tc-break">${dataSummary(e.data)}</td>
				<td><code title="${e.hash}">${e.hash.slice(0, 12)}</code></td>
			</tr>`;
		return c.html(
			pages.layout({
				title: 'Audit log',
				staff: c.var.staff,
				csrf: token,
				body: html`<p>
						Every request, decision, download and console action, in a hash chain: each entry's hash
						covers the one before it, so an entry changed or removed after it was written shows up
						when the chain is verified.
					</p>
					<form method="post" action="${AUDIT}/verify" class="tc-form">
						<input type="hidden" name="csrf" value="${token}" />
						<p>
							<label for="audit-head">Head of an earlier export (optional)</label>
							<input
								id="audit-head"
								name="head"
								type="text"
								maxlength="300"
								spellcheck="false"
								autocomplete="off"
								aria-describedby="audit-head-help"
							/>
						</p>
						<p class="tc-muted" id="audit-head-help">
							The last line of an export kept where the database's admins cannot write. The log must
							still hold the entry it names, which shows a tail cut off the log. Empty: the chain
							alone is checked.
						</p>
						<p><button type="submit" class="tc-button">Verify the whole chain</button></p>
					</form>
					<form method="post" action="${AUDIT}/export">
						<input type="hidden" name="csrf" value="${token}" />
						<p>
							<button type="submit" class="tc-button tc-secondary">Export as JSON Lines</button>
						</p>
					</form>
					<p class="tc-muted">
						An export's last line is the chain's head: paste it above, or run
						<code>npm run gate -- audit verify --against &lt;file&gt;</code>, to prove later that
						the log still holds it.
					</p>
					<form method="get" action="${AUDIT}/" class="tc-form tc-filter">
						<p>
							<label for="audit-type">Event type</label>
							<select id="audit-type" name="type">
								<option value="">Every type</option>
								${types.map(
									(t) => html`<option value="${t}" ${t === type ? 'selected' : ''}>${t}</option>`,
								)}
							</select>
						</p>
						<p><button type="submit" class="tc-button tc-secondary">Show</button></p>
					</form>
					${listTable({
						caption: `${type ? `${type} entries` : 'Entries'}, newest first${before ? `, below #${before}` : ''}`,
						columns: ['#', 'Time (UTC)', 'Type', 'Actor', 'Subject', 'Data', 'Hash'],
						rows: shown.map(row),
						empty: `No entries${type ? ` of type ${type}` : ''}${before ? ` below #${before}` : ''}.`,
						next:
							rows.length > AUDIT_PAGE_SIZE
								? `${AUDIT}/?${filterQuery({ type, before: String(shown.at(-1)!.seq) })}`
								: undefined,
						more: 'Older entries',
					})}`,
			}),
		);
	});

	routes.post(
		`${AUDIT}/verify`,
		readBody,
		csrf.check,
		auth.require('viewer', 'verify the audit log'),
		async (c) => {
			const { head } = checkInput(AuditVerifyFormSchema, c.var.body, 'the verify form');
			const check = await verify(head);
			await recordVerification(gate.db, identity(c.var.staff), check, gate.now(), head);
			return c.html(
				pages.layout({
					title: 'Audit log verification',
					staff: c.var.staff,
					csrf: csrf.issue(c),
					body: html`${verdict(check, head)}
						<p class="tc-muted">
							Checked every entry up to the head at ${gate.now().toISOString().slice(0, 19)} UTC: no
							gaps in the numbering, each entry's link to the one before it, and each hash
							recomputed from its content. This verification is itself the log's next entry.
						</p>
						<p><a href="${AUDIT}/">Back to the audit log</a></p>`,
				}),
			);
		},
	);

	routes.post(
		`${AUDIT}/export`,
		readBody,
		csrf.check,
		auth.require('viewer', 'export the audit log'),
		async (c) => {
			const now = gate.now();
			await recordExport(gate.db, identity(c.var.staff), now);
			const chunks = exportAudit(gate.db, now);
			const encoder = new TextEncoder();
			const body = new ReadableStream<Uint8Array>({
				async pull(controller) {
					const next = await chunks.next();
					if (next.done) controller.close();
					else controller.enqueue(encoder.encode(next.value));
				},
				async cancel() {
					await chunks.return(undefined);
				},
			});
			return c.body(body, 200, {
				'Content-Type': 'application/jsonl; charset=utf-8',
				'Content-Disposition': `attachment; filename="audit-log-${now.toISOString().slice(0, 10)}.jsonl"`,
			});
		},
	);

	return routes;
}
