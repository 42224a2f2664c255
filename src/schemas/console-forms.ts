import { z } from 'zod';
import { blankIsAbsent } from './console-filters.ts';
import { describe } from './messages.ts';
import { requestText } from './request-fields.ts';
import { STAFF_ROLES } from './staff.ts';

// The console's decision forms, as a browser posts them (every field text, `documents` a list) or as a
// script posts them in JSON. The console's form token is checked before these schemas.

/** The console's anti-forgery token; checked before the schema. */
const csrf = z.string().optional();

/** Why staff decided as they did: 3 to 500 characters of plain text; `readBy` says who reads it. */
const reason = (readBy: string) =>
	z.preprocess(
		(v) => v ?? '',
		requestText(500, true).refine((s) => s.length >= 3, {
			error: `expected a reason of 3 to 500 characters${readBy}`,
		}),
	);

/** What the approval says of days it cannot take. */
const daysError = (i: { input: unknown }) =>
	`expected a whole number of days from 1 to 730, received ${describe(i.input)}`;

/** The approve form of a waiting request (`POST /admin/requests/<id>/approve`). */
export const ApproveFormSchema = z.object({
	/**
	 * How many days the grant runs: 1 to 730, as text (a form) or a number (JSON). A document's `maxDays`
	 * in access-rules.yaml shortens it.
	 */
	days: z.preprocess(
		(v) => (typeof v === 'string' && /^\s*\d{1,4}\s*$/.test(v) ? Number(v) : v),
		z
			.number({ error: daysError })
			.refine((n) => Number.isInteger(n) && n >= 1 && n <= 730, { error: daysError }),
	),
	/** The ids of the documents to grant, each one the request waits for. None chosen is refused by the approval. */
	documents: z
		.array(z.string(), {
			error: (i) =>
				`expected the ids of documents the request waits for, received ${describe(i.input)}`,
		})
		.default([]),
	csrf,
});

/** The deny form of a waiting request (`POST /admin/requests/<id>/deny`). */
export const DenyFormSchema = z.object({
	/** Why the request is denied; mailed to the requester. */
	reason: reason('; the requester reads it'),
	csrf,
});

/** The revoke form of a grant (`POST /admin/grants/<id>/revoke`). */
export const RevokeFormSchema = z.object({
	/** Why the grant is revoked; kept in the audit log and shown on the grants page. */
	reason: reason(''),
	csrf,
});

/** The invite form of the staff page (`POST /admin/staff/invite`). */
export const InviteFormSchema = z.object({
	/** The address to invite; the invitation checks it is an address, and that staff.yaml knows it. */
	email: z.preprocess((v) => v ?? '', requestText(254)),
	/** Optional: the role to give, at most the one staff.yaml gives. Default (empty): that role. */
	role: z.preprocess(
		blankIsAbsent,
		z
			.enum(STAFF_ROLES, {
				error: (i) =>
					`expected one of ${STAFF_ROLES.join(', ')} (or nothing for the role staff.yaml gives), received ${describe(i.input)}`,
			})
			.optional(),
	),
	csrf,
});
