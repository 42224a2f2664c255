// A real SMTP server (the smtp-server package) for the subscription tests and bench, counting complete
// messages per recipient: a message counts once the server has read its end (the line with a single dot), as a mail server would
// take it; a client that goes away before that leaves nothing. Tests choose the reply to each MAIL FROM
// and RCPT TO, can hold the server's replies to park every connection at a known point, and can cut a
// connection after a message was taken, before the reply.
import type { Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the server took in full. */
export interface ReceivedMail {
	to: string;
	raw: string;
}

/**
 * What the server answers a RCPT TO: 250 (accept), an SMTP error code such as 421 or 550 (with the text
 * "<address>: No such user here" or "Try again later"), or a whole reply such as
 * "554 5.7.1 Relay access denied".
 */
export type RcptReply = (to: string, attempt: number) => number | string;
/** What the server answers the `attempt`th MAIL FROM (counted from the last `senderReply`): 250, or an error code. */
export type SenderReply = (attempt: number) => number;

/** A running SMTP sink. */
export interface SmtpSink {
	url: string;
	mails: ReceivedMail[];
	/** Complete messages per recipient. */
	count(to: string): number;
	/** Every recipient with more than one complete message, and how many. */
	duplicates(): Array<[string, number]>;
	/** Sets the reply to RCPT TO (by default 250 for everyone). */
	reply(rule: RcptReply): void;
	/** Sets the reply to MAIL FROM (by default 250), counting attempts from now. */
	senderReply(rule: SenderReply): void;
	/**
	 * The next message to `to` is taken (counted) and then its connection is cut instead of answered, as
	 * a server or network failing at that moment would.
	 */
	cutAfterMessage(to: string): void;
	/**
	 * From now on, RCPT TO and the end of each message are answered only on `release()`: a connection
	 * parks either before its message is committed as sent, or after the server took the message but
	 * before the sender heard so. Resolves when `connections` connections are parked.
	 */
	hold(connections: number): Promise<void>;
	release(): void;
	/** Forgets every message and attempt received so far. */
	reset(): void;
	/** Resolves when `n` complete messages have arrived in all. */
	waitFor(n: number, timeoutMs?: number): Promise<void>;
	close(): Promise<void>;
}

/** An SMTP error reply: smtp-server answers with its responseCode. */
const replyError = (responseCode: number, message: string) =>
	Object.assign(new Error(message), { responseCode });

/** Starts the sink on a free loopback port; `keep: false` counts messages without keeping their text. */
export async function startSmtpSink({ keep = true }: { keep?: boolean } = {}): Promise<SmtpSink> {
	const mails: ReceivedMail[] = [];
	const perRecipient = new Map<string, number>();
	const attempts = new Map<string, number>();
	let rule: RcptReply = () => 250;
	let senderRule: SenderReply = () => 250;
	let senderAttempts = 0;
	const cuts = new Set<string>();
	const sockets = new Set<Socket>();
	let held: Array<() => void> | undefined;
	let parkedWanted = 0;
	let parked: (() => void) | undefined;
	let waiters: Array<{ n: number; resolve: () => void }> = [];
	const park = (answer: () => void) => {
		if (!held) return answer();
		held.push(answer);
		if (parked && held.length >= parkedWanted) {
			parked();
			parked = undefined;
		}
	};

	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		// Far above what a test opens: the sender's pool is the limit under test, not the server.
		maxClients: 1000,
		onMailFrom(_address, _session, callback) {
			const code = senderRule(++senderAttempts);
			if (code === 250) return callback();
			callback(replyError(code, code >= 500 ? 'Sender refused' : 'Try again later'));
		},
		onRcptTo(address, _session, callback) {
			const to = address.address.toLowerCase();
			const respond = () => {
				const attempt = (attempts.get(to) ?? 0) + 1;
				attempts.set(to, attempt);
				const answer = rule(to, attempt);
				if (answer === 250) return callback();
				if (typeof answer === 'string')
					return callback(replyError(Number(answer.slice(0, 3)), answer.slice(4)));
				// As real servers do, a refusal quotes the address.
				callback(
					replyError(answer, answer >= 500 ? `<${to}>: No such user here` : 'Try again later'),
				);
			};
			park(respond);
		},
		onData(stream, session, callback) {
			const chunks: Buffer[] = [];
			stream.on('data', (c: Buffer) => keep && chunks.push(c));
			stream.on('error', () => {});
			stream.on('end', () => {
				const raw = Buffer.concat(chunks).toString('utf8');
				for (const r of session.envelope.rcptTo) {
					const to = r.address.toLowerCase();
					mails.push({ to, raw });
					perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
				}
				waiters = waiters.filter((w) => (mails.length >= w.n ? (w.resolve(), false) : true));
				const cut = session.envelope.rcptTo.find((r) => cuts.delete(r.address.toLowerCase()));
				if (cut) {
					for (const socket of sockets)
						if (socket.remotePort === session.remotePort) socket.destroy();
					return;
				}
				park(() => callback());
			});
		},
	});
	// A killed sender resets its connections; the server reports that as an error, which is expected here.
	server.on('error', () => {});
	server.server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.server.address() as { port: number };

	return {
		url: `smtp://127.0.0.1:${port}`,
		mails,
		count: (to) => perRecipient.get(to.toLowerCase()) ?? 0,
		duplicates: () => [...perRecipient].filter(([, n]) => n > 1),
		reset() {
			mails.length = 0;
			perRecipient.clear();
			attempts.clear();
		},
		reply(next) {
			rule = next;
		},
		senderReply(next) {
			senderRule = next;
			senderAttempts = 0;
		},
		cutAfterMessage(to) {
			cuts.add(to.toLowerCase());
		},
		hold(connections) {
			held ??= [];
			parkedWanted = connections;
			return new Promise<void>((resolve) => {
				if (held!.length >= connections) return resolve();
				parked = resolve;
			});
		},
		release() {
			const waiting = held ?? [];
			held = undefined;
			for (const answer of waiting) answer();
		},
		waitFor(n, timeoutMs = 120_000) {
			if (mails.length >= n) return Promise.resolve();
			return new Promise<void>((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`only ${mails.length} of ${n} mails arrived`)),
					timeoutMs,
				);
				waiters.push({
					n,
					resolve: () => {
						clearTimeout(timer);
						resolve();
					},
				});
			});
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
