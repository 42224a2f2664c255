import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
	MAX_BYTES,
	RETRIES,
	TIMEOUT_MS,
	type ControlSource,
	type FileSource,
	type OscalSource,
} from '../../schemas/control-sources.ts';
import { describe } from '../../schemas/messages.ts';
import { isoDay } from '../dates.ts';
import { parseCsv } from './csv.ts';
import { fetchHttpSource, fetchWithRetries, retryOptions, type HttpOptions } from './http.ts';
import { OscalError, parseOscal, readOscal, type OscalReading } from './oscal.ts';
import {
	decodeUtf8,
	getPath,
	recordsFromObjects,
	shownUrl,
	SourceError,
	type SourceRecord,
} from './records.ts';

/** What one source gave: its records, where they came from, and a line for the progress output. */
export interface SourceResult {
	source: ControlSource;
	location: string;
	records: SourceRecord[];
	/** Ids the source names without stating their status (an OSCAL document can): not reported. */
	notReported: string[];
	detail: string;
}

/** How to fetch (see HttpOptions), and the time against which evidence dates are checked. Default: now. */
export interface ReadOptions extends HttpOptions {
	now?: Date;
}

/** A content folder: where it is, and how messages name it (relative to the project root, e.g. `content`). */
export interface ContentFolder {
	path: string;
	shown: string;
}

/**
 * Reads one configured source. Throws a SourceError naming the source, location and reason, also when
 * the source states no status at all (an empty export, or an OSCAL document that only names controls):
 * reading it would remove all its controls from the snapshot, and onSourceError (keep the last good
 * snapshot, or fail) is the policy for exactly that.
 */
export async function readSource(
	source: ControlSource,
	content: ContentFolder,
	options: ReadOptions = {},
): Promise<SourceResult> {
	const result = await readByKind(source, content, options);
	if (result.records.length === 0)
		throw new SourceError(
			source.id,
			result.location,
			'gave no records, and reading it as empty would drop every control it reports from the snapshot. Check the export (an empty file, a header row only, or the wrong itemsPath)',
		);
	// Evidence from the future would never go stale; a day of slack allows for time zones.
	const latest = (options.now ?? new Date()).getTime() + 86_400_000;
	const future = result.records.filter((r) => r.evidenceDate && r.evidenceDate.getTime() > latest);
	if (future.length > 0)
		throw new SourceError(
			source.id,
			result.location,
			`evidence dated in the future, which would never go stale: ${someOf(future.map((r) => `control "${r.externalId}" on ${isoDay(r.evidenceDate!)}`))}. Fix the dates in the source`,
		);
	// The location goes into logs and the committed snapshot: never a token in a query string.
	return { ...result, location: shownUrl(result.location) };
}

async function readByKind(
	source: ControlSource,
	content: ContentFolder,
	options: HttpOptions,
): Promise<SourceResult> {
	if (source.kind === 'http') {
		const { records, pages } = await fetchHttpSource(source, options);
		return {
			source,
			location: source.url,
			records,
			notReported: [],
			detail: `${pages} page${pages === 1 ? '' : 's'}`,
		};
	}
	if (source.kind === 'file') return readFileSource(source, content, options);
	return readOscalSource(source, content, options);
}

async function readText(
	source: FileSource | OscalSource,
	location: string,
	content: ContentFolder,
	options: HttpOptions,
): Promise<string> {
	if (/^https?:\/\//i.test(location)) {
		// A file source has no limits of its own to set, so it gets the defaults.
		const limits =
			source.kind === 'oscal'
				? source
				: { timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, retries: RETRIES };
		return fetchWithRetries(
			source.id,
			location,
			limits,
			'the server wants credentials, and the pull sends none for a document URL; publish the document where it needs none, or download it in CI (the secret from an environment variable) and point location at the file',
			retryOptions(options),
		);
	}
	const shown = `${content.shown}/${location}`;
	const [maxBytes, remedy] =
		source.kind === 'oscal'
			? [source.maxBytes, 'if it really is that large, raise maxBytes for it in site.yaml']
			: [MAX_BYTES, 'export only the controls, or split the export over several sources'];
	let bytes: Buffer;
	try {
		const path = join(content.path, location);
		const { size } = await stat(path);
		if (size > maxBytes)
			throw new SourceError(
				source.id,
				shown,
				`the file is ${size} bytes, over the limit of ${maxBytes} bytes for one source; ${remedy}`,
			);
		bytes = await readFile(path);
	} catch (error) {
		if (error instanceof SourceError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new SourceError(
			source.id,
			shown,
			code === 'ENOENT'
				? `file not found; check the path (it is relative to ${content.shown}/)`
				: (error as Error).message,
		);
	}
	return decodeUtf8(bytes, (reason) => new SourceError(source.id, shown, reason));
}

async function readFileSource(
	source: FileSource,
	content: ContentFolder,
	options: HttpOptions,
): Promise<SourceResult> {
	const location = `${content.shown}/${source.path}`;
	const text = await readText(source, source.path, content, options);
	const fail = (reason: string) => new SourceError(source.id, location, reason);
	let items: unknown;
	const ext = source.path.split('.').at(-1)!.toLowerCase();
	try {
		if (ext === 'csv') {
			const { columns, rows } = parseCsv(text);
			items = rows;
			if (columns.length > 0) checkColumns(source, columns, fail);
		} else items = getPath(ext === 'json' ? JSON.parse(text) : parseYaml(text), source.itemsPath);
	} catch (error) {
		if (error instanceof SourceError) throw error;
		throw fail(`cannot be parsed as ${ext.toUpperCase()}: ${(error as Error).message}`);
	}
	// CSV row 1 is the header, so record i is on row i + 2 for people reading the spreadsheet.
	const records = recordsFromObjects(
		items,
		source.fields,
		source.statusMap,
		fail,
		ext === 'csv' ? (i) => `row ${i + 2}` : undefined,
	);
	return { source, location, records, notReported: [], detail: ext.toUpperCase() };
}

/** Every configured column is in the CSV's header row; otherwise the message lists the columns it has. */
function checkColumns(
	source: FileSource,
	columns: string[],
	fail: (reason: string) => SourceError,
): void {
	// A column the pull reads that the header names twice: the row's last cell would win, unseen.
	for (const [field, column] of Object.entries(source.fields)) {
		const at = columns.flatMap((c, i) => (c === column ? [i + 1] : []));
		if (at.length > 1)
			throw fail(
				`the header row names the column ${describe(column)} (fields.${field}) ${at.length} times, in columns ${at.join(' and ')}, and the pull cannot tell which one is meant. Rename the others in the export, or export only the one.`,
			);
	}
	const missing = Object.entries(source.fields).filter(([, column]) => !columns.includes(column));
	if (missing.length === 0) return;
	const only = columns.length === 1 ? columns[0]! : '';
	const separator = only.includes('\t') ? 'tab' : only.includes(';') ? 'semicolon' : undefined;
	throw fail(
		`the header row has no column ${missing.map(([field, column]) => `${describe(column)} (fields.${field})`).join(', ')}; its columns are ${columns.map((c) => describe(c)).join(', ')}. ${
			separator
				? `The header is one column, so the file looks ${separator}-separated: export it comma-separated.`
				: 'Set fields in site.yaml to the export’s column names.'
		}`,
	);
}

async function readOscalSource(
	source: OscalSource,
	content: ContentFolder,
	options: HttpOptions,
): Promise<SourceResult> {
	const isUrl = /^https?:\/\//i.test(source.location);
	const location = isUrl ? source.location : `${content.shown}/${source.location}`;
	const text = await readText(source, source.location, content, options);
	try {
		const { document, format } = parseOscal(text, source.location);
		const { model, records, notReported } = readOscal(document);
		if (records.length === 0) throw new OscalError(noStatusStated(model, notReported));
		return {
			source,
			location,
			records,
			notReported,
			detail: `OSCAL ${model === 'system-security-plan' ? 'system security plan' : 'assessment results'}, ${format}`,
		};
	} catch (error) {
		if (error instanceof OscalError) throw new SourceError(source.id, location, error.message);
		// A document the reading did not foresee is still bad input: it fails this source, not the pull.
		throw new SourceError(
			source.id,
			location,
			`cannot be read (${(error as Error).message}). Check the document against the OSCAL schema (oscal-cli validate); if it is valid, report this with the document`,
		);
	}
}

/**
 * Why an OSCAL document that states no status for any control fails, and how to fix it: a plan whose
 * requirements carry no implementation-status, or results without findings (observations and
 * reviewed-controls alone state no status).
 */
function noStatusStated(model: OscalReading['model'], named: readonly string[]): string {
	const controls = `${named.length} control${named.length === 1 ? '' : 's'} (${someOf(named)})`;
	const lose = 'so the snapshot would lose every status it holds for them';
	if (model === 'system-security-plan')
		return `names ${controls} but states no implementation-status for any of them, ${lose}. In the tool that writes the plan, set implementation-status for each implemented requirement: on the requirement's by-components (or its statements' by-components), or as an implementation-status prop on the requirement.`;
	const fix =
		'In the tool that writes the results, add a finding for each control assessed, its target status satisfied or not-satisfied.';
	return named.length > 0
		? `names ${controls} in reviewed-controls but has no finding for any of them (observations alone state no status), ${lose}. ${fix}`
		: `has no findings, so it states no status for any control, and the snapshot would lose every status this source gave. ${fix}`;
}

/** The first ten items, comma-separated, and how many more there are. */
function someOf(items: readonly string[]): string {
	const more = items.length > 10 ? ` and ${items.length - 10} more` : '';
	return `${items.slice(0, 10).join(', ')}${more}`;
}
