import { existsSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ControlMappingSchema } from '../../schemas/control-mapping.ts';
import { ControlStatusSnapshotSchema } from '../../schemas/control-status.ts';
import { SiteSettingsSchema } from '../../schemas/site.ts';
import {
	readCollection,
	readEntry,
	SITE_FILE,
	SNAPSHOT_FILE,
	sourceReader,
} from '../content/load.ts';
import { parseContent, type Problem } from '../content/problems.ts';
import { chooseContentDir } from '../content/dir.ts';
import { formatReport } from '../reporters/content.ts';
import type { HttpOptions } from './http.ts';
import { checkMapping, type ControlMapping, type KnownCatalog } from './mapping.ts';
import { mergeSources, serializeSnapshot } from './merge.ts';
import { SourceError } from './records.ts';
import { readSource, type SourceResult } from './sources.ts';
import { snapshotDigest, writeFileAtomic } from './snapshot-file.ts';

/**
 * How a pull ended. `unchanged`: the sources say what the snapshot already says, so the file (and its
 * as-of time) is left as it is. `kept`: a source failed and the last good snapshot stays, by policy
 * (without an earlier snapshot to keep, the pull has `failed` instead).
 */
export type PullOutcome =
	| { status: 'written'; digest: string; controls: number }
	| { status: 'unchanged'; asOf: string }
	| { status: 'kept'; asOf: string }
	| { status: 'not-configured' }
	/** The settings, catalogs or mapping do not load: `message` reports those files' `problems`. */
	| { status: 'content-invalid'; message: string; problems: Problem[] }
	| { status: 'failed'; message: string };

/**
 * The exit code of `npm run controls:pull` when a source failed and the last good snapshot was kept:
 * not 0, so a CI step goes red, and not 1, so the build chain can tell it from a failed pull and go on.
 */
export const KEPT_EXIT_CODE = 3;

export interface PullOptions extends HttpOptions {
	/** Where the project is; content is read from its content folder (`content/`, or the example). */
	root: string;
	/** The snapshot's as-of time. Default: now. */
	now?: Date;
	log?: (line: string) => void;
}

/**
 * Pulls control status from every configured source and writes `control-status.json` in the content folder:
 * load config → read sources → merge → check → validate → write atomically. Never leaves a partial
 * snapshot; on a source failure it keeps the last good one or fails, as the config says. When nothing
 * but the pull time would change, the file is not touched: a build never changes a tracked file for
 * nothing, and the snapshot's `asOf` stays the time its content was last pulled.
 */
export async function pullControls(options: PullOptions): Promise<PullOutcome> {
	const { root, now = new Date(), log = console.log } = options;
	const dir = chooseContentDir(root);
	const contentRoot = join(root, dir);
	const snapshotPath = join(contentRoot, SNAPSHOT_FILE);
	removeLeftoverTempFiles(contentRoot);

	// Load: settings, catalogs and the mapping file, with the usual friendly errors.
	const problems: Problem[] = [];
	const site = readEntry(root, join(contentRoot, SITE_FILE), SiteSettingsSchema, problems);
	const catalogs = readCollection(root, dir, 'catalogs', problems);
	if (!site || problems.some((p) => p.severity === 'error'))
		return { status: 'content-invalid', message: formatReport(problems), problems };
	const config = site.data.controlStatus;
	if (config.sources.length === 0) return { status: 'not-configured' };
	const mapping = loadMapping(
		root,
		join(contentRoot, config.mappingFile ?? ''),
		config.mappingFile !== undefined,
		{
			catalogs: catalogs.map((c) => ({
				id: c.data.id,
				file: c.file,
				controls: c.data.controls.map((control) => control.id),
			})),
			sourceIds: config.sources.map((s) => s.id),
		},
		problems,
	);
	if (!mapping) return { status: 'content-invalid', message: formatReport(problems), problems };

	// Read every source, collecting all failures before deciding.
	log(
		`Pulling control status from ${config.sources.length} source${config.sources.length === 1 ? '' : 's'}…`,
	);
	const results: SourceResult[] = [];
	const failures: string[] = [];
	for (const source of config.sources) {
		try {
			const result = await readSource(
				source,
				{ path: contentRoot, shown: dir },
				{ ...options, now, log },
			);
			results.push(result);
			log(
				`  ${source.id}: fetched ${result.records.length} record${result.records.length === 1 ? '' : 's'} from ${result.location} (${result.detail})`,
			);
		} catch (error) {
			if (!(error instanceof SourceError)) throw error;
			failures.push(error.message);
			log(`  ${error.message}`);
		}
	}
	if (failures.length > 0) {
		const previous = readPrevious(snapshotPath)?.asOf;
		if (config.onSourceError === 'fail')
			return {
				status: 'failed',
				message: `Control-status pull failed (onSourceError: fail):\n  ${failures.join('\n  ')}`,
			};
		if (!previous)
			return {
				status: 'failed',
				message: `Control-status pull failed: ${failures.length} source${failures.length === 1 ? '' : 's'} failed, and there is no earlier snapshot to keep (${dir}/${SNAPSHOT_FILE} is missing or is not a snapshot):\n  ${failures.join('\n  ')}\nFix the source, then run npm run controls:pull again.`,
			};
		log(
			`Keeping the last good snapshot (as of ${previous}): ${failures.length} source${failures.length === 1 ? '' : 's'} failed. Set controlStatus.onSourceError: fail in ${dir}/site.yaml to fail the build instead.`,
		);
		return { status: 'kept', asOf: previous };
	}

	// Merge and report what did not fit.
	const earlier = ControlStatusSnapshotSchema.safeParse(readPrevious(snapshotPath));
	const merged = mergeSources(
		results,
		catalogs.map((c) => c.data),
		mapping,
		now,
		earlier.success ? earlier.data.controls : [],
	);
	for (const s of merged.perSource) {
		const unknown = s.unknown.length ? `; unknown ids: ${s.unknown.join(', ')}` : '';
		const notReported = s.notReported.length
			? `; named without a status (not reported): ${s.notReported.join(', ')}`
			: '';
		const superseded = s.superseded
			? `; ${s.superseded} only for controls an earlier source decided`
			: '';
		log(
			`  ${s.id}: ${s.mapped} of ${s.fetched} records decided catalog controls${superseded}${unknown}${notReported}`,
		);
	}
	for (const { control, winner, other } of merged.disagreements)
		log(
			`  sources disagree on ${control}: ${winner.source} says ${winner.status}, ${other.source} says ${other.status}; ${winner.source} wins (it comes first in controlStatus.sources)`,
		);
	if (merged.uncovered.length > 0)
		log(
			`  ${merged.uncovered.length} catalog control${merged.uncovered.length === 1 ? '' : 's'} no source covers: ${merged.uncovered.join(', ')}`,
		);
	const unknownCount = merged.perSource.reduce((n, s) => n + s.unknown.length, 0);
	if (config.strict && (unknownCount > 0 || merged.uncovered.length > 0)) {
		return {
			status: 'failed',
			message: `Control-status pull failed (controlStatus.strict: true): ${unknownCount} unknown id${unknownCount === 1 ? '' : 's'} and ${merged.uncovered.length} uncovered control${merged.uncovered.length === 1 ? '' : 's'}, listed above. Map them in the mapping file, or fix the source.`,
		};
	}

	// Validate exactly what will be written, then write it atomically.
	const data = serializeSnapshot(merged.snapshot);
	const digest = snapshotDigest(data);
	const document = { ...data, digest };
	const check = parseContent(ControlStatusSnapshotSchema, document, `${dir}/${SNAPSHOT_FILE}`);
	if (check.problems.length > 0)
		return {
			status: 'failed',
			message: `The pulled snapshot is invalid and was not written:\n${formatReport(check.problems)}`,
		};
	const previous = readPrevious(snapshotPath);
	if (previous && sameContent(previous, document)) {
		log(
			`${dir}/${SNAPSHOT_FILE} is unchanged: the sources report what it says (as of ${previous.asOf}); not rewritten.`,
		);
		return { status: 'unchanged', asOf: previous.asOf };
	}
	writeFileAtomic(snapshotPath, `${JSON.stringify(document, null, 2)}\n`);
	log(
		`Wrote ${dir}/${SNAPSHOT_FILE}: ${data.controls.length} controls, as of ${data.asOf}, sha256 ${digest}`,
	);
	return { status: 'written', digest, controls: data.controls.length };
}

/**
 * The mapping file at `path` (when `configured`), parsed and checked against the catalogs and the
 * configured sources: undefined, with its problems added, when it has any.
 */
function loadMapping(
	root: string,
	path: string,
	configured: boolean,
	against: { catalogs: KnownCatalog[]; sourceIds: string[] },
	problems: Problem[],
): ControlMapping | undefined {
	if (!configured) return { all: {}, bySource: {} };
	const read = sourceReader(root);
	const entry = readEntry(root, path, ControlMappingSchema, problems, read);
	if (!entry) return undefined;
	const { parsed } = read(path);
	const found = checkMapping(
		entry.file,
		entry.data,
		against.catalogs,
		against.sourceIds,
		parsed.ok ? parsed.lineOf : undefined,
	);
	problems.push(...found);
	return found.length > 0 ? undefined : { all: entry.data.all, bySource: entry.data.sources };
}

/** The snapshot on disk, when it is one (a missing or unreadable file has nothing to compare). */
function readPrevious(path: string): (Record<string, unknown> & { asOf: string }) | undefined {
	try {
		const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
		return value &&
			typeof value === 'object' &&
			typeof (value as { asOf?: unknown }).asOf === 'string'
			? (value as Record<string, unknown> & { asOf: string })
			: undefined;
	} catch {
		return undefined;
	}
}

/** Whether two snapshots say the same apart from when they were pulled. */
function sameContent(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
	return snapshotDigest({ ...a, asOf: '' }) === snapshotDigest({ ...b, asOf: '' });
}

/** A pull killed mid-write leaves its temporary file behind; the old snapshot is untouched, so drop it. */
function removeLeftoverTempFiles(dir: string): void {
	if (!existsSync(dir)) return;
	for (const name of readdirSync(dir))
		if (name.startsWith(`.${SNAPSHOT_FILE}.`) && name.endsWith('.tmp')) unlinkSync(join(dir, name));
}
