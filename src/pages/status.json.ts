import type { APIRoute } from 'astro';
import { getFrameworks, getFreshness, getSnapshot, getWords } from '../collections.ts';
import { statusDocument } from '../lib/status/status-json.ts';

export const GET: APIRoute = async () => {
	const [frameworks, snapshot, freshness, t] = await Promise.all([
		getFrameworks(),
		getSnapshot(),
		getFreshness(),
		getWords(),
	]);
	return new Response(
		`${JSON.stringify(
			statusDocument(
				frameworks.map((f) => ({ framework: f.framework, counts: f.counts, unit: f.unit })),
				snapshot,
				freshness,
				t,
			),
			null,
			2,
		)}\n`,
		{ headers: { 'Content-Type': 'application/json' } },
	);
};
