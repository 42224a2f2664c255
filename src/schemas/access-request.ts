import { z } from 'zod';
import { ENGLISH } from '../lib/words/words.ts';
import { requestEmail, requestText } from './request-fields.ts';

const required = (max: number) =>
	requestText(max).refine((s) => s.length > 0, { error: ENGLISH('fieldProblem.required') });

/** Truthy checkbox values a browser or a JSON client may send for "I accept on behalf of my company". */
const ACCEPTED = new Set(['on', 'yes', 'true', '1']);

const TICK = ENGLISH('fieldProblem.tick');
const sameName = (a: string, b: string) =>
	a.toLowerCase().replace(/\s+/g, ' ') === b.toLowerCase().replace(/\s+/g, ' ');

/**
 * The body of `POST /api/access-requests`, as JSON or form data. Each field carries the message a
 * requester sees when it is wrong; `documents` are checked against the gate's catalogue. The NDA's
 * acceptance and signature are required unless `ndaWaived(email)` (an access rule with `nda: waived`);
 * such a requester may still sign.
 */
export function accessRequestSchema(
	documentIds: readonly string[],
	ndaWaived: (email: string) => boolean = () => false,
) {
	return z
		.strictObject({
			/** The requester's full name. */
			name: required(120),
			/** Work email; the confirmation link goes there and the rules match its domain. */
			email: requestEmail,
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
								error: `includes an unknown document; choose from ${documentIds.join(', ')}`,
							}),
						)
						.min(1, { error: ENGLISH('fieldProblem.chooseDocument') })
						.max(documentIds.length),
				),
			/** Optional: why they need the documents. */
			reason: requestText(2000, true).optional(),
			/** The full name typed again as a signature; must match `name`. Blank only when the NDA is waived. */
			typedName: requestText(120).optional(),
			/** "I accept on behalf of my company": true when ticked. Unticked only when the NDA is waived. */
			accept: z
				.union([z.boolean(), z.string()], { error: TICK })
				.optional()
				.transform((v) => v === true || (typeof v === 'string' && ACCEPTED.has(v.toLowerCase()))),
			/** The NDA version shown on the page. */
			ndaVersion: required(20),
			/** The SHA-256 of the NDA shown on the page. */
			ndaSha256: z.string({ error: ENGLISH('fieldProblem.required') }).regex(/^[0-9a-f]{64}$/, {
				error: 'expected the 64-character SHA-256 from the request page',
			}),
			/** The anti-forgery token from the request page; checked before the schema. */
			csrf: z.string().optional(),
		})
		.superRefine(
			(r, ctx) => {
				// Runs even when other fields are wrong, so that every problem is listed at once; a field
				// that is wrong already gets no second message.
				const wrong = (field: string) => ctx.issues.some((i) => i.path?.[0] === field);
				const typed = typeof r.typedName === 'string' ? r.typedName : '';
				const waived = !wrong('email') && ndaWaived(r.email);
				// A waived requester who starts to sign (a name or the tick) signs in full.
				if (waived && !typed && r.accept !== true) return;
				if (!wrong('typedName')) {
					if (!typed)
						ctx.addIssue({
							code: 'custom',
							path: ['typedName'],
							message: ENGLISH('fieldProblem.required'),
						});
					else if (!wrong('name') && !sameName(typed, r.name))
						ctx.addIssue({
							code: 'custom',
							path: ['typedName'],
							message: ENGLISH('fieldProblem.typedName'),
						});
				}
				if (!wrong('accept') && r.accept !== true)
					ctx.addIssue({ code: 'custom', path: ['accept'], message: TICK });
			},
			{ when: () => true },
		);
}

export type AccessRequestInput = z.output<ReturnType<typeof accessRequestSchema>>;
