import type { Texts } from '../text.ts';

/**
 * The English texts of the access gate (src/gate/): the pages of the access flow and of subscriptions,
 * and the refusals requesters and subscribers read. In a page's sentence, `{email}` and the like are
 * drawn in bold or as links; `{form}` is the path of the form to go back to (/access/, /subscribe/),
 * which a refusal page links. Staff pages (the console, the CLI) stay English.
 */
export const GATE = {
	// Shared by the access flow's pages and the subscription pages.
	'gate.checkEmailTitle': 'Check your email',
	// Under every refusal: {id} finds the log line.
	'gate.reference': 'Reference: {id}',
	// A field at fault, listed on a refusal page: {field} is its label, in bold; {message} says what is
	// wrong with it (a `fieldProblem.*` text, or English for what no form of the site sends).
	'gate.fieldProblem': '{field}: {message}',

	// The access flow (src/gate/pages.ts), drawn inside the built /access/ page. This title is only used
	// when the site was built without that page.
	'gate.fallbackTitle': 'Access',
	// After a request; {email} is the requester's address, in bold.
	'gate.checkEmail': {
		one: 'We sent a confirmation link to {email}. Open it within {count} hour to confirm your request; nothing is shared before you do.',
		other:
			'We sent a confirmation link to {email}. Open it within {count} hours to confirm your request; nothing is shared before you do.',
	},
	// {rule}: the name of the access rule that waives the NDA.
	'gate.ndaWaived':
		'You did not need to sign the NDA: it is waived for addresses like yours (rule “{rule}”). Every copy you receive is still watermarked for you.',
	// {id}: the request's id; {contact}: the security contact's address.
	'gate.checkEmailHelp':
		'Request {id}. No email after a few minutes? Check your spam folder, or write to {contact}.',
	'gate.confirmTitle': 'Confirm your email',
	'gate.confirmText': 'Confirm that this email address is yours to continue your request.',
	'gate.confirmButton': 'Confirm my email',
	// A confirmation link opened again: {title} is the title of where the request stands.
	'gate.alreadyConfirmedTitle': '{title} (already confirmed)',
	'gate.alreadyConfirmed':
		'This confirmation link was used before; here is where your request stands.',
	'gate.approvedTitle': 'Access approved',
	'gate.approved': 'Your request is approved. We emailed a link to your documents to {email}.',
	'gate.partlyApprovedTitle': 'Access partly approved',
	// {documents}: document titles, in a list.
	'gate.approvedNow': 'Approved now: {documents}. We emailed the link to {email}.',
	'gate.waitingFor': 'Waiting for review: {documents}.',
	'gate.reviewTitle': 'Waiting for review',
	'gate.emailConfirmed': 'Thank you, your email is confirmed.',
	'gate.review':
		'Our security team reviews requests like this one, usually within two business days, and emails {email} with the outcome.',
	'gate.deniedTitle': 'Request not approved',
	// <contact>…</contact> links to the security contact's address ({contact}).
	'gate.denied':
		'We cannot share these documents in response to this request. If you think this is a mistake, write to <contact>{contact}</contact>.',
	'gate.receivedTitle': 'Request received',
	// The documents page of a grant. {name}: the requester's name; {date}: the last day of the access.
	'gate.documentsTitle': 'Your documents',
	'gate.sharedUnderNda':
		'{name}, these documents are shared with you under the NDA until {date}. Every copy is watermarked with your name and a download id.',
	// The same, when an access rule waived the NDA.
	'gate.shared':
		'{name}, these documents are shared with you until {date}. Every copy is watermarked with your name and a download id.',
	// A download button; {title} is the document's title.
	'gate.download': 'Download {title} (PDF)',
	// {minutes} and {uses}: how long and how often a download link works; {openMinutes}: how long the
	// page stays open (each one of the three texts below it, with its number).
	'gate.linkLimits':
		'Each link works for {minutes} and up to {uses}. Reload this page for fresh links; it stays open in this browser for {openMinutes}, then open the link from your email again.',
	'gate.minutes': { one: '{count} minute', other: '{count} minutes' },
	'gate.times': { one: '{count} time', other: '{count} times' },

	// The request form's fields, as a refusal page names them (the others are the form's own labels).
	'gateField.reason': 'Reason',
	'gateField.typedName': 'Typed full name',
	'gateField.accept': 'I accept',
	'gateField.ndaVersion': 'NDA version',
	'gateField.ndaSha256': 'NDA fingerprint',
	'gateField.csrf': 'Form token',
	// The subscription forms' fields.
	'gateField.action': 'Action',
	'gateField.link': 'Link',
	'gateField.token': 'Confirmation link',
	// Any field the form does not have: a refusal page never repeats a name the request chose.
	'gateField.unknown': 'Unknown field',
	// What is wrong with a field of the access or subscribe form (the request schemas' messages, which
	// the JSON answers give in English).
	'fieldProblem.required': 'is required',
	'fieldProblem.tooLong': 'is too long: at most {count} characters',
	'fieldProblem.brokenUnicode': 'contains broken Unicode (a lone surrogate); retype it',
	'fieldProblem.hidden': 'contains invisible or control characters; retype it without them',
	'fieldProblem.notUtf8': 'is not valid UTF-8 text once its %-escapes are decoded; retype it',
	'fieldProblem.email': 'is not an email address like ada@fabrikam.com',
	'fieldProblem.chooseDocument': 'choose at least one document',
	'fieldProblem.tick': 'tick "I accept on behalf of my company" to accept the NDA',
	'fieldProblem.typedName': 'type your full name exactly as in Name to sign',
	'fieldProblem.chooseTopic': 'choose at least one topic',
	'fieldProblem.chooseTopicOrUnsubscribe': 'choose at least one topic, or unsubscribe',

	// The subscription pages (src/gate/subscription-pages.ts), drawn inside the built /subscribe/ page.
	// These two only show when the site was built without that page.
	'gateSubscription.fallbackTitle': 'Subscribe',
	'gateSubscription.fallbackText':
		'The subscribe page is not in this build; build the site again (npm run build).',
	// After a subscription; {email} is the address, in bold.
	'gateSubscription.checkEmail': {
		one: 'If {email} can receive our mails, a link to confirm your subscription is on its way. Open it within {count} hour; nothing is sent to you before you confirm.',
		other:
			'If {email} can receive our mails, a link to confirm your subscription is on its way. Open it within {count} hours; nothing is sent to you before you confirm.',
	},
	'gateSubscription.checkEmailHelp':
		'Already subscribed? Then the mail has a link to change your topics instead. Unsubscribed before? Then no mail comes: open the link at the end of any earlier mail from us and press Subscribe again. No mail after a few minutes? Check your spam folder.',
	'gateSubscription.confirmTitle': 'Confirm your subscription',
	'gateSubscription.confirmText': 'Confirm that you want our updates at this address.',
	'gateSubscription.confirmButton': 'Confirm my subscription',
	'gateSubscription.alreadyConfirmedTitle': 'Already confirmed',
	'gateSubscription.subscribedTitle': 'You are subscribed',
	// {topics}: the topics' names, in a list.
	'gateSubscription.subscribed':
		'We will email {email} about: {topics}. Every mail has links to change your topics or to unsubscribe in one click.',
	'gateSubscription.manageLink': 'Change your topics or unsubscribe',
	// The management page.
	'gateSubscription.title': 'Your subscription',
	'gateSubscription.mailsGoTo': 'Mails go to {email} for: {topics}.',
	'gateSubscription.save': 'Save topics',
	'gateSubscription.unsubscribeAll': 'Unsubscribe from everything',
	'gateSubscription.bouncing':
		'{email}. We stopped mailing this address because mails to it kept failing.',
	'gateSubscription.isUnsubscribed':
		'{email}. This address is unsubscribed: it gets no mail from us.',
	'gateSubscription.subscribeAgain': 'Subscribe again',
	// Said above the management page after a change.
	'gateSubscription.saved': 'Your topics are saved.',
	'gateSubscription.subscribedAgain': 'You are subscribed again.',
	// Said above the subscribe form when it was sent from a static page, without a form token.
	'gateSubscription.oneMoreStep':
		'One more step: check your address and topics, then press Subscribe.',
	// The unsubscribe link's page: its title and its button.
	'gateSubscription.unsubscribe': 'Unsubscribe',
	'gateSubscription.unsubscribeQuestion': 'Stop every mail from us to {email}?',
	'gateSubscription.changeTopicsInstead': 'Change topics instead',
	'gateSubscription.unsubscribedTitle': 'You are unsubscribed',
	'gateSubscription.unsubscribed': '{email} gets no more mail from us. Changed your mind?',

	// Refusals: a page's title, then its message. A form with mistakes lists them below the message.
	'gateRefusal.fixFormTitle': 'Please fix the form',
	'gateRefusal.requestProblems': {
		one: "The request has a problem. Use your browser's Back button to fix it; your entries are kept.",
		other:
			"The request has {count} problems. Use your browser's Back button to fix them; your entries are kept.",
	},
	'gateRefusal.formProblems': {
		one: "The form has a problem. Use your browser's Back button to fix it.",
		other: "The form has {count} problems. Use your browser's Back button to fix them.",
	},
	'gateRefusal.unknownConfirmTitle': 'Unknown confirmation link',
	'gateRefusal.confirmPageClosed':
		'This page opens from the confirmation link in the email we sent you. Open that link again, or make a new request at {form}.',
	'gateRefusal.confirmIncomplete':
		'This confirmation link is incomplete. Open the link from the email again, or make a new request at {form}.',
	'gateRefusal.confirmUnknown':
		'This confirmation link is not one we sent, or it was copied incompletely. Open the link from the email again, or make a new request at {form}.',
	'gateRefusal.confirmTokenMissing':
		'The confirmation token is missing or incomplete. Open the link from the email again.',
	'gateRefusal.confirmExpiredTitle': 'Confirmation link expired',
	'gateRefusal.confirmUsedExpired': {
		one: 'This confirmation link was used, and it expired {count} hour after the request, so it shows nothing more. Look for our email about the request, or make a new one at {form}.',
		other:
			'This confirmation link was used, and it expired {count} hours after the request, so it shows nothing more. Look for our email about the request, or make a new one at {form}.',
	},
	'gateRefusal.confirmExpired': {
		one: 'This confirmation link expired {count} hour after the request. Make a new request at {form}; it takes a minute.',
		other:
			'This confirmation link expired {count} hours after the request. Make a new request at {form}; it takes a minute.',
	},
	// {accepted} and {current}: NDA versions.
	'gateRefusal.ndaChangedTitle': 'The NDA has changed',
	'gateRefusal.ndaChanged':
		'The NDA changed after the request page was loaded: you accepted version {accepted}, the current one is {current}. Reload {form}, read the current NDA and submit again.',
	'gateRefusal.openFromEmailTitle': 'Open the link from your email',
	'gateRefusal.grantPageClosed': {
		one: 'This page opens from the link in the email that granted you access, and stays open in that browser for {count} minute. Open the link from the email again; if it no longer works, ask again at {form}.',
		other:
			'This page opens from the link in the email that granted you access, and stays open in that browser for {count} minutes. Open the link from the email again; if it no longer works, ask again at {form}.',
	},
	// A grant that cannot be used; {date} is a day, as YYYY-MM-DD.
	'gateRefusal.unknownLinkTitle': 'Unknown link',
	'gateRefusal.grantUnknown':
		'This link does not belong to any grant. Open the link from your email again. Ask again at {form}, or reply to the email that sent you the link.',
	'gateRefusal.revokedTitle': 'Access revoked',
	'gateRefusal.grantRevoked':
		'Access to these documents was revoked on {date}. Ask again at {form}, or reply to the email that sent you the link.',
	'gateRefusal.expiredTitle': 'Access expired',
	'gateRefusal.grantExpired':
		'Your access to these documents ended on {date}. Ask again at {form}, or reply to the email that sent you the link.',
	// Download links.
	'gateRefusal.linkExpiredTitle': 'Link expired',
	'gateRefusal.linkExpired': {
		one: 'Download links work for {count} minute, and this one has expired. Open the documents page from your email again to get a fresh link, or ask again at {form}.',
		other:
			'Download links work for {count} minutes, and this one has expired. Open the documents page from your email again to get a fresh link, or ask again at {form}.',
	},
	'gateRefusal.linkInvalidTitle': 'Link not valid',
	'gateRefusal.linkInvalid':
		'This download link is not valid: it was changed, or it was not issued by us. Open the documents page from your email again to get a fresh link, or ask again at {form}.',
	'gateRefusal.notGrantedTitle': 'Not in your grant',
	'gateRefusal.notGranted':
		'This link is for a document your access does not include. Open the documents page from your email again to get a fresh link, or ask again at {form}.',
	'gateRefusal.usedUpTitle': 'Link used up',
	'gateRefusal.usedUp': {
		one: 'This download link has already been used {count} time, its limit. Open the documents page from your email again to get a fresh link, or ask again at {form}.',
		other:
			'This download link has already been used {count} times, its limit. Open the documents page from your email again to get a fresh link, or ask again at {form}.',
	},
	// {title}: the document's title; {contact}: the security contact's address.
	'gateRefusal.documentMissingTitle': 'Document not available',
	'gateRefusal.documentMissing':
		'"{title}" is not available right now. Please try again later, or write to {contact}.',
	// {email}: the address the mail was for.
	'gateRefusal.mailFailedTitle': 'Email could not be sent',
	'gateRefusal.mailFailed':
		'We could not send the email to {email} just now. Please try again in a few minutes; if it keeps failing, write to {contact}.',
	// Subscriptions. {feed}: the path of the updates feed.
	'gateRefusal.subscriptionsOffTitle': 'Subscriptions are off',
	'gateRefusal.subscriptionsOff':
		'This trust center does not send updates by email. Follow the updates feed ({feed}) instead.',
	'gateRefusal.subscriptionConfirmPageClosed':
		'This page opens from the confirmation link in the email we sent you. Open that link again, or subscribe again at {form}.',
	'gateRefusal.subscriptionConfirmIncomplete':
		'This confirmation link is incomplete. Open the link from the email again, or subscribe again at {form}.',
	'gateRefusal.subscriptionConfirmUnknown':
		'This confirmation link is not one we sent, or it was copied incompletely, or the subscription was removed. Open the link from the email again, or subscribe again at {form}.',
	'gateRefusal.subscriptionConfirmExpired': {
		one: 'This confirmation link expired {count} hour after it was sent. Subscribe again at {form}; it takes a minute.',
		other:
			'This confirmation link expired {count} hours after it was sent. Subscribe again at {form}; it takes a minute.',
	},
	'gateRefusal.subscriptionPageClosed':
		'This page opens from the link at the end of every mail we sent you, and stays open in that browser for an hour. Open the link from a mail again.',
	'gateRefusal.subscriptionLinkUnknown':
		'This link is not one we sent, was copied incompletely, or belongs to an address that was removed from our list. Open the link from the latest email again; if you still get mail from us, write to us.',
	// Forms sent from elsewhere, or with a missing or expired form token.
	'gateRefusal.crossSiteTitle': 'Request refused',
	'gateRefusal.crossSite':
		'This form can only be sent from this site. Open {form} and submit it from there.',
	'gateRefusal.formExpiredTitle': 'Form expired',
	'gateRefusal.formExpired':
		'The form token is missing or has expired (forms stay valid for two hours, and need cookies). Reload {form} and submit the form again.',
	// {count}: the minutes to wait.
	'gateRefusal.tooManyTitle': 'Too many requests',
	'gateRefusal.tooMany': {
		one: 'Too many requests from you in a short time. Please wait {count} minute and try again.',
		other: 'Too many requests from you in a short time. Please wait {count} minutes and try again.',
	},
	// Requests no form sends: a browser rarely shows these. {type}: the media type sent.
	'gateRefusal.unsupportedTitle': 'Unsupported request',
	'gateRefusal.unsupported':
		'Send the request as application/json or application/x-www-form-urlencoded, not "{type}".',
	'gateRefusal.noContentType':
		'Send the request as application/json or application/x-www-form-urlencoded, not "no Content-Type".',
	// {max}: the most bytes accepted; {bytes}: the size sent.
	'gateRefusal.tooLargeTitle': 'Request too large',
	'gateRefusal.tooLarge': 'The request body is over {max} bytes, the most accepted.',
	'gateRefusal.tooLargeDeclared': 'The request body is {bytes} bytes; at most {max} are accepted.',
	'gateRefusal.invalidTitle': 'Invalid request',
	// {fields}: how many fields were sent; {max}: the most accepted.
	'gateRefusal.tooManyFields':
		'The request has {fields} fields; at most {max} are accepted. Send each form field once (documents once per document).',
	'gateRefusal.tooManyFieldsOver':
		'The request has more than {max} fields; at most {max} are accepted. Send each form field once (documents once per document).',
	// {error}: what the JSON parser said, in English.
	'gateRefusal.invalidJson': 'The body is not valid JSON: {error}.',
	'gateRefusal.notAnObject':
		'The body must be a JSON object with the form fields, like {"name": "…", "email": "…"}.',
	// {charset}: the charset the Content-Type named.
	'gateRefusal.charset':
		'Send the request body as UTF-8, with charset=utf-8 or no charset in its Content-Type, not "{charset}".',
	'gateRefusal.notUtf8':
		'The request body is not valid UTF-8 text. Send the form from its page on this site, or encode the body as UTF-8.',
	'gateRefusal.fieldNotUtf8':
		'A form field is not valid UTF-8 text once its %-escapes are decoded. Send the form from its page on this site, or encode each field as UTF-8 before %-escaping it.',
	'gateRefusal.bodyIncomplete':
		'The request body ended before the length it announced: the connection broke or the client stopped sending. Send the request again.',
	'gateRefusal.hostMissing': 'HTTP/1.1 requests must name the site in a Host header.',
	'gateRefusal.methodTitle': 'Method not allowed',
	// {method}: the HTTP method sent; {allow}: the methods the address takes, e.g. "POST" or "GET, HEAD".
	'gateRefusal.method': '{method} is not allowed here: this address takes {allow}.',
	'gateRefusal.unavailableTitle': 'Temporarily unavailable',
	'gateRefusal.unavailable':
		'We cannot reach our database right now. Please try again in a minute; if you sent a form, send it again.',
	'gateRefusal.internalTitle': 'Something went wrong',
	'gateRefusal.internal':
		'Something went wrong on our side, and nothing was changed. Please try again; if it keeps happening, write to us with the reference below.',
} as const satisfies Texts;
