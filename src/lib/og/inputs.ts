import type { TrustContent } from '../content/load.ts';
import type { SourcePage } from '../content/source-pages.ts';
import { label } from '../labels.ts';
import { pageSection } from '../routing/kind.ts';
import { frameworkIdOf } from '../routing/urls.ts';
import { SEGMENTS, type SegmentKey } from '../status/charts.ts';
import { shownStatus } from '../status/expiry.ts';
import { countCatalog, headlineNotes, type Counts, type Freshness } from '../status/counts.ts';
import type { Words } from '../words/words.ts';
import type { OgInput } from './card.ts';

const ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	'#39': "'",
	'#x27': "'",
};

/** Reads a meta tag's content from built HTML, entities decoded. */
export function metaContent(
	html: string,
	attr: 'property' | 'name',
	key: string,
): string | undefined {
	const match = new RegExp(`<meta ${attr}="${key}" content="([^"]*)"`).exec(html);
	return match?.[1]?.replace(
		/&(#?\w+);/g,
		(whole, name: string) =>
			ENTITIES[name] ??
			(name.startsWith('#')
				? String.fromCodePoint(Number(name.slice(1).replace(/^x/, '0x')))
				: whole),
	);
}

/** A page's title and description, as its `og:title` and `description` meta tags say (or will say). */
export interface PageMeta {
	title?: string | undefined;
	description?: string | undefined;
}

/** The title and description meta tags of a built page. */
export function pageMetaOf(html: string): PageMeta {
	return {
		title: metaContent(html, 'property', 'og:title'),
		description: metaContent(html, 'name', 'description'),
	};
}

/** Where each kind of Markdown page takes its description from (its page passes it to Starlight). */
const DESCRIPTION_FIELD: Record<Exclude<SourcePage['kind'], 'faq'>, string> = {
	docs: 'description',
	policy: 'summary',
	update: 'summary',
	framework: 'summary',
};

/**
 * The pages a public build makes from Markdown (the architecture pages, policies, updates and
 * frameworks; most of a site), with the meta tags each will carry, read from the source files before
 * Astro starts, so that their images can be drawn while Astro bundles and renders. A forecast only:
 * the images are keyed by what the built pages say, so a page it gets wrong is drawn after the build.
 * FAQ entries are sections of one page; NDA-only pages and drafts are not in the public build.
 */
export function expectedPages(pages: SourcePage[]): Array<{ pathname: string; meta: PageMeta }> {
	return pages.flatMap((page) =>
		page.kind === 'faq' || page.ndaPage || page.data['draft'] === true
			? []
			: [
					{
						pathname: page.url,
						meta: {
							title: page.title,
							description: String(page.data[DESCRIPTION_FIELD[page.kind]] ?? '') || undefined,
						},
					},
				],
	);
}

/** The legend under an image's counts bar: each status with controls, as the site's charts name it ("Implemented 81"). */
export function ogLegend(
	counts: Pick<Counts, SegmentKey>,
	t: Words,
): NonNullable<OgInput['legend']> {
	return SEGMENTS.filter(({ key }) => counts[key] > 0).map(({ key, label }) => ({
		key,
		text: t('chart.segment', { label: t(label), count: counts[key] }),
	}));
}

/**
 * What a page's image shows, from the page's title and description (so only what the public page
 * already says) and, for framework pages, the public counts.
 */
export function ogInputFor(
	pathname: string,
	meta: PageMeta,
	content: TrustContent,
	freshness: Freshness,
	t: Words,
): OgInput {
	const { site } = content;
	const title = meta.title ?? site.companyName;
	const description = meta.description ?? site.tagline;
	const section = pageSection(pathname);
	const base = {
		title,
		// An architecture page reads as its section ("Security architecture"), not the search filter's "Doc".
		kind:
			section === 'security'
				? t('section.security')
				: section
					? t(`kind.${section}`)
					: t('og.fallbackKind'),
		subtitle: description,
		footer: t('og.footer', { company: site.companyName }),
		host: new URL(site.url).host,
		brandColor: site.brandColor,
	};
	const frameworkId = frameworkIdOf(pathname);
	const framework = content.frameworks.find((f) => f.data.id === frameworkId)?.data;
	if (!framework) return base;
	const catalog = content.catalogs.find((c) => c.data.id === framework.catalog)?.data;
	if (!catalog)
		return {
			...base,
			subtitle: t('og.scope', {
				status: label(shownStatus(framework, freshness.now), t),
				scope: framework.scope,
			}),
		};
	const counts = countCatalog(catalog, content.snapshot.data, freshness);
	// The counts as the framework page's headline gives them, failing, stale and not reported included. A
	// line that wraps breaks before a part's "·", never inside a part ("6 / stale"): their other spaces do not break.
	const separator = t('status.separator').replace(/ $/, '\u00a0');
	const notes = headlineNotes(counts, t)
		.map((note) => separator + note.replaceAll(' ', '\u00a0'))
		.join('');
	const { domains: _domains, total: _total, notApplicable: _na, ...bar } = counts;
	return {
		...base,
		subtitle:
			t('og.counts', {
				status: label(shownStatus(framework, freshness.now), t),
				implemented: counts.implemented,
				applicable: counts.applicable,
				unit: catalog.unit ?? t('status.unit'),
			}) + notes,
		counts: bar,
		legend: ogLegend(counts, t),
	};
}
