import type { APIRoute } from 'astro';
import { getFeed } from '../feed-items.ts';
import { renderJsonFeed } from '../lib/feeds.ts';
import { FILES } from '../lib/routing/urls.ts';

export const GET: APIRoute = async () => {
	const { meta, items } = await getFeed(FILES.jsonFeed);
	return new Response(renderJsonFeed(meta, items), {
		headers: { 'Content-Type': 'application/feed+json; charset=utf-8' },
	});
};
