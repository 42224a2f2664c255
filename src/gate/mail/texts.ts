// Every mail the gate sends, subject and text, in one place: what requesters and reviewers read.
// Plain text only, so nothing here needs escaping; links are built from the gate's own URL and ids.
// What a requester typed (name, company, role, reason) never goes into a mail sent to an address: the
// address is not theirs until confirmed, and the mail speaks in the company's name. The reviewers' mail
// quotes it as the requester's words, on one line, with nothing a mail client would link. Mails to
// requesters are in the site's words (`gate.config.words`); mails to the security team stay English.
import { absoluteUrl, confirmUrl, grantUrl } from '../../lib/routing/urls.ts';
import { quoteRequester } from '../lib/requester-text.ts';
import { documentTitles, type Gate } from '../services/gate.ts';

/** One mail's words; `kind` names it in the audit log. */
export interface MailText {
	kind: 'confirmation' | 'grant' | 'review' | 'denial' | 'invite';
	subject: string;
	text: string;
}

type Sender = Pick<Gate, 'config' | 'publicUrl'>;

/** A letter to a requester, in the site's words: greeting, paragraphs, and the security team's signature. */
function letter(gate: Sender, paragraphs: readonly string[]): string {
	const t = gate.config.words;
	return `${t('mail.greeting')}\n\n${paragraphs.join('\n\n')}\n\n${t('mail.signature', { company: gate.config.site.companyName })}\n`;
}

/** The titles of documents, listed as the site's words list them. */
const titles = (gate: Sender, ids: readonly string[]) =>
	documentTitles(gate, ids, gate.config.words);

/** Asks the requester to confirm their email address; the link works once, for `hours`. */
export function confirmationMail(
	gate: Sender,
	request: { documents: readonly string[] },
	token: string,
	hours: number,
): MailText {
	const t = gate.config.words;
	return {
		kind: 'confirmation',
		subject: t('mail.confirmSubject', { company: gate.config.site.companyName }),
		text: letter(gate, [
			t('mail.confirmRequested', { documents: titles(gate, request.documents) }),
			`${t('mail.confirmAddress', { count: hours })}\n${absoluteUrl(confirmUrl(token), gate.publicUrl)}`,
			t('mail.confirmIgnore'),
		]),
	};
}

/**
 * The link to a grant's documents page; `key` is the grant's secret, known only to this mail.
 * `ndaWaived` when a rule waived the NDA for the requester: the copies are still watermarked. The
 * expiry stays YYYY-MM-DD.
 */
export function grantMail(
	gate: Sender,
	grant: { id: string; key: string; expires: Date },
	documents: readonly string[],
	ndaWaived = false,
): MailText {
	const t = gate.config.words;
	return {
		kind: 'grant',
		subject: t('mail.grantSubject', { company: gate.config.site.companyName }),
		text: letter(gate, [
			t('mail.grantAccess', { documents: titles(gate, documents) }),
			`${t('mail.grantDownload', { date: grant.expires })}\n${absoluteUrl(grantUrl(grant.id, grant.key), gate.publicUrl)}`,
			t(ndaWaived ? 'mail.grantWatermarked' : 'mail.grantWatermarkedNda'),
		]),
	};
}

/** Tells the requester their documents are refused, and why (the reason as the security team wrote it). */
export function denialMail(gate: Sender, documents: readonly string[], reason: string): MailText {
	const t = gate.config.words;
	return {
		kind: 'denial',
		subject: t('mail.denialSubject', { company: gate.config.site.companyName }),
		text: letter(gate, [
			`${t('mail.denied', { documents: titles(gate, documents) })}\n${t('mail.deniedReason', { reason })}`,
			t('mail.deniedReply', { email: gate.config.site.contacts.security }),
		]),
	};
}

/**
 * A request the rules left to the security team, with the commands that decide it. The address is
 * confirmed; everything else the requester typed is quoted as their words (`quoteRequester`).
 */
export function reviewMail(
	gate: Sender,
	request: {
		id: string;
		name: string;
		role: string;
		company: string;
		email: string;
		reason: string | null;
	},
	review: readonly string[],
	why: { partial: boolean; because: string; ndaWaivedBy: string | null },
): MailText {
	return {
		kind: 'review',
		subject: `Access request to review: ${request.email}`,
		text:
			`A request for ${documentTitles(gate, review)} waits for your review.\n\n` +
			`Email (confirmed): ${request.email}\n` +
			`Why it waits:      ${why.partial ? 'partly approved by ' : 'sent to review by '}${why.because}.\n` +
			`NDA:               ${why.ndaWaivedBy ? `waived by rule "${why.ndaWaivedBy}"` : 'accepted and signed'}\n\n` +
			'What the requester typed, quoted as their own words (nothing in it is checked):\n' +
			`  Name:    ${quoteRequester(request.name)}\n` +
			`  Company: ${quoteRequester(request.company)}\n` +
			`  Role:    ${quoteRequester(request.role)}\n` +
			`  Reason:  ${request.reason ? quoteRequester(request.reason) : '(none given)'}\n\n` +
			`Approve: npm run gate -- approve ${request.id}\n` +
			`Deny:    npm run gate -- deny ${request.id} --reason "…"\n`,
	};
}

/** Invites a staff member to register a passkey for the console; the link works once, for `hours`. */
export function inviteMail(
	gate: Sender,
	invite: { role: string; link: string; hours: number },
): MailText {
	const company = gate.config.site.companyName;
	return {
		kind: 'invite',
		subject: `Your passkey for the ${company} trust center console`,
		text:
			`You are invited to the ${company} trust center console as ${invite.role}.\n\n` +
			`Register a passkey here (the link works once, for ${invite.hours} hours):\n${invite.link}\n\n` +
			'Your browser will ask you to create a passkey with your device (fingerprint, face, PIN or security key). ' +
			'From then on you sign in with it at the console; no password is involved.\n\n' +
			'If you did not expect this, ignore this email and tell your security team.\n',
	};
}
