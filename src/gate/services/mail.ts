// Sends a mail and records it: the audit log says what was sent to whom, or that sending failed.
import { readerRefusal, type GateError } from '../errors.ts';
import { CHECK_MAIL_SETTINGS, type Mailer } from '../mail/mailer.ts';
import { withoutAddresses } from '../lib/smtp-replies.ts';
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

/**
 * Sends one mail about request `about`, and records that it was sent (or failed) in the audit log; says
 * how it left, so that nobody is told a mail went out that sits in the outbox.
 */
export async function sendMail(
	gate: Gate,
	about: string,
	to: string,
	{ kind, subject, text }: MailText,
): Promise<MailOutcome> {
	let sent: Awaited<ReturnType<Mailer['send']>>;
	try {
		sent = await gate.mailer.send({ to, subject, text });
	} catch (error) {
		// The reply may quote the address: the log keeps none (the audit entry names the recipient).
		const reply = withoutAddresses(String((error as Error).message)).slice(0, 300);
		gate.log('error', `${kind} mail could not be sent; ${CHECK_MAIL_SETTINGS}`, {
			about,
			reply,
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
		throw mailFailed(gate, to);
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
