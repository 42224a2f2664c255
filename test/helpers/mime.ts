// A MIME message as its reader sees it, for tests that search mails for words: headers unfolded and
// their encoded words (RFC 2047) decoded, and every part's body decoded from quoted-printable or
// base64. A word split by a soft line break or hidden in base64 is found; the raw message hides it.
import { decodeQuotedPrintable } from '../../src/gate/mail/mailer.ts';

/** `=?charset?Q|B?…?=` words in a header, decoded (UTF-8 and ASCII, as the gate writes them). */
function decodeWords(header: string): string {
	// Space between two encoded words is not part of the text (RFC 2047, 6.2).
	return header
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(/=\?[^?]+\?([QqBb])\?([^?]*)\?=/g, (_, kind: string, text: string) =>
			kind.toUpperCase() === 'B'
				? Buffer.from(text, 'base64').toString('utf8')
				: decodeQuotedPrintable(text.replace(/_/g, ' ')),
		);
}

/** Every header and every part's decoded body of `raw`, joined by newlines. */
export function readableMail(raw: string): string {
	const out: string[] = [];
	const walk = (entity: string) => {
		const split = entity.search(/\r?\n\r?\n/);
		const head = (split < 0 ? entity : entity.slice(0, split)).replace(/\r?\n[ \t]+/g, ' ');
		const body = split < 0 ? '' : entity.slice(split).replace(/^\r?\n\r?\n/, '');
		out.push(decodeWords(head));
		const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
		if (boundary) {
			for (const part of body.split(`--${boundary}`).slice(1))
				if (!part.startsWith('--')) walk(part.replace(/^\r?\n/, ''));
			return;
		}
		const encoding = /^content-transfer-encoding:\s*(\S+)/im.exec(head)?.[1]?.toLowerCase();
		out.push(
			encoding === 'quoted-printable'
				? decodeQuotedPrintable(body)
				: encoding === 'base64'
					? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
					: body,
		);
	};
	walk(raw);
	return out.join('\n');
}
