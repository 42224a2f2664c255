import type { APIRoute } from 'astro';
import { getSite } from '../../collections.ts';
import { renderSecurityTxt } from '../../lib/security-txt.ts';

export const GET: APIRoute = async () => new Response(renderSecurityTxt(await getSite(), new Date()), { headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
