import type { Texts } from '../text.ts';

/**
 * The English texts of the access gate's mail (src/gate/mail/): the mails to requesters and to
 * subscribers, and the watermark stamped on the PDFs a requester downloads. Mails only the security team
 * reads (review requests, passkey invitations) stay English and are not here.
 */
export const MAIL = {
	// Every letter to a requester (src/gate/mail/texts.ts).
	'mail.greeting': 'Hello,',
	'mail.signature': '{company} security team',
	// Asking a requester to confirm their address.
	'mail.confirmSubject': 'Confirm your request for {company} security documents',
	'mail.confirmRequested': 'A request for {documents} was made with this email address.',
	'mail.confirmAddress': {
		one: 'Confirm that this is your email address (the link works once, for {count} hour):',
		other: 'Confirm that this is your email address (the link works once, for {count} hours):',
	},
	'mail.confirmIgnore':
		'If you did not ask for this, ignore this email; nothing is granted without the confirmation.',
	// The link to the documents granted.
	'mail.grantSubject': 'Your {company} security documents',
	'mail.grantAccess': 'You have access to: {documents}.',
	'mail.grantDownload': 'Download them here until {date}:',
	'mail.grantWatermarked':
		'Each copy is watermarked for you. Please keep it within your organisation.',
	'mail.grantWatermarkedNda':
		'Each copy is watermarked for you. Please keep it within your company under the NDA you accepted.',
	// A refusal.
	'mail.denialSubject': 'Your request for {company} security documents',
	'mail.denied': 'We cannot share {documents} with you at this time.',
	'mail.deniedReason': 'Reason: {reason}',
	'mail.deniedReply': 'If you think this is a mistake, reply to {email}.',
	// Every subscription mail: the header and the small print (src/gate/mail/html.ts, subscription-texts.ts).
	'mail.brand': '{company} Trust Center',
	'mail.footerWhy':
		'You get this mail because you subscribed to {topics} from the {company} trust center.',
	'mail.manageText': 'Change your topics or unsubscribe: {url}',
	'mail.manageLink': '<link>Change your topics or unsubscribe</link>.',
	'mail.unsubscribeText': 'Unsubscribe now: {url}',
	'mail.unsubscribeLink': '<link>Unsubscribe now</link>.',
	// The double opt-in.
	'mail.subscribeSubject': 'Confirm your subscription to {company} trust center updates',
	'mail.subscribePreheader': 'Confirm to start receiving {company} trust center updates.',
	'mail.subscribeHeading': 'Confirm your subscription',
	'mail.subscribeAsked':
		'Someone, we hope you, asked to be emailed by the {company} trust center about: {topics}.',
	'mail.subscribeConfirmText': {
		one: 'Confirm that you want these mails (the link works for {count} hour):',
		other: 'Confirm that you want these mails (the link works for {count} hours):',
	},
	'mail.subscribeConfirm': {
		one: 'Confirm that you want these mails. The link works for {count} hour.',
		other: 'Confirm that you want these mails. The link works for {count} hours.',
	},
	'mail.subscribeButton': 'Confirm my subscription',
	'mail.subscribeIgnore':
		'If you did not ask for this, ignore this mail: nothing more is sent to this address unless the link is used.',
	// The answer to a second sign-up.
	'mail.alreadySubject': 'Your subscription to {company} trust center updates',
	'mail.alreadyPreheader': 'This address is already subscribed.',
	'mail.alreadyHeading': 'You are already subscribed',
	'mail.alreadyText':
		'Someone, we hope you, asked to subscribe this address to the {company} trust center. It is already subscribed to: {topics}; nothing was changed.',
	'mail.alreadyButton': 'Change topics or unsubscribe',
	// A new update.
	'mail.updateSubject': '{kind}: {title}',
	'mail.updateLine': '{kind} · {date}',
	'mail.updateReadText': 'Read the update: {url}',
	'mail.updateRead': 'Read the update',
	// A subprocessor notice: its facts, as a table in HTML and as "Label:   value" lines in the text.
	'mail.factLabel': '{label}:',
	'mail.factSubprocessor': 'Subprocessor',
	'mail.factWebsite': 'Website',
	'mail.factPurpose': 'Purpose',
	'mail.factData': 'Data categories',
	'mail.factLocations': 'Locations',
	'mail.factTransfer': 'Transfer mechanism',
	'mail.factRemoved': 'Removed on',
	'mail.factEffective': 'Effective date',
	'mail.factNotice': 'Notice date',
	'mail.factObjections': 'Objections until',
	'mail.unnamedSubprocessor': '{name} (its name is shared under NDA)',
	// A subprocessor removed.
	'mail.removedSubject': 'Subprocessor removed: {name}',
	'mail.removedText': '{name} no longer processes customer data for {company}, since {date}.',
	// A subprocessor whose removal is announced ahead of its date.
	'mail.leavingSubject': 'Subprocessor to be removed: {name}',
	'mail.leavingText': '{name} will stop processing customer data for {company} on {date}.',
	'mail.currentListText': 'The current list: {url}',
	'mail.currentListLink': 'The current list is on <link>our subprocessors page</link>.',
	// A subprocessor added or planned, and how to object.
	'mail.plannedSubject': 'Planned subprocessor: {name} (objections until {deadline})',
	'mail.newSubject': 'New subprocessor: {name} (objections until {deadline})',
	'mail.plannedHeading': 'Planned subprocessor: {name}',
	'mail.newHeading': 'New subprocessor: {name}',
	'mail.plannedIntro': '{company} plans to engage a new subprocessor from {date}.',
	'mail.newIntro': '{company} has engaged a new subprocessor, effective {date}.',
	'mail.newPreheader': '{intro} Objections until {date}.',
	'mail.objectUntil': {
		one: 'You may object to this change until {date} ({count} day after the notice). To object, write to {email}.',
		other:
			'You may object to this change until {date} ({count} days after the notice). To object, write to {email}.',
	},
	'mail.objectMailtoText': 'A prefilled mail to object: {url}',
	'mail.objectButton': 'Object by email',
	'mail.fullListText': 'The full list: {url}',
	'mail.fullListLink': 'The full list is on <link>our subprocessors page</link>.',
	// The prefilled mail a subscriber sends to object (a mailto: link).
	'mail.objectionSubject': 'Objection to the new subprocessor {name}',
	'mail.objectionBody':
		'We object to {company} engaging {name} ({purpose}) as a subprocessor from {date}.',
	'mail.objectionCompany': 'Our company:',
	'mail.objectionContract': 'Our contract or account:',
	'mail.objectionReason': 'Reason for the objection:',
	'mail.objectionDeadline': '(Objections are accepted until {date}.)',
	// The line stamped along the bottom of every page of a downloaded PDF (src/gate/lib/watermark.ts).
	'watermark.line':
		'Provided to {recipient} · {issued} · download {download} · Confidential, under NDA',
	'watermark.nameAndContact': '{name} ({contact})',
	'watermark.contactOnly': '({contact})',
	'watermark.contact': '{company}, {email}',
} as const satisfies Texts;
