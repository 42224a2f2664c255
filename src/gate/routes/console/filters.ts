// The filter form the console's lists share (request history, downloads): a GET form, so a filtered
// list is a URL to bookmark or send, and the links to the next page keep its filters.
import type { ListFilter } from '../../services/list-filters.ts';
import { html, type Html } from './html.ts';

/** Filter values as they go back into a URL (the next page's, the CSV export's), empty ones left out. */
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
