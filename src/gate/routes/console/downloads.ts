// Downloads: who downloaded what and when, newest first and a page at a time, or counted per company or
// per document, with the console's filters; and the filtered list as CSV, streamed a page at a time.
// The counts and the CSV come from the report service the CLI's `report` uses, so the two agree.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import { documentTitles } from '../../services/gate.ts';
import {
	downloadCounts,
	listDownloads,
	recordExport,
	type DownloadCount,
	type DownloadFilter,
	type DownloadListing,
} from '../../services/reports.ts';
import { identity } from '../../services/staff-sessions.ts';
import { csvHeader, csvLine } from '../../../lib/csv.ts';
import { downloadQuerySchema, type DownloadQuery } from '../../../schemas/download-query.ts';
import { filterForm, filterQuery, listTable } from './filters.ts';
import { html, when } from './html.ts';
import { checkInput } from './input.ts';
import type { ConsoleDeps } from './index.ts';
import { pageStartAfter, parsePageStart } from '../../../schemas/console-filters.ts';
import { PAGE_SIZE } from './requests.ts';

const PAGE = `${ADMIN}/downloads/`;
const EXPORT = `${ADMIN}/downloads/export.csv`;
/** Rows the CSV export reads from the database at a time. */
const EXPORT_PAGE = 500;
const VIEWS: readonly { view: DownloadQuery['view']; label: string }[] = [
	{ view: 'list', label: 'Every download' },
	{ view: 'company', label: 'By company' },
	{ view: 'document', label: 'By document' },
];
const CSV_COLUMNS = [
	'download',
	'served_at',
	'company',
	'name',
	'email',
	'document',
	'grant',
	'ip',
	'sha256',
] as const;

/** The filters of a checked query, without its view and page. */
const filtersOf = ({ document, company, domain, from, to }: DownloadQuery): DownloadFilter => ({
	document,
	company,
	domain,
	from,
	to,
});

/** The downloads page's routes and its CSV export. */
export function downloadRoutes({ gate, pages, csrf, auth }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();
	const documents = gate.config.documents.map((d) => d.id);
	const schema = downloadQuerySchema(documents);
	const title = (id: string) => documentTitles(gate, [id]);

	routes.get(PAGE, auth.require('viewer', 'see the downloads'), async (c) => {
		const query = checkInput(schema, c.req.query(), 'the filters');
		const filters = filtersOf(query);
		const filtered = Object.values(filters).some(Boolean);
		const link = (extra: Record<string, string | undefined>) =>
			`${PAGE}?${filterQuery({ ...filters, ...extra })}`;
		const listing = async () => {
			const rows = await listDownloads(gate, filters, {
				before: parsePageStart(query.before),
				limit: PAGE_SIZE + 1,
			});
			const shown = rows.slice(0, PAGE_SIZE);
			const row = (d: DownloadListing) =>
				html`<tr>
					<td>${when(d.at)}<br /><span class="tc-muted">${d.id}</span></td>
					<td>${d.company}</td>
					<td>${d.name}<br /><span class="tc-muted">${d.email}</span></td>
					<td>${title(d.document)}</td>
					<td>${d.grant}</td>
				</tr>`;
			const last = shown.at(-1);
			return listTable({
				caption: `${filtered ? 'Downloads matching the filters' : 'Downloads'}, newest first`,
				columns: ['Served', 'Company', 'Recipient', 'Document', 'Grant'],
				rows: shown.map(row),
				empty: filtered ? 'No downloads match these filters.' : 'No downloads yet.',
				next:
					rows.length > PAGE_SIZE && last
						? link({ before: pageStartAfter({ createdAt: last.at, id: last.id }) })
						: undefined,
				more: 'Older downloads',
			});
		};
		const counts = async (by: 'company' | 'document') => {
			const rows = await downloadCounts(gate, by, filters, {
				after: query.after,
				limit: PAGE_SIZE + 1,
			});
			const shown = rows.slice(0, PAGE_SIZE);
			const row = (r: DownloadCount) =>
				html`<tr>
					<td>
						<a
							href="${link({
								view: 'list',
								...(by === 'company' ? { company: r.key } : { document: r.key }),
							})}"
							>${by === 'company' ? r.key : title(r.key)}</a
						>
					</td>
					<td>${r.downloads}</td>
					<td>${r.people}</td>
					<td>${when(r.last)}</td>
				</tr>`;
			return listTable({
				caption: `Downloads by ${by}${filtered ? ', matching the filters' : ''}`,
				columns: [by === 'company' ? 'Company' : 'Document', 'Downloads', 'People', 'Last'],
				rows: shown.map(row),
				empty: filtered ? 'No downloads match these filters.' : 'No downloads yet.',
				next: rows.length > PAGE_SIZE ? link({ view: by, after: shown.at(-1)!.key }) : undefined,
				more: 'More',
			});
		};
		const documentField = html`<p>
			<label for="f-document">Document</label>
			<select id="f-document" name="document">
				<option value="">Any</option>
				${gate.config.documents.map(
					(d) =>
						html`<option value="${d.id}" ${d.id === filters.document ? html`selected` : ''}>
							${d.title}
						</option>`,
				)}
			</select>
		</p>`;
		const view = html`<input type="hidden" name="view" value="${query.view}" />`;
		const token = csrf.issue(c);
		return c.html(
			pages.layout({
				title: 'Downloads',
				staff: c.var.staff,
				csrf: token,
				body: html`<p>
						Every copy the gate served, stamped for its recipient. The filters combine; the address
						of a filtered view can be bookmarked.
					</p>
					<nav aria-label="Downloads view" class="tc-tabs">
						<ul>
							${VIEWS.map(
								(v) =>
									html`<li>
										<a
											href="${link({ view: v.view === 'list' ? undefined : v.view })}"
											aria-current="${v.view === query.view ? 'page' : 'false'}"
											>${v.label}</a
										>
									</li>`,
							)}
						</ul>
					</nav>
					${filterForm(PAGE, filters, html`${view}${documentField}`)}
					<form method="post" action="${EXPORT}">
						<input type="hidden" name="csrf" value="${token}" />
						${Object.entries(filters).map(([name, value]) =>
							value ? html`<input type="hidden" name="${name}" value="${value}" />` : '',
						)}
						<button type="submit" class="tc-button tc-secondary">
							Export ${filtered ? 'these downloads' : 'every download'} as CSV
						</button>
					</form>
					${query.view === 'list' ? await listing() : await counts(query.view)}`,
			}),
		);
	});

	// A POST with the form token, as the audit log's export: an export is an audit entry, which another
	// site must not be able to make a signed-in browser write.
	routes.post(
		EXPORT,
		readBody,
		csrf.check,
		auth.require('viewer', 'export the downloads'),
		async (c) => {
			const filters = filtersOf(checkInput(schema, c.var.body, 'the filters'));
			await recordExport(gate, identity(c.var.staff), filters);
			const encoder = new TextEncoder();
			let before: ReturnType<typeof parsePageStart>;
			let done = false;
			// Pulled a page at a time: the export of a long history never holds more than one page.
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(encoder.encode(csvHeader(CSV_COLUMNS)));
				},
				async pull(controller) {
					if (done) return controller.close();
					const rows = await listDownloads(gate, filters, { before, limit: EXPORT_PAGE });
					if (rows.length < EXPORT_PAGE) done = true;
					const last = rows.at(-1);
					if (last) before = { createdAt: last.at, id: last.id };
					controller.enqueue(
						encoder.encode(
							rows
								.map((d) =>
									csvLine([
										d.id,
										d.at.toISOString(),
										d.company,
										d.name,
										d.email,
										d.document,
										d.grant,
										d.ip,
										d.sha256,
									]),
								)
								.join(''),
						),
					);
				},
			});
			const day = gate.now().toISOString().slice(0, 10);
			return c.body(body, 200, {
				'Content-Type': 'text/csv; charset=utf-8',
				'Content-Disposition': `attachment; filename="downloads-${day}.csv"`,
			});
		},
	);

	return routes;
}
