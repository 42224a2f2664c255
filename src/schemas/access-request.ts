import { z } from 'zod';
import { describeKind } from './messages.ts';

// Control and format characters (bidi overrides, zero-width joiners) let a name look like another in an
// approval list or an audit export, so single-line fields refuse them outright.
const HIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\u2028\u2029]/u;
const HIDDEN_MULTILINE = /[^\P{Cc}\n\t]|[\p{Cf}\p{Co}\p{Cn}]/u;

function text(max: number, multiline = false) {
	return z
		.string({
			error: (i) =>
				i.input === undefined ? 'is required' : `expected text, received ${describeKind(i.input)}`,
		})
		.refine((s) => s.isWellFormed(), {
			error: 'contains broken Unicode (a lone surrogate); retype it',
		})
		.transform((s) => s.normalize('NFC').trim())
		.refine((s) => !(multiline ? HIDDEN_MULTILINE : HIDDEN).test(s), {
			error: 'contains invisible or control characters; retype it without them',
		})
		.refine((s) => s.length <= max, { error: `is too long: at most ${max} characters` });
}

const required = (max: number) => text(max).refine((s) => s.length > 0, { error: 'is required' });

/** Truthy checkbox values a browser or a JSON client may send for "I accept on behalf of my company". */
const ACCEPTED = new Set(['on', 'yes', 'true', '1']);

/**
 * The body of `POST /api/access-requests`, as JSON or form data. Each field carries the message a
 * requester sees when it is wrong; `documents` are checked against the gate's catalogue.
 */
export function accessRequestSchema(documentIds: readonly string[]) {
	return z
		.strictObject({
			/** The requester's full name. */
			name: required(120),
			/** Work email; the confirmation link goes there and the rules match its domain. */
			email: text(254)
				.pipe(z.email({ error: 'is not an email address like ada@fabrikam.com' }))
				.transform((s) => s.toLowerCase()),
			/** The company the requester signs for. */
			company: required(160),
			/** Their role, e.g. "Procurement lead". */
			role: required(120),
			/** Ids of the documents wanted. */
			documents: z
				.union([z.string(), z.array(z.string())], { error: 'expected one or more document ids' })
				.transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
				.pipe(
					z
						.array(
							z.enum(documentIds as [string, ...string[]], {
								error: (i) =>
									`unknown document ${JSON.stringify(String(i.input).slice(0, 60))}; choose from ${documentIds.join(', ')}`,
							}),
						)
						.min(1, { error: 'choose at least one document' })
						.max(documentIds.length),
				),
			/** Optional: why they need the documents. */
			reason: text(2000, true).optional(),
			/** The full name typed again as a signature; must match `name`. */
			typedName: required(120),
			/** "I accept on behalf of my company". */
			accept: z
				.union([z.boolean(), z.string()], {
					error: 'tick "I accept on behalf of my company" to accept the NDA',
				})
				.refine((v) => v === true || (typeof v === 'string' && ACCEPTED.has(v.toLowerCase())), {
					error: 'tick "I accept on behalf of my company" to accept the NDA',
				}),
			/** The NDA version shown on the page. */
			ndaVersion: required(20),
			/** The SHA-256 of the NDA shown on the page. */
			ndaSha256: z.string({ error: 'is required' }).regex(/^[0-9a-f]{64}$/, {
				error: 'expected the 64-character SHA-256 from the request page',
			}),
			/** The anti-forgery token from the request page; checked before the schema. */
			csrf: z.string().optional(),
		})
		.refine(
			(r) =>
				r.typedName.toLowerCase().replace(/\s+/g, ' ') ===
				r.name.toLowerCase().replace(/\s+/g, ' '),
			{
				path: ['typedName'],
				error: 'type your full name exactly as in Name to sign',
			},
		);
}

export type AccessRequestInput = z.output<ReturnType<typeof accessRequestSchema>>;
