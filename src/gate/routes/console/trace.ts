// Trace: a leaked PDF uploaded, and whom that copy was issued to (by its exact hash or its hidden
// fingerprints), or that this gate cannot identify it. The same trace service as the CLI's `trace`, and
// like every console action an audit entry with the staff member's identity. Any role may trace: a
// viewer reads every download already, and the trace tells them nothing more than the downloads page.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { readUpload } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import { documentTitles } from '../../services/gate.ts';
import { trace, untraced, type TracedDownload, type TraceResult } from '../../services/reports.ts';
import { identity } from '../../services/staff-sessions.ts';
import { TRACE_PDF_MAX_BYTES } from '../../../schemas/gate-command.ts';
import { TraceUploadSchema } from '../../../schemas/trace-upload.ts';
import { html, type Html, when } from './html.ts';
import { checkInput } from './input.ts';
import type { ConsoleDeps } from './index.ts';

const PAGE = `${ADMIN}/trace/`;

/** The trace page's routes: the upload form, and the answer to an upload. */
export function traceRoutes({ gate, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();

	const form = (token: string) =>
		html`<p>
				Upload a copy of a gated document found where it should not be. The console looks for the
				download it came from: first by the file’s exact hash, then by the fingerprint hidden in
				every copy the gate serves, which survives re-saving and stripped metadata.
			</p>
			<form method="post" action="${PAGE}" enctype="multipart/form-data" class="tc-form">
				<input type="hidden" name="csrf" value="${token}" />
				<p>
					<label for="trace-pdf">The leaked PDF</label>
					<input
						id="trace-pdf"
						name="pdf"
						type="file"
						accept="application/pdf,.pdf"
						required
						aria-describedby="trace-help"
					/>
				</p>
				<p class="tc-muted" id="trace-help">
					At most ${TRACE_PDF_MAX_BYTES / 1024 / 1024} MB. The trace is recorded in the audit log
					under your name.
				</p>
				<p><button type="submit" class="tc-button">Trace this copy</button></p>
			</form>`;

	const answer = (found: TraceResult): Html => {
		if (found.match === 'refused')
			return html`<div class="tc-notice" role="status">
				<p><strong>This file could not be traced:</strong> ${found.reason}</p>
			</div>`;
		if (found.match === 'none')
			return html`<div class="tc-notice" role="status">
				<p><strong>This gate could not identify this copy.</strong></p>
				<p>${untraced(found.fingerprints)}</p>
			</div>`;
		const facts = (d: TracedDownload) =>
			html`<dl class="tc-facts">
				<dt>Recipient</dt>
				<dd>${d.name}, ${d.email}</dd>
				<dt>Company</dt>
				<dd>${d.company}</dd>
				<dt>Document</dt>
				<dd>${documentTitles(gate, [d.document])}</dd>
				<dt>Downloaded</dt>
				<dd>${when(d.at)}, download ${d.id}</dd>
				<dt>Grant</dt>
				<dd>${d.grant}</dd>
			</dl>`;
		const [d, ...more] = found.downloads;
		if (more.length === 0)
			return html`<div class="tc-notice" role="status">
				<p>
					<strong>This copy was issued to ${d.name} (${d.email}) at ${d.company}.</strong>
					${
						found.match === 'exact'
							? 'It is an exact copy: the same bytes, by SHA-256.'
							: 'It was changed after download; its hidden fingerprint names the download.'
					}
				</p>
				${facts(d)}
			</div>`;
		return html`<div class="tc-notice" role="status">
			<p>
				<strong>This file holds pages of ${found.downloads.length} copies.</strong> Each one’s
				hidden fingerprint names its download: someone put pages of these copies together, and any
				of their recipients may have done it.
			</p>
			${found.downloads.map(
				(copy, i) =>
					html`<h3>Copy ${i + 1}: ${copy.name} at ${copy.company}</h3>
						${facts(copy)}`,
			)}
		</div>`;
	};

	routes.get(PAGE, auth.require('viewer', 'trace a copy'), (c) => {
		const token = csrf.issue(c);
		return c.html(
			pages.layout({
				title: 'Trace a leaked copy',
				staff: c.var.staff,
				csrf: token,
				body: form(token),
			}),
		);
	});

	routes.post(
		PAGE,
		auth.require('viewer', 'trace a copy'),
		readUpload(TRACE_PDF_MAX_BYTES, 'The PDF to trace'),
		csrf.check,
		async (c) => {
			const { pdf } = checkInput(TraceUploadSchema, c.var.body, 'the upload');
			const found = await trace(gate, pdf, identity(c.var.staff));
			const token = csrf.issue(c);
			return c.html(
				pages.layout({
					title: 'Trace a leaked copy',
					staff: c.var.staff,
					csrf: token,
					body: html`${answer(found)}
						<h2>Trace another copy</h2>
						${form(token)}`,
				}),
			);
		},
	);

	return routes;
}
