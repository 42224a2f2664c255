import type { APIRoute } from 'astro';
import { BUILD_TIME, getSite } from '../../collections.ts';
import { renderSecurityTxt } from '../../lib/security-txt.ts';

export const GET: APIRoute = async () =>
	new Response(renderSecurityTxt(await getSite(), BUILD_TIME), {
		headers: { 'Content-Type': 'text/plain; charset=utf-8' },
	});
