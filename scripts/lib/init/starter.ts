// The starter content folder `npm run init` writes: the templates in starter/ filled in with the
// answers, a record of what was written (so an untouched starter can be replaced and anything else is
// left alone), and the writing itself.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { walkFiles } from '../../../src/lib/files.ts';
import { CJK_TEXT } from '../../../src/lib/system-fonts.ts';
import type { Answers } from './answers.ts';

/** The templates: a content folder whose `{{name}}` tokens stand for an answer or a value made from them. */
export const STARTER_TEMPLATES = join(import.meta.dirname, 'starter');
/** What init wrote and each file's SHA-256, outside the content folder (git-ignored). */
export const STARTER_RECORD = '.cache/init/starter.json';

/** The starter's files, path (relative to the content folder) → text, filled in with `answers` at `now`. */
export function renderStarter(answers: Answers, now: Date): Map<string, string> {
	const company = answers.companyName;
	const values: Record<string, string> = {
		...answers,
		tagline: `Security, privacy and compliance at ${company}.`,
		securityContact: `mailto:${answers.securityEmail}`,
		today: now.toISOString().slice(0, 10),
		now: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
		initial: [...company][0]!.toUpperCase(),
		logoWidth: String(logoWidth(company)),
		policySummary: `How ${company} protects the information it holds, who is responsible, and how the policy is kept current.`,
		docsDescription: `How ${company} protects customer data.`,
	};
	const files = new Map<string, string>();
	for (const path of walkFiles(STARTER_TEMPLATES)) {
		const name = relative(STARTER_TEMPLATES, path);
		files.set(name, fill(name, readFileSync(path, 'utf8'), values));
	}
	return files;
}

/**
 * The width in px of the placeholder logo: the 40 px square, a gap, and room for `company` at the
 * logo's 18 px font (about 11 px a character, 19 px an East Asian wide one), so no name is cut off.
 */
export function logoWidth(company: string): number {
	return 58 + [...company].reduce((sum, char) => sum + (CJK_TEXT.test(char) ? 19 : 11), 0);
}

/** Fills the tokens of one template, each escaped for where it stands: YAML or JSON, Markdown text, SVG. */
function fill(name: string, text: string, values: Record<string, string>): string {
	const token = /\{\{(\w+)\}\}/g;
	const value = (key: string) => {
		const found = values[key];
		if (found === undefined) throw new Error(`${name}: unknown token {{${key}}} in the starter`);
		return found;
	};
	if (name.endsWith('.svg')) return text.replace(token, (_, key: string) => xml(value(key)));
	if (!name.endsWith('.mdx'))
		return text.replace(token, (_, key: string) => JSON.stringify(value(key)));
	// Markdown: the frontmatter is YAML; the text after it is MDX.
	const end = text.indexOf('\n---\n', 4) + 5;
	return (
		text.slice(0, end).replace(token, (_, key: string) => JSON.stringify(value(key))) +
		text.slice(end).replace(token, (_, key: string) => mdx(value(key)))
	);
}

const xml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// MDX reads { and < as the start of code: written as character references they stay text.
const mdx = (text: string) => text.replace(/[{}<>]/g, (c) => `&#${c.charCodeAt(0)};`);

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Why `contentDir` may not be replaced, or undefined when it may: it does not exist, or it holds
 * exactly what init last wrote, unchanged.
 */
export function notAStarter(root: string, contentDir: string): string | undefined {
	const dir = join(root, contentDir);
	if (!existsSync(dir)) return undefined;
	const recordPath = join(root, STARTER_RECORD);
	if (!existsSync(recordPath)) return `npm run init did not write ${contentDir}/ on this machine`;
	const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { files: Record<string, string> };
	for (const path of walkFiles(dir)) {
		const file = relative(root, path);
		const written = record.files[file];
		if (!written) return `${file} was added since npm run init wrote ${contentDir}/`;
		if (written !== sha256(readFileSync(path)))
			return `${file} was changed since npm run init wrote it`;
	}
	const removed = Object.keys(record.files).find((file) => !existsSync(join(root, file)));
	return removed ? `${removed} was removed since npm run init wrote it` : undefined;
}

/**
 * Writes the starter into `contentDir`, replacing what is there: an untouched starter is removed; with
 * --force anything else is moved to `keepAs` first. Records what was written. The files are written
 * beside it first and moved into place whole, so a write that fails (a full disk) changes nothing.
 */
export function writeStarter(
	root: string,
	contentDir: string,
	files: Map<string, string>,
	keepAs?: string,
): void {
	const dir = join(root, contentDir);
	const draft = `${dir}.init-${process.pid}`;
	const record: Record<string, string> = {};
	try {
		for (const [name, text] of files) {
			mkdirSync(dirname(join(draft, name)), { recursive: true });
			writeFileSync(join(draft, name), text);
			record[relative(root, join(dir, name))] = sha256(text);
		}
		mkdirSync(dirname(join(root, STARTER_RECORD)), { recursive: true });
	} catch (error) {
		rmSync(draft, { recursive: true, force: true });
		throw error;
	}
	if (keepAs && existsSync(dir)) {
		mkdirSync(dirname(join(root, keepAs)), { recursive: true });
		renameSync(dir, join(root, keepAs));
	}
	rmSync(dir, { recursive: true, force: true });
	renameSync(draft, dir);
	writeFileSync(join(root, STARTER_RECORD), `${JSON.stringify({ files: record }, null, 2)}\n`);
}
