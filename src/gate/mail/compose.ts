// Composing subscription mails. One item goes to thousands of subscribers in messages that differ only in
// the address, the subscriber's signed links and the Message-ID, and MIME-encoding each from scratch cost
// the gate's thread more than its database work did during a fan-out (npm run bench:subscriptions). So a
// message is composed once per item and set of topics for a stand-in subscriber, and each subscriber's
// copy is that message with the stand-in's id, link signature and address swapped for theirs. The stand-in
// values have the length and the kind of characters of the real ones (hex digits, base64url), which
// quoted-printable writes as they are, so the encoder breaks lines at the same places for both: a swap
// keeps any soft line break where it was. Each template proves this once, before it is used, by making a
// second stand-in's copy and comparing it byte for byte with that stand-in's message composed in full.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import addressparser from 'nodemailer/lib/addressparser';
import { encodeWord, isPlainText, quoteString } from 'nodemailer/lib/mime-funcs';
import type { Words } from '../../lib/words/words.ts';
import type { Gate } from '../services/gate.ts';
import { sha256 } from '../services/gate.ts';
import type { ClaimedMail } from '../services/outbox.ts';
import { linkSignature, subscriberLinks } from '../lib/subscription-links.ts';
import {
	oneClickHeaders,
	subprocessorMail,
	updateMail,
	type MailContext,
} from './subscription-texts.ts';

type MailGate = Pick<Gate, 'config' | 'publicUrl' | 'mailer'>;

/** The address part of a From header, for the envelope (MAIL FROM). */
export function envelopeAddress(from: string): string {
	const [first] = addressparser(from, { flatten: true });
	return first && 'address' in first && first.address ? first.address : from;
}

/**
 * The List-Id header (RFC 2919) of the subscription mails: the list's name (the feed's title, in `t`'s
 * words) as a quoted phrase, or as encoded words when it is not ASCII, then `<updates.domain>` as
 * written. Encoded as one value, the id would end up inside the encoded words, where list filters cannot
 * see it.
 */
export function listId(companyName: string, domain: string, t: Words): string {
	const name = t('feed.title', { company: companyName }).replace(/[\r\n]+/g, ' ');
	return `${isPlainText(name) ? quoteString(name) : encodeWord(name, 'Q', 52)} <updates.${domain}>`;
}

/**
 * A mail's text or HTML as MailComposer takes it: quoted-printable when it is not all ASCII. nodemailer
 * would write a part that holds more other characters than Latin letters (a notice in Japanese) in
 * base64, where a subscriber's id and signature cannot be swapped into a template (the copy would fail
 * its proof, and every mail be composed in full). A part nodemailer writes quoted-printable anyway is
 * written the same; an ASCII one is left to it (7bit when its lines are short).
 */
const part = (content: string) =>
	/\P{ASCII}/u.test(content)
		? { content, contentTransferEncoding: 'quoted-printable' as const }
		: content;

/**
 * The message of one claimed mail, composed in full: subject, text and HTML, RFC 8058 one-click
 * unsubscribe, a stable Message-ID. `fixed` pins its Date header and MIME boundaries (random otherwise).
 */
export async function composeMail(
	gate: MailGate,
	linkSecret: Buffer,
	mail: ClaimedMail,
	fixed: { date?: Date; baseBoundary?: string } = {},
): Promise<Buffer> {
	const ctx: MailContext = {
		site: gate.config.site,
		publicUrl: gate.publicUrl,
		words: gate.config.words,
	};
	const links = subscriberLinks(gate.publicUrl, linkSecret, mail.subscriberId);
	const made =
		mail.payload.type === 'update'
			? updateMail(ctx, mail.payload, mail.topics, links, mail.firstSeen)
			: subprocessorMail(ctx, mail.payload, mail.firstSeen, mail.topics, links);
	const domain =
		envelopeAddress(gate.mailer.from).split('@')[1] ?? new URL(gate.publicUrl).hostname;
	return new MailComposer({
		from: gate.mailer.from,
		to: mail.email,
		subject: made.subject,
		text: part(made.text),
		html: part(made.html),
		...fixed,
		// The same for every attempt at this mail: a client that ever got it twice shows it once.
		messageId: `<${sha256(mail.itemId).slice(0, 24)}.${mail.subscriberId}@${domain}>`,
		headers: {
			...oneClickHeaders(links),
			// Prepared: written as it is (folded), not encoded again as a whole.
			'List-Id': {
				prepared: true,
				foldLines: true,
				value: listId(gate.config.site.companyName, domain, ctx.words),
			},
			'Auto-Submitted': 'auto-generated',
		},
	})
		.compile()
		.build();
}

/** An address a template can take: plain ASCII that MIME writes as it is, never encoded or folded. */
const PLAIN_ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9.-]{1,190}$/;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Finds `standIn` in a message, allowing a quoted-printable soft line break between any two characters. */
function swapper(standIn: string) {
	const pattern = new RegExp(standIn.split('').map(escapeRegExp).join('(=\\r\\n)?'), 'g');
	return (message: string, value: string) =>
		message.replace(pattern, (...groups: unknown[]) =>
			[...value]
				.map((char, i) => (i > 0 ? ((groups[i] as string | undefined) ?? '') : '') + char)
				.join(''),
		);
}

/** A stand-in subscriber: an id, its link signature and an address of its own. */
function standIn(linkSecret: Buffer) {
	const id = `sub_${randomBytes(8).toString('hex')}`;
	return {
		id,
		sig: linkSignature(linkSecret, id),
		email: `stand-in-${randomBytes(6).toString('hex')}@subscribers.invalid`,
	};
}

interface Template {
	message: string;
	stand: ReturnType<typeof standIn>;
	swapId: (message: string, value: string) => string;
	swapSig: (message: string, value: string) => string;
}

/**
 * Composes subscription mails from templates kept per item and set of topics, for `maxAgeMs` (the
 * copies carry the template's Date header); a mail whose address a template cannot take, or whose
 * template failed its proof, is composed in full.
 */
export function mailComposer(
	gate: MailGate,
	linkSecret: Buffer,
	{ maxAgeMs = 60_000, maxTemplates = 64 }: { maxAgeMs?: number; maxTemplates?: number } = {},
): (mail: ClaimedMail) => Promise<Buffer> {
	const templates = new Map<string, { made: Promise<Template | undefined>; at: number }>();

	const copy = (template: Template, mail: Pick<ClaimedMail, 'subscriberId' | 'email'>) => {
		const { message, stand } = template;
		const headerEnd = message.indexOf('\r\n\r\n');
		const header = message
			.slice(0, headerEnd)
			.replace(`\r\nTo: ${stand.email}\r\n`, () => `\r\nTo: ${mail.email}\r\n`);
		const swapped = template.swapId(header + message.slice(headerEnd), mail.subscriberId);
		return template.swapSig(swapped, linkSignature(linkSecret, mail.subscriberId));
	};

	const make = async (mail: ClaimedMail): Promise<Template | undefined> => {
		const fixed = { date: new Date(), baseBoundary: randomBytes(8).toString('hex') };
		const [stand, proof] = [standIn(linkSecret), standIn(linkSecret)];
		const as = (s: typeof stand) => ({ ...mail, subscriberId: s.id, email: s.email });
		const message = (await composeMail(gate, linkSecret, as(stand), fixed)).toString('latin1');
		const template: Template = {
			message,
			stand,
			swapId: swapper(stand.id),
			swapSig: swapper(stand.sig),
		};
		const expected = (await composeMail(gate, linkSecret, as(proof), fixed)).toString('latin1');
		return copy(template, { subscriberId: proof.id, email: proof.email }) === expected
			? template
			: undefined;
	};

	return async (mail) => {
		if (!PLAIN_ADDRESS.test(mail.email)) return composeMail(gate, linkSecret, mail);
		const key = `${mail.itemId}\n${[...mail.topics].sort().join(',')}`;
		let template = templates.get(key);
		if (!template || performance.now() - template.at > maxAgeMs) {
			templates.delete(key);
			if (templates.size >= maxTemplates) templates.delete(templates.keys().next().value!);
			const made = make(mail);
			template = { made, at: performance.now() };
			templates.set(key, template);
			// A template that could not be made is made again for the next mail, not kept.
			made.catch(() => templates.get(key)?.made === made && templates.delete(key));
		}
		const made = await template.made;
		return made ? Buffer.from(copy(made, mail), 'latin1') : composeMail(gate, linkSecret, mail);
	};
}
