import { z } from 'zod';
import { GRANT_DAYS_MAX } from './access-rules.ts';
import { describe } from './messages.ts';
import { STAFF_ROLES } from './staff.ts';
import { requestEmail } from './request-fields.ts';

/** The longest reason the security team may give; a denial's reason is mailed to the requester. */
export const REASON_MAX = 1000;
/** The largest PDF `trace` reads: many times a served whitepaper, and a bound on what the admin socket accepts. */
export const TRACE_PDF_MAX_BYTES = 48 * 1024 * 1024;

const received = (input: unknown) =>
	input === undefined || input === '' ? 'nothing' : describe(input);

/** An id the gate made, e.g. `req_1a2b3c4d5e6f7a8b`; the message says where to list them. */
function id(kind: 'request' | 'grant', prefix: string, list: string) {
	const message = (issue: { input?: unknown }) =>
		`expected one ${kind} id like ${prefix}_1a2b3c4d5e6f7a8b, received ${received(issue.input)}. List them with: npm run gate -- ${list}`;
	return z
		.string({ error: message })
		.regex(new RegExp(`^${prefix}_[0-9a-f]{16}$`), { error: message });
}

const REASON_REQUIRED =
	'--reason "…" is required; the requester is told it. Example: npm run gate -- deny req_… --reason "We only share reports with customers under contract."';

/** `--reason`: one line or more of text; for a denial it is mailed to the requester. */
const reason = z
	.string({
		error: (i) =>
			i.input === undefined
				? REASON_REQUIRED
				: `--reason expects text, received ${received(i.input)}.`,
	})
	.trim()
	.max(REASON_MAX, {
		error: (i) =>
			`--reason is ${String(i.input).length} characters long; keep it to ${REASON_MAX}.`,
	});

const days = (() => {
	const message = (issue: { input?: unknown }) =>
		`--days expects a whole number of days from 1 to ${GRANT_DAYS_MAX}, received ${received(issue.input)}.`;
	return z
		.int({ error: message })
		.min(1, { error: message })
		.max(GRANT_DAYS_MAX, { error: message });
})();

const path = (flag: string) =>
	z
		.string({ error: (i) => `${flag} expects a file name, received ${received(i.input)}.` })
		.min(1, { error: `${flag} expects a file name.` })
		.max(4096, { error: `${flag}: the file name is longer than 4096 characters.` });

/** An address an invitation may go to: something, one @, and a domain with a dot (the CLI and the console check it; the staff file decides who it may be). */
export const STAFF_EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** A staff member's address, with the command line (`example`) that the message shows. */
const staffEmail = (example: string) =>
	z
		.string({ error: (i) => `expected an e-mail address, received ${received(i.input)}.` })
		.trim()
		.max(254, { error: 'the e-mail address is longer than 254 characters.' })
		.regex(STAFF_EMAIL, {
			error: (i) =>
				`expected an e-mail address like ines@example.com, received ${received(i.input)}. Example: npm run gate -- ${example}`,
		});

const emailExpected = (issue: { input?: unknown }) =>
	`expected one email address like ada@fabrikam.com, received ${received(issue.input)}. Example: npm run gate -- subscribers remove ada@fabrikam.com`;

const KEYS_LIST = 'List them with: npm run gate -- keys list';

/** A subscriber's state, as `subscribers list --state` takes it. */
export const SUBSCRIBER_STATES = ['pending', 'active', 'unsubscribed', 'bouncing'] as const;

/**
 * A command of the security team's CLI (`npm run gate -- …`), as it crosses the admin socket: the CLI builds it
 * from its arguments and the gate checks it again with this same schema, so both sides hold the same bounds.
 * Each field's message is the one the CLI prints, after the command's name.
 */
export const CommandSchema = z.discriminatedUnion('name', [
	/** Prints the usage. */
	z.strictObject({ name: z.literal('help') }),
	/** Lists the requests waiting for review. */
	z.strictObject({ name: z.literal('requests') }),
	z.strictObject({
		name: z.literal('approve'),
		/** The request to approve. */
		id: id('request', 'req', 'requests'),
		/** How many days the grant lasts; default from access-rules.yaml, and capped by each document's maxDays. */
		days: days.optional(),
	}),
	z.strictObject({
		name: z.literal('deny'),
		/** The request to refuse. */
		id: id('request', 'req', 'requests'),
		/** Why; the requester is told it. */
		reason: reason.min(1, { error: REASON_REQUIRED }),
	}),
	z.strictObject({
		name: z.literal('revoke'),
		/** The grant to stop, with every link issued for it. */
		grant: id('grant', 'grant', 'grants'),
		/** Why, for the audit log. */
		reason: reason.optional(),
	}),
	z.strictObject({
		name: z.literal('resend'),
		/** The grant whose link is mailed again, with a fresh key: the link sent before stops working. */
		grant: id('grant', 'grant', 'grants'),
	}),
	/** Lists every grant with its state. */
	z.strictObject({ name: z.literal('grants') }),
	z.strictObject({
		name: z.literal('report'),
		/** Rows as JSON instead of text. */
		json: z.boolean({ error: 'json expects true or false.' }),
	}),
	z.strictObject({
		name: z.literal('trace'),
		/** The leaked file's name as the operator gave it, for the answer. */
		file: path('trace'),
		/** The file's bytes. */
		pdfBase64: z
			.string({ error: 'the file was not sent as base64 text.' })
			.max(Math.ceil(TRACE_PDF_MAX_BYTES / 3) * 4, {
				error: `the file is larger than ${TRACE_PDF_MAX_BYTES / 1024 / 1024} MB, more than trace reads; a copy the gate serves is far smaller.`,
				abort: true,
			})
			// Zod's own base64 check is ten times slower on a file of this size, on the gate's event loop.
			.regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: 'the file was not sent as base64 text.' }),
	}),
	z.strictObject({
		name: z.literal('audit-verify'),
		/** A head exported earlier, which the chain must still contain. */
		anchor: z
			.strictObject({
				/** Its sequence number. */
				seq: z
					.int({
						error: (i) => `the head's seq expects a whole number, received ${received(i.input)}.`,
					})
					.min(0),
				/** Its hash. */
				hash: z.string().regex(/^[0-9a-f]{64}$/, {
					error: (i) => `the head's hash expects 64 hex digits, received ${received(i.input)}.`,
				}),
				/** The export file it was read from, for the answer. */
				from: path('--against'),
			})
			.optional(),
	}),
	z.strictObject({
		name: z.literal('staff-invite'),
		/** The person's e-mail address; staff.yaml must name them (the gate checks it). */
		email: staffEmail('staff invite ines@example.com --role approver'),
		/** Their console role: at most, and by default, what staff.yaml gives them. */
		role: z
			.enum(STAFF_ROLES, {
				error: (i) =>
					`--role expects one of ${STAFF_ROLES.join(', ')}, received ${received(i.input)}.`,
			})
			.optional(),
	}),
	z.strictObject({
		name: z.literal('staff-cancel-invite'),
		/** The address whose open invitations are cancelled. */
		email: staffEmail('staff cancel-invite ines@example.com'),
	}),
	z.strictObject({
		name: z.literal('staff-end-sessions'),
		/** The person whose open console sessions end. */
		email: staffEmail('staff end-sessions ines@example.com'),
	}),
	z.strictObject({
		name: z.literal('staff-sessions'),
	}),
	z.strictObject({
		name: z.literal('audit-export'),
		/** Where the CLI writes the export; the gate only returns it. */
		out: path('--out').optional(),
	}),
	z.strictObject({
		name: z.literal('subscribers-list'),
		/** Only the subscribers in this state. */
		state: z
			.enum(SUBSCRIBER_STATES, {
				error: (i) =>
					`--state expects one of ${SUBSCRIBER_STATES.join(', ')}, received ${received(i.input)}.`,
			})
			.optional(),
	}),
	z.strictObject({
		name: z.literal('subscribers-export'),
		/** Where the CLI writes the CSV; the gate only returns it. */
		out: path('--out').optional(),
	}),
	z.strictObject({
		name: z.literal('subscribers-remove'),
		/** The address to remove and suppress. */
		email: z
			.string({ error: emailExpected })
			.refine((text) => requestEmail.safeParse(text).success, { error: emailExpected })
			.transform((text) => requestEmail.parse(text)),
	}),
	/** Lists the signing keys: id, fingerprint, state and age, never a secret. */
	z.strictObject({ name: z.literal('keys-list') }),
	/** Makes a new signing key, which signs from now on; the others keep verifying. */
	z.strictObject({ name: z.literal('keys-rotate') }),
	z.strictObject({
		name: z.literal('keys-retire'),
		/** The key that stops verifying; never the one that signs. */
		kid: z
			.string({ error: (i) => `expected one key id, received ${received(i.input)}. ${KEYS_LIST}` })
			.regex(/^[A-Za-z0-9_-]{1,64}$/, {
				error: (i) =>
					`expected one key id of letters, digits, "-" or "_", received ${received(i.input)}. ${KEYS_LIST}`,
			}),
		/** Retire it even though the next key took over less than two hours ago, breaking what it signed since. */
		now: z.boolean().optional(),
	}),
	z.strictObject({
		name: z.literal('notify'),
		/** Say what would be queued, and queue nothing. */
		dryRun: z.boolean({ error: 'dryRun expects true or false.' }),
	}),
]);

/** A parsed command; plain JSON so it can cross the admin socket. */
export type Command = z.output<typeof CommandSchema>;

/** The names of the commands, for the message about an unknown one. */
export const COMMAND_NAMES = CommandSchema.options.map((o) => o.shape.name.value);

/** What the CLI sends to the gate's admin socket: the command alone. Who sends it, the gate asks the kernel. */
export const AdminMessageSchema = z.strictObject({
	/** The command to run. */
	command: z.unknown(),
});
