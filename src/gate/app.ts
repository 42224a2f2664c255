// The gate's HTTP routes (Hono): the request form, confirmation, grant pages and downloads, with the
// built site as static files behind them. Security headers go on every response.
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ZodError } from 'zod';
import { walkFiles } from '../lib/files.ts';
import { contentType, resolveStatic } from './static.ts';
import type { SigningKey } from './lib/signed-link.ts';
import { accessRequestSchema } from '../schemas/access-request.ts';
import type { GateSettings } from './config.ts';
import { esc, Pages } from './pages.ts';
import { GateError } from './errors.ts';
import { hit, type Limit } from './services/rate-limits.ts';
import { download } from './services/downloads.ts';
import { documentTitles, type Gate, type RequestMeta } from './services/gate.ts';
import { grantPage } from './services/grants.ts';
import { confirmEmail, createRequest } from './services/requests.ts';

/** Largest request body accepted, in bytes: a filled form is under 4 KiB. */
export const MAX_BODY = 16 * 1024;
const CSRF_TTL_SECONDS = 2 * 3600;
/** Static files up to this size are kept in memory after their first request; larger ones are streamed. */
const SMALL_FILE = 256 * 1024;

/** One JSON log line. Never pass secrets: tokens live only in query strings, and those are not logged. */
export type Log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

type Env = { Bindings: HttpBindings; Variables: { requestId: string } };

const LABELS: Record<string, string> = { name: 'Full name', email: 'Work email', company: 'Company', role: 'Role', documents: 'Documents', reason: 'Reason', typedName: 'Typed full name', accept: 'I accept', ndaVersion: 'NDA version', ndaSha256: 'NDA fingerprint', csrf: 'Form token' };

/** SHA-256 sources of every inline script in the built site, for the Content-Security-Policy. */
export function inlineScriptHashes(dist: string): string[] {
	const hashes = new Set<string>();
	for (const path of walkFiles(dist, (name) => name.endsWith('.html'))) {
		for (const m of readFileSync(path, 'utf8').matchAll(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/(?:ld\+)?json")[^>]*>([\s\S]*?)<\/script>/g)) {
			hashes.add(`'sha256-${createHash('sha256').update(m[1]!).digest('base64')}'`);
		}
	}
	return [...hashes].sort();
}

/** The security headers every response carries. */
export function securityHeaders(scriptHashes: readonly string[], https: boolean): Record<string, string> {
	const csp = [
		"default-src 'self'",
		// Pagefind compiles its WebAssembly index; Starlight's theme and search scripts are inline.
		`script-src 'self' 'wasm-unsafe-eval' ${scriptHashes.join(' ')}`.trim(),
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self'",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
		...(https ? ['upgrade-insecure-requests'] : []),
	].join('; ');
	return {
		'Content-Security-Policy': csp,
		'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': 'DENY',
		// same-origin, not no-referrer: with no-referrer, browsers send "Origin: null" on form posts and the origin check
		// could not tell them apart. Links carrying tokens still never leak to another site.
		'Referrer-Policy': 'same-origin',
		'Permissions-Policy': 'accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), payment=(), usb=(), interest-cohort=()',
		'Cross-Origin-Opener-Policy': 'same-origin',
	};
}

function csrfMac(key: SigningKey, nonce: string, exp: number): string {
	return createHmac('sha256', key.secret).update(`csrf\n${nonce}\n${exp}`).digest('base64url');
}

/** A signed anti-forgery token, valid for two hours. */
export function csrfToken(keys: readonly SigningKey[], nowSeconds: number): string {
	const nonce = randomBytes(16).toString('base64url');
	const exp = nowSeconds + CSRF_TTL_SECONDS;
	return `${nonce}.${exp}.${keys[0]!.kid}.${csrfMac(keys[0]!, nonce, exp)}`;
}

function csrfValid(token: string, keys: readonly SigningKey[], nowSeconds: number): boolean {
	const [nonce, expText, kid, mac, ...rest] = token.split('.');
	const key = keys.find((k) => k.kid === kid);
	if (!nonce || !expText || !mac || rest.length || !key || !/^\d{1,12}$/.test(expText) || Number(expText) < nowSeconds) return false;
	const expected = Buffer.from(csrfMac(key, nonce, Number(expText)));
	const given = Buffer.from(mac);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Builds the gate's Hono app. */
/** `state.draining` turns the health check to 503 while the server shuts down, so load balancers stop sending. */
export function createApp(gate: Gate, settings: GateSettings, dist: string, log: Log, state: { draining: boolean } = { draining: false }): Hono<Env> {
	const app = new Hono<Env>();
	const pages = new Pages(dist, gate.config.site.companyName);
	const https = settings.publicUrl.startsWith('https://');
	const headers = securityHeaders(inlineScriptHashes(dist), https);
	const cookieName = https ? '__Host-tc_csrf' : 'tc_csrf';
	const publicOrigin = new URL(settings.publicUrl).origin;
	const nowSeconds = () => Math.floor(gate.now().getTime() / 1000);

	const clientIp = (c: Context<Env>): string => {
		const socketIp = c.env.incoming.socket.remoteAddress ?? 'unknown';
		if (settings.trustProxy === 0) return socketIp;
		const chain = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
		return chain[chain.length - settings.trustProxy] ?? socketIp;
	};
	const meta = (c: Context<Env>): RequestMeta => ({ ip: clientIp(c), userAgent: (c.req.header('user-agent') ?? '').slice(0, 300) });
	const wantsJson = (c: Context<Env>) => (c.req.header('content-type') ?? '').includes('application/json') || (!(c.req.header('accept') ?? '').includes('text/html') && (c.req.header('accept') ?? '').includes('application/json'));

	const html = (c: Context<Env>, status: number, title: string, body: string) => c.html(pages.page(title, body), status as 200);
	const refuse = (c: Context<Env>, status: number, code: string, title: string, message: string, fields?: Array<{ field: string; message: string }>) => {
		if (wantsJson(c)) return c.json({ error: code, message, ...(fields ? { fields } : {}), requestId: c.get('requestId') }, status as 400);
		const list = fields?.length ? `<ul class="tc-gate-errors">${fields.map((f) => `<li><strong>${esc(LABELS[f.field] ?? f.field)}</strong>: ${esc(f.message)}</li>`).join('')}</ul>` : '';
		const text = esc(message).replace('/access/', '<a href="/access/">/access/</a>');
		return html(c, status, title, `<p>${text}</p>${list}<p class="tc-small tc-muted">Reference: ${esc(c.get('requestId'))}</p>`);
	};
	const limited = async (c: Context<Env>, key: string, limit: Limit) => {
		const result = await hit(gate.db, key, limit, gate.now());
		if (result.ok) return undefined;
		c.header('Retry-After', String(result.retryAfter));
		return refuse(c, 429, 'rate-limited', 'Too many requests', `Too many requests from you in a short time. Please wait ${Math.ceil(result.retryAfter / 60)} minute(s) and try again.`);
	};
	/** The shared per-IP limit of the confirmation, grant and download pages. */
	const pageLimited = (c: Context<Env>) => limited(c, `page-ip:${clientIp(c)}`, settings.limits.pagesPerIp);
	const issueCsrf = (c: Context<Env>) => {
		const token = csrfToken(gate.keys, nowSeconds());
		setCookie(c, cookieName, token, { httpOnly: true, sameSite: 'Strict', path: '/', secure: https, maxAge: CSRF_TTL_SECONDS });
		return token;
	};
	/** Origin (or Sec-Fetch-Site) must be this site, and the form token must be valid and match the cookie. */
	const forgery = (c: Context<Env>, token: unknown) => {
		const origin = c.req.header('origin');
		const site = c.req.header('sec-fetch-site');
		const own = [publicOrigin, `${https ? 'https' : 'http'}://${c.req.header('host') ?? ''}`];
		if ((origin && !own.includes(origin)) || (site && site !== 'same-origin' && site !== 'none')) {
			return refuse(c, 403, 'cross-site', 'Request refused', 'This form can only be sent from this site. Open /access/ and submit it from there.');
		}
		const cookie = getCookie(c, cookieName);
		if (typeof token !== 'string' || !cookie || token !== cookie || !csrfValid(token, gate.keys, nowSeconds())) {
			return refuse(c, 403, 'csrf', 'Form expired', 'The form token is missing or has expired (forms stay valid for two hours, and need cookies). Reload /access/ and submit the form again.');
		}
		return undefined;
	};
	/** Reads a JSON or form body of at most MAX_BODY bytes into a plain object. */
	const readBody = async (c: Context<Env>): Promise<{ body: Record<string, unknown> } | { error: Response }> => {
		const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
		if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
			return { error: await refuse(c, 415, 'unsupported-media-type', 'Unsupported request', `Send the request as application/json or application/x-www-form-urlencoded, not "${type.slice(0, 60) || 'no Content-Type'}".`) };
		}
		const declared = Number(c.req.header('content-length') ?? '0');
		if (declared > MAX_BODY) return { error: await refuse(c, 413, 'body-too-large', 'Request too large', `The request body is ${declared} bytes; at most ${MAX_BODY} are accepted.`) };
		const chunks: Uint8Array[] = [];
		let size = 0;
		for await (const chunk of c.req.raw.body ?? []) {
			size += chunk.length;
			if (size > MAX_BODY) return { error: await refuse(c, 413, 'body-too-large', 'Request too large', `The request body is over ${MAX_BODY} bytes, the most accepted.`) };
			chunks.push(chunk);
		}
		const text = new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
		if (type === 'application/json') {
			let parsed: unknown;
			try {
				parsed = JSON.parse(text);
			} catch (error) {
				return { error: await refuse(c, 400, 'invalid-json', 'Invalid request', `The body is not valid JSON: ${(error as Error).message.slice(0, 120)}.`) };
			}
			if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: await refuse(c, 400, 'invalid-json', 'Invalid request', 'The body must be a JSON object with the form fields, like {"name": "…", "email": "…"}.') };
			return { body: parsed as Record<string, unknown> };
		}
		const body: Record<string, unknown> = {};
		for (const [key, value] of new URLSearchParams(text)) {
			const previous = body[key];
			body[key] = previous === undefined ? (key === 'documents' ? [value] : value) : Array.isArray(previous) ? [...previous, value] : [previous, value];
		}
		return { body };
	};
	const fieldErrors = (error: ZodError) => error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ field: k, message: 'is not a field of this form; remove it' })) : [{ field: String(i.path[0] ?? 'body'), message: i.message }]));

	app.use(async (c, next) => {
		const started = performance.now();
		c.set('requestId', randomUUID());
		await next();
		for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
		c.res.headers.set('X-Request-Id', c.get('requestId'));
		if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store');
		log('info', 'request', { requestId: c.get('requestId'), method: c.req.method, path: c.req.path.slice(0, 200), status: c.res.status, ms: Math.round(performance.now() - started), ip: clientIp(c) });
	});

	app.get('/healthz', async (c) => {
		if (state.draining) return c.json({ status: 'draining' }, 503);
		try {
			await gate.db.query('SELECT 1');
			return c.json({ status: 'ok', database: gate.db.kind });
		} catch {
			return c.json({ status: 'database unavailable', database: gate.db.kind }, 503);
		}
	});

	app.get('/access/', async (c) => {
		const wanted = c.req.queries('documents')?.flatMap((d) => d.split(',')) ?? [];
		return c.html(pages.requestForm(issueCsrf(c), wanted.filter((d) => gate.config.documents.some((g) => g.id === d))));
	});
	app.get('/access/index.html', (c) => c.redirect('/access/', 301));

	app.get('/api/csrf', (c) => c.json({ token: issueCsrf(c) }));

	app.post('/api/access-requests', async (c) => {
		const read = await readBody(c);
		if ('error' in read) return read.error;
		const forged = forgery(c, read.body['csrf'] ?? c.req.header('x-csrf-token'));
		if (forged) return forged;
		const ipLimited = await limited(c, `request-ip:${clientIp(c)}`, settings.limits.requestsPerIp);
		if (ipLimited) return ipLimited;
		const parsed = accessRequestSchema(gate.config.documents.map((d) => d.id)).safeParse(read.body);
		if (!parsed.success) {
			const fields = fieldErrors(parsed.error);
			return refuse(c, 400, 'invalid-request', 'Please fix the form', `The request has ${fields.length === 1 ? 'a problem' : `${fields.length} problems`}. Use your browser's Back button to fix ${fields.length === 1 ? 'it' : 'them'}; your entries are kept.`, fields);
		}
		const emailLimited = await limited(c, `request-email:${parsed.data.email}`, settings.limits.requestsPerEmail);
		if (emailLimited) return emailLimited;
		const created = await createRequest(gate, parsed.data, meta(c));
		if (wantsJson(c)) return c.json({ status: 'confirmation-sent', request: created.id, email: created.email }, 202);
		return html(c, 202, 'Check your email', `<p>We sent a confirmation link to <strong>${esc(created.email)}</strong>. Open it within 24 hours to confirm your request; nothing is shared before you do.</p><p class="tc-small tc-muted">Request ${esc(created.id)}. No email after a few minutes? Check your spam folder, or write to ${esc(gate.config.site.contacts.security)}.</p>`);
	});

	app.get('/access/confirm/', async (c) => {
		const limitedResponse = await pageLimited(c);
		if (limitedResponse) return limitedResponse;
		const token = c.req.query('token') ?? '';
		if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return refuse(c, 404, 'confirm-unknown', 'Unknown confirmation link', 'This confirmation link is incomplete. Open the link from the email again, or make a new request at /access/.');
		// A button, not an automatic confirmation: mail scanners open links, and must not use them up.
		return html(c, 200, 'Confirm your email', `<form method="post" action="/access/confirm/" class="tc-access-form not-content"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="csrf" value="${esc(issueCsrf(c))}"><p>Confirm that this email address is yours to continue your request.</p><button type="submit" class="tc-button">Confirm my email</button></form>`);
	});

	app.post('/access/confirm/', async (c) => {
		const read = await readBody(c);
		if ('error' in read) return read.error;
		const forged = forgery(c, read.body['csrf'] ?? c.req.header('x-csrf-token'));
		if (forged) return forged;
		const limitedResponse = await pageLimited(c);
		if (limitedResponse) return limitedResponse;
		const token = read.body['token'];
		if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(token)) return refuse(c, 400, 'invalid-request', 'Unknown confirmation link', 'The confirmation token is missing or incomplete. Open the link from the email again.');
		const result = await confirmEmail(gate, token, meta(c));
		if (wantsJson(c)) return c.json(result);
		const names = (ids: string[]) => esc(documentTitles(gate, ids));
		const email = esc(result.request.email);
		const review = `<p>Our security team reviews requests like this one, usually within two business days, and emails ${email} with the outcome.</p>`;
		const pagesByStatus: Record<string, [string, string]> = {
			approved: ['Access approved', `<p>Your request is approved. We emailed a link to your documents to <strong>${email}</strong>.</p>`],
			partial: ['Access partly approved', `<p>Approved now: ${names(result.granted)}. We emailed the link to <strong>${email}</strong>.</p><p>Waiting for review: ${names(result.review)}.</p>${review}`],
			pending: ['Waiting for review', `<p>Thank you, your email is confirmed.</p>${review}`],
			denied: ['Request not approved', `<p>We cannot share these documents in response to this request. If you think this is a mistake, write to <a href="mailto:${esc(gate.config.site.contacts.security)}">${esc(gate.config.site.contacts.security)}</a>.</p>`],
		};
		const [title, body] = pagesByStatus[result.request.status] ?? ['Request received', ''];
		return html(c, 200, result.alreadyConfirmed ? `${title} (already confirmed)` : title, `${result.alreadyConfirmed ? '<p>This confirmation link was used before; here is where your request stands.</p>' : ''}${body}`);
	});

	app.get('/access/grant/:id/', async (c) => {
		const limitedResponse = await pageLimited(c);
		if (limitedResponse) return limitedResponse;
		const view = await grantPage(gate, c.req.param('id').slice(0, 64), (c.req.query('key') ?? '').slice(0, 64));
		const items = view.links.map((l) => `<li><a class="tc-button" href="${esc(l.href)}" download>Download ${esc(l.document.title)} (PDF)</a></li>`).join('');
		return html(c, 200, 'Your documents', `<p>${esc(view.name)}, these documents are shared with you under the NDA until ${esc(view.expiresAt.toISOString().slice(0, 10))}. Every copy is watermarked with your name and a download id.</p><ul class="tc-downloads not-content">${items}</ul><p class="tc-small tc-muted">Each link works for ${view.linkMinutes} minutes and up to ${view.linkUses} times. Reload this page for fresh links.</p>`);
	});

	app.get('/download/', async (c) => {
		const limitedResponse = await pageLimited(c);
		if (limitedResponse) return limitedResponse;
		const copy = await download(gate, new URL(c.req.url).searchParams, meta(c));
		return c.body(copy.bytes as Uint8Array<ArrayBuffer>, 200, {
			'Content-Type': 'application/pdf',
			'Content-Disposition': `attachment; filename="${copy.filename}"`,
			'X-Download-Id': copy.id,
			'Cache-Control': 'no-store',
		});
	});

	const small = new Map<string, Buffer>();
	app.on(['GET', 'HEAD'], '*', (c) => {
		const path = c.req.path;
		const file = resolveStatic(dist, path);
		if (file && file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('.html')) return c.redirect(`${path}/`, 301);
		const target = file ?? join(dist, '404.html');
		let size: number;
		try {
			size = statSync(target).size;
		} catch {
			return c.text('Not found\n', 404);
		}
		const cache = path.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate';
		const headers = { 'Content-Type': contentType(extname(target)), 'Content-Length': String(size), 'Cache-Control': cache };
		if (c.req.method === 'HEAD') return c.body(null, file ? 200 : 404, headers);
		// Small files come from memory: dist/ does not change while the gate serves it (a rebuild restarts it).
		if (size <= SMALL_FILE) {
			let bytes = small.get(target);
			if (!bytes) small.set(target, (bytes = readFileSync(target)));
			return c.body(bytes as Uint8Array<ArrayBuffer>, file ? 200 : 404, { ...headers, 'Content-Length': String(bytes.length) });
		}
		return c.body(Readable.toWeb(createReadStream(target)) as ReadableStream, file ? 200 : 404, headers);
	});

	app.all('*', (c) => {
		c.header('Allow', 'GET, HEAD');
		return refuse(c, 405, 'method-not-allowed', 'Method not allowed', `${c.req.method.slice(0, 20)} is not allowed here.`);
	});

	// Refusals (expired links, used-up links, a changed NDA…) are thrown by the service and answered here.
	app.onError((error, c) => {
		if (error instanceof GateError) return refuse(c, error.status, error.code, error.title, error.message);
		log('error', 'unhandled error', { requestId: c.get('requestId'), path: c.req.path.slice(0, 200), error: String((error as Error).stack ?? error) });
		return refuse(c, 500, 'internal-error', 'Something went wrong', 'Something went wrong on our side, and nothing was changed. Please try again; if it keeps happening, write to us with the reference below.');
	});

	return app;
}
