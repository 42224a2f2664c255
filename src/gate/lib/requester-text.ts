// Text a requester typed (name, company, role, reason), as the gate quotes it to the security team in
// mails and in the CLI: the requester's own words, on one line, with nothing a mail client would link.

/** Line breaks of every kind: a reason must not add lines that look like ours. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
/** A scheme's "://", and a dot (ASCII or one that URLs treat as a dot) before a letter or digit. */
const SCHEME = /:\/\//g;
const DOT = /[.\u3002\uFF0E\uFF61](?=[\p{L}\p{N}])/gu;

/**
 * `text` quoted as the requester's words: on one line (a line break shows as " ⏎ "), between “ and ”
 * (quotes inside become '), and defanged the way security teams share indicators, so no mail client
 * makes a link of it: "https://evil.example/x" becomes "https[://]evil[.]example/x", and
 * "ada@fabrikam.example" becomes "ada@fabrikam[.]example".
 */
export function quoteRequester(text: string): string {
	const words = text
		.replace(LINE_BREAKS, ' ⏎ ')
		.replace(/\t/g, ' ')
		.replace(/["“”„‟]/g, "'")
		.replace(SCHEME, '[://]')
		.replace(DOT, '[.]');
	return `“${words}”`;
}
