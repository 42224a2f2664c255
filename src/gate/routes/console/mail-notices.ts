// What the console tells staff about the mail their action sent: that it went, that it sits in the
// outbox of a gate without SMTP_URL, or that it failed and what the mailer said; and the form that sends
// a grant's link again, which the grants page and a failed approval both offer.
import { CHECK_MAIL_SETTINGS } from '../../mail/mailer.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import type { Gate } from '../../services/gate.ts';
import type { MailFailure } from '../../services/mail.ts';
import { html, type Html } from './html.ts';

/** Whether the requester was e-mailed `what`, or the mail sits in the outbox of a gate without SMTP_URL. */
export function mailedNotice(gate: Gate, what: string): string {
	return gate.mailer.via === 'smtp'
		? `The requester was e-mailed ${what}.`
		: `The mail with ${what} is in the gate's outbox folder, not sent: the gate has no SMTP_URL.`;
}

/** That the mail with `what` was not sent, and what the mailer said (safe text, escaped here). */
export function notSent(mail: MailFailure, what: string): Html {
	return html`The e-mail to ${mail.to} with ${what} was not sent. The mailer said: “${mail.said}”.`;
}

/** Where to look before sending again, in the words of the gate's log line. */
export const ONCE_MAIL_WORKS = `Once the mail server takes mail again (${CHECK_MAIL_SETTINGS})`;

/** The button that sends `grant`'s link again with a fresh key (approvers only). */
export function resendForm(grant: string, csrf: string): Html {
	return html`<form method="post" action="${ADMIN}/grants/${grant}/resend" class="tc-form">
		<input type="hidden" name="csrf" value="${csrf}" />
		<button type="submit" class="tc-button tc-secondary">
			Send the link again<span class="tc-visually-hidden"> for grant ${grant}</span>
		</button>
	</form>`;
}
