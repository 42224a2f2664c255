import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { walkFiles } from '../../../src/lib/files.ts';
import { isCompressedCopy } from '../../../src/lib/precompress.ts';

/** Writes `text` to `root/relative`, creating folders on the way. */
export function writeText(root: string, relative: string, text: string): void {
	const path = join(root, relative);
	mkdirSync(dirname(path), { recursive: true });
	writeFileSync(path, text);
}

/** A YAML document. The `yaml` package quotes whatever would otherwise change type, like version "1.0". */
export function yamlText(data: object): string {
	return stringify(data, { lineWidth: 0 });
}

/** A Markdown file: YAML frontmatter, then the body. */
export function markdownFile(frontmatter: object, body: string): string {
	return `---\n${yamlText(frontmatter)}---\n\n${body}`;
}

/**
 * Total size in bytes of the files under `dir` whose names end with `suffix` (0 when it does not
 * exist), leaving out the build's compressed copies (`.br`, `.gz`), which bare Starlight does not write.
 */
export function dirSize(dir: string, suffix = ''): number {
	return walkFiles(dir, (name) => !isCompressedCopy(name) && name.endsWith(suffix)).reduce(
		(total, file) => total + statSync(file).size,
		0,
	);
}

/** How many files under `dir` end with `suffix`. */
export function countFiles(dir: string, suffix: string): number {
	return walkFiles(dir, (name) => name.endsWith(suffix)).length;
}

/** A URL-safe slug: lowercase letters, digits and single dashes. */
export function slugify(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
}

/** A number padded with zeros to `width` digits, e.g. pad(7, 3) is "007". */
export function pad(n: number, width: number): string {
	return String(n).padStart(width, '0');
}

/** The calendar day `days` after `start` (YYYY-MM-DD), computed in UTC so the result never depends on the machine. */
export function addDays(start: string, days: number): string {
	const date = new Date(`${start}T00:00:00Z`);
	date.setUTCDate(date.getUTCDate() + days);
	return date.toISOString().slice(0, 10);
}
