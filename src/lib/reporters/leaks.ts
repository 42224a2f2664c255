import { NDA_ELEMENT } from '../nda/visibility.ts';
import type { Leak } from '../nda/leaks.ts';

/** The leak report: every hit with its file and source, grouped by file. */
export function formatLeaks(
	leaks: readonly Leak[],
	copies: readonly { file: string; copyOf: string }[],
): string {
	const lines: string[] = [];
	const byFile = Map.groupBy(leaks, (l) => l.file);
	for (const [file, hits] of byFile) {
		lines.push(`${file}`);
		for (const { secret } of hits) lines.push(`  "${secret.excerpt}"\n    from ${secret.source}`);
	}
	for (const { file, copyOf } of copies)
		lines.push(`${file}\n  is a copy of ${copyOf}, which must never be published`);
	const count = leaks.length + copies.length;
	// What to do, for each kind found: text on a page, or a file published byte for byte.
	const fixes = [
		...(leaks.length
			? [`remove the text from the public page or put it inside <${NDA_ELEMENT}>`]
			: []),
		...(copies.length
			? [
					'stop publishing each copy (a public document or file in public/ must not have the same bytes as an NDA-only file)',
				]
			: []),
	].join('; ');
	return `Leak check failed: ${count} NDA-only ${count === 1 ? 'item is' : 'items are'} in the public build.\n\n${lines.join('\n')}\n\n${fixes.charAt(0).toUpperCase()}${fixes.slice(1)}, then build again. Nothing NDA-only may be published.`;
}
