import type { APIRoute } from 'astro';
import { ENGLISH } from '../lib/words/words.ts';
import { getCollection } from 'astro:content';
import { getSite } from '../collections.ts';
import { renderSubprocessorCsv, sortSubprocessors, toPublic } from '../lib/subprocessors.ts';

export const GET: APIRoute = async () => {
	const [site, entries] = await Promise.all([getSite(), getCollection('subprocessors')]);
	return new Response(
		renderSubprocessorCsv(
			sortSubprocessors(
				entries.map((e) => toPublic(e.data, ENGLISH)),
				site.language,
			),
		),
		{ headers: { 'Content-Type': 'text/csv; charset=utf-8' } },
	);
};
