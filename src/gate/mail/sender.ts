// The sender works through the outbox: it claims due mails under a lease, makes each message, delivers
// it through the transport (which holds back the end of the message until the row is committed as sent),
// and records the server's answer. Commits are grouped: while one is in flight the next ones gather, so
// a fan-out to thousands costs a few statements a second. A shared rate (mails per minute, counted in
// the database so replicas share it) and local pacing keep it within what the mail server allows.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import type { Db } from '../db.ts';
import type { Log } from '../log.ts';
import type { Gate } from '../services/gate.ts';
import { sha256 } from '../services/gate.ts';
import {
	attemptsLastMinute,
	claimMails,
	commitSent,
	recordBounce,
	recordReplies,
	releaseClaims,
	releaseDeadClaims,
	renewLeases,
	retryLater,
	type ClaimedMail,
} from '../services/outbox.ts';
import { subscriptionSecrets } from '../services/subscribers.ts';
import { subscriberLinks } from '../lib/subscription-links.ts';
import type { Transport } from './delivery.ts';
import { subprocessorMail, updateMail } from './subscription-texts.ts';

/** How the sender runs; from the gate's settings (GATE_MAIL_…). */
export interface SenderOptions {
	/** SMTP connections used at once. */
	connections: number;
	/** Mails per minute across every replica; 0 for no limit. */
	ratePerMinute: number;
	/** How long a claimed mail stays this sender's before another may take it (renewed while held). */
	leaseSeconds: number;
	/** The wait before the first retry of a temporary failure; each next wait doubles. */
	retrySeconds: number;
	/** Permanent failures in a row after which an address is no longer mailed. */
	bounceLimit: number;
	/** How often to look for due mails when nothing woke the sender. Default 1 s. */
	pollMs?: number;
}

/** A running sender. */
export interface Sender {
	/** Look for due mails now (after mails were queued). */
	wake(): void;
	/** Stops claiming, lets mails in flight finish, returns the rest to the queue. */
	close(): Promise<void>;
}

/** The address part of a From header, for the envelope (MAIL FROM). */
export function envelopeAddress(from: string): string {
	const [first] = addressparser(from, { flatten: true });
	return first && 'address' in first && first.address ? first.address : from;
}

/** The message of one claimed mail: subject, text and HTML, RFC 8058 one-click unsubscribe, a stable Message-ID. */
export async function composeMail(
	gate: Pick<Gate, 'config' | 'publicUrl' | 'mailer'>,
	linkSecret: Buffer,
	mail: ClaimedMail,
): Promise<Buffer> {
	const ctx = { site: gate.config.site, publicUrl: gate.publicUrl };
	const links = subscriberLinks(gate.publicUrl, linkSecret, mail.subscriberId);
	const words =
		mail.payload.type === 'update'
			? updateMail(ctx, mail.payload, mail.topics, links)
			: subprocessorMail(ctx, mail.payload, mail.firstSeen, mail.topics, links);
	const domain =
		envelopeAddress(gate.mailer.from).split('@')[1] ?? new URL(gate.publicUrl).hostname;
	return new MailComposer({
		from: gate.mailer.from,
		to: mail.email,
		subject: words.subject,
		text: words.text,
		html: words.html,
		// The same for every attempt at this mail: a client that ever got it twice shows it once.
		messageId: `<${sha256(mail.itemId).slice(0, 24)}.${mail.subscriberId}@${domain}>`,
		headers: {
			'List-Unsubscribe': `<${links.unsubscribe}>`,
			'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
			'List-Id': `${gate.config.site.companyName} trust center updates <updates.${domain}>`,
			'Auto-Submitted': 'auto-generated',
		},
	})
		.compile()
		.build();
}

type Claimed = Pick<ClaimedMail, 'id' | 'token' | 'subscriberId'>;

/**
 * Groups the sender's writes: rows to commit as sent (each waiting for its answer, which decides
 * whether its message is finished), replies to record and mails to retry. One batch is written while
 * the next gathers.
 */
function groupWriter(db: Db, retrySeconds: number, log: Log) {
	let sent: Array<{ row: Claimed; done: (ok: boolean) => void; fail: (e: Error) => void }> = [];
	let replies: Array<Claimed & { reply: string }> = [];
	let retries: Array<Claimed & { reply: string }> = [];
	let running: Promise<void> | undefined;
	const flush = async () => {
		while (sent.length + replies.length + retries.length > 0) {
			const batch = { sent, replies, retries };
			[sent, replies, retries] = [[], [], []];
			if (batch.sent.length > 0) {
				try {
					const ours = await commitSent(
						db,
						batch.sent.map((s) => s.row),
					);
					for (const s of batch.sent) s.done(ours.has(s.row.id));
				} catch (error) {
					for (const s of batch.sent) s.fail(error as Error);
				}
			}
			try {
				if (batch.replies.length > 0) await recordReplies(db, batch.replies);
				if (batch.retries.length > 0) await retryLater(db, batch.retries, retrySeconds);
			} catch (error) {
				log('error', 'recording mail outcomes failed', { error: (error as Error).message });
			}
		}
		running = undefined;
	};
	const kick = () => void (running ??= flush());
	return {
		/** Resolves true once the row is committed as sent and still ours. */
		markSent: (row: Claimed) =>
			new Promise<boolean>((done, fail) => {
				sent.push({ row, done, fail });
				kick();
			}),
		reply: (row: Claimed, reply: string) => {
			replies.push({ ...row, reply });
			kick();
		},
		retry: (row: Claimed, reply: string) => {
			retries.push({ ...row, reply });
			kick();
		},
		idle: async () => {
			while (running) await running;
		},
	};
}

/** Starts the sender for `gate` over `transport`. */
export function startSender(
	gate: Gate,
	transport: Transport,
	options: SenderOptions,
	log: Log,
): Sender {
	const pollMs = options.pollMs ?? 1000;
	const writer = groupWriter(gate.db, options.retrySeconds, log);
	const from = envelopeAddress(gate.mailer.from);
	const held = new Map<string, ClaimedMail>();
	const waiting: ClaimedMail[] = [];
	const flights = new Set<Promise<void>>();
	const spacingMs = options.ratePerMinute > 0 ? 60_000 / options.ratePerMinute : 0;
	let lastStart = 0;
	let stopping = false;
	// A wake while the loop is busy is kept, so the next sleep returns at once.
	let woken = false;
	let wakeUp: (() => void) | undefined;
	const wake = () => {
		woken = true;
		wakeUp?.();
	};
	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				wakeUp = undefined;
				woken = false;
				resolve();
			};
			const timer = setTimeout(done, ms);
			if (woken) done();
			else wakeUp = done;
		});

	const deliver = async (mail: ClaimedMail, linkSecret: Buffer) => {
		let message: Buffer;
		try {
			message = await composeMail(gate, linkSecret, mail);
		} catch (error) {
			log('error', 'a subscription mail could not be made', {
				item: mail.itemId,
				subscriber: mail.subscriberId,
				error: (error as Error).message,
			});
			writer.retry(mail, `could not make the message: ${(error as Error).message}`.slice(0, 300));
			return;
		}
		const result = await transport.deliver({ from, to: mail.email }, message, () =>
			writer.markSent(mail),
		);
		switch (result.kind) {
			case 'sent':
				writer.reply(mail, result.reply);
				return;
			case 'temporary':
				log('warn', 'a subscription mail will be retried', {
					item: mail.itemId,
					subscriber: mail.subscriberId,
					attempt: mail.attempts,
					reply: result.reply,
				});
				writer.retry(mail, result.reply);
				return;
			case 'permanent': {
				const { bouncing } = await recordBounce(gate, mail, result.reply, options.bounceLimit);
				log('warn', 'a subscription mail was refused', {
					item: mail.itemId,
					subscriber: mail.subscriberId,
					reply: result.reply,
					bouncing,
				});
				return;
			}
			case 'aborted':
				// Not ours any more: nothing to record. A failed commit: the message was not finished, so try again.
				if (result.failed) writer.retry(mail, `not sent: ${result.reason}`.slice(0, 300));
				return;
		}
	};

	const start = (mail: ClaimedMail, linkSecret: Buffer) => {
		lastStart = performance.now();
		const flight = deliver(mail, linkSecret)
			.catch((error: Error) =>
				log('error', 'delivering a subscription mail failed', {
					item: mail.itemId,
					subscriber: mail.subscriberId,
					error: error.message,
				}),
			)
			.finally(() => {
				held.delete(mail.id);
				flights.delete(flight);
				wake();
			});
		flights.add(flight);
	};

	const renewal = setInterval(
		() => {
			const tokens = [...new Set([...held.values()].map((m) => m.token))];
			renewLeases(gate.db, tokens, options.leaseSeconds).catch((error: Error) =>
				log('warn', 'renewing mail leases failed', { error: error.message }),
			);
		},
		(options.leaseSeconds * 1000) / 3,
	).unref();

	const loop = (async () => {
		const { linkSecret } = await subscriptionSecrets(gate);
		if (gate.db.kind === 'pglite') {
			const released = await releaseDeadClaims(gate.db);
			if (released > 0)
				log('info', 'mails claimed by a stopped gate go back to the queue', { mails: released });
		}
		while (!stopping) {
			try {
				let claimedAll = false;
				if (waiting.length === 0 && flights.size < options.connections) {
					let want = options.connections * 2 - flights.size;
					if (options.ratePerMinute > 0)
						want = Math.min(
							want,
							options.connections,
							options.ratePerMinute - (await attemptsLastMinute(gate.db)),
						);
					if (want > 0) {
						const token = randomBytes(12).toString('base64url');
						const claimed = await claimMails(gate.db, token, want, options.leaseSeconds);
						for (const mail of claimed) held.set(mail.id, mail);
						waiting.push(...claimed);
						claimedAll = claimed.length === want;
					}
				}
				while (
					!stopping &&
					waiting.length > 0 &&
					flights.size < options.connections &&
					performance.now() - lastStart >= spacingMs
				)
					start(waiting.shift()!, linkSecret);
				if (stopping) break;
				if (waiting.length > 0 && flights.size < options.connections)
					// Paced: the next start is due when the spacing has passed.
					await sleep(Math.max(1, spacingMs - (performance.now() - lastStart)));
				else if (!(claimedAll && flights.size < options.connections))
					// Idle, or every connection busy: a finished mail or newly queued ones wake it sooner.
					await sleep(pollMs);
			} catch (error) {
				log('error', 'the subscription mail sender failed; trying again', {
					error: (error as Error).message,
				});
				await sleep(pollMs);
			}
		}
	})();

	return {
		wake,
		async close() {
			stopping = true;
			wake();
			await loop.catch(() => {});
			clearInterval(renewal);
			const unstarted = waiting.splice(0);
			for (const mail of unstarted) held.delete(mail.id);
			await Promise.allSettled([...flights]);
			await writer.idle();
			await releaseClaims(gate.db, unstarted).catch((error: Error) =>
				log('warn', 'returning claimed mails to the queue failed', { error: error.message }),
			);
			await transport.close();
		},
	};
}
