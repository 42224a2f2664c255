import { getContainerRenderer as getMdxRenderer } from '@astrojs/mdx/container-renderer';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { getCollection, render } from 'astro:content';
import { getSite, getUpdates, getWords } from './collections.ts';
import { feedMeta, type FeedItem, type FeedMeta } from './lib/feeds.ts';
import { absoluteUrl, updateUrl } from './lib/routing/urls.ts';
import { announcedSubprocessors } from './lib/subprocessors.ts';

/** The updates as feed items with their bodies rendered to HTML, and the feed's own description. */
export async function getFeed(feedPath: string): Promise<{ meta: FeedMeta; items: FeedItem[] }> {
	const [site, updates, t, subprocessors] = await Promise.all([
		getSite(),
		getUpdates(),
		getWords(),
		getCollection('subprocessors'),
	]);
	const entries = subprocessors.map((s) => s.data);
	const container = await AstroContainer.create({
		renderers: await loadRenderers([getMdxRenderer()]),
	});
	const items = await Promise.all(
		updates.map(async (u) => {
			const { Content } = await render(u);
			return {
				id: u.id,
				title: u.data.title,
				summary: u.data.summary,
				url: absoluteUrl(updateUrl(u.id), site.url),
				date: u.data.date,
				kind: u.data.kind,
				// By the id the public list gives them, never an NDA-only one.
				subprocessors: announcedSubprocessors(u.data.subprocessors, entries, t).map((s) => s.id),
				html: await container.renderToString(Content),
			};
		}),
	);
	return {
		meta: feedMeta(site, feedPath, t),
		items,
	};
}
