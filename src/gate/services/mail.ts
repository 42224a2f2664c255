// Sends a mail and records it: the audit log says what was sent to whom, or that sending failed. A
// requester waiting for their mail is refused when it fails; staff are told what became of it.
import { readerRefusal, type GateError } from '../errors.ts';
import { CHECK_MAIL_SETTINGS, type Mailer } from '../mail/mailer.ts';
import { mailerSaid } from '../lib/smtp-replies.ts';
import type { MailText } from '../mail/texts.ts';
import { appendAudit } from './audit.ts';
import type { Gate } from './gate.ts';

/** The refusal for a mail that could not be sent while the requester waits. */
export function mailFailed(gate: Pick<Gate, 'config'>, to: string): GateError {
	return readerRefusal(503, 'mail-failed', {
		title: 'gateRefusal.mailFailedTitle',
		message: 'gateRefusal.mailFailed',
		values: { email: to, contact: gate.config.site.contacts.security },
	});
}

/** How a mail left: over SMTP, or written to the outbox folder (`file`) because no SMTP_URL is set. */
export interface MailOutcome {
	via: 'smtp' | 'outbox';
	file?: string | undefined;
}

/** A mail the mail server did not take: to whom, and what the mailer said, as safe text (`mailerSaid`). */
export interface MailFailure {
	via: 'failed';
	to: string;
	said: string;
}

/**
 * Sends one mail about `about` (a request, a grant), and records that it was sent (or failed) in the
 * audit log; says how it left, or why it did not, so that nobody is told a mail went out that sits in
 * the outbox or was refused. For what staff do: the decision stands whatever became of its mail.
 */
export async function deliverMail(
	gate: Gate,
	about: string,
	to: string,
	{ kind, subject, text }: MailText,
): Promise<MailOutcome | MailFailure> {
	let sent: Awaited<ReturnType<Mailer['send']>>;
	try {
		sent = await gate.mailer.send({ to, subject, text });
	} catch (error) {
		const said = mailerSaid(error);
		gate.log('error', `${kind} mail could not be sent; ${CHECK_MAIL_SETTINGS}`, {
			about,
			reply: said,
		});
		await gate.db.tx((q) =>
			appendAudit(
				q,
				{
					type: 'email.failed',
					actor: 'gate',
					subject: about,
					data: { to, kind, subject, error: String((error as Error).message).slice(0, 200) },
				},
				gate.now(),
			),
		);
		return { via: 'failed', to, said };
	}
	await gate.db.tx((q) =>
		appendAudit(
			q,
			{
				type: 'email.sent',
				actor: 'gate',
				subject: about,
				data: { to, kind, subject, via: sent.via, messageId: sent.messageId },
			},
			gate.now(),
		),
	);
	return { via: sent.via, file: sent.file };
}

/**
 * Sends one mail while a requester waits, as {@link deliverMail}; a mail the server does not take is
 * answered with the requester's refusal (try again later, or write to the security contact).
 */
export async function sendMail(
	gate: Gate,
	about: string,
	to: string,
	text: MailText,
): Promise<MailOutcome> {
	const sent = await deliverMail(gate, about, to, text);
	if (sent.via === 'failed') throw mailFailed(gate, to);
	return sent;
}
