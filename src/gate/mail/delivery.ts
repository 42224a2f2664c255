// Delivering one subscription mail so that a crash can neither send it twice nor lose it silently.
// SMTP has no idempotency: the server accepts a message the moment it reads the end of DATA, the line
// with a single dot. So the message is streamed to the server but that end is held back until the
// caller has committed the mail as sent (`commit`); only then is the dot written. A process killed
// before the commit leaves an unfinished message, which the server discards, and a row the next sender
// claims again; killed after it, the mail is both sent and recorded. What remains is the moment between
// the commit and the socket write of the dot (README, "Exactly once").
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import { refusesAddress, withoutAddresses } from '../lib/smtp-replies.ts';
import { outboxName } from './mailer.ts';

/** What became of one message. */
export type DeliveryResult =
	/** The server accepted it after the commit: sent exactly once. */
	| { kind: 'sent'; reply: string }
	/** A 4xx reply or a lost connection: the server did not take it; try again later. */
	| { kind: 'temporary'; reply: string }
	/** A 5xx reply refusing this address (`refusesAddress`): a bounce. */
	| { kind: 'permanent'; reply: string }
	/**
	 * A 5xx reply that is not about the address (to the greeting, the login, MAIL FROM, or a relay or
	 * policy refusal): the server refuses the gate's mail set-up. Retried like a temporary failure.
	 */
	| { kind: 'refused-sender'; reply: string }
	/**
	 * The connection broke after the end of the message went out, before the server answered: the
	 * server may have taken it. Counted as sent, never sent again (a duplicate is worse than a loss).
	 */
	| { kind: 'unanswered'; reply: string }
	/**
	 * `commit` said no (the row is no longer ours) or threw (`failed`): the message was left unfinished,
	 * so the server dropped it.
	 */
	| { kind: 'aborted'; reason: string; failed: boolean };

const NOT_OURS =
	'another sender took the mail, or its address unsubscribed, before it was finished';

/** Sends messages, ending each only once `commit` resolved true. */
export interface Transport {
	/** Where mail goes, for logs: `smtp://host:port` or the outbox folder. */
	readonly description: string;
	deliver(
		envelope: { from: string; to: string },
		message: Buffer,
		commit: () => Promise<boolean>,
	): Promise<DeliveryResult>;
	close(): Promise<void>;
}

/**
 * Without SMTP: each message is written to `dir` under a temporary name and renamed to `.eml` after the
 * commit, the rename standing in for the end of DATA.
 */
export function folderTransport(dir: string): Transport {
	return {
		description: dir,
		async deliver(envelope, message, commit) {
			mkdirSync(dir, { recursive: true });
			const name = outboxName(
				`${envelope.to.replace(/[^A-Za-z0-9]/g, '_').slice(0, 60)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
			);
			const partial = join(dir, `.${name}.partial`);
			writeFileSync(partial, message, { mode: 0o600 });
			let committed: boolean;
			try {
				committed = await commit();
			} catch (error) {
				rmSync(partial, { force: true });
				return { kind: 'aborted', reason: (error as Error).message, failed: true };
			}
			if (!committed) {
				rmSync(partial, { force: true });
				return { kind: 'aborted', reason: NOT_OURS, failed: false };
			}
			renameSync(partial, join(dir, `${name}.eml`));
			return { kind: 'sent', reply: `written to ${dir}` };
		},
		close: async () => {},
	};
}

/** A failed SMTP command, as nodemailer reports it. */
export interface SmtpError extends Error {
	responseCode?: number;
	response?: string;
	code?: string;
	/** The SMTP command that failed, as nodemailer names it: `RCPT TO`, `DATA`, `MAIL FROM`, `AUTH PLAIN`… */
	command?: string;
}

/**
 * A failed send as the result it stands for. A 5xx is the address's (a bounce) only when it answers the
 * recipient (RCPT TO) or the message itself (the end of DATA) and `refusesAddress` says it is about the
 * address; any other 5xx refuses the gate, and would otherwise count against every subscriber at once.
 * No reply at all (a lost connection) is temporary, unless the message was already `finished`.
 */
export function failure(error: SmtpError, finished = false): DeliveryResult {
	// Cut before the addresses are taken out (a reply is the server's, of any length), and after.
	const reply = withoutAddresses(
		(error.response ?? `${error.code ?? 'error'}: ${error.message}`).slice(0, 1000),
	).slice(0, 300);
	if (error.responseCode && error.responseCode >= 500) {
		const command =
			error.command === 'RCPT TO'
				? 'RCPT TO'
				: error.code === 'EMESSAGE' && error.command === 'DATA'
					? 'DATA'
					: undefined;
		return {
			kind: command && refusesAddress(reply, command) ? 'permanent' : 'refused-sender',
			reply,
		};
	}
	if (finished && !error.responseCode)
		return {
			kind: 'unanswered',
			reply: `no answer after the end of the message (${reply}); counted as sent`.slice(0, 300),
		};
	return { kind: 'temporary', reply };
}

/**
 * A pool of up to `connections` SMTP connections (nodemailer's SMTPConnection, which takes a message
 * stream we control; its pooled transport reads the message before the server asks for it, so the end
 * could not be held back). Connections are kept open between messages, reset after a refused message,
 * and replaced when they break.
 */
export function smtpTransport(
	url: string,
	options: { connections: number; name: string },
): Transport {
	const settings = parseConnectionUrl(url);
	const idle: SMTPConnection[] = [];
	const waiting: Array<(c: SMTPConnection | Error) => void> = [];
	let open = 0;
	let closed = false;

	const connect = () =>
		new Promise<SMTPConnection>((resolve, reject) => {
			const connection = new SMTPConnection({
				host: settings.host,
				port: settings.port,
				secure: settings.secure,
				name: options.name,
				connectionTimeout: 30_000,
				greetingTimeout: 30_000,
				socketTimeout: 120_000,
			});
			// A dropped connection reports through the send in flight, or is noticed when it is next taken.
			connection.on('error', () => {});
			connection.connect((error) => {
				if (error) return reject(error);
				if (!settings.auth?.user) return resolve(connection);
				connection.login({ user: settings.auth.user, pass: settings.auth.pass }, (loginError) =>
					loginError ? (connection.close(), reject(loginError)) : resolve(connection),
				);
			});
		});

	const take = async (): Promise<SMTPConnection> => {
		for (let c = idle.pop(); c; c = idle.pop()) {
			if (!c.destroyed) return c;
			open--;
		}
		if (open < options.connections) {
			open++;
			try {
				return await connect();
			} catch (error) {
				open--;
				throw error;
			}
		}
		const next = await new Promise<SMTPConnection | Error>((resolve) => waiting.push(resolve));
		if (next instanceof Error) throw next;
		return next;
	};

	const give = (connection: SMTPConnection, healthy: boolean) => {
		if (!healthy || closed || connection.destroyed) {
			connection.close();
			open--;
			// A waiter gets a fresh connection in place of the broken one.
			const waiter = waiting.shift();
			if (waiter && !closed) {
				open++;
				connect().then(waiter, (error: Error) => {
					open--;
					waiter(error);
				});
			}
			return;
		}
		const waiter = waiting.shift();
		if (waiter) waiter(connection);
		else idle.push(connection);
	};

	return {
		description: `smtp://${settings.host}:${settings.port ?? (settings.secure ? 465 : 587)}`,
		async deliver(envelope, message, commit) {
			let connection: SMTPConnection;
			try {
				connection = await take();
			} catch (error) {
				return failure(error as SmtpError);
			}
			return new Promise<DeliveryResult>((resolve) => {
				let asked = false;
				let aborted: string | undefined;
				// Set once the row is committed and the end of the message is let go to the server.
				let finished = false;
				// Read by the connection only after the server's 354 (go ahead with DATA). The body goes at
				// once; the end (and with it the dot) only after the commit.
				const body = new Readable({
					read() {
						if (asked) return;
						asked = true;
						this.push(message);
						commit().then(
							(ok) => {
								if (!ok) return abort(NOT_OURS, false);
								finished = true;
								this.push(null);
							},
							(error: Error) => abort(error.message, true),
						);
					},
				});
				const abort = (reason: string, failed: boolean) => {
					aborted = reason;
					// Closing mid-DATA: the server never reads the end of the message and discards it.
					give(connection, false);
					resolve({ kind: 'aborted', reason, failed });
				};
				connection.send({ from: envelope.from, to: [envelope.to] }, body, (error, info) => {
					if (aborted !== undefined) return;
					if (!error) {
						give(connection, true);
						return resolve({ kind: 'sent', reply: info.response.slice(0, 300) });
					}
					const smtpError = error as SmtpError;
					// A refused envelope or message leaves the session usable after RSET; anything else does not.
					const usable =
						(smtpError.code === 'EENVELOPE' || smtpError.code === 'EMESSAGE') &&
						smtpError.responseCode !== 421 &&
						!connection.destroyed;
					if (usable) connection.reset((resetError) => give(connection, !resetError));
					else give(connection, false);
					resolve(failure(smtpError, finished));
				});
			});
		},
		async close() {
			closed = true;
			for (const waiter of waiting.splice(0)) waiter(new Error('the mail sender is stopping'));
			for (const connection of idle.splice(0)) {
				connection.quit();
				open--;
			}
		},
	};
}
