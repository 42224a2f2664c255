// The sidebar each page shows. Starlight lists every page in every page's sidebar: on a site whose
// architecture pages are in folders, each page repeats every link of every folder (1,288 links and
// 261 KB of a 286 KB page on a 2,000-page site). Here a folder shows its pages only on its own pages;
// elsewhere it is one link, to its first page. Starlight's previous and next links are unchanged.
import type { StarlightRouteData } from '@astrojs/starlight/route-data';

type SidebarEntry = StarlightRouteData['sidebar'][number];
type SidebarGroup = Extract<SidebarEntry, { type: 'group' }>;
type SidebarLink = Extract<SidebarEntry, { type: 'link' }>;

/** Whether the current page is `entry` or in it. */
const holdsCurrent = (entry: SidebarEntry): boolean =>
	entry.type === 'link' ? entry.isCurrent : entry.entries.some(holdsCurrent);

/** The first page of a group, in sidebar order, or undefined for a group without pages. */
function firstLink(group: SidebarGroup): SidebarLink | undefined {
	for (const entry of group.entries) {
		const link = entry.type === 'link' ? entry : firstLink(entry);
		if (link) return link;
	}
	return undefined;
}

/** A group that does not hold the current page, as one link to its first page (named as the group). */
function folded(group: SidebarGroup): SidebarEntry {
	const first = firstLink(group);
	if (!first) return group;
	return {
		type: 'link',
		label: group.label,
		href: first.href,
		isCurrent: false,
		badge: group.badge,
		// trust.css draws a chevron after it: a folder, not a page.
		attrs: { 'data-folder': '' },
	};
}

/**
 * The sidebar of the current page: the top-level groups whole; within them, each group that holds the
 * current page whole (its own groups folded the same way), and every other group folded into a link to
 * its first page.
 */
export function sidebarForPage(sidebar: readonly SidebarEntry[]): SidebarEntry[] {
	const within = (entries: readonly SidebarEntry[]): SidebarEntry[] =>
		entries.map((entry) =>
			entry.type === 'link'
				? entry
				: holdsCurrent(entry)
					? { ...entry, entries: within(entry.entries) }
					: folded(entry),
		);
	return sidebar.map((entry) =>
		entry.type === 'group' ? { ...entry, entries: within(entry.entries) } : entry,
	);
}
