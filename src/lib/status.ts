import type { Catalog } from '../schemas/catalog.ts';
import type { ControlStatusSnapshot, ControlStatusValue } from '../schemas/control-status.ts';

/** Statuses that count towards a framework's denominator, in display order. */
export const APPLICABLE_STATUSES = ['implemented', 'partial', 'planned', 'failing'] as const satisfies readonly ControlStatusValue[];

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
	/** Controls the snapshot has no status for; they count as applicable but not implemented. */
	unknown: number;
}

/** Counts for one catalog, overall and per domain (domains in catalog order). */
export interface CatalogCounts extends Counts {
	domains: ({ domain: string } & Counts)[];
}

function emptyCounts(): Counts {
	return { total: 0, applicable: 0, implemented: 0, partial: 0, planned: 0, failing: 0, notApplicable: 0, unknown: 0 };
}

function add(counts: Counts, status: ControlStatusValue | undefined): void {
	counts.total++;
	if (status === 'not-applicable') {
		counts.notApplicable++;
		return;
	}
	counts.applicable++;
	if (status === undefined) counts.unknown++;
	else if (status === 'implemented') counts.implemented++;
	else if (status === 'partial') counts.partial++;
	else if (status === 'planned') counts.planned++;
	else counts.failing++;
}

/** Looks up each catalog control's status in the snapshot and counts them, overall and by domain. */
export function countCatalog(catalog: Catalog, snapshot: ControlStatusSnapshot): CatalogCounts {
	const statuses = new Map(snapshot.controls.filter((c) => c.catalog === catalog.id).map((c) => [c.control, c.status]));
	const overall = emptyCounts();
	const domains = new Map<string, Counts>();
	for (const control of catalog.controls) {
		const status = statuses.get(control.id);
		add(overall, status);
		if (!domains.has(control.domain)) domains.set(control.domain, emptyCounts());
		add(domains.get(control.domain)!, status);
	}
	return { ...overall, domains: [...domains].map(([domain, counts]) => ({ domain, ...counts })) };
}

/** The headline sentence: "81 of 89 implemented · 4 not applicable". */
export function headline(counts: Counts): string {
	const na = counts.notApplicable > 0 ? ` · ${counts.notApplicable} not applicable` : '';
	return `${counts.implemented} of ${counts.applicable} implemented${na}`;
}

/** Share of applicable controls implemented, 0–100, rounded down so it never overstates. */
export function implementedPercent(counts: Counts): number {
	return counts.applicable === 0 ? 0 : Math.floor((counts.implemented / counts.applicable) * 100);
}
