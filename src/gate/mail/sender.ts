// The sender works through the outbox: it claims due mails under a lease, makes each message, delivers
// it through the transport (which holds back the end of the message until the row is committed as sent),
// and records the server's answer. Writes are grouped: while one is in flight the next ones gather, and
// each group (commits, replies, retries) is one statement, so a fan-out to thousands costs a few
// statements a second. A shared rate (mails per minute, counted in the database so replicas share it)
// and local pacing keep it within what the mail server allows.
// The sender shares the gate's thread with its requests (and, on the embedded database, the database
// runs on that thread too). So its statements take turns: one per turn of the event loop, so a request
// waits at most for one statement; and while requests are being served, one every BUSY_TURN_MS at most,
// so pages keep their latency during a fan-out and the fan-out still moves. Messages are copied from a
// template per item (compose.ts), cheap enough to need no turn.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import type { Log } from '../log.ts';
import type { Gate } from '../services/gate.ts';
import {
	attemptsLastMinute,
	claimMails,
	recordBounce,
	recordOutcomes,
	releaseClaims,
	releaseDeadClaims,
	renewLeases,
	type ClaimedMail,
} from '../services/outbox.ts';
import { subscriptionSecrets } from '../services/subscribers.ts';
import { envelopeAddress, mailComposer } from './compose.ts';
import type { Transport } from './delivery.ts';
import { CHECK_MAIL_SETTINGS } from './mailer.ts';

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
	/** How often, at most, a failure that lasts (a database outage) is logged again. Default 5 minutes. */
	failureLogMs?: number;
}

/** A running sender. */
export interface Sender {
	/** Look for due mails now (after mails were queued). */
	wake(): void;
	/** Stops claiming, lets mails in flight finish, returns the rest to the queue. */
	close(): Promise<void>;
}

/** A failure of the sender that lasts is logged again at most this often (ms), not at every poll. */
export const FAILURE_LOG_MS = 5 * 60_000;

/** While requests are being served, the sender takes at most one turn this often (ms). */
export const BUSY_TURN_MS = 20;

/**
 * The sender's turns on the event loop: `turn()` resolves once per loop iteration, after the loop has
 * read its sockets, so pending requests always go first; while `busy()`, once every `busyTurnMs`.
 */
export function turns(busy: () => boolean, busyTurnMs = BUSY_TURN_MS): () => Promise<void> {
	const waiting: Array<() => void> = [];
	let scheduled = false;
	let last = 0;
	const next = () => {
		scheduled = false;
		const wait = busy() ? last + busyTurnMs - performance.now() : 0;
		if (wait > 0) {
			scheduled = true;
			setTimeout(next, wait);
			return;
		}
		last = performance.now();
		waiting.shift()?.();
		// Queued from the check phase, the next turn comes in the next iteration, after its sockets.
		schedule();
	};
	const schedule = () => {
		if (scheduled || waiting.length === 0) return;
		scheduled = true;
		setImmediate(next);
	};
	return () =>
		new Promise<void>((resolve) => {
			waiting.push(resolve);
			schedule();
		});
}

type Claimed = Pick<ClaimedMail, 'id' | 'token' | 'subscriberId'>;

/**
 * Groups the sender's writes: rows to commit as sent (each waiting for its answer, which decides
 * whether its message is finished), replies to record and mails to retry, all in one statement. One
 * group is written while the next gathers.
 */
function groupWriter(db: Db, retrySeconds: number, turn: () => Promise<void>, log: Log) {
	let sent: Array<{ row: Claimed; done: (ok: boolean) => void; fail: (e: Error) => void }> = [];
	let replies: Array<Claimed & { reply: string }> = [];
	let retries: Array<Claimed & { reply: string }> = [];
	let running: Promise<void> | undefined;
	const flush = async () => {
		while (sent.length + replies.length + retries.length > 0) {
			await turn();
			const batch = { sent, replies, retries };
			[sent, replies, retries] = [[], [], []];
			try {
				const ours = await recordOutcomes(
					db,
					{ sent: batch.sent.map((s) => s.row), replies: batch.replies, retries: batch.retries },
					retrySeconds,
				);
				for (const s of batch.sent) s.done(ours.has(s.row.id));
			} catch (error) {
				for (const s of batch.sent) s.fail(error as Error);
				if (batch.replies.length + batch.retries.length > 0)
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

/**
 * Starts the sender for `gate` over `transport`. `busy` says whether the gate is serving requests now:
 * while it is, the sender takes a turn at most every BUSY_TURN_MS.
 */
export function startSender(
	gate: Gate,
	transport: Transport,
	options: SenderOptions,
	log: Log,
	busy: () => boolean = () => false,
): Sender {
	const pollMs = options.pollMs ?? 1000;
	const failureLogMs = options.failureLogMs ?? FAILURE_LOG_MS;
	// A database outage fails every poll: its first failure is logged, then a reminder at most every
	// failureLogMs while it lasts, and its end once.
	let failing: { since: Date; failures: number; loggedAt: number } | undefined;
	const turn = turns(busy);
	const writer = groupWriter(gate.db, options.retrySeconds, turn, log);
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

	const deliver = async (mail: ClaimedMail, compose: (mail: ClaimedMail) => Promise<Buffer>) => {
		// What every log line about this mail names.
		const about = { item: mail.itemId, subscriber: mail.subscriberId };
		let message: Buffer;
		try {
			message = await compose(mail);
		} catch (error) {
			log('error', 'a subscription mail could not be made', {
				...about,
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
					...about,
					attempt: mail.attempts,
					reply: result.reply,
				});
				writer.retry(mail, result.reply);
				return;
			case 'unanswered':
				log('warn', 'a subscription mail got no answer after it was finished; not sent again', {
					...about,
					reply: result.reply,
				});
				writer.reply(mail, result.reply);
				return;
			case 'refused-sender':
				log('error', `the mail server refuses the gate, not the address; ${CHECK_MAIL_SETTINGS}`, {
					...about,
					attempt: mail.attempts,
					reply: result.reply,
				});
				writer.retry(mail, result.reply);
				return;
			case 'permanent': {
				await turn();
				const { bouncing } = await recordBounce(gate, mail, result.reply, options.bounceLimit);
				log('warn', 'a subscription mail was refused', { ...about, reply: result.reply, bouncing });
				return;
			}
			case 'aborted':
				// Not ours any more: nothing to record. A failed commit: the message was not finished, so try again.
				if (result.failed) writer.retry(mail, `not sent: ${result.reason}`.slice(0, 300));
				return;
		}
	};

	const start = (mail: ClaimedMail, compose: (mail: ClaimedMail) => Promise<Buffer>) => {
		lastStart = performance.now();
		const flight = deliver(mail, compose)
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
			turn()
				.then(() => renewLeases(gate.db, tokens, options.leaseSeconds))
				.catch((error: Error) =>
					log('warn', 'renewing mail leases failed', { error: error.message }),
				);
		},
		(options.leaseSeconds * 1000) / 3,
	).unref();

	const loop = (async () => {
		const compose = mailComposer(gate, (await subscriptionSecrets(gate)).linkSecret);
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
					if (options.ratePerMinute > 0) {
						await turn();
						want = Math.min(
							want,
							options.connections,
							options.ratePerMinute - (await attemptsLastMinute(gate.db)),
						);
					}
					if (want > 0) {
						const token = randomBytes(12).toString('base64url');
						await turn();
						const claimed = await claimMails(gate.db, token, want, options.leaseSeconds);
						for (const mail of claimed) held.set(mail.id, mail);
						waiting.push(...claimed);
						claimedAll = claimed.length === want;
					}
				}
				if (failing) {
					log('info', 'the subscription mail sender works again', {
						failures: failing.failures,
						since: failing.since.toISOString(),
					});
					failing = undefined;
				}
				while (
					!stopping &&
					waiting.length > 0 &&
					flights.size < options.connections &&
					performance.now() - lastStart >= spacingMs
				)
					start(waiting.shift()!, compose);
				if (stopping) break;
				if (waiting.length > 0 && flights.size < options.connections)
					// Paced: the next start is due when the spacing has passed.
					await sleep(Math.max(1, spacingMs - (performance.now() - lastStart)));
				else if (!(claimedAll && flights.size < options.connections))
					// Idle, or every connection busy: a finished mail or newly queued ones wake it sooner.
					await sleep(pollMs);
			} catch (error) {
				const message = (error as Error).message;
				if (!failing) {
					failing = { since: new Date(), failures: 1, loggedAt: performance.now() };
					log('error', 'the subscription mail sender failed; trying again', { error: message });
				} else {
					failing.failures++;
					if (performance.now() - failing.loggedAt >= failureLogMs) {
						failing.loggedAt = performance.now();
						log('error', 'the subscription mail sender still fails; trying again', {
							error: message,
							failures: failing.failures,
							since: failing.since.toISOString(),
						});
					}
				}
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
