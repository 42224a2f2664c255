// What the console's lists share: the filter form of the filtered ones (request history, downloads), a
// GET form so a filtered list is a URL to bookmark or send; the one table markup of every console page;
// and the link to the next page, which keeps the filters.
import type { ListFilter } from '../../services/list-filters.ts';
import { html, raw, type Html } from './html.ts';

/** Filter values as they go back into a URL (the next page's), empty ones left out. */
export function filterQuery(values: Readonly<Record<string, string | undefined>>): string {
	const query = new URLSearchParams();
	for (const [key, value] of Object.entries(values)) if (value) query.set(key, value);
	return query.toString();
}

/**
 * The GET form at `action` with the shared fields (company, domain, dates) filled with `values`, after
 * `extra` (a list's own fields), with Filter and a link back to the unfiltered list.
 */
export function filterForm(action: string, values: ListFilter, extra: Html | string = ''): Html {
	return html`<form
		method="get"
		action="${action}"
		class="tc-form tc-list-filters"
		role="search"
		aria-label="Filters"
	>
		${extra}
		<p>
			<label for="f-company">Company contains</label>
			<input id="f-company" name="company" value="${values.company ?? ''}" maxlength="100" />
		</p>
		<p>
			<label for="f-domain">E-mail domain</label>
			<input
				id="f-domain"
				name="domain"
				value="${values.domain ?? ''}"
				placeholder="fabrikam.com"
			/>
		</p>
		<p>
			<label for="f-from">From (UTC)</label>
			<input id="f-from" name="from" type="date" value="${values.from ?? ''}" />
		</p>
		<p>
			<label for="f-to">To (UTC)</label>
			<input id="f-to" name="to" type="date" value="${values.to ?? ''}" />
		</p>
		<p class="tc-filter-actions">
			<button type="submit" class="tc-button">Filter</button>
			<a href="${action}">Clear the filters</a>
		</p>
	</form>`;
}

/**
 * A table of the console, in a box that scrolls sideways on a narrow screen or with long cells, which
 * the keyboard must reach to scroll it (WCAG 2.1.1, as the site's TableScroll): a focusable region named
 * by the table's `caption` (only for screen readers with `hideCaption`, where a heading already says
 * it), a header row of `columns` when it has one (a cell may be markup, e.g. a label only screen
 * readers read), and `rows` as they are.
 */
export function table(t: {
	caption: string;
	hideCaption?: boolean;
	columns?: readonly (string | Html)[];
	rows: readonly Html[];
}): Html {
	return html`<div class="tc-scroll" tabindex="0" role="region" aria-label="${t.caption}">
		<table>
			<caption${t.hideCaption ? raw(' class="tc-visually-hidden"') : ''}>
				${t.caption}
			</caption>
			${
				t.columns
					? html`<thead>
							<tr>
								${t.columns.map((c) => html`<th scope="col">${c}</th>`)}
							</tr>
						</thead>`
					: ''
			}
			<tbody>
				${t.rows}
			</tbody>
		</table>
	</div>`;
}

/** A table of counts: each label a row header, its count beside it. */
export function countTable(
	caption: string,
	counts: readonly (readonly [label: string, count: number])[],
): Html {
	return table({
		caption,
		rows: counts.map(
			([label, count]) =>
				html`<tr>
					<th scope="row">${label}</th>
					<td>${count}</td>
				</tr>`,
		),
	});
}

/**
 * A list's table: `rows` under `columns` with a caption, or `empty` when there are none, and the link
 * to the next page (`next`, when there is one) with `more` as its text.
 */
export function listTable(list: {
	caption: string;
	columns: readonly (string | Html)[];
	rows: readonly Html[];
	empty: string;
	next?: string | undefined;
	more?: string;
}): Html {
	return html`${list.rows.length ? table(list) : html`<p>${list.empty}</p>`}
	${list.next ? html`<p><a href="${list.next}">${list.more}</a></p>` : ''}`;
}
