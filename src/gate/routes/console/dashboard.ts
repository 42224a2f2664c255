// The dashboard at the top of the console's landing page: warnings first, each linking to where it is
// acted on, then this month's counts and the companies that download most.
import { absoluteUrl, SECTIONS } from '../../../lib/routing/urls.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import { REVIEW_BUSINESS_DAYS, type Dashboard, type Warning } from '../../services/dashboard.ts';
import { table } from './filters.ts';
import { html, type Html } from './html.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** One warning: what is wrong, and a link to where it is fixed. */
function warning(w: Warning, publicUrl: string): Html {
	switch (w.kind) {
		case 'overdue':
			return html`<li>
				${w.count} ${w.count === 1 ? 'request has' : 'requests have'} waited more than
				${REVIEW_BUSINESS_DAYS} business days for a decision (the oldest since
				${day(w.oldestSince)}).
				<a href="${ADMIN}/requests/">Open the review queue</a>
			</li>`;
		case 'key':
			return html`<li>
				The signing key “${w.kid}” is ${w.ageDays} days old, older than its rotation period of
				${w.rotationDays} days (GATE_KEY_ROTATION_DAYS).
				${
					w.source === 'environment'
						? 'Put a new key first in GATE_SIGNING_KEYS and keep this one after it until the links it signed have expired.'
						: 'An admin can rotate it: a new key then signs, and this one keeps verifying.'
				}
				<a href="${ADMIN}/keys/">See the signing keys</a>
			</li>`;
		case 'document':
			return html`<li>
				“${w.document.title}” was valid until ${day(w.document.validUntil)}. ${w.document.owner}:
				publish its successor and update <code>validUntil</code> in ${w.document.file}.
				<a href="${absoluteUrl(SECTIONS.documents.path, publicUrl)}"
					>See it on the documents page</a
				>
			</li>`;
	}
}

/** The dashboard's markup; `publicUrl` is the site's origin, for links to its pages. */
export function dashboardSection(d: Dashboard, publicUrl: string): Html {
	const warnings = d.warnings.length
		? html`<section aria-labelledby="dash-warnings" class="tc-notice tc-alert">
				<h2 id="dash-warnings">Needs action</h2>
				<ul>
					${d.warnings.map((w) => warning(w, publicUrl))}
				</ul>
			</section>`
		: html`<p class="tc-notice" role="status">Nothing needs action.</p>`;
	return html`${warnings}
		<section aria-labelledby="dash-counts">
			<h2 id="dash-counts">This month</h2>
			<dl class="tc-facts">
				<dt>Waiting for review</dt>
				<dd>
					<a href="${ADMIN}/requests/">${d.pending} ${d.pending === 1 ? 'request' : 'requests'}</a>
				</dd>
				<dt>Grants this month</dt>
				<dd><a href="${ADMIN}/grants/">${d.grantsThisMonth}</a></dd>
				<dt>Downloads this month</dt>
				<dd>${d.downloadsThisMonth}</dd>
			</dl>
		</section>
		<section aria-labelledby="dash-top">
			<h2 id="dash-top">Top companies, last 30 days</h2>
			${
				d.topCompanies.length
					? table({
							caption: 'Companies by downloads in the last 30 days',
							hideCaption: true,
							columns: ['Company', 'Downloads'],
							rows: d.topCompanies.map(
								(c) =>
									html`<tr>
										<td>${c.company}</td>
										<td>${c.downloads}</td>
									</tr>`,
							),
						})
					: html`<p>No downloads in the last 30 days.</p>`
			}
		</section>`;
}
