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
		// Entries are numbered by a 32-bit integer column (audit_log.seq).
		.refine((n) => n <= 2_147_483_647, { error: 'expected an entry number like 1234' })
		.optional(),
});

export type AuditPageQuery = z.output<typeof AuditPageQuerySchema>;

/** The line an audit export ends with (`npm run gate -- audit export`, or the console's export). */
const HeadLineSchema = z.object({
	head: z.object({
		/** The number of the log's newest entry when the export was made. */
		seq: z.number().int().positive(),
		/** That entry's hash: 64 lowercase hex digits. */
		hash: z.string().regex(/^[0-9a-f]{64}$/),
	}),
});

/** The head an audit export ends with, from its last line that is not blank; undefined when it has none. */
export function exportedHead(text: string): { seq: number; hash: string } | undefined {
	const last = text.trimEnd().split('\n').at(-1)?.trim() ?? '';
	try {
		const parsed = HeadLineSchema.safeParse(JSON.parse(last));
		return parsed.success ? parsed.data.head : undefined;
	} catch {
		return undefined; // Not JSON: no head.
	}
}

/** What the verify form says of a head it cannot read. */
const HEAD_ERROR =
	'expected the last line of an audit export, like {"head":{"seq":42,"hash":"…"}}: copy it from the end of a file made with “Export as JSON Lines” or npm run gate -- audit export';

/** The verify form of the console's audit log (`POST /admin/audit/verify`). */
export const AuditVerifyFormSchema = z.object({
	/**
	 * Optional: the last line of an earlier export. The log must still hold the entry it names, with
	 * that hash, which shows a tail cut off the log. Empty or absent: the chain alone is checked.
	 */
	head: z
		.string()
		.max(300, { error: HEAD_ERROR })
		.transform((text, ctx) => {
			if (text.trim() === '') return undefined;
			const head = exportedHead(text);
			if (!head) ctx.addIssue({ code: 'custom', message: HEAD_ERROR });
			return head;
		})
		.optional(),
	/** The console's anti-forgery token; checked before the schema. */
	csrf: z.string().optional(),
});
