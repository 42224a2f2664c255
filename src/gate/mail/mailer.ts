import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { privateDir } from '../../lib/files.ts';

/** What to look at when the mail server refuses the gate itself: the words of every such log line. */
export const CHECK_MAIL_SETTINGS = 'check SMTP_URL and MAIL_FROM';

/** One email the gate sends. */
export interface Mail {
	to: string;
	subject: string;
	text: string;
	/** The same words as HTML, for the mails that have both (subscriptions). */
	html?: string;
	/** Extra headers, e.g. a subscription mail's List-Unsubscribe. */
	headers?: Record<string, string>;
}

/** Sends mail over SMTP, or without SMTP writes each mail to the outbox folder and prints its links. */
export interface Mailer {
	/** The From address of every mail, e.g. `"Example Trust Center" <no-reply@trust.example.com>`. */
	readonly from: string;
	/** Where every mail goes: over SMTP, or into the outbox folder when there is no SMTP_URL. */
	readonly via: 'smtp' | 'outbox';
	send(mail: Mail): Promise<{ messageId: string; via: 'smtp' | 'outbox'; file?: string }>;
	close(): void;
}

/** How many mail files this process has named: the sequence of the next name. */
let named = 0;

/**
 * The name of a mail file of the outbox, without its extension: when it was written, then this process's
 * sequence, so that mails written in one millisecond still sort in the order they were written (as
 * readOutbox lists them), then `label`.
 */
export function outboxName(label: string): string {
	named = (named + 1) % 1_000_000;
	return `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(named).padStart(6, '0')}-${label}`;
}

/** `smtpUrl` like smtp://user:pass@mail.example.com:587 (smtps:// for TLS); without it, `outboxDir`. */
export function createMailer(options: {
	smtpUrl: string | undefined;
	from: string;
	outboxDir: string;
	print: (line: string) => void;
	/** Whether the outbox's log line lists the mail's links (confirmation and grant links are credentials). */
	printLinks: boolean;
}): Mailer {
	if (options.smtpUrl) {
		const transport = nodemailer.createTransport(options.smtpUrl);
		return {
			from: options.from,
			via: 'smtp',
			send: async (mail) => ({
				messageId: (await transport.sendMail({ from: options.from, ...mail })).messageId,
				via: 'smtp',
			}),
			close: () => transport.close(),
		};
	}
	const transport = nodemailer.createTransport({
		streamTransport: true,
		buffer: true,
		newline: 'unix',
	});
	return {
		from: options.from,
		via: 'outbox',
		send: async (mail) => {
			const info = await transport.sendMail({ from: options.from, ...mail });
			privateDir(options.outboxDir);
			const file = join(
				options.outboxDir,
				`${outboxName(info.messageId.replace(/[^A-Za-z0-9]/g, '').slice(0, 16))}.eml`,
			);
			// Mails hold requester data and the links of their grants: for the owner's eyes only.
			writeFileSync(file, info.message as Buffer, { mode: 0o600 });
			const links = options.printLinks ? (mail.text.match(/https?:\/\/\S+/g) ?? []) : [];
			options.print(
				`[mail] to ${mail.to}: ${mail.subject} (written to ${file})${links.map((l) => `\n[mail]   ${l}`).join('')}`,
			);
			return { messageId: info.messageId, via: 'outbox', file };
		},
		close: () => {},
	};
}

/** Undoes quoted-printable encoding (soft line breaks and =XX bytes), as a mail client would. */
export function decodeQuotedPrintable(text: string): string {
	return Buffer.from(
		text
			.replace(/=\r?\n/g, '')
			.replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
		'latin1',
	).toString('utf8');
}

/** Every mail in an outbox folder, oldest first, decoded to text: how tests and the benchmark read the links. */
export function readOutbox(outboxDir: string): string[] {
	return readdirSync(outboxDir)
		.filter((name) => name.endsWith('.eml'))
		.sort()
		.map((f) => decodeQuotedPrintable(readFileSync(join(outboxDir, f), 'utf8')));
}
