import type { ControlMappingFile } from '../../schemas/control-mapping.ts';
import { formatPath } from '../../schemas/messages.ts';
import type { Problem } from '../content/problems.ts';

/** External id → catalog controls (`catalog:control`), from the mapping file, per source or for all. */
export interface ControlMapping {
	/** Applies to every source. */
	all: Record<string, string[]>;
	/** Applies to one source id, and wins over `all`. */
	bySource: Record<string, Record<string, string[]>>;
}

/** A catalog as the mapping check needs it: its id, its file, and its control ids in order. */
export interface KnownCatalog {
	id: string;
	file: string;
	controls: readonly string[];
}

/**
 * Every mistake in the mapping file that would otherwise lose a status without a word: a target in
 * no catalog (with the closest control id, when one is close), a section for a source that is not
 * configured, and two keys that differ only in case (keys match source ids case-insensitively, as
 * catalog ids do). `lineOf` gives a field's line in the file, when known.
 */
export function checkMapping(
	file: string,
	mapping: ControlMappingFile,
	catalogs: readonly KnownCatalog[],
	sourceIds: readonly string[],
	lineOf: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): Problem[] {
	const problems: Problem[] = [];
	const problem = (path: PropertyKey[], message: string, hint: string) =>
		problems.push({
			severity: 'error',
			file,
			field: formatPath(path),
			line: lineOf(path),
			message,
			hint,
		});
	const byId = new Map(catalogs.map((c) => [c.id.toLowerCase(), c]));
	const checkSection = (at: string[], section: Record<string, string[]>) => {
		const seen = new Map<string, string>();
		for (const [key, targets] of Object.entries(section)) {
			const same = seen.get(key.toLowerCase());
			if (same !== undefined)
				problem(
					[...at, key],
					`"${key}" and "${same}" are the same id: source ids match mapping keys case-insensitively`,
					'Keep one of them, with every target it should map to.',
				);
			seen.set(key.toLowerCase(), key);
			targets.forEach((target, i) => {
				const path = targets.length === 1 ? [...at, key] : [...at, key, i];
				const [catalogId, controlId] = target.split(':') as [string, string];
				const catalog = byId.get(catalogId.toLowerCase());
				if (!catalog) {
					const close = closest(
						catalogId,
						catalogs.map((c) => c.id),
					);
					problem(
						path,
						`unknown catalog "${catalogId}" in the target "${target}" of "${key}"; known catalogs: ${catalogs.map((c) => `"${c.id}"`).join(', ') || 'none'}`,
						close ? `Did you mean "${close}:${controlId}"?` : 'Use one of those catalogs.',
					);
				} else if (!catalog.controls.some((c) => c.toLowerCase() === controlId.toLowerCase())) {
					const close = closest(controlId, catalog.controls);
					problem(
						path,
						`unknown control "${controlId}" in catalog "${catalog.id}", in the target "${target}" of "${key}"`,
						close
							? `Did you mean "${catalog.id}:${close}"? The controls are in ${catalog.file}.`
							: `Map "${key}" to a control of ${catalog.file}.`,
					);
				}
			});
		}
	};
	checkSection(['all'], mapping.all);
	for (const [sourceId, section] of Object.entries(mapping.sources)) {
		if (!sourceIds.includes(sourceId)) {
			const close = closest(sourceId, sourceIds);
			problem(
				['sources', sourceId],
				`no source "${sourceId}" is configured (controlStatus.sources in site.yaml has ${sourceIds.map((id) => `"${id}"`).join(', ') || 'none'}), so these mappings would never apply`,
				close ? `Did you mean "${close}"?` : 'Use the id of a configured source.',
			);
		}
		checkSection(['sources', sourceId], section);
	}
	return problems;
}

/**
 * Resolves a source's id to the catalog controls (`catalog:control`, as the catalog spells them) it
 * stands for: the mapping file's targets (the source's own section first; keys match case-insensitively),
 * else the id in the source's catalog, case-insensitively, else its NIST SP 800-53 form (`nist80053Id`).
 * An empty list: the id maps to no control. `known` maps lowercased `catalog:control` to the catalog's
 * spelling; targets not in it are left out (checkMapping reports them before the pull merges).
 */
export function controlResolver(
	mapping: ControlMapping,
	known: ReadonlyMap<string, string>,
): (sourceId: string, catalog: string, externalId: string) => string[] {
	const lowered = (table: Record<string, string[]>) =>
		new Map(Object.entries(table).map(([key, targets]) => [key.toLowerCase(), targets]));
	const all = lowered(mapping.all);
	const bySource = new Map(
		Object.entries(mapping.bySource).map(([id, table]) => [id, lowered(table)]),
	);
	return (sourceId, catalog, externalId) => {
		const id = externalId.toLowerCase();
		const targets = bySource.get(sourceId)?.get(id) ?? all.get(id);
		if (targets)
			return targets
				.map((t) => known.get(t.toLowerCase()))
				.filter((r): r is string => r !== undefined);
		const nist = nist80053Id(externalId);
		const ref =
			known.get(`${catalog}:${id}`.toLowerCase()) ??
			(nist === undefined ? undefined : known.get(`${catalog}:${nist}`.toLowerCase()));
		return ref ? [ref] : [];
	};
}

/**
 * An id as NIST SP 800-53 catalogs (and OSCAL) spell it, from the spellings tools use: `AC-2(1)` and
 * `AC-2 (1)` → `ac-2.1`, zero-padded `AC-02` → `ac-2`, `ac-02.01` → `ac-2.1`. Undefined when the id
 * does not look like an 800-53 control. The pull uses it only for an id that matches no control as it is.
 */
export function nist80053Id(id: string): string | undefined {
	const match = /^([a-z]{2})-0*(\d+)(?:\s*\(\s*0*(\d+)\s*\)|\.0*(\d+))?$/i.exec(id.trim());
	if (!match) return undefined;
	const [, family, number, enhancement = match[4]] = match;
	return `${family!.toLowerCase()}-${number}${enhancement ? `.${enhancement}` : ''}`;
}

/**
 * The candidate closest to `wrong` (case ignored), when it is at most two edits away: a likely typo.
 * Ties go to the one sharing the longest start with `wrong`, then to the first listed.
 */
export function closest(wrong: string, candidates: readonly string[]): string | undefined {
	const w = wrong.toLowerCase();
	let best: { candidate: string; distance: number; prefix: number } | undefined;
	for (const candidate of candidates) {
		const c = candidate.toLowerCase();
		const distance = editDistance(w, c);
		if (distance > 2) continue;
		let prefix = 0;
		while (prefix < w.length && w[prefix] === c[prefix]) prefix++;
		if (!best || distance < best.distance || (distance === best.distance && prefix > best.prefix))
			best = { candidate, distance, prefix };
	}
	return best?.candidate;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++)
			current[j] = Math.min(
				previous[j]! + 1,
				current[j - 1]! + 1,
				previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		previous = current;
	}
	return previous[b.length]!;
}
