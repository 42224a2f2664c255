import { DATA_CATEGORIES, type DataCategory } from '../data/data-categories.ts';
import { GLOBAL_REGION, REGIONS, type Region } from '../data/regions.ts';
import type { Subprocessor } from '../schemas/subprocessor.ts';
import { renderCsv } from './csv.ts';
import { addDays, isoDay } from './dates.ts';
import { isNdaName } from './nda/visibility.ts';
import { ordersFor } from './routing/order.ts';
import { slugify } from './routing/urls.ts';
import type { Edition } from './nda/edition.ts';
import { labelOr, type Words } from './words/words.ts';

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

/** A region in the site's words; one an author added to src/data/regions.ts in the words given there. */
export function regionLabel(region: Region, t: Words): string {
	return labelOr(`region.${region}`, REGIONS[region], t);
}

/** A data category in the site's words; one an author added to src/data/data-categories.ts in the words given there. */
export function dataCategoryLabel(category: DataCategory, t: Words): string {
	return labelOr(`data.${category}`, DATA_CATEGORIES[category], t);
}

/**
 * The public view of a subprocessor, its regions, data and transfer mechanism in `t`'s words (English in
 * subprocessors.json and .csv). Never includes the real name or website when a descriptor is set.
 */
export function toPublic(s: Subprocessor, t: Words): PublicSubprocessor {
	return view(s, isNdaName(s), t);
}

/**
 * The view for an edition: the public edition hides names behind descriptors; the NDA edition
 * (the whitepaper) names every subprocessor.
 */
export function forEdition(s: Subprocessor, edition: Edition, t: Words): PublicSubprocessor {
	return edition === 'nda' ? view(s, false, t) : toPublic(s, t);
}

/**
 * The subprocessors an update's notice names by id (its `subprocessors`), as the public list shows them,
 * in the notice's order; an id of no entry is left out (the content check refuses it).
 */
export function announcedSubprocessors(
	ids: readonly string[],
	entries: readonly Subprocessor[],
	t: Words,
): PublicSubprocessor[] {
	return ids.flatMap((id) => {
		const entry = entries.find((s) => s.id === id);
		return entry ? [toPublic(entry, t)] : [];
	});
}

/**
 * The public id of a subprocessor named only under NDA: its descriptor as a slug. Nothing of the real
 * name or id goes into it, not even a hash: ids are usually the vendor's name, and anyone could confirm
 * a guessed one against a hash of it. The content check refuses two subprocessors with one public id.
 */
export function publicId(s: Subprocessor): string {
	return isNdaName(s) ? descriptorId(s.publicDescriptor) : s.id;
}

/** The public id of a subprocessor named only under NDA, from its public descriptor. */
export const descriptorId = (descriptor: string): string => slugify(descriptor);

/**
 * The public id a subprocessor named only under NDA had before: the descriptor's ASCII letters and
 * digits, then the first six hex digits of the SHA-256 of its real id (`eu-cloud-hosting-provider-68ba9b`).
 * No longer published; a gate knows the notices it recorded under it by this pattern, so nothing is
 * announced again under the new id.
 */
export function earlierPublicId(descriptor: string): RegExp {
	const ascii = descriptor
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');
	return new RegExp(`^${ascii}-[0-9a-f]{6}$`);
}

function view(s: Subprocessor, hidden: boolean, t: Words): PublicSubprocessor {
	return {
		id: hidden ? publicId(s) : s.id,
		name: hidden ? (s.publicDescriptor ?? s.name) : s.name,
		named: !hidden,
		purpose: s.purpose,
		dataCategories: s.dataCategories.map((c) => dataCategoryLabel(c, t)),
		locations: s.locations.map((l) => regionLabel(l, t)),
		transferMechanism: t(`transfer.${s.transferMechanism}`),
		website: hidden ? null : (s.website ?? null),
		state: s.state,
		noticeDate: s.noticeDate ? isoDay(s.noticeDate) : null,
		effective: isoDay(s.effective),
		removed: s.removed ? isoDay(s.removed) : null,
	};
}

/**
 * The overview's sentence about subprocessors, from the locations of each active one and the number of
 * planned ones; undefined when there is none of either (the overview then leaves it out). A provider
 * that operates globally is told apart, not counted as one more region.
 */
export function subprocessorSummary(
	active: readonly { locations: readonly string[] }[],
	planned: number,
	t: Words,
): string | undefined {
	if (active.length === 0 && planned === 0) return undefined;
	const regions = new Set(active.flatMap((s) => s.locations).filter((l) => l !== GLOBAL_REGION));
	const global = active.filter((s) => s.locations.includes(GLOBAL_REGION)).length;
	let where = '';
	if (regions.size > 0)
		where =
			t('subprocessors.inRegions', { count: regions.size }) +
			(global > 0 ? t('subprocessors.someGlobal', { count: global }) : '');
	else if (global > 0)
		where = t(active.length === 1 ? 'subprocessors.oneGlobal' : 'subprocessors.allGlobal');
	const now =
		active.length > 0
			? t('subprocessors.weUse', { count: active.length }) + where + t('subprocessors.end')
			: t('subprocessors.none');
	const next = planned > 0 ? t('subprocessors.planned', { count: planned }) : '';
	return now + next;
}

/** Active first, then planned, then removed; by name within each, as readers of `language` sort names. */
export function sortSubprocessors<T extends { state: string; name: string }>(
	list: readonly T[],
	language: string,
): T[] {
	return [...list].sort(ordersFor(language).subprocessors);
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

/**
 * The day customers' time to object to a new subprocessor ends: `objectionDays` (site.yaml's
 * subscriptions.objectionDays) after the notice. The notice mails give it, and the content check
 * compares it with the subprocessor's start.
 */
export function objectionEnd(notice: Date, objectionDays: number): Date {
	return addDays(notice, objectionDays);
}
