import type { APIRoute } from 'astro';
import { ENGLISH } from '../lib/words/words.ts';
import { getCollection } from 'astro:content';
import { getSite } from '../collections.ts';
import { sortSubprocessors, toPublic } from '../lib/subprocessors.ts';

export const GET: APIRoute = async () => {
	const [site, entries] = await Promise.all([getSite(), getCollection('subprocessors')]);
	const subprocessors = sortSubprocessors(
		entries.map((e) => toPublic(e.data, ENGLISH)),
		site.language,
	);
	return new Response(`${JSON.stringify({ company: site.legalName, subprocessors }, null, 2)}\n`, {
		headers: { 'Content-Type': 'application/json' },
	});
};
