// The security team's commands (`npm run gate -- …`), as data: parsed on the operator's side, executed
// where the database is (in this process, or in a running gate through its admin socket).
import { readFileSync } from 'node:fs';
import { quoteRequester } from '../lib/requester-text.ts';
import { GateError } from '../errors.ts';
import { exportAudit, recordExport, recordVerification, verifyAudit } from '../services/audit.ts';
import type { Gate } from '../services/gate.ts';
import { listGrants, resendGrant, revoke } from '../services/grants.ts';
import { report, trace, untraced, type TracedDownload } from '../services/reports.ts';
import { approve, deny, pendingRequests } from '../services/requests.ts';
import { cancelInvites, inviteStaff } from '../services/passkeys.ts';
import {
	endSessions,
	openSessions,
	OPEN_SESSIONS_SHOWN,
	SIGNIN_METHOD_NAMES,
} from '../services/staff-sessions.ts';
import type { MailFailure, MailOutcome } from '../services/mail.ts';
import { CHECK_MAIL_SETTINGS } from '../mail/mailer.ts';
import {
	COMMAND_NAMES,
	CommandSchema,
	TRACE_PDF_MAX_BYTES,
	type Command,
} from '../../schemas/gate-command.ts';
import { readHead } from '../../lib/files.ts';
import { exportedHead } from '../../schemas/console-audit.ts';
import { describe, parseFriendly } from '../../schemas/messages.ts';

export type { Command } from '../../schemas/gate-command.ts';
import { describeDiscovery, discover } from '../services/notify.ts';
import { keyAgeDays } from '../services/dashboard.ts';
import {
	KEY_REFRESH_MS,
	listKeys,
	replacedAt,
	retirable,
	retireKey,
	rotateKey,
	SIGNED_LIFETIME_MS,
} from '../services/keys.ts';
import {
	listSubscribers,
	removeSubscriber,
	subscriberCounts,
	type SubscriberRecord,
} from '../services/subscribers.ts';
import { renderCsv } from '../../lib/csv.ts';
import { utcMinute } from '../../lib/dates.ts';
import { SUBSCRIPTION_TOPICS } from '../../schemas/update.ts';
import { SUBSCRIBER_STATES } from '../../schemas/gate-command.ts';

/** The columns of `subscribers export`. */
const SUBSCRIBER_COLUMNS = [
	'email',
	'state',
	'topics',
	'createdAt',
	'confirmedAt',
	'unsubscribedAt',
	'bounces',
	'lastBounce',
] as const satisfies ReadonlyArray<keyof SubscriberRecord>;

/** What a command printed, and its exit code. */
export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

export const USAGE = `Usage: npm run gate -- <command>

  requests                         requests waiting for review, with details
  approve <request> [--days N]     grant what a request waits for (N days; default from access-rules.yaml)
  deny <request> --reason "…"      refuse it; the requester is told the reason
  revoke <grant> [--reason "…"]    stop a grant at once: its page and every issued link
  resend <grant>                   mail a grant's link again with a fresh key; the link sent before stops working
  grants                           every grant, with its state
  report [--json]                  who downloaded what, when and how often, by company
  trace <file.pdf>                 name the download (and so the recipient) of a leaked copy
  audit verify [--against <export.jsonl>]
                                   check the whole hash chain (and that an exported head is still there)
  audit export [--out <file.jsonl>]  the audit log as JSONL (to stdout, or the file), ending with its head hash
  staff invite <email> [--role viewer|approver|admin]
                                   e-mail a one-time link (24 hours) to register a console passkey; the
                                   role defaults to, and cannot exceed, what staff.yaml gives them
  staff cancel-invite <email>      cancel the open invitations of an address: their links open nothing more
  staff sessions                   who is signed in to the console now: how, since when, last active, from where
  staff end-sessions <email>       sign a person out of the console everywhere, at once (then remove them
                                   from staff.yaml to keep them out)
  subscribers list [--state <state>]
                                   subscribers with state and topics, and the counts (state: ${SUBSCRIBER_STATES.join(', ')})
  subscribers export [--out <file.csv>]
                                   every subscriber as CSV (to stdout, or the file)
  subscribers remove <email>       delete an address's subscription and delivery records; a hash of it keeps it from being mailed or added back
  keys list                        the signing keys: id, fingerprint, state, age (never a secret)
  keys rotate                      a new random key signs from now on; the others keep verifying
  keys retire <kid> [--now]        a key that no longer signs stops verifying: what it signed stops working;
                                   refused until two hours after the next key took over, unless --now
  notify [--dry-run]               queue the mails of what is new in dist/ (the gate also looks at start and after every build)`;

/**
 * Checks a command against {@link CommandSchema}: the CLI's parsed arguments, and again in the gate for what
 * arrives on the admin socket, so both sides hold the same bounds. The error names the command, then each
 * problem, as the CLI prints it.
 */
export function checkCommand(
	input: unknown,
): { ok: true; command: Command } | { ok: false; error: string } {
	const name = typeof input === 'object' && input ? (input as { name?: unknown }).name : undefined;
	if (typeof name !== 'string' || !(COMMAND_NAMES as readonly string[]).includes(name))
		return {
			ok: false,
			error: `unknown command ${describe(name)}; expected one of ${COMMAND_NAMES.join(', ')}.`,
		};
	const parsed = parseFriendly(CommandSchema, input, 'is not an option of this command');
	if (parsed.ok) return { ok: true, command: parsed.data };
	return {
		ok: false,
		error: parsed.issues
			.map((issue) =>
				issue.kind === 'unknown'
					? `${commandLabel(name)}: ${JSON.stringify(String(issue.path.at(-1)))} is not an option of ${commandLabel(name)}.`
					: `${commandLabel(name)}: ${issue.message}`,
			)
			.join('\n'),
	};
}

/** The options each command takes, by the name the operator types; {@link SWITCHES} take no value. */
const OPTIONS: Readonly<Record<string, readonly string[]>> = {
	requests: [],
	grants: [],
	report: ['--json'],
	approve: ['--days'],
	deny: ['--reason'],
	revoke: ['--reason'],
	resend: [],
	trace: [],
	'audit verify': ['--against'],
	'audit export': ['--out'],
	'staff invite': ['--role'],
	'staff cancel-invite': [],
	'staff end-sessions': [],
	'staff sessions': [],
	'subscribers list': ['--state'],
	'subscribers export': ['--out'],
	'subscribers remove': [],
	'keys list': [],
	'keys rotate': [],
	'keys retire': ['--now'],
	notify: ['--dry-run'],
};
/** Every command, as the operator types it. */
export const TYPED_COMMANDS: readonly string[] = Object.keys(OPTIONS);
const SWITCHES = new Set(['--json', '--dry-run', '--now']);
/** Commands typed as two words: `audit export`, `staff invite`… */
const GROUPS = new Set(['audit', 'staff', 'subscribers', 'keys']);

/**
 * Reads a file named on the command line: whole, or its first `limit` bytes when given. `trace` asks for
 * one byte more than it takes, which is enough to refuse a larger file without reading it all (a
 * mistyped `/dev/zero` would never end).
 */
export const readArgumentFile = (path: string, limit?: number): Buffer =>
	limit === undefined ? readFileSync(path) : readHead(path, limit);

/**
 * Parses argv into a command, or an error message that says how to call it. `readFile` reads trace and
 * anchor files (readArgumentFile).
 */
export function parseCommand(
	argv: readonly string[],
	readFile: (path: string, limit?: number) => Buffer,
): { ok: true; command: Command } | { ok: false; error: string } {
	const wrong = (error: string) => ({ ok: false as const, error });
	const [name, ...rest] = argv;
	const flags = new Map<string, string | undefined>();
	const positional: string[] = [];
	const twice = new Set<string>();
	for (let i = 0; i < rest.length; i++) {
		const arg = rest[i]!;
		if (flags.has(arg)) twice.add(arg);
		if (SWITCHES.has(arg)) flags.set(arg, '');
		else if (arg.startsWith('--')) {
			const value = rest[i + 1];
			if (value === undefined || value.startsWith('--')) flags.set(arg, undefined);
			else {
				flags.set(arg, value);
				i++;
			}
		} else positional.push(arg);
	}
	// A flag the command does not take is refused before anything runs: a misspelt --days or --reason
	// would otherwise approve with the default length, or revoke with no reason.
	const typed = name && GROUPS.has(name) ? `${name} ${positional[0] ?? ''}` : name;
	const takes = typed !== undefined && Object.hasOwn(OPTIONS, typed) ? OPTIONS[typed] : undefined;
	if (takes) {
		const unknown = [...flags.keys()].filter((flag) => !takes.includes(flag));
		if (unknown.length > 0)
			return wrong(
				`${typed}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of ${typed}; ${takes.length ? `it takes ${takes.join(', ')}` : 'it takes none'}.`,
			);
	}
	// Which of two --reason or --days was meant is not for the gate to guess: the mail or grant would say the other.
	if (takes && twice.size > 0)
		return wrong(
			`${typed}: ${[...twice].join(', ')} ${twice.size === 1 ? 'is' : 'are'} given twice; give each once.`,
		);
	const valueless = takes && [...flags].find(([, value]) => value === undefined);
	if (valueless) return wrong(`${valueless[0]} needs a value.\n\n${USAGE}`);
	// Anything but exactly one id is passed on as typed, so that the schema's message shows what was received.
	const one = positional.join(' ');
	// Written in digits only: Number() would also read 0x10 as 16 and 1e1 as 10.
	const number = (text: string | undefined) =>
		text !== undefined && /^\s*\d{1,15}\s*$/.test(text) ? Number(text) : text;
	switch (name) {
		case undefined:
		case 'help':
		case '--help':
			return checkCommand({ name: 'help' });
		case 'requests':
		case 'grants':
			return checkCommand({ name });
		case 'report':
			return checkCommand({ name: 'report', json: flags.has('--json') });
		case 'approve':
			return checkCommand({ name, id: one, days: number(flags.get('--days')) });
		case 'deny':
			return checkCommand({ name, id: one, reason: flags.get('--reason') });
		case 'revoke':
			return checkCommand({ name, grant: one, reason: flags.get('--reason') });
		case 'resend':
			return checkCommand({ name, grant: one });
		case 'trace': {
			if (positional.length !== 1)
				return wrong('trace: expected one PDF file. Example: npm run gate -- trace leaked.pdf');
			try {
				return checkCommand({
					name,
					file: one,
					pdfBase64: readFile(one, TRACE_PDF_MAX_BYTES + 1).toString('base64'),
				});
			} catch (error) {
				return wrong(
					`trace: cannot read ${one}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
				);
			}
		}
		case 'audit': {
			const [sub] = positional;
			if (sub === 'export') return checkCommand({ name: 'audit-export', out: flags.get('--out') });
			if (sub !== 'verify')
				return wrong(
					`audit: expected "verify" or "export", received ${JSON.stringify(sub ?? '(nothing)')}.\n\n${USAGE}`,
				);
			const against = flags.get('--against');
			if (!against) return checkCommand({ name: 'audit-verify' });
			let text: string;
			try {
				text = readFile(against).toString('utf8');
			} catch (error) {
				return wrong(
					`audit verify: cannot read ${against}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
				);
			}
			const head = exportedHead(text);
			if (head) return checkCommand({ name: 'audit-verify', anchor: { ...head, from: against } });
			return wrong(
				`audit verify: ${against} does not end with a head line like {"head":{"seq":42,"hash":"…"}}. Use a file written by: npm run gate -- audit export`,
			);
		}
		case 'staff': {
			const [sub, email, ...extra] = positional;
			if (sub === 'invite' && email && extra.length === 0)
				return checkCommand({ name: 'staff-invite', email, role: flags.get('--role') });
			if (sub === 'cancel-invite' && email && extra.length === 0)
				return checkCommand({ name: 'staff-cancel-invite', email });
			if (sub === 'end-sessions' && email && extra.length === 0)
				return checkCommand({ name: 'staff-end-sessions', email });
			if (sub === 'sessions' && !email) return checkCommand({ name: 'staff-sessions' });
			return wrong(
				`staff: expected "invite <email>", "cancel-invite <email>", "sessions" or "end-sessions <email>", received ${JSON.stringify(positional.join(' ') || '(nothing)')}. Example: npm run gate -- staff invite ada@example.com --role approver`,
			);
		}
		case 'subscribers': {
			const [sub, ...args] = positional;
			if (sub === 'list' && args.length === 0)
				return checkCommand({ name: 'subscribers-list', state: flags.get('--state') });
			if (sub === 'export' && args.length === 0)
				return checkCommand({ name: 'subscribers-export', out: flags.get('--out') });
			if (sub === 'remove')
				return checkCommand({ name: 'subscribers-remove', email: args.join(' ') });
			return wrong(
				`subscribers: expected "list", "export" or "remove <email>", received ${JSON.stringify(positional.join(' ') || '(nothing)')}.\n\n${USAGE}`,
			);
		}
		case 'keys': {
			const [sub, ...args] = positional;
			if (sub === 'list' && args.length === 0) return checkCommand({ name: 'keys-list' });
			if (sub === 'rotate' && args.length === 0) return checkCommand({ name: 'keys-rotate' });
			if (sub === 'retire')
				return checkCommand({
					name: 'keys-retire',
					kid: args.join(' '),
					...(flags.has('--now') ? { now: true } : {}),
				});
			return wrong(
				`keys: expected "list", "rotate" or "retire <kid>", received ${JSON.stringify(positional.join(' ') || '(nothing)')}.\n\n${USAGE}`,
			);
		}
		case 'notify':
			if (positional.length > 0)
				return wrong(
					`notify: takes no arguments besides --dry-run, received ${JSON.stringify(one)}.`,
				);
			return checkCommand({ name: 'notify', dryRun: flags.has('--dry-run') });
		default:
			return wrong(`Unknown command "${name}".\n\n${USAGE}`);
	}
}

const day = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

/** The commands that mail someone: they need the gate's SMTP_URL and GATE_PUBLIC_URL wherever they run. */
const MAILING: ReadonlySet<Command['name']> = new Set([
	'approve',
	'deny',
	'resend',
	'staff-invite',
]);

/**
 * Why a command that mails someone must not run in this process, or undefined when it may. With PostgreSQL
 * the CLI opens the database itself, with this shell's environment: without the gate's SMTP_URL its mail
 * would go to the local outbox, and without GATE_PUBLIC_URL its links would point to localhost.
 */
export function mailingRefusal(command: Command, env: NodeJS.ProcessEnv): string | undefined {
	if (!env['DATABASE_URL'] || !MAILING.has(command.name)) return undefined;
	const missing = ['GATE_PUBLIC_URL', 'SMTP_URL'].filter((name) => !env[name]);
	if (missing.length === 0) return undefined;
	return `${commandLabel(command.name)}: this command e-mails someone, and this shell has no ${missing.join(' and ')}. With PostgreSQL (DATABASE_URL) the CLI does not go through the running gate: it opens the database itself with this shell's environment, so the mail would go to data/outbox/ on this machine${missing.includes('GATE_PUBLIC_URL') ? ', with links to http://localhost' : ''}. Nothing was done. Run the CLI with the gate's environment: DATABASE_URL, GATE_PUBLIC_URL, SMTP_URL and MAIL_FROM (and GATE_ADMIN_URL if the gate has one).`;
}

/** A command's name as the operator types it: `staff invite`, not `staff-invite`. */
export const commandLabel = (name: string): string => name.replace('-', ' ');

/**
 * Runs a command against the gate; `actor` (e.g. `cli:alice`) goes into the audit log. `runsIn` says whose
 * settings the mailer has, for the answer when a mail went to the outbox instead of a mail server: the
 * running gate's (through its admin socket), or the shell's (the CLI opened the database itself).
 */
export async function executeCommand(
	gate: Gate,
	command: Command,
	actor: string,
	runsIn: 'gate' | 'shell' = 'gate',
): Promise<CommandResult> {
	/** What happened to a mail, in words: "<who> has been e-mailed", or where it was written instead. */
	const mailed = (mail: MailOutcome, emailed: string) =>
		mail.via === 'smtp'
			? emailed
			: `The mail was written to ${mail.file ?? 'the outbox'}, not e-mailed: ${runsIn === 'shell' ? 'this shell has no SMTP_URL' : 'the gate runs without SMTP_URL'}.`;
	const ok = (stdout: string): CommandResult => ({
		code: 0,
		stdout: stdout.endsWith('\n') ? stdout : `${stdout}\n`,
		stderr: '',
	});
	/**
	 * What was done (`done`), then what became of its mail: how it left, or (exit code 1) that it failed,
	 * what the mailer said, and `then`: what the operator does about it.
	 */
	const withMail = (
		done: string,
		mail: MailOutcome | MailFailure,
		what: string,
		sent: string,
		then: (to: string) => string,
	): CommandResult =>
		mail.via === 'failed'
			? {
					code: 1,
					stdout: `${done}\n`,
					stderr: `The e-mail to ${mail.to} with ${what} was not sent. The mailer said: “${mail.said}”. ${then(mail.to)}\n`,
				}
			: ok(`${done} ${mailed(mail, sent)}`);
	try {
		switch (command.name) {
			case 'help':
				return ok(USAGE);
			case 'requests': {
				const list = await pendingRequests(gate);
				if (list.length === 0) return ok('No requests wait for review.');
				return ok(
					list
						.map((r) =>
							[
								`${r.id}  ${day(r.createdAt)} UTC  ${r.status === 'partial' ? 'partly approved, rest waits' : 'waits for review'}`,
								`  ${r.name} <${r.email}>, ${r.role} at ${r.company}`,
								`  wants:  ${r.documents.join(', ')}`,
								`  reason: ${r.reason ? quoteRequester(r.reason) : '(none given)'}`,
								`  why:    ${r.rule ?? ''}`,
								`  NDA:    ${r.ndaWaivedBy ? `waived by rule "${r.ndaWaivedBy}"` : 'accepted and signed'}`,
							].join('\n'),
						)
						.join('\n\n'),
				);
			}
			case 'approve': {
				const done = await approve(gate, command.id, actor, command.days);
				return withMail(
					`Approved ${command.id}: grant ${done.grant} for ${done.documents.join(', ')}, ${done.days} days${done.capped ? ' (capped by maxDays in access-rules.yaml)' : ''}.`,
					done.mail,
					'the download link',
					'The requester has been emailed.',
					() =>
						`The approval stands: do not approve again. Once the mail server takes mail (${CHECK_MAIL_SETTINGS}), send a new link with: npm run gate -- resend ${done.grant}`,
				);
			}
			case 'deny': {
				const done = await deny(gate, command.id, actor, command.reason);
				return withMail(
					`Denied ${command.id}.`,
					done.mail,
					'the reason',
					'The requester has been emailed the reason.',
					(to) =>
						`The denial stands: do not deny again. They have not been told yet: write to them yourself at ${to}.`,
				);
			}
			case 'revoke':
				await revoke(gate, command.grant, actor, command.reason);
				return ok(
					`Revoked ${command.grant}. Its page and every link issued for it stop working now.`,
				);
			case 'resend': {
				const done = await resendGrant(gate, command.grant, actor);
				return withMail(
					`Grant ${command.grant} has a new link, and the link sent before no longer works.`,
					done.mail,
					'the new link',
					`It was e-mailed to ${done.email}.`,
					() =>
						`Once the mail server takes mail (${CHECK_MAIL_SETTINGS}), run this again: npm run gate -- resend ${command.grant}`,
				);
			}
			case 'grants': {
				const list = await listGrants(gate);
				if (list.length === 0) return ok('No grants yet.');
				const now = gate.now().getTime();
				return ok(
					list
						.map(
							(g) =>
								`${g.id}  ${g.revokedAt ? `revoked ${day(g.revokedAt)}` : g.expiresAt.getTime() < now ? `expired ${day(g.expiresAt)}` : `until ${day(g.expiresAt)}`}  ${g.company} <${g.email}>  ${g.documents.join(', ')}`,
						)
						.join('\n'),
				);
			}
			case 'report': {
				const rows = await report(gate);
				if (command.json) return ok(JSON.stringify(rows, null, 2));
				if (rows.length === 0) return ok('No downloads yet.');
				const byCompany = Map.groupBy(rows, (r) => r.company);
				return ok(
					[...byCompany]
						.map(
							([company, list]) =>
								`${company}: ${list.reduce((n, r) => n + r.downloads, 0)} downloads\n${list.map((r) => `  ${r.name} <${r.email}>  ${r.document}  ×${r.downloads}  first ${day(r.first)}, last ${day(r.last)} UTC`).join('\n')}`,
						)
						.join('\n\n'),
				);
			}
			case 'trace': {
				const found = await trace(gate, Buffer.from(command.pdfBase64, 'base64'), actor);
				if (found.match === 'refused')
					return { code: 1, stdout: '', stderr: `${command.file}: not traced: ${found.reason}\n` };
				if (found.match === 'none')
					return {
						code: 1,
						stdout: '',
						stderr: `${command.file}: not identified. ${untraced(found.fingerprints)}\n`,
					};
				const recipient = (d: TracedDownload) =>
					`  recipient: ${d.name} <${d.email}>, ${d.company}\n  document:  ${d.document}\n  when:      ${d.at.toISOString()}\n  grant:     ${d.grant}`;
				const [d, ...more] = found.downloads;
				if (more.length > 0)
					return ok(
						`${command.file} holds pages of ${found.downloads.length} copies, each named by its hidden fingerprint:\n${found.downloads.map((copy) => `download ${copy.id}:\n${recipient(copy)}`).join('\n')}`,
					);
				const how =
					found.match === 'exact'
						? 'an exact copy (same SHA-256)'
						: 'a modified copy, identified by its hidden fingerprint';
				return ok(`${command.file} is ${how} of download ${d.id}:\n${recipient(d)}`);
			}
			case 'audit-verify': {
				const check = await verifyAudit(gate.db, { anchor: command.anchor });
				await recordVerification(gate.db, actor, check, gate.now(), command.anchor);
				if (!check.ok)
					return {
						code: 1,
						stdout: '',
						stderr: `Audit chain BROKEN at entry #${check.seq}: ${check.reason}. The ${check.count} entries before it verify.\n`,
					};
				if (check.anchorProblem)
					return {
						code: 1,
						stdout: '',
						stderr: `Audit chain verifies, but not against ${command.anchor!.from}: ${check.anchorProblem}.\n`,
					};
				return ok(
					`Audit chain OK: ${check.count} entries${check.head ? `, head #${check.head.seq} ${check.head.hash}` : ''}${command.anchor ? `; contains the exported head #${command.anchor.seq}` : ''}.`,
				);
			}
			case 'staff-invite': {
				const sent = await inviteStaff(gate, command.email, command.role, actor);
				const invited = `Invited ${sent.email} as ${sent.role}. The enrolment link works once, until ${utcMinute(sent.expiresAt)}`;
				if (sent.mail.via === 'failed')
					return withMail(
						`${invited}:\n${sent.link}`,
						sent.mail,
						'the enrolment link',
						'',
						() =>
							'Give them the link above yourself, or invite them again once the mail server takes mail.',
					);
				return ok(
					`${invited}${sent.mail.via === 'smtp' ? ', and was e-mailed to them' : `. ${mailed(sent.mail, '')}\nGive them the link yourself`}:\n${sent.link}`,
				);
			}
			case 'staff-cancel-invite': {
				const cancelled = await cancelInvites(gate, { email: command.email }, actor);
				return ok(
					`Cancelled ${cancelled.length} open invitation(s) of ${cancelled[0]!.email}: their links open nothing more.`,
				);
			}
			case 'staff-end-sessions': {
				const ended = await endSessions(gate, { email: command.email }, actor);
				return ok(
					`Ended ${ended.length} console session(s) of ${ended[0]!.email}: their browsers are signed out. To keep them out, also remove them from ${gate.config.staffFile}.`,
				);
			}
			case 'staff-sessions': {
				const open = await openSessions(gate, gate.sessionLimits);
				if (open.length === 0) return ok('Nobody is signed in to the console.');
				const shown =
					open.length === OPEN_SESSIONS_SHOWN ? ` (the first ${OPEN_SESSIONS_SHOWN})` : '';
				return ok(
					`${open
						.map(
							(s) =>
								`${s.email}${s.name && s.name !== s.email ? ` (${s.name})` : ''}  ${SIGNIN_METHOD_NAMES[s.method]}  since ${utcMinute(s.createdAt)}  last active ${utcMinute(s.lastSeenAt)}  from ${s.ip}  session ${s.id}`,
						)
						.join(
							'\n',
						)}\n\n${open.length} open console session(s)${shown}, most recently active first. End a person's: npm run gate -- staff end-sessions <email>`,
				);
			}
			case 'subscribers-list': {
				const [list, counts] = await Promise.all([
					listSubscribers(gate, { state: command.state }),
					subscriberCounts(gate),
				]);
				const summary = `${SUBSCRIBER_STATES.map((s) => `${counts.byState[s]} ${s}`).join(', ')}; ${counts.suppressed} removed address(es) suppressed.\nActive by topic: ${SUBSCRIPTION_TOPICS.map((t) => `${t} ${counts.byTopic[t]}`).join(', ')}.`;
				if (list.length === 0)
					return ok(
						`No subscribers${command.state ? ` in state ${command.state}` : ''}.\n${summary}`,
					);
				return ok(
					`${list
						.map(
							(r) =>
								`${r.email}  ${r.state}${r.state === 'bouncing' || r.bounces ? ` (${r.bounces} failure(s): ${r.lastBounce ?? ''})` : ''}  ${r.topics.join(', ')}  since ${day(r.confirmedAt ?? r.createdAt)} UTC`,
						)
						.join('\n')}\n\n${summary}`,
				);
			}
			case 'subscribers-export': {
				const list = await listSubscribers(gate);
				return ok(
					renderCsv(SUBSCRIBER_COLUMNS, list, (r, c) => {
						const value = r[c];
						return value instanceof Date ? value.toISOString() : value;
					}),
				);
			}
			case 'subscribers-remove': {
				const done = await removeSubscriber(gate, command.email, actor);
				return ok(
					done.existed
						? `Removed ${command.email}: its subscription and delivery records are deleted. A salted hash of its mailbox is kept so it (or a +tag of it) is never mailed or added back by the form.`
						: `${command.email} had no subscription. ${done.alreadySuppressed ? 'It was already suppressed.' : 'Its hash is now kept so it is never mailed or added back by the form.'}`,
				);
			}
			case 'notify': {
				const report = await discover(gate, actor, { dryRun: command.dryRun });
				return ok(describeDiscovery(report));
			}
			case 'keys-list': {
				const now = gate.now();
				return ok(
					(await listKeys(gate))
						.map((k) =>
							[
								k.kid,
								k.fingerprint,
								{ signs: 'signs new links', verifies: 'verifies only', retired: 'retired' }[
									k.state
								],
								k.source,
								k.createdAt
									? `made ${day(k.createdAt)} UTC (${keyAgeDays(k.createdAt, now)} days ago)${k.createdBy ? ` by ${k.createdBy}` : ''}`
									: 'made (date unknown)',
								k.retiredAt ? `retired ${day(k.retiredAt)} UTC by ${k.retiredBy ?? 'unknown'}` : '',
							]
								.filter(Boolean)
								.join('  '),
						)
						.join('\n'),
				);
			}
			case 'keys-rotate': {
				const made = await rotateKey(gate, actor);
				return ok(
					`Rotated: key ${made.kid} (fingerprint ${made.fingerprint}) signs new links from now on${made.previous ? `; ${made.previous} and the other keys keep verifying until you retire them` : ''}. Other replicas sign with it within ${KEY_REFRESH_MS / 1000} seconds.`,
				);
			}
			case 'keys-retire': {
				if (!command.now) {
					const keys = await listKeys(gate);
					const since = replacedAt(keys, retirable(keys, command.kid));
					if (since && gate.now().getTime() - since.getTime() < SIGNED_LIFETIME_MS)
						return {
							code: 1,
							stdout: '',
							stderr: `Key ${command.kid} stopped signing at ${day(since)} UTC, less than two hours ago: form tokens, grant pages and download links it signed still work until ${day(new Date(since.getTime() + SIGNED_LIFETIME_MS))} UTC. Retire it after that, or now, breaking them, with: npm run gate -- keys retire ${command.kid} --now\n`,
						};
				}
				const key = await retireKey(gate, command.kid, actor);
				return ok(
					`Retired key ${key.kid} (fingerprint ${key.fingerprint}): links, grant pages and form tokens it signed stop working now (on other replicas within ${KEY_REFRESH_MS / 1000} seconds).`,
				);
			}
			case 'audit-export': {
				const now = gate.now();
				await recordExport(gate.db, actor, now);
				let text = '';
				for await (const chunk of exportAudit(gate.db, now)) text += chunk;
				return ok(text);
			}
		}
	} catch (error) {
		if (error instanceof GateError) return { code: 1, stdout: '', stderr: `${error.message}\n` };
		throw error;
	}
}
