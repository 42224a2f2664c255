/**
 * The order of pages and entries, one comparator per kind: every list, page, feed and the whitepaper
 * sort with these, so a kind reads in the same order wherever it appears.
 */

type Entry<T> = { id: string; data: T };

/**
 * Architecture pages as Starlight's sidebar orders them: by `sidebar.order`, pages without one last,
 * then by id (so a section's index page comes before the pages under it).
 */
export function byDocOrder(
	a: Entry<{ sidebar: { order?: number | undefined } }>,
	b: Entry<{ sidebar: { order?: number | undefined } }>,
): number {
	return (
		(a.data.sidebar.order ?? Infinity) - (b.data.sidebar.order ?? Infinity) ||
		a.id.localeCompare(b.id)
	);
}

/** Frameworks by their `order`, then by name. */
export function byFrameworkOrder(
	a: Entry<{ order: number; name: string }>,
	b: Entry<{ order: number; name: string }>,
): number {
	return a.data.order - b.data.order || a.data.name.localeCompare(b.data.name);
}

const POLICY_RANK: Record<string, number> = { approved: 0, draft: 1, retired: 2 };

/** Policies in force first (approved, then draft, then retired), then by title. */
export function byPolicyOrder(
	a: Entry<{ state: string; title: string }>,
	b: Entry<{ state: string; title: string }>,
): number {
	return (
		POLICY_RANK[a.data.state]! - POLICY_RANK[b.data.state]! ||
		a.data.title.localeCompare(b.data.title)
	);
}

/** Updates newest first, then by id. */
export function byUpdateOrder(a: Entry<{ date: Date }>, b: Entry<{ date: Date }>): number {
	return b.data.date.getTime() - a.data.date.getTime() || a.id.localeCompare(b.id);
}

/** Documents newest first. */
export function byDocumentOrder(a: Entry<{ date: Date }>, b: Entry<{ date: Date }>): number {
	return b.data.date.getTime() - a.data.date.getTime();
}

/** FAQ entries by category, then by their `order` within it, then by question. */
export function byFaqOrder(
	a: Entry<{ category: string; order: number; question: string }>,
	b: Entry<{ category: string; order: number; question: string }>,
): number {
	return (
		a.data.category.localeCompare(b.data.category) ||
		a.data.order - b.data.order ||
		a.data.question.localeCompare(b.data.question)
	);
}

const SUBPROCESSOR_RANK: Record<string, number> = { active: 0, planned: 1, removed: 2 };

/** Subprocessors active first, then planned, then removed; by (shown) name within each. */
export function bySubprocessorOrder(
	a: { state: string; name: string },
	b: { state: string; name: string },
): number {
	return SUBPROCESSOR_RANK[a.state]! - SUBPROCESSOR_RANK[b.state]! || a.name.localeCompare(b.name);
}
