import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { hasAccessGate } from './gate/lib/access-config.ts';
import { buildTime } from './lib/build-time.ts';
import { ordersFor, type Orders } from './lib/routing/order.ts';
import { ARCHITECTURE_DIR } from './lib/routing/urls.ts';
import {
	controlStates,
	countCatalog,
	type CatalogCounts,
	type ControlState,
	type Freshness,
} from './lib/status/counts.ts';
import type { Framework } from './schemas/framework.ts';
import { siteWords, type Words } from './lib/words/words.ts';

/** One build time for every page, so all pages judge evidence freshness alike. */
export const BUILD_TIME = buildTime();

/** Whether the access gate is on (an NDA or approval rules in the content folder): NDA documents are then requested on /access/, otherwise by e-mail. */
export const GATE_ON = hasAccessGate(process.cwd());

/** Site settings from `content/site.yaml`. */
export async function getSite() {
	return (await getEntry('site', 'site'))!.data;
}

// By the settings object, so that `astro dev` takes a site.yaml edited while it runs.
const wordsOfSite = new WeakMap<object, Words>();
/** The site's words, in its language with the team's own labels (src/lib/words/). */
export async function getWords(): Promise<Words> {
	const site = await getSite();
	let words = wordsOfSite.get(site);
	if (!words) wordsOfSite.set(site, (words = siteWords(site)));
	return words;
}

const ordersOfSite = new WeakMap<object, Orders>();
/** The order of every kind, in the site's language (src/lib/routing/order.ts). */
export async function getOrders(): Promise<Orders> {
	const site = await getSite();
	let orders = ordersOfSite.get(site);
	if (!orders) ordersOfSite.set(site, (orders = ordersFor(site.language)));
	return orders;
}

/** The control-status snapshot from `content/control-status.json`. */
export async function getSnapshot() {
	return (await getEntry('controlStatus', 'snapshot'))!.data;
}

/** How old evidence may be, from the site settings, at the build time. */
export async function getFreshness(): Promise<Freshness> {
	return {
		now: BUILD_TIME,
		maxEvidenceAgeDays: (await getSite()).controlStatus.maxEvidenceAgeDays,
	};
}

/** A framework with its live counts (undefined counts when it has no catalog). */
export interface FrameworkWithCounts {
	entry: CollectionEntry<'frameworks'>;
	framework: Framework;
	counts: CatalogCounts | undefined;
	/** Every control of its catalog with its published status. */
	controls: ControlState[];
	/** What the counts count, e.g. "Annex A controls". */
	unit: string;
}

/** Every framework in display order, with counts from its catalog and the snapshot. */
export async function getFrameworks(): Promise<FrameworkWithCounts[]> {
	const [frameworks, catalogs, snapshot, freshness, t, order] = await Promise.all([
		getCollection('frameworks'),
		getCollection('catalogs'),
		getSnapshot(),
		getFreshness(),
		getWords(),
		getOrders(),
	]);
	const byId = new Map(catalogs.map((c) => [c.data.id, c.data]));
	return frameworks.sort(order.frameworks).map((entry) => {
		const catalog = entry.data.catalog ? byId.get(entry.data.catalog) : undefined;
		return {
			entry,
			framework: entry.data,
			counts: catalog ? countCatalog(catalog, snapshot, freshness) : undefined,
			controls: catalog ? controlStates(catalog, snapshot, freshness) : [],
			unit: catalog?.unit ?? t('status.unit'),
		};
	});
}

/** Policies in the library, in force first (approved, then draft, then retired), by title. */
export async function getPolicies() {
	return (await getCollection('policies')).sort((await getOrders()).policies);
}

/** Updates, newest first. */
export async function getUpdates() {
	return (await getCollection('updates')).sort((await getOrders()).updates);
}

/** Documents, newest first. */
export async function getDocuments() {
	return (await getCollection('documents')).sort((await getOrders()).documents);
}

/** The security architecture pages, its overview (`security/index.mdx`) first, in sidebar order. */
export async function getArchitecture() {
	return (await getCollection('docs'))
		.filter((d) => d.id === ARCHITECTURE_DIR || d.id.startsWith(`${ARCHITECTURE_DIR}/`))
		.sort((await getOrders()).docs);
}

/** FAQ entries by category, then by their order within it. */
export async function getFaq() {
	return (await getCollection('faq')).sort((await getOrders()).faq);
}
