// Reading a request body: JSON or a form only, at most MAX_BODY bytes, into a plain object of fields
// that the routes after it find in `c.var.body`. Every refusal says what was sent and what is accepted.
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { Env } from '../context.ts';
import { ENGLISH } from '../../lib/words/words.ts';
import { GateError, readerRefusal } from '../errors.ts';

/** Largest request body accepted, in bytes: a filled form is under 4 KiB. */
export const MAX_BODY = 16 * 1024;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

const mediaType = (c: Context) =>
	(c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

/** The charset parameters of the Content-Type, unquoted: none means UTF-8. */
const charsets = (c: Context) =>
	(c.req.header('content-type') ?? '')
		.split(';')
		.slice(1)
		.map((parameter) => /^\s*charset\s*=\s*(.*?)\s*$/i.exec(parameter)?.[1])
		.filter((value) => value !== undefined)
		.map((value) => value.replace(/^"(.*)"$/, '$1'));

/** Whether `label` names UTF-8 ("utf-8", "UTF8"…, as the Encoding Standard lists them). */
function isUtf8Label(label: string): boolean {
	try {
		return new TextDecoder(label).encoding === 'utf-8';
	} catch {
		return false;
	}
}

/** Refuses (415) any body but JSON or a form in UTF-8, before a byte of it is read. */
const jsonOrForm = createMiddleware<Env>(async (c, next) => {
	const type = mediaType(c);
	if (type !== JSON_TYPE && type !== FORM_TYPE) {
		throw readerRefusal(415, 'unsupported-media-type', {
			title: 'gateRefusal.unsupportedTitle',
			message: type ? 'gateRefusal.unsupported' : 'gateRefusal.noContentType',
			values: { type: type.slice(0, 60) },
		});
	}
	const other = charsets(c).find((charset) => !isUtf8Label(charset));
	if (other !== undefined)
		throw readerRefusal(415, 'unsupported-charset', {
			title: 'gateRefusal.unsupportedTitle',
			message: 'gateRefusal.charset',
			values: { charset: other.slice(0, 60) },
		});
	await next();
});

/**
 * A body that stopped before its end (the client went away, or its connection broke): refused as the
 * request's fault. Node reports it as ECONNRESET, which the app would otherwise take for the database
 * being away (db.ts's isDatabaseUnavailable) and answer with a 503 and an outage warning.
 */
const incompleteBody = () =>
	readerRefusal(400, 'body-incomplete', {
		title: 'gateRefusal.invalidTitle',
		message: 'gateRefusal.bodyIncomplete',
	});

/**
 * Hono's body limit, which reads a chunked body itself, with an error in that reading refused as an
 * incomplete body; errors after it, from the routes, pass through as they are.
 */
const refusingIncomplete = (limit: MiddlewareHandler<Env>) =>
	createMiddleware<Env>(async (c, next) => {
		let read = false;
		try {
			await limit(c, () => {
				read = true;
				return next();
			});
		} catch (error) {
			if (read || error instanceof GateError) throw error;
			throw incompleteBody();
		}
	});

/** Hono's body limit: a declared Content-Length over the limit is refused unread, a chunked body once it passes it. */
const sizeLimit = refusingIncomplete(
	bodyLimit({
		maxSize: MAX_BODY,
		onError: (c) => {
			const declared = c.req.header('content-length');
			throw readerRefusal(413, 'body-too-large', {
				title: 'gateRefusal.tooLargeTitle',
				message: declared === undefined ? 'gateRefusal.tooLarge' : 'gateRefusal.tooLargeDeclared',
				values: { bytes: String(Number(declared)), max: String(MAX_BODY) },
			});
		},
	}),
);

/** Most fields a body may have: the form has a dozen, and `documents` once per document. */
export const MAX_FIELDS = 64;

/** The refusal of a body with `count` fields, or more than MAX_FIELDS when not counted to the end. */
const tooManyFields = (count?: number) =>
	readerRefusal(400, 'too-many-fields', {
		title: 'gateRefusal.invalidTitle',
		message: count === undefined ? 'gateRefusal.tooManyFieldsOver' : 'gateRefusal.tooManyFields',
		values: { fields: String(count), max: String(MAX_FIELDS) },
	});

/** The refusal of a body whose bytes are not UTF-8. */
const notUtf8 = () =>
	readerRefusal(400, 'not-utf-8', {
		title: 'gateRefusal.invalidTitle',
		message: 'gateRefusal.notUtf8',
	});

/**
 * A form's name or value with `+` as a space and its %-escapes decoded, as URLSearchParams does; but
 * where URLSearchParams puts U+FFFD for escaped bytes that are not UTF-8, this throws a URIError. A `%`
 * without two hex digits stays as it is. Each run of escapes decodes on its own: text between runs is
 * whole characters, which a UTF-8 sequence cannot continue across.
 */
const formDecode = (text: string) =>
	text.replaceAll('+', ' ').replace(/(?:%[\dA-Fa-f]{2})+/g, (run) => decodeURIComponent(run));

/**
 * A form body as fields, in one pass: a repeated field becomes a list (`documents` always is one).
 * A Map first, then own properties: a field called __proto__ or constructor is a field like any other.
 * Split and decoded as URLSearchParams would, except that %-escapes must decode to UTF-8: a value that
 * does not is refused naming its field, a name that does not without naming it.
 */
export function formFields(text: string): Record<string, unknown> {
	const fields = new Map<string, string | string[]>();
	let count = 0;
	// URLSearchParams drops a leading "?" too.
	for (const pair of text.replace(/^\?/, '').split('&')) {
		if (!pair) continue;
		if (++count > MAX_FIELDS) throw tooManyFields();
		const equals = pair.indexOf('=');
		let key: string;
		let value: string;
		try {
			key = formDecode(equals < 0 ? pair : pair.slice(0, equals));
		} catch {
			throw notUtf8();
		}
		try {
			value = equals < 0 ? '' : formDecode(pair.slice(equals + 1));
		} catch {
			throw readerRefusal(
				400,
				'not-utf-8',
				{ title: 'gateRefusal.invalidTitle', message: 'gateRefusal.fieldNotUtf8' },
				{ fields: [{ field: key, message: ENGLISH('fieldProblem.notUtf8') }] },
			);
		}
		const previous = fields.get(key);
		if (previous === undefined) fields.set(key, key === 'documents' ? [value] : value);
		else if (Array.isArray(previous)) previous.push(value);
		else fields.set(key, [previous, value]);
	}
	return Object.fromEntries(fields);
}

/**
 * The body, which must be UTF-8: JSON must be one object with at most MAX_FIELDS fields; a form is read
 * by `formFields`.
 */
const parse = createMiddleware<Env>(async (c, next) => {
	let bytes: ArrayBuffer;
	try {
		bytes = await c.req.arrayBuffer();
	} catch {
		throw incompleteBody();
	}
	let text: string;
	try {
		// As Request.text() decodes (a leading byte order mark dropped), but refusing bytes that are not
		// UTF-8, which it would turn into U+FFFD and so into the stored fields.
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw notUtf8();
	}
	if (mediaType(c) === JSON_TYPE) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch (error) {
			throw readerRefusal(400, 'invalid-json', {
				title: 'gateRefusal.invalidTitle',
				message: 'gateRefusal.invalidJson',
				values: { error: (error as Error).message.slice(0, 120) },
			});
		}
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
			throw readerRefusal(400, 'invalid-json', {
				title: 'gateRefusal.invalidTitle',
				message: 'gateRefusal.notAnObject',
			});
		const count = Object.keys(parsed).length;
		if (count > MAX_FIELDS) throw tooManyFields(count);
		c.set('body', parsed as Record<string, unknown>);
	} else c.set('body', formFields(text));
	await next();
});

/** Reads the body into `c.var.body`; put it before any middleware or handler that reads fields. */
export const readBody = every(jsonOrForm, sizeLimit, parse);

const MB = 1024 * 1024;

/**
 * Reads a file upload (multipart/form-data only, at most `maxBytes`, refused with 413 before it is read
 * when its declared length is larger) into `c.var.body`: text fields as text, each file as its bytes.
 * `what` names the upload in the refusals, e.g. "The PDF to trace".
 */
export function readUpload(maxBytes: number, what: string) {
	const multipartOnly = createMiddleware<Env>(async (c, next) => {
		const type = mediaType(c);
		if (type !== 'multipart/form-data')
			throw new GateError(
				415,
				'Unsupported request',
				`${what} is sent as multipart/form-data (a form with a file field), not "${type.slice(0, 60) || 'no Content-Type'}". Use the form on the page.`,
				'unsupported-media-type',
			);
		await next();
	});
	const limit = refusingIncomplete(
		bodyLimit({
			maxSize: maxBytes,
			onError: (c) => {
				const declared = Number(c.req.header('content-length'));
				throw new GateError(
					413,
					'File too large',
					`${what} may be at most ${maxBytes / MB} MB (${maxBytes} bytes)${Number.isFinite(declared) ? `, and this upload is ${declared} bytes` : ''}. A copy the gate served is far smaller: check that you chose the right file.`,
					'body-too-large',
				);
			},
		}),
	);
	const parseUpload = createMiddleware<Env>(async (c, next) => {
		let form: FormData;
		try {
			form = await c.req.formData();
		} catch {
			throw new GateError(
				400,
				'Invalid request',
				`${what} did not arrive as a readable multipart/form-data form. Use the form on the page and send it again.`,
				'invalid-upload',
			);
		}
		const fields = new Map<string, unknown>();
		for (const [key, value] of form) {
			if (fields.size >= MAX_FIELDS) throw tooManyFields();
			fields.set(
				key,
				typeof value === 'string' ? value : new Uint8Array(await value.arrayBuffer()),
			);
		}
		c.set('body', Object.fromEntries(fields));
		await next();
	});
	return every(multipartOnly, limit, parseUpload);
}
