// Reading a mail server's replies: whether a refusal is about the address (a bounce) or about the gate,
// and the reply without the addresses it quotes, for logs and the audit log.

/** An address in a server's reply, as servers quote it: `<ada@example.com>` or bare. */
const ADDRESS = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;

/**
 * `text` with every address in it replaced by `<address>`. Servers quote the recipient (or, after an
 * alias, where it forwards to) in their replies, which go to logs and the audit log; neither may keep it.
 */
export function withoutAddresses(text: string): string {
	return text.replace(ADDRESS, '<address>');
}

/** An enhanced status code (RFC 3463) at the start of a reply's text: class, subject, detail. */
const ENHANCED = /^\d{3}[ -]([245])\.(\d{1,3})\.(\d{1,3})(?!\S)/;

/**
 * Whether a 5xx reply to RCPT TO or to the end of DATA refuses the address itself. With an enhanced
 * code, only the address's own status: bad mailbox, domain or syntax (5.1.x), mailbox disabled or full
 * (5.2.0–5.2.2). Relaying refused or the sender not allowed (5.7.x, e.g. "554 5.7.1 Relay access
 * denied", a provider's "sender not verified") refuses the gate, for every address alike; so do content
 * (5.6.x) and system (5.3.x) codes. Without one: 550, 551 and 553 to RCPT TO, the codes RFC 5321 gives
 * an unknown or unusable mailbox; a bare 5xx to the end of DATA is about the message, not the address.
 */
export function refusesAddress(reply: string, command: 'RCPT TO' | 'DATA'): boolean {
	const enhanced = ENHANCED.exec(reply);
	if (enhanced) return enhanced[2] === '1' || (enhanced[2] === '2' && Number(enhanced[3]) <= 2);
	return command === 'RCPT TO' && /^55[013]\b/.test(reply);
}

/** Characters that would move a terminal's cursor, reorder the text around them or hide: shown as a space. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * What the mailer said when a mail was not taken (the server's reply within its message, or why no
 * server answered), as text safe to log, to show on a page and to print in a terminal: one line, without
 * control or format characters or the addresses it quotes, at most 300 characters.
 */
export function mailerSaid(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return withoutAddresses(message.slice(0, 1000))
		.replace(UNPRINTABLE, ' ')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 300);
}
