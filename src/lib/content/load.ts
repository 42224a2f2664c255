import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { CatalogSchema, type Catalog } from '../../schemas/catalog.ts';
import {
	ControlStatusSnapshotSchema,
	type ControlStatusSnapshot,
} from '../../schemas/control-status.ts';
import { DocumentSchema, type TrustDocument } from '../../schemas/document.ts';
import { FaqSchema, type Faq } from '../../schemas/faq.ts';
import { FrameworkSchema, type Framework } from '../../schemas/framework.ts';
import { PolicySchema, type Policy } from '../../schemas/policy.ts';
import { SiteSettingsSchema, type SiteSettings } from '../../schemas/site.ts';
import { SubprocessorSchema, type Subprocessor } from '../../schemas/subprocessor.ts';
import { UpdateSchema, type Update } from '../../schemas/update.ts';
import { slug as githubSlug } from 'github-slugger';
import { decodeText, walkFiles } from '../files.ts';
import { chooseContentDir } from './dir.ts';
import { parseContent, type Problem } from './problems.ts';
import { formatPath, parsePath } from '../../schemas/messages.ts';

/**
 * The id Astro's glob loader gives a file without an `id` field, and so its page's address: the path
 * below the collection's folder without its extension, each part slugged by github-slugger as Astro
 * does (`2026-11-01-Hello.mdx` → `2026-11-01-hello`, `security/Key Vault.mdx` → `security/key-vault`).
 */
export const entrySlug = (relativePath: string): string =>
	relativePath
		.replace(/\.[^./\\]+$/, '')
		.split(/[/\\]/)
		.map((part) => githubSlug(part))
		.join('/')
		.replace(/\/index$/, '');

/** One parsed content file. */
export interface Entry<T> {
	/** Path relative to the project root, e.g. `content/policies/access-control.mdx`. */
	file: string;
	/** The entry id for kinds without an `id` field, as Astro makes it ({@link entrySlug}). */
	slug: string;
	data: T;
}

/** Everything in the content folder, parsed and typed. */
export interface TrustContent {
	site: SiteSettings;
	frameworks: Entry<Framework>[];
	catalogs: Entry<Catalog>[];
	snapshot: Entry<ControlStatusSnapshot>;
	policies: Entry<Policy>[];
	subprocessors: Entry<Subprocessor>[];
	documents: Entry<TrustDocument>[];
	updates: Entry<Update>[];
	faq: Entry<Faq>[];
}

/** Where each kind lives under the content directory, and which schema it follows. */
export const COLLECTIONS = {
	frameworks: { dir: 'frameworks', ext: ['.mdx', '.md'], schema: FrameworkSchema },
	catalogs: { dir: 'catalogs', ext: ['.yaml', '.yml'], schema: CatalogSchema },
	policies: { dir: 'policies', ext: ['.mdx', '.md'], schema: PolicySchema },
	subprocessors: { dir: 'subprocessors', ext: ['.yaml', '.yml'], schema: SubprocessorSchema },
	documents: { dir: 'documents', ext: ['.yaml', '.yml'], schema: DocumentSchema },
	updates: { dir: 'updates', ext: ['.mdx', '.md'], schema: UpdateSchema },
	faq: { dir: 'faq', ext: ['.mdx', '.md'], schema: FaqSchema },
} as const;

export const SITE_FILE = 'site.yaml';
export const SNAPSHOT_FILE = 'control-status.json';

/**
 * Reads and validates every content file. Never throws for bad content: every problem found is
 * returned, and `content` is present only when every file parsed.
 */
export function loadContent(
	root: string,
	contentDir = chooseContentDir(root),
	read = sourceReader(root),
): {
	content: TrustContent | undefined;
	/** The site settings when site.yaml is valid, also when other files are not: for the checks that need only them. */
	site: TrustContent['site'] | undefined;
	problems: Problem[];
} {
	const problems: Problem[] = [];
	const base = join(root, contentDir);
	const readDir = <K extends keyof typeof COLLECTIONS>(kind: K) =>
		readCollection(root, contentDir, kind, problems, read);
	const site = readEntry(root, join(base, SITE_FILE), SiteSettingsSchema, problems, read);
	const snapshot = readEntry(
		root,
		join(base, SNAPSHOT_FILE),
		ControlStatusSnapshotSchema,
		problems,
		read,
	);
	const collections = {
		frameworks: readDir('frameworks'),
		catalogs: readDir('catalogs'),
		policies: readDir('policies'),
		subprocessors: readDir('subprocessors'),
		documents: readDir('documents'),
		updates: readDir('updates'),
		faq: readDir('faq'),
	};
	const complete = site && snapshot && !problems.some((p) => p.severity === 'error');
	return {
		content: complete ? { site: site.data, snapshot, ...collections } : undefined,
		site: site?.data,
		problems,
	};
}

/** Reads and validates every file of one content kind, e.g. `documents`, adding any problems to `problems`. */
export function readCollection<K extends keyof typeof COLLECTIONS>(
	root: string,
	contentDir: string,
	kind: K,
	problems: Problem[],
	read = sourceReader(root),
): TrustContent[K] {
	const { dir, ext, schema } = COLLECTIONS[kind];
	// TypeScript cannot follow the kind from COLLECTIONS[kind].schema to TrustContent[kind]; they are the same schema.
	return readEntries(
		root,
		join(root, contentDir, dir),
		ext,
		schema,
		problems,
		read,
	) as TrustContent[K];
}

/** Reads and validates one YAML, JSON or Markdown-frontmatter file, adding any problems to `problems`. */
export function readEntry<S extends z.ZodType>(
	root: string,
	path: string,
	schema: S,
	problems: Problem[],
	read = sourceReader(root),
	/** The collection's folder, which an entry's slug is the path below (its own folder without it). */
	base = dirname(path),
): Entry<z.output<S>> | undefined {
	const file = relative(root, path);
	const slug = entrySlug(relative(base, path));
	if (!existsSync(path)) {
		problems.push({
			severity: 'error',
			file,
			field: '',
			message: 'file is missing',
			hint: `Create ${file}; see README.md for a worked example.`,
		});
		return undefined;
	}
	const { parsed } = read(path);
	if (!parsed.ok) {
		problems.push(parsed.problem);
		return undefined;
	}
	const result = parseContent(schema, parsed.value, file, parsed.lineOf);
	problems.push(...parsed.warnings, ...result.problems);
	return result.data === undefined ? undefined : { file, slug, data: result.data };
}

/** Reads every file with one of `ext` under `dir` (names starting with "_" are drafts and skipped). */
export function readEntries<S extends z.ZodType>(
	root: string,
	dir: string,
	ext: readonly string[],
	schema: S,
	problems: Problem[],
	read = sourceReader(root),
): Entry<z.output<S>>[] {
	problems.push(...folderProblems(root, dir, ext));
	// Nothing for a folder that is missing, or a file (which folderProblems reports).
	return walkFiles(
		dir,
		(name) => ext.some((e) => name.endsWith(e)) && !name.startsWith('_'),
	).flatMap((file) => readEntry(root, file, schema, problems, read, dir) ?? []);
}

/**
 * What is wrong with a content folder of entries with extensions `ext` (`faq/`, `docs/`) before its
 * entries are read: that it is a file, or the files in it that would be left out without a word.
 */
export function folderProblems(root: string, dir: string, ext: readonly string[]): Problem[] {
	if (!existsSync(dir)) return [];
	if (statSync(dir).isDirectory()) return unreadEntries(root, dir, ext);
	const file = relative(root, dir);
	return [
		{
			severity: 'error',
			file,
			field: '',
			message: 'is a file, where a folder of that name holds the entries',
			hint: `Rename or remove the file ${file}, and put the entries in a folder ${file}/ (see README.md).`,
		},
	];
}

/**
 * Files under `dir` meant as entries that the build would leave out without a word: an extension of
 * `ext` in other letter case (`vendor.YAML`, `policy.MDX`), or `.markdown` where Markdown is read.
 */
function unreadEntries(root: string, dir: string, ext: readonly string[]): Problem[] {
	const meant = (name: string) =>
		ext.find((e) => name.toLowerCase().endsWith(e)) ??
		(ext.includes('.md') && /\.markdown$/i.test(name) ? '.md' : undefined);
	return walkFiles(
		dir,
		(name) => !name.startsWith('_') && !ext.some((e) => name.endsWith(e)) && !!meant(name),
	).map((path) => {
		const file = relative(root, path);
		const renamed = basename(path).replace(/\.[^.]+$/, meant(path)!);
		return {
			severity: 'error',
			file,
			field: '',
			message: `is not read: only ${ext.join(' and ')} files (in lower case) are entries in ${relative(root, dir)}/`,
			hint: `Rename it to ${renamed}, or start its name with "_" to keep it as a draft.`,
		};
	});
}

/** A parsed YAML, JSON or frontmatter source: its value and the line of any field path, or why it cannot be parsed. */
export type Parsed =
	| {
			ok: true;
			value: unknown;
			lineOf: (path: readonly PropertyKey[]) => number | undefined;
			/** What the file says that is surely not what it means: text YAML drops as a comment. */
			warnings: Problem[];
	  }
	| { ok: false; problem: Problem };

/** A file that cannot be parsed at all: the problem is the whole file, at `line`. */
const wholeFileError = (file: string, line: number, message: string, hint: string): Parsed => ({
	ok: false,
	problem: { severity: 'error', file, field: '', line, message, hint },
});

/** The frontmatter of a Markdown file: its YAML (starting on line 2) and where the body starts, or why there is none. */
export type Frontmatter =
	| { ok: true; yaml: string; length: number }
	| { ok: false; line: number; message: string; hint: string };

/** Splits a Markdown file into its frontmatter and body: the one place that knows where frontmatter ends. */
export function frontmatterOf(text: string): Frontmatter {
	const match = /^---\r?\n(?:([\s\S]*?)\r?\n)?---(?:\r?\n|$)/.exec(text);
	if (match && match[1]?.trim()) return { ok: true, yaml: match[1], length: match[0].length };
	if (match)
		return {
			ok: false,
			line: 2,
			message: 'the frontmatter between the two "---" lines is empty',
			hint: 'Write the fields between them; README.md has a worked example of each kind.',
		};
	if (/^---\r?\n/.test(text))
		return {
			ok: false,
			line: 1,
			message:
				'the frontmatter that starts on line 1 is never closed: expected a second "---" line after the fields',
			hint: 'Add a line with only --- after the last field.',
		};
	return {
		ok: false,
		line: 1,
		message: 'expected frontmatter between two "---" lines at the top of the file, received none',
		hint: 'Start the file with ---, the fields, and ---.',
	};
}

/** Parses YAML, JSON or Markdown frontmatter, keeping a way back from a field path to its line. */
export function parseSource(text: string, file: string, frontmatter: boolean): Parsed {
	if (file.endsWith('.json')) return parseJson(text, file);
	let source = text;
	let lineOffset = 0;
	if (frontmatter) {
		const split = frontmatterOf(text);
		if (!split.ok) return wholeFileError(file, split.line, split.message, split.hint);
		source = split.yaml;
		lineOffset = 1;
	}
	const { doc, lineCounter } = parseYamlDocument(source);
	if (doc.errors.length > 0) {
		const error = doc.errors[0]!;
		const { line, col } = lineCounter.linePos(error.pos[0]);
		const { message, hint } = yamlSyntaxAdvice(
			error.code,
			error.message.split('\n')[0]!,
			source.split('\n')[line - 1]!.replace(/\r$/, ''),
			col,
		);
		return wholeFileError(file, line + lineOffset, `is not valid YAML: ${message}`, hint);
	}
	const lineAt = (offset: number) => lineCounter.linePos(offset).line + lineOffset;
	const aliases = aliasesOf(doc, source);
	const unresolved = aliases.find((a) => a.unresolved);
	if (unresolved)
		return wholeFileError(
			file,
			lineAt(unresolved.offset),
			`"${unresolved.text}" is read as a YAML alias, a reference to an anchor "&${unresolved.text.slice(1)}" that the file does not set`,
			`Put the value in quotes: ${unresolved.key ? `${unresolved.key}: ` : ''}"${unresolved.text}"`,
		);
	let value: unknown;
	try {
		value = doc.toJS();
	} catch (error) {
		// The yaml package refuses aliases that expand too far (a "billion laughs" file); nothing else throws here.
		return wholeFileError(
			file,
			lineAt(aliases[0]?.offset ?? 0),
			`repeats YAML anchors through aliases (*name) too many times to be read (${(error as Error).message})`,
			'Write the values out instead of repeating them through anchors and aliases.',
		);
	}
	return {
		ok: true,
		value: value ?? {},
		lineOf: lineFinder(doc, lineCounter, lineOffset),
		warnings: droppedAsComments(doc, source, file, lineAt),
	};
}

/** Every alias (`*name`) in a document: its text, the key it is the value of, where it is, and whether its anchor is set. */
function aliasesOf(doc: Document, source: string) {
	const aliases: { text: string; key: string | undefined; offset: number; unresolved: boolean }[] =
		[];
	visit(doc, {
		Alias(_, node, path) {
			const parent = path.at(-1);
			const [start, end] = node.range ?? [0, 0];
			aliases.push({
				text: source.slice(start, end),
				key: isPair(parent) && isScalar(parent.key) ? String(parent.key.value) : undefined,
				offset: start,
				unresolved: node.resolve(doc) === undefined,
			});
		},
	});
	return aliases;
}

/** `text` as a YAML value in double quotes, or in single quotes when it holds a double quote. */
const quoted = (text: string) =>
	text.includes('"') ? `'${text.replaceAll("'", "''")}'` : `"${text.replaceAll('\\', '\\\\')}"`;

/**
 * What a YAML syntax error (the yaml package's `code` and `message`, on the line `text`, at column
 * `column`) means in the words of someone writing content, and how to fix it, for the mistakes people
 * make most: a colon or quote inside a value, an apostrophe in single quotes, a tab, a second `---`.
 */
export function yamlSyntaxAdvice(
	code: string,
	message: string,
	text: string,
	column: number,
): { message: string; hint: string } {
	const pair = /^(\s*(?:- )?[\w.-]+:) (.+?)\s*$/.exec(text);
	const [, key = '', value = ''] = pair ?? [];
	if (code === 'BLOCK_AS_IMPLICIT_KEY' && pair && /: /.test(value) && !/^["']/.test(value))
		return {
			message: 'a value that holds ": " is read as one more key',
			hint: `Put the value in quotes: ${key.trim()} ${quoted(value)}`,
		};
	if (code === 'UNEXPECTED_TOKEN' && pair && value.startsWith("'") && column > key.length + 2)
		return {
			message: 'the value ends at the second single quote, and text follows it',
			hint: `Write an apostrophe inside single quotes twice (''), or put the value in double quotes: ${key.trim()} ${quoted(value.replace(/^'|'$/g, '').replaceAll("''", "'"))}`,
		};
	if (code === 'UNEXPECTED_TOKEN' && pair && value.startsWith('"') && column > key.length + 2)
		return {
			message: 'the value ends at the second double quote, and text follows it',
			hint: `Put the whole value in single quotes: ${key.trim()} ${quoted(value)}`,
		};
	if (code === 'BAD_SCALAR_START' && pair)
		return {
			message: `a value cannot start with ${value[0]} unless it is in quotes`,
			hint: `Put the value in quotes: ${key.trim()} ${quoted(value)}`,
		};
	if (code === 'TAB_AS_INDENT')
		return {
			message: 'a tab indents this line',
			hint: 'Indent with spaces: YAML does not allow tabs (most editors can convert them, e.g. "Convert indentation to spaces").',
		};
	if (code === 'MULTIPLE_DOCS')
		return {
			message: 'a "---" line starts a second document',
			hint: 'Remove the "---" line: a YAML file holds one document (only .md and .mdx files put theirs between two "---" lines).',
		};
	if (code === 'DUPLICATE_KEY') {
		const name = /^\s*(?:- )?([\w.-]+):/.exec(text)?.[1];
		return {
			message: `${name ? `"${name}"` : 'a key'} is set twice in one mapping`,
			hint: 'Keep one of the two lines.',
		};
	}
	return { message, hint: 'Fix the syntax on that line (indentation, quotes, colons).' };
}

/**
 * Plain values followed on their line by " #" and text (`title: Clean desk #1`, `color: #1d4ed8`): YAML
 * reads that as a comment and drops it, so the value is cut short or empty. A comment written as one,
 * with a space after the "#" (`# the CISO`), is left alone.
 */
function droppedAsComments(
	doc: Document,
	source: string,
	file: string,
	lineAt: (offset: number) => number,
): Problem[] {
	const problems: Problem[] = [];
	visit(doc, {
		Scalar(key, node, ancestors) {
			// Numbers and booleans (`maxDays: 90 #default`) cannot have meant the text: that is a comment.
			if (key === 'key' || node.type !== 'PLAIN' || !node.range) return;
			if (node.value !== null && typeof node.value !== 'string') return;
			const [start, end, nodeEnd] = node.range;
			const comment = /^[ \t]*(#[^\s#].*)/.exec(source.slice(end, nodeEnd))?.[1];
			if (!comment) return;
			const path = ancestors.flatMap((a, i): PropertyKey[] => {
				if (isPair(a)) return [String(isScalar(a.key) ? a.key.value : a.key)];
				const child = ancestors[i + 1] ?? node;
				return isSeq(a) ? [a.items.indexOf(child as never)] : [];
			});
			const written = source.slice(start, end);
			const name = typeof path.at(-1) === 'string' ? `${String(path.at(-1))}: ` : '- ';
			const whole = written ? `${written} ${comment}` : comment;
			problems.push({
				severity: 'warning',
				file,
				field: formatPath(path),
				line: lineAt(start),
				message: written
					? `is read as ${JSON.stringify(written)}: YAML takes " ${comment}" for a comment and drops it`
					: `is empty: YAML takes ${JSON.stringify(comment)} for a comment`,
				hint: `To keep it, put the value in quotes: ${name}${quoted(whole)}. If it is a comment, put a space after the "#".`,
			});
		},
	});
	return problems;
}

const parseYamlDocument = (source: string) => {
	const lineCounter = new LineCounter();
	return { doc: parseDocument(source, { lineCounter, prettyErrors: false }), lineCounter };
};

/** The line of the deepest node on a field path that the document has. */
const lineFinder =
	(doc: Document, lineCounter: LineCounter, lineOffset: number) =>
	(path: readonly PropertyKey[]) => {
		for (let depth = path.length; depth >= 0; depth--) {
			const node = doc.getIn(path.slice(0, depth) as unknown[], true) as
				{ range?: [number, number, number] } | undefined;
			if (node && typeof node === 'object' && node.range)
				return lineCounter.linePos(node.range[0]).line + lineOffset;
		}
		return undefined;
	};

/**
 * JSON is read the way the site reads it (content.config.ts), with JSON.parse: a few milliseconds for a
 * control-status.json that the YAML parser needs half a second for. Lines are looked up, through the YAML
 * parser (JSON is YAML), only when there is a problem to report.
 */
function parseJson(text: string, file: string): Parsed {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return jsonError(text, file, (error as Error).message);
	}
	let lineOf: ((path: readonly PropertyKey[]) => number | undefined) | undefined;
	return {
		ok: true,
		value: value ?? {},
		warnings: [],
		lineOf: (path) => {
			if (!lineOf) {
				const { doc, lineCounter } = parseYamlDocument(text);
				lineOf = lineFinder(doc, lineCounter, 0);
			}
			return lineOf(path);
		},
	};
}

/** What JSON.parse stops at that people write, by what the text there starts with, and how JSON writes it. */
const JSON_TOKENS = [
	{
		test: /^'([^'\n]*)'?/,
		message: 'text in single quotes',
		hint: (quoted: RegExpExecArray) =>
			`Write text in double quotes: ${JSON.stringify(quoted[1])}, not ${quoted[0]}.`,
	},
	{
		test: /^(?:True|False|TRUE|FALSE|Null|NULL|None)\b/,
		message: 'true, false or null written with capitals',
		hint: () => 'Write true, false and null in lower case.',
	},
	{
		test: /^(?:NaN|-?Infinity)\b/,
		message: 'a number JSON has no way to write (NaN, Infinity)',
		hint: () => 'Write a number, or null.',
	},
	{
		test: /^undefined\b/,
		message: 'undefined, which JSON does not have',
		hint: () => 'Write null, or leave the field out.',
	},
];

/**
 * Where and why a JSON file does not parse: the YAML parser's line and message when it fails too (it
 * names the line of every mistake), else JSON.parse's own (a trailing comma, a comment: YAML allows them,
 * JSON does not).
 */
function jsonError(text: string, file: string, message: string): Parsed {
	const hint = 'Fix the syntax on that line (quotes, commas, brackets).';
	const { doc, lineCounter } = parseYamlDocument(text);
	const yamlError = doc.errors[0];
	if (yamlError)
		return wholeFileError(
			file,
			lineCounter.linePos(yamlError.pos[0]).line,
			`is not valid JSON: ${yamlError.message.split('\n')[0]}`,
			hint,
		);
	// A trailing comma first: V8 names the position after it, with words about what it expected there.
	const comma = trailingComma(text);
	if (comma !== undefined)
		return wholeFileError(
			file,
			text.slice(0, comma).split('\n').length,
			'is not valid JSON: a comma before a closing "]" or "}"',
			'Remove that comma: JSON allows none after the last item.',
		);
	// V8 says "… in JSON at position 9 (line 2 column 2)", or, with no position, "Unexpected token 'T',
	// ..."tus": True\n  }"... is not valid JSON", the text around it, from 10 characters before.
	const position = /in JSON at position (\d+)/.exec(message)?.[1];
	if (position !== undefined)
		return wholeFileError(
			file,
			text.slice(0, Number(position)).split('\n').length,
			`is not valid JSON: ${message.replace(/ in JSON at position .*$/s, '')}`,
			hint,
		);
	const token = /^Unexpected token '(.)', (\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON$/.exec(
		message,
	);
	if (token) {
		const [, char = '', cut, around = ''] = token;
		const at = cut ? text.indexOf(around) + 10 : text.indexOf(char);
		for (const advice of JSON_TOKENS) {
			const match = advice.test.exec(text.slice(at));
			if (match)
				return wholeFileError(
					file,
					text.slice(0, at).split('\n').length,
					`is not valid JSON: ${advice.message}`,
					advice.hint(match),
				);
		}
		return wholeFileError(
			file,
			text.slice(0, at).split('\n').length,
			`is not valid JSON: unexpected ${JSON.stringify(char)}`,
			hint,
		);
	}
	return {
		ok: false,
		problem: {
			severity: 'error',
			file,
			field: '',
			message: `is not valid JSON: ${message.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '')}`,
			hint: hint.replace('on that line', 'of the file'),
		},
	};
}

/** Where the first comma that ends a list or object is, `[1,]` or `{"a": 1,}`, outside strings; JSON.parse names no position for it. */
function trailingComma(text: string): number | undefined {
	// Strings are blanked, keeping their length (a JSON string holds no line break), so offsets stay right.
	const blanked = text.replace(/"(?:[^"\\]|\\.)*"/g, (string) => ' '.repeat(string.length));
	return /,\s*[\]}]/.exec(blanked)?.index;
}

/** A content file as read: its text, and its parse (Markdown files by their frontmatter). */
export interface Source {
	text: string;
	parsed: Parsed;
}

/** Reads a content file by its absolute path; problems in it name the file relative to the project root. */
export type SourceReader = (path: string) => Source;

/** Reads and parses the file at `path` (`file` from the project's root), or says why it cannot be read. */
function readSource(path: string, file: string): Source {
	let bytes: Buffer;
	try {
		bytes = readFileSync(path);
	} catch (error) {
		const folder = (error as NodeJS.ErrnoException).code === 'EISDIR';
		return {
			text: '',
			parsed: {
				ok: false,
				problem: {
					severity: 'error',
					file,
					field: '',
					message: folder
						? 'is a folder, where a file is expected'
						: `cannot be read (${(error as Error).message})`,
					hint: folder
						? `Rename or remove the folder ${file}/, and write ${file} as a file (see README.md).`
						: `Check that ${file} is a file you can read (its owner and permissions).`,
				},
			},
		};
	}
	const text = decodeText(bytes);
	if (typeof text !== 'string')
		return {
			text: '',
			parsed: wholeFileError(
				file,
				text.line,
				`is not UTF-8 (byte 0x${text.byte.toString(16).padStart(2, '0')} ${text.before ? `after ${JSON.stringify(text.before)}` : 'at the start of the line'})`,
				'Save the file as UTF-8 (in most editors: "Save with encoding", then UTF-8).',
			),
		};
	return { text, parsed: parseSource(text, file, /\.mdx?$/.test(path)) };
}

/**
 * The line of `field` (as problems name it, `people[1].role`) in `file` (from the project root), for a
 * problem found after parsing; undefined when the file is gone or does not parse.
 */
export function fieldLine(
	root: string,
	file: string,
	field: string,
	read: SourceReader = sourceReader(root),
): number | undefined {
	if (!field || !existsSync(join(root, file))) return undefined;
	const { parsed } = read(join(root, file));
	return parsed.ok ? parsed.lineOf(parsePath(field)) : undefined;
}

/**
 * A reader that reads and parses each file once, however often it is asked: one content check reads
 * the same files for the schemas, the placeholders and the NDA links, and parsing YAML is most of what
 * the check costs. Make one per check, so that a file edited since (in `npm run dev`) is read again.
 */
export function sourceReader(root: string): SourceReader {
	const read = new Map<string, Source>();
	return (path) => {
		let source = read.get(path);
		if (!source) {
			source = readSource(path, relative(root, path));
			read.set(path, source);
		}
		return source;
	};
}
