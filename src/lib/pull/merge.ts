import type { Catalog } from '../../schemas/catalog.ts';
import type {
	ControlStatusEntry,
	ControlStatusSnapshot,
	ControlStatusValue,
} from '../../schemas/control-status.ts';
import { isoDay } from '../dates.ts';
import { combineStatuses, type SourceRecord } from './records.ts';
import { controlResolver, type ControlMapping } from './mapping.ts';
import type { SourceResult } from './sources.ts';

/** Two sources state different statuses for one control: the first in precedence order wins. */
export interface Disagreement {
	/** The control, as `catalog:control`. */
	control: string;
	/** The source that decided the control, and the status it stated. */
	winner: { source: string; status: ControlStatusValue };
	/** A later source, and the status it stated instead. */
	other: { source: string; status: ControlStatusValue };
}

/** The merged snapshot, and what did not fit. */
export interface MergeResult {
	snapshot: Omit<ControlStatusSnapshot, 'digest'>;
	/**
	 * Per source: records that decided a catalog control (`mapped`), records that mapped only to controls
	 * an earlier source had decided (`superseded`), ids that mapped to none, and ids named without a status.
	 */
	perSource: {
		id: string;
		fetched: number;
		mapped: number;
		superseded: number;
		unknown: string[];
		notReported: string[];
	}[];
	/** Every control on which a later source states another status than the source that decided it. */
	disagreements: Disagreement[];
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
 * A later source that states another status for a decided control is listed in `disagreements`, and a
 * source's `mapped` counts only its records that decided a control. `earlier` is the last snapshot's
 * controls, which date planned and not-applicable controls whose records give no date.
 */
export function mergeSources(
	results: readonly SourceResult[],
	catalogs: readonly Catalog[],
	mapping: ControlMapping,
	asOf: Date,
	earlier: readonly ControlStatusEntry[] = [],
): MergeResult {
	const before = new Map(earlier.map((e) => [`${e.catalog}:${e.control}`.toLowerCase(), e]));
	/**
	 * A decided control's evidence date: the oldest of its records' dates. Planned and not-applicable
	 * records may give none; when none of its records does, the control keeps the date the last snapshot
	 * gave it with the same status from the same source, else it is dated by this pull's day.
	 */
	const dateOf = (
		ref: string,
		said: SourceRecord[],
		status: ControlStatusValue,
		source: string,
	) => {
		const dates = said.map((r) => r.evidenceDate).filter((d): d is Date => d !== undefined);
		if (dates.length > 0) return dates.reduce((a, b) => (b < a ? b : a));
		const last = before.get(ref.toLowerCase());
		return last && last.status === status && last.source === source
			? last.evidenceDate
			: new Date(`${isoDay(asOf)}T00:00:00Z`);
	};
	const known = new Map<string, string>();
	for (const catalog of catalogs)
		for (const control of catalog.controls)
			known.set(`${catalog.id}:${control.id}`.toLowerCase(), `${catalog.id}:${control.id}`);

	const resolve = controlResolver(mapping, known);
	const chosen = new Map<string, ControlStatusEntry>();
	const disagreements: Disagreement[] = [];
	const perSource = results.map(({ source, records, notReported }) => {
		const unknown = new Set<string>();
		// What this source says per control: one record, or several (a repeated id, or two ids mapped to
		// one control) that combine conservatively, as OSCAL statuses do.
		const stated = new Map<string, SourceRecord[]>();
		let resolved = 0;
		for (const record of records) {
			const refs = resolve(source.id, source.catalog, record.externalId);
			if (refs.length === 0) unknown.add(record.externalId);
			else resolved++;
			for (const ref of refs) {
				const said = stated.get(ref);
				if (said) said.push(record);
				else stated.set(ref, [record]);
			}
		}
		const decided = new Set<SourceRecord>();
		for (const [ref, said] of stated) {
			const status = combineStatuses(said.map((r) => r.status))!;
			const winner = chosen.get(ref);
			if (winner) {
				if (winner.status !== status)
					disagreements.push({
						control: ref,
						winner: { source: winner.source, status: winner.status },
						other: { source: source.id, status },
					});
				continue;
			}
			const [catalog, control] = splitRef(ref);
			chosen.set(ref, {
				catalog,
				control,
				status,
				evidenceDate: dateOf(ref, said, status, source.id),
				source: source.id,
			});
			for (const record of said) decided.add(record);
		}
		return {
			id: source.id,
			fetched: records.length,
			mapped: decided.size,
			superseded: resolved - decided.size,
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
		disagreements,
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
