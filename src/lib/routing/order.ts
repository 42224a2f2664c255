/**
 * The order of pages and entries, one comparator per kind: every list, page, feed and the whitepaper
 * sort with these, so a kind reads in the same order wherever it appears. Names, titles and ids compare
 * as readers of the site's language sort them (Swedish puts Å after Z), as Starlight's sidebar does,
 * and never as the locale of the machine that happens to build the site would.
 */

type Entry<T> = { id: string; data: T };

/** Two entries of a list compared: below 0 puts `a` first, above 0 puts `b` first. */
type Comparator<T> = (a: T, b: T) => number;

/** The comparator of each kind, for a site in one language. */
export interface Orders {
	/**
	 * Architecture pages as Starlight's sidebar orders them: by `sidebar.order`, pages without one last,
	 * then by id (so a section's index page comes before the pages under it).
	 */
	docs: Comparator<Entry<{ sidebar: { order?: number | undefined } }>>;
	/** Frameworks by their `order`, then by name. */
	frameworks: Comparator<Entry<{ order: number; name: string }>>;
	/** Policies in force first (approved, then draft, then retired), then by title. */
	policies: Comparator<Entry<{ state: string; title: string }>>;
	/** Updates newest first, then by id. */
	updates: Comparator<Entry<{ date: Date }>>;
	/** Documents newest first. */
	documents: Comparator<Entry<{ date: Date }>>;
	/** FAQ entries by category, then by their `order` within it, then by question. */
	faq: Comparator<Entry<{ category: string; order: number; question: string }>>;
	/** Subprocessors active first, then planned, then removed; by (shown) name within each. */
	subprocessors: Comparator<{ state: string; name: string }>;
}

const POLICY_RANK: Record<string, number> = { approved: 0, draft: 1, retired: 2 };
const SUBPROCESSOR_RANK: Record<string, number> = { active: 0, planned: 1, removed: 2 };

/** The order of every kind on a site in `language` (a BCP 47 tag, as site.yaml gives it). */
export function ordersFor(language: string): Orders {
	const { compare } = new Intl.Collator(language);
	return {
		docs: (a, b) =>
			(a.data.sidebar.order ?? Infinity) - (b.data.sidebar.order ?? Infinity) ||
			compare(a.id, b.id),
		frameworks: (a, b) => a.data.order - b.data.order || compare(a.data.name, b.data.name),
		policies: (a, b) =>
			POLICY_RANK[a.data.state]! - POLICY_RANK[b.data.state]! ||
			compare(a.data.title, b.data.title),
		updates: (a, b) => b.data.date.getTime() - a.data.date.getTime() || compare(a.id, b.id),
		documents: (a, b) => b.data.date.getTime() - a.data.date.getTime(),
		faq: (a, b) =>
			compare(a.data.category, b.data.category) ||
			a.data.order - b.data.order ||
			compare(a.data.question, b.data.question),
		subprocessors: (a, b) =>
			SUBPROCESSOR_RANK[a.state]! - SUBPROCESSOR_RANK[b.state]! || compare(a.name, b.name),
	};
}

/**
 * Strings in the order `Array.prototype.sort` gives them (by UTF-16 code units): the same on every
 * machine and in every language, for orders that programs rely on rather than readers.
 */
export function byCodeUnits(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}
