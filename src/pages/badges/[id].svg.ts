import type { APIRoute, GetStaticPaths } from 'astro';
import { BUILD_TIME, getFrameworks, getWords } from '../../collections.ts';
import { publicEditionOnly } from '../../lib/nda/edition.ts';
import { badgeSvg, frameworkBadge } from '../../lib/status/badge.ts';

/** `/badges/<framework>.svg`: an embeddable status badge for each public framework. */
export const getStaticPaths = (async () => {
	const t = await getWords();
	return publicEditionOnly(
		(await getFrameworks()).map(({ framework, counts }) => ({
			params: { id: framework.id },
			props: { svg: badgeSvg(frameworkBadge(framework, counts, t, BUILD_TIME)) },
		})),
	);
}) satisfies GetStaticPaths;

export const GET: APIRoute = ({ props }) =>
	new Response((props as { svg: string }).svg, { headers: { 'Content-Type': 'image/svg+xml' } });
