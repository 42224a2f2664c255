// Every mail the gate sends, subject and text, in one place: what requesters and reviewers read.
// Plain text only, so nothing here needs escaping; links are built from the gate's own URL and ids.
import { documentTitles, type Gate } from '../services/gate.ts';

/** One mail's words; `kind` names it in the audit log. */
export interface MailText {
	kind: 'confirmation' | 'grant' | 'review' | 'denial';
	subject: string;
	text: string;
}

type Sender = Pick<Gate, 'config' | 'publicUrl'>;

/** A letter to a requester: greeting, paragraphs, and the security team's signature. */
function letter(gate: Sender, name: string, paragraphs: readonly string[]): string {
	return `Hello ${name},\n\n${paragraphs.join('\n\n')}\n\n${gate.config.site.companyName} security team\n`;
}

/** Asks the requester to confirm their email address; the link works once, for `hours`. */
export function confirmationMail(
	gate: Sender,
	request: { name: string; documents: readonly string[] },
	token: string,
	hours: number,
): MailText {
	return {
		kind: 'confirmation',
		subject: `Confirm your request for ${gate.config.site.companyName} security documents`,
		text: letter(gate, request.name, [
			`You asked for: ${documentTitles(gate, request.documents)}.`,
			`Confirm that this is your email address (the link works once, for ${hours} hours):\n${gate.publicUrl}/access/confirm/?token=${token}`,
			'If you did not ask for this, ignore this email; nothing is granted without the confirmation.',
		]),
	};
}

/** The link to a grant's documents page; `key` is the grant's secret, known only to this mail. */
export function grantMail(
	gate: Sender,
	name: string,
	grant: { id: string; key: string; expires: Date },
	documents: readonly string[],
): MailText {
	return {
		kind: 'grant',
		subject: `Your ${gate.config.site.companyName} security documents`,
		text: letter(gate, name, [
			`You have access to: ${documentTitles(gate, documents)}.`,
			`Download them here until ${grant.expires.toISOString().slice(0, 10)}:\n${gate.publicUrl}/access/grant/${grant.id}/?key=${grant.key}`,
			'Each copy is watermarked for you. Please keep it within your company under the NDA you accepted.',
		]),
	};
}

/** Tells the requester their documents are refused, and why. */
export function denialMail(
	gate: Sender,
	name: string,
	documents: readonly string[],
	reason: string,
): MailText {
	return {
		kind: 'denial',
		subject: `Your request for ${gate.config.site.companyName} security documents`,
		text: letter(gate, name, [
			`We cannot share ${documentTitles(gate, documents)} with you at this time.\nReason: ${reason}`,
			`If you think this is a mistake, reply to ${gate.config.site.contacts.security}.`,
		]),
	};
}

/** A request the rules left to the security team, with the commands that decide it. */
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
	why: { partial: boolean; because: string },
): MailText {
	return {
		kind: 'review',
		subject: `Access request to review: ${request.company} (${request.email})`,
		text:
			`${request.name} (${request.role}, ${request.company}, ${request.email}) asked for: ${documentTitles(gate, review)}.\n` +
			`Reason: ${request.reason ?? '(none given)'}\n` +
			`Why it waits: ${why.partial ? 'partly approved by ' : 'sent to review by '}${why.because}.\n\n` +
			`Approve: npm run gate -- approve ${request.id}\n` +
			`Deny:    npm run gate -- deny ${request.id} --reason "…"\n`,
	};
}
