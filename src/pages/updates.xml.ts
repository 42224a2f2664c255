import type { APIRoute } from 'astro';
import { getFeed } from '../feed-items.ts';
import { renderAtom } from '../lib/feeds.ts';
import { FILES } from '../lib/routing/urls.ts';

export const GET: APIRoute = async () => {
	const { meta, items } = await getFeed(FILES.atomFeed);
	return new Response(renderAtom(meta, items), {
		headers: { 'Content-Type': 'application/atom+xml; charset=utf-8' },
	});
};
