import type { WordKey, Words } from '../words/words.ts';
import type { Catalog } from '../../schemas/catalog.ts';
import type { ControlStatusSnapshot, ControlStatusValue } from '../../schemas/control-status.ts';

/** Control counts for a set of controls (a whole catalog, or one domain of it). */
export interface Counts {
	/** Every control in the catalog (or domain). */
	total: number;
	/** The denominator: controls that apply, i.e. total minus not-applicable. */
	applicable: number;
	implemented: number;
	partial: number;
	planned: number;
	failing: number;
	/** Left out of the denominator and shown apart. */
	notApplicable: number;
	/** Controls the snapshot has no status for ("not reported"); they count as applicable but not implemented. */
	unknown: number;
	/**
	 * Applicable controls whose evidence is older than their max age; counted here instead of under their
	 * status. A failing control is never stale: it stays counted as failing, however old its evidence.
	 */
	stale: number;
}

/** When evidence goes stale. */
export interface Freshness {
	/** The time evidence ages are judged at: the build time, published as `evaluatedAt`. */
	now: Date;
	/** Default max evidence age in days; a catalog control may override it. */
	maxEvidenceAgeDays: number;
}

/** One control with its status as published: stale when its evidence is too old (unless it is failing). */
export interface ControlState {
	id: string;
	title: string;
	domain: string;
	status: ControlStatusValue | 'stale' | 'unknown';
	/** The status the source reported, even when the control is stale. */
	reported: ControlStatusValue | undefined;
	evidenceDate: Date | undefined;
	source: string | undefined;
}

/** Counts for one catalog, overall and per domain (domains in catalog order). */
export interface CatalogCounts extends Counts {
	domains: ({ domain: string } & Counts)[];
}

function emptyCounts(): Counts {
	return {
		total: 0,
		applicable: 0,
		implemented: 0,
		partial: 0,
		planned: 0,
		failing: 0,
		notApplicable: 0,
		unknown: 0,
		stale: 0,
	};
}

function add(counts: Counts, status: ControlState['status']): void {
	counts.total++;
	if (status === 'not-applicable') {
		counts.notApplicable++;
		return;
	}
	counts.applicable++;
	if (status === 'unknown') counts.unknown++;
	else if (status === 'stale') counts.stale++;
	else if (status === 'implemented') counts.implemented++;
	else if (status === 'partial') counts.partial++;
	else if (status === 'planned') counts.planned++;
	else counts.failing++;
}

/**
 * Every control of the catalog with its published status: the snapshot's status, or `stale` when an
 * applicable control's evidence is older than its max age, or `unknown` when no source reported it. A
 * known failure stays `failing` whatever its evidence age: old evidence never makes it look better.
 */
export function controlStates(
	catalog: Catalog,
	snapshot: ControlStatusSnapshot,
	freshness: Freshness,
): ControlState[] {
	const entries = new Map(
		snapshot.controls.filter((c) => c.catalog === catalog.id).map((c) => [c.control, c]),
	);
	return catalog.controls.map((control) => {
		const entry = entries.get(control.id);
		const maxAge = control.maxEvidenceAgeDays ?? freshness.maxEvidenceAgeDays;
		const stale =
			entry !== undefined &&
			entry.status !== 'not-applicable' &&
			entry.status !== 'failing' &&
			freshness.now.getTime() - entry.evidenceDate.getTime() > maxAge * 86_400_000;
		return {
			id: control.id,
			title: control.title,
			domain: control.domain,
			status: entry === undefined ? 'unknown' : stale ? 'stale' : entry.status,
			reported: entry?.status,
			evidenceDate: entry?.evidenceDate,
			source: entry?.source,
		};
	});
}

/** The ids of the sources that reported at least one of `controls`, in order of first appearance. */
export function reportingSources(controls: readonly ControlState[]): string[] {
	return [...new Set(controls.flatMap((c) => (c.source === undefined ? [] : [c.source])))];
}

/** Counts a catalog's controls by published status, overall and by domain (domains in catalog order). */
export function countCatalog(
	catalog: Catalog,
	snapshot: ControlStatusSnapshot,
	freshness: Freshness,
): CatalogCounts {
	const overall = emptyCounts();
	const domains = new Map<string, Counts>();
	for (const state of controlStates(catalog, snapshot, freshness)) {
		add(overall, state.status);
		if (!domains.has(state.domain)) domains.set(state.domain, emptyCounts());
		add(domains.get(state.domain)!, state.status);
	}
	return { ...overall, domains: [...domains].map(([domain, counts]) => ({ domain, ...counts })) };
}

/**
 * What the headline adds after "x of y implemented", each part only when its count is not 0, in this
 * order: ["4 not applicable", "1 failing", "6 stale", "2 not reported"]. Every surface that shows the
 * headline (pages, cards, whitepaper, Open Graph image, `/status.json`) takes its parts from here.
 */
export function headlineNotes(counts: Counts, t: Words): string[] {
	return [...notes([[counts.notApplicable, 'status.notApplicable']], t), ...doubtNotes(counts, t)];
}

/**
 * The parts of the headline that qualify "x of y implemented" among the applicable controls, each only
 * when not 0: ["1 failing", "6 stale", "2 not reported"]. The badge shows these and no more.
 */
export function doubtNotes(counts: Counts, t: Words): string[] {
	return notes(
		[
			[counts.failing, 'status.failing'],
			[counts.stale, 'status.stale'],
			[counts.unknown, 'status.notReported'],
		],
		t,
	);
}

const notes = (parts: Array<[number, WordKey]>, t: Words): string[] =>
	parts.flatMap(([count, key]) => (count === 0 ? [] : [t(key, { count })]));

/** The headline sentence: "81 of 89 implemented · 4 not applicable · 1 failing · 1 stale · 2 not reported". */
export function headline(counts: Counts, t: Words): string {
	return [
		t('status.ofImplemented', { implemented: counts.implemented, applicable: counts.applicable }),
		...headlineNotes(counts, t),
	].join(t('status.separator'));
}

/** Share of applicable controls implemented, 0–100, rounded down so it never overstates. */
export function implementedPercent(counts: Counts): number {
	return counts.applicable === 0 ? 0 : Math.floor((counts.implemented / counts.applicable) * 100);
}
