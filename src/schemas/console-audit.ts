import { z } from 'zod';

/** An audit event type as the gate writes them: dotted lowercase words, e.g. `request.approved`. */
export const AUDIT_TYPE = /^[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*$/;

/**
 * The query of the console's audit log page, `/admin/audit/?type=request.approved&before=1234`. Other
 * parameters are ignored, as on the console's other pages.
 */
export const AuditPageQuerySchema = z.object({
	/** Show only entries of this type, e.g. `request.approved`. Empty or absent: every type. */
	type: z
		.string()
		.max(64, { error: 'is too long: an event type has at most 64 characters' })
		.refine((s) => s === '' || AUDIT_TYPE.test(s), {
			error: 'expected an event type like "request.approved" (lowercase words and dots)',
		})
		.transform((s) => s || undefined)
		.optional(),
	/** Show the entries numbered below this one: the page after one that ended there. Absent: the newest. */
	before: z
		.string()
		.regex(/^[1-9][0-9]{0,9}$/, { error: 'expected an entry number like 1234' })
		.transform(Number)
		.optional(),
});

export type AuditPageQuery = z.output<typeof AuditPageQuerySchema>;
