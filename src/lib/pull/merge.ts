import type { Catalog } from '../../schemas/catalog.ts';
import type { ControlStatusEntry, ControlStatusSnapshot } from '../../schemas/control-status.ts';
import { isoDay } from '../dates.ts';
import { combineStatuses, type SourceRecord } from './records.ts';
import { controlResolver, type ControlMapping } from './mapping.ts';
import type { SourceResult } from './sources.ts';

/** The merged snapshot, and what did not fit. */
export interface MergeResult {
	snapshot: Omit<ControlStatusSnapshot, 'digest'>;
	/** Per source: records mapped to catalog controls, ids that mapped to none, and ids named without a status. */
	perSource: {
		id: string;
		fetched: number;
		mapped: number;
		unknown: string[];
		notReported: string[];
	}[];
	/** Catalog controls (`catalog:control`) that no source reported. */
	uncovered: string[];
}

/**
 * Maps every source's records onto catalog controls and merges them in precedence order: the first
 * source that reports a control wins. Within that source, several records for one control combine
 * conservatively (`combineStatuses`: the worst status) and take the oldest evidence date. Ids are
 * resolved by `controlResolver`: through the mapping file (checked first with `checkMapping`), else as
 * ids of the source's catalog. A control a source names without a status gets no entry from
 * it, so a later source may report it; if none does, it has no entry and counts as not implemented.
 */
export function mergeSources(
	results: readonly SourceResult[],
	catalogs: readonly Catalog[],
	mapping: ControlMapping,
	asOf: Date,
): MergeResult {
	const known = new Map<string, string>();
	for (const catalog of catalogs)
		for (const control of catalog.controls)
			known.set(`${catalog.id}:${control.id}`.toLowerCase(), `${catalog.id}:${control.id}`);

	const resolve = controlResolver(mapping, known);
	const chosen = new Map<string, ControlStatusEntry>();
	const perSource = results.map(({ source, records, notReported }) => {
		const unknown = new Set<string>();
		let mapped = 0;
		// What this source says per control it is first to report: one record, or several (a repeated id,
		// or two ids mapped to one control) that combine conservatively, as OSCAL statuses do.
		const stated = new Map<string, SourceRecord[]>();
		for (const record of records) {
			const refs = resolve(source.id, source.catalog, record.externalId);
			if (refs.length === 0) {
				unknown.add(record.externalId);
				continue;
			}
			mapped++;
			for (const ref of refs) {
				if (chosen.has(ref)) continue;
				const said = stated.get(ref);
				if (said) said.push(record);
				else stated.set(ref, [record]);
			}
		}
		for (const [ref, said] of stated) {
			const [catalog, control] = splitRef(ref);
			chosen.set(ref, {
				catalog,
				control,
				status: combineStatuses(said.map((r) => r.status))!,
				evidenceDate: said.map((r) => r.evidenceDate).reduce((a, b) => (b < a ? b : a)),
				source: source.id,
			});
		}
		return {
			id: source.id,
			fetched: records.length,
			mapped,
			unknown: [...unknown].sort(),
			notReported,
		};
	});

	const controls = [...known.values()]
		.filter((ref) => chosen.has(ref))
		.map((ref) => chosen.get(ref)!);
	const uncovered = [...known.values()].filter((ref) => !chosen.has(ref));
	return {
		snapshot: {
			asOf: asOf.toISOString().replace(/\.\d{3}Z$/, 'Z'),
			sources: results.map((r, i) => ({
				id: r.source.id,
				kind: r.source.kind,
				location: r.location,
				fetched: perSource[i]!.fetched,
				mapped: perSource[i]!.mapped,
				...(r.notReported.length > 0 ? { notReported: r.notReported.length } : {}),
			})),
			controls,
		},
		perSource,
		uncovered,
	};
}

function splitRef(ref: string): [string, string] {
	const at = ref.indexOf(':');
	return [ref.slice(0, at), ref.slice(at + 1)];
}

/** The snapshot as JSON-ready data, dates as `YYYY-MM-DD`. */
export function serializeSnapshot(snapshot: Omit<ControlStatusSnapshot, 'digest'>) {
	return {
		...snapshot,
		controls: snapshot.controls.map((c) => ({ ...c, evidenceDate: isoDay(c.evidenceDate) })),
	};
}
