import { createHash } from 'node:crypto';
import { DATA_CATEGORIES } from '../data/data-categories.ts';
import { REGIONS } from '../data/regions.ts';
import type { Subprocessor } from '../schemas/subprocessor.ts';
import { renderCsv } from './csv.ts';
import { isoDay } from './dates.ts';
import { isNdaName } from './nda/visibility.ts';
import { bySubprocessorOrder } from './routing/order.ts';
import type { Edition } from './nda/edition.ts';

/** What the public may see of a subprocessor: the descriptor stands in for the name and website. */
export interface PublicSubprocessor {
	id: string;
	/** The real name, or the public descriptor when the name is NDA-only. */
	name: string;
	/** True when `name` is a descriptor standing in for an NDA-only name. */
	named: boolean;
	purpose: string;
	dataCategories: string[];
	locations: string[];
	transferMechanism: string;
	website: string | null;
	state: string;
	noticeDate: string | null;
	effective: string;
	removed: string | null;
}

export const TRANSFER_LABELS: Record<Subprocessor['transferMechanism'], string> = {
	scc: 'Standard Contractual Clauses',
	adequacy: 'Adequacy decision',
	dpf: 'EU-US Data Privacy Framework',
	'none-needed': 'None needed (no transfer)',
};

/** The public view of a subprocessor. Never includes the real name or website when a descriptor is set. */
export function toPublic(s: Subprocessor): PublicSubprocessor {
	return view(s, isNdaName(s));
}

/**
 * The view for an edition: the public edition hides names behind descriptors; the NDA edition
 * (the whitepaper) names every subprocessor.
 */
export function forEdition(s: Subprocessor, edition: Edition): PublicSubprocessor {
	return edition === 'nda' ? view(s, false) : toPublic(s);
}

/**
 * The public id of a subprocessor named only under NDA. Ids are usually made from the name, so the
 * public site uses the descriptor and a short hash instead: stable, unique, and not the name. The
 * descriptor's part keeps ASCII letters and digits only, as it always has: gates record the notices
 * they mailed under these ids, and a changed id would be announced again as a new subprocessor.
 */
export function publicId(s: Subprocessor): string {
	if (!isNdaName(s)) return s.id;
	const ascii = s.publicDescriptor
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return `${ascii}-${createHash('sha256').update(s.id).digest('hex').slice(0, 6)}`;
}

function view(s: Subprocessor, hidden: boolean): PublicSubprocessor {
	return {
		id: hidden ? publicId(s) : s.id,
		name: hidden ? (s.publicDescriptor ?? s.name) : s.name,
		named: !hidden,
		purpose: s.purpose,
		dataCategories: s.dataCategories.map((c) => DATA_CATEGORIES[c]),
		locations: s.locations.map((l) => REGIONS[l]),
		transferMechanism: TRANSFER_LABELS[s.transferMechanism],
		website: hidden ? null : (s.website ?? null),
		state: s.state,
		noticeDate: s.noticeDate ? isoDay(s.noticeDate) : null,
		effective: isoDay(s.effective),
		removed: s.removed ? isoDay(s.removed) : null,
	};
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * The overview's sentence about subprocessors, from the counts of active ones, the regions they process
 * data in, and planned ones; undefined when there is none of either (the overview then leaves it out).
 */
export function subprocessorSummary(
	active: number,
	regions: number,
	planned: number,
): string | undefined {
	if (active === 0 && planned === 0) return undefined;
	const now =
		active > 0
			? `We use ${count(active, 'subprocessor')}, processing data in ${count(regions, 'region')}.`
			: 'No subprocessor processes customer data yet.';
	const next =
		planned > 0
			? ` ${count(planned, 'planned change')} ${planned === 1 ? 'is' : 'are'} announced.`
			: '';
	return now + next;
}

/** Active first, then planned, then removed; by name within each. */
export function sortSubprocessors<T extends { state: string; name: string }>(
	list: readonly T[],
): T[] {
	return [...list].sort(bySubprocessorOrder);
}

const CSV_COLUMNS = [
	'name',
	'purpose',
	'dataCategories',
	'locations',
	'transferMechanism',
	'website',
	'state',
	'noticeDate',
	'effective',
	'removed',
] as const;

/** RFC 4180 CSV with a header row, CRLF line ends. */
export function renderSubprocessorCsv(list: readonly PublicSubprocessor[]): string {
	return renderCsv(CSV_COLUMNS, list, (s, c) => s[c]);
}
