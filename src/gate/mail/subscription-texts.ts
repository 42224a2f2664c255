// Every subscription mail, subject, plain text and HTML, in one place: the confirmation, the answer to a
// second sign-up, and the notices of updates and subprocessor changes. Made only from what the public
// build published (build-items.ts) and the site settings; links point straight at the site.
import { addDays, humanDate, isoDay } from '../../lib/dates.ts';
import { label, TOPIC_LABELS } from '../../lib/labels.ts';
import { SECTIONS } from '../../lib/routing/urls.ts';
import type { SiteSettings } from '../../schemas/site.ts';
import type { SubscriptionTopic } from '../../schemas/update.ts';
import type { SubprocessorItem, UpdateItem } from '../lib/build-items.ts';
import type { SubscriberLinks } from '../lib/subscription-links.ts';
import { button, facts, htmlMail, linkParagraph, paragraph, type Html } from './html.ts';

/** One subscription mail's words, as plain text and as HTML, and the headers it needs. */
export interface SubscriptionMail {
	subject: string;
	text: string;
	html: string;
	/** RFC 8058 one-click unsubscribe, on every mail to an address that is subscribed. */
	headers?: Record<string, string>;
}

/**
 * RFC 8058 one-click unsubscribe: the mail client POSTs `List-Unsubscribe=One-Click` to the signed
 * unsubscribe link, with no cookie.
 */
export function oneClickHeaders(links: SubscriberLinks): Record<string, string> {
	return {
		'List-Unsubscribe': `<${links.unsubscribe}>`,
		'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
	};
}

/** What every subscription mail is made with. */
export interface MailContext {
	site: SiteSettings;
	/** The site's origin for links, without a trailing slash. */
	publicUrl: string;
}

const topicList = (topics: readonly SubscriptionTopic[]) =>
	topics.map((t) => TOPIC_LABELS[t]).join(', ');

const centerName = (site: SiteSettings) => `the ${site.companyName} trust center`;

/** The small print of every notice: why it came, and the signed links to manage and to leave. */
function footer(
	ctx: MailContext,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): { text: string; html: Html[] } {
	const why = `You get this mail because you subscribed to ${topicList(topics)} from ${centerName(ctx.site)}.`;
	return {
		text: `--\n${why}\nChange your topics or unsubscribe: ${links.manage}\nUnsubscribe now: ${links.unsubscribe}\n`,
		html: [
			paragraph(why, true),
			linkParagraph(ctx.site, '', links.manage, 'Change your topics or unsubscribe', '.', true),
			linkParagraph(ctx.site, '', links.unsubscribe, 'Unsubscribe now', '.', true),
		],
	};
}

/** Asks for the double opt-in: nothing is mailed until the link is opened and its button pressed. */
export function subscriptionConfirmMail(
	ctx: MailContext,
	topics: readonly SubscriptionTopic[],
	confirmUrl: string,
	hours: number,
): SubscriptionMail {
	const asked = `Someone, we hope you, asked to be emailed by ${centerName(ctx.site)} about: ${topicList(topics)}.`;
	const ignore =
		'If you did not ask for this, ignore this mail: nothing more is sent to this address unless the link is used.';
	return {
		subject: `Confirm your subscription to ${ctx.site.companyName} trust center updates`,
		text: `${asked}\n\nConfirm that you want these mails (the link works for ${hours} hours):\n${confirmUrl}\n\n${ignore}\n`,
		html: htmlMail(ctx.site, {
			preheader: `Confirm to start receiving ${ctx.site.companyName} trust center updates.`,
			heading: 'Confirm your subscription',
			blocks: [
				paragraph(asked),
				paragraph(`Confirm that you want these mails. The link works for ${hours} hours.`),
				button(ctx.site, confirmUrl, 'Confirm my subscription'),
			],
			footer: [paragraph(ignore, true)],
		}),
	};
}

/** The answer to a sign-up for an address that is already subscribed: how to change it, nothing else. */
export function alreadySubscribedMail(
	ctx: MailContext,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): SubscriptionMail {
	const text = `Someone, we hope you, asked to subscribe this address to ${centerName(ctx.site)}. It is already subscribed to: ${topicList(topics)}; nothing was changed.`;
	const small = footer(ctx, topics, links);
	return {
		subject: `Your subscription to ${ctx.site.companyName} trust center updates`,
		text: `${text}\n\n${small.text}`,
		html: htmlMail(ctx.site, {
			preheader: 'This address is already subscribed.',
			heading: 'You are already subscribed',
			blocks: [paragraph(text), button(ctx.site, links.manage, 'Change topics or unsubscribe')],
			footer: small.html,
		}),
		headers: oneClickHeaders(links),
	};
}

/** A new public update: its kind, date, title and summary, and the link to read it on the site. */
export function updateMail(
	ctx: MailContext,
	item: UpdateItem,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): SubscriptionMail {
	const url = `${ctx.publicUrl}${item.path}`;
	const line = `${label(item.kind)} · ${humanDate(item.date)}`;
	const foot = footer(ctx, topics, links);
	return {
		subject: `${label(item.kind)}: ${item.title}`,
		text: `${line}\n\n${item.title}\n\n${item.summary}\n\nRead the update: ${url}\n\n${foot.text}`,
		html: htmlMail(ctx.site, {
			preheader: item.summary,
			heading: item.title,
			blocks: [
				paragraph(line, true),
				paragraph(item.summary, false, true),
				button(ctx.site, url, 'Read the update'),
			],
			footer: foot.html,
		}),
	};
}

/** The deadline for objections to a new subprocessor: its notice date (else the day it was first published) plus `objectionDays`. */
export function objectionDeadline(
	site: SiteSettings,
	item: SubprocessorItem,
	firstSeen: Date,
): string {
	const notice = item.noticeDate ? new Date(`${item.noticeDate}T00:00:00Z`) : firstSeen;
	return isoDay(addDays(notice, site.subscriptions.objectionDays));
}

/** A prefilled mailto to the privacy contact (`subscriptions.objectionEmail`, else `contacts.privacy`), RFC 6068. */
export function objectionMailto(
	site: SiteSettings,
	item: SubprocessorItem,
	deadline: string,
): string {
	const to = site.subscriptions.objectionEmail ?? site.contacts.privacy;
	const subject = `Objection to the new subprocessor ${item.name}`;
	const body = [
		`We object to ${site.companyName} engaging ${item.name} (${item.purpose}) as a subprocessor from ${item.effective}.`,
		'',
		'Our company:',
		'Our contract or account:',
		'Reason for the objection:',
		'',
		`(Objections are accepted until ${deadline}.)`,
	].join('\r\n');
	return `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/**
 * A subprocessor notice (GDPR Art. 28(2)): who (the public name or descriptor, never an NDA-only name),
 * what for, which data, where, from when; for an addition the objection deadline and a prefilled mail to
 * object; for a removal, since when it no longer processes data.
 */
export function subprocessorMail(
	ctx: MailContext,
	item: SubprocessorItem,
	firstSeen: Date,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): SubscriptionMail {
	const { site } = ctx;
	const list = `${ctx.publicUrl}${SECTIONS.subprocessors.path}`;
	const foot = footer(ctx, topics, links);
	const who = item.named ? item.name : `${item.name} (its name is shared under NDA)`;
	const rows: Array<readonly [string, string]> = [
		['Subprocessor', who],
		...(item.website ? [['Website', item.website] as const] : []),
		['Purpose', item.purpose],
		['Data categories', item.dataCategories.join(', ')],
		['Locations', item.locations.join(', ')],
		['Transfer mechanism', item.transferMechanism],
	];
	if (item.change === 'removed') {
		const since = item.removed ?? item.effective;
		const text = `${item.name} no longer processes customer data for ${site.companyName}, since ${humanDate(since)}.`;
		rows.push(['Removed on', since]);
		return {
			subject: `Subprocessor removed: ${item.name}`,
			text: `${text}\n\n${rows.map(([l, v]) => `${`${l}:`.padEnd(20)}${v}`).join('\n')}\n\nThe current list: ${list}\n\n${foot.text}`,
			html: htmlMail(site, {
				preheader: text,
				heading: `Subprocessor removed: ${item.name}`,
				blocks: [
					paragraph(text),
					facts(rows),
					linkParagraph(site, 'The current list is on ', list, 'our subprocessors page', '.'),
				],
				footer: foot.html,
			}),
		};
	}
	const planned = item.state === 'planned';
	const deadline = objectionDeadline(site, item, firstSeen);
	const mailto = objectionMailto(site, item, deadline);
	const objectTo = site.subscriptions.objectionEmail ?? site.contacts.privacy;
	rows.push(['Effective date', item.effective]);
	if (item.noticeDate) rows.push(['Notice date', item.noticeDate]);
	rows.push(['Objections until', deadline]);
	const intro = planned
		? `${site.companyName} plans to engage a new subprocessor from ${humanDate(item.effective)}.`
		: `${site.companyName} has engaged a new subprocessor, effective ${humanDate(item.effective)}.`;
	const object = `You may object to this change until ${humanDate(deadline)} (${site.subscriptions.objectionDays} days after the notice). To object, write to ${objectTo}.`;
	return {
		subject: `${planned ? 'Planned' : 'New'} subprocessor: ${item.name} (objections until ${deadline})`,
		text: `${intro}\n\n${rows.map(([l, v]) => `${`${l}:`.padEnd(20)}${v}`).join('\n')}\n\n${object}\nA prefilled mail to object: ${mailto}\n\nThe full list: ${list}\n\n${foot.text}`,
		html: htmlMail(site, {
			preheader: `${intro} Objections until ${humanDate(deadline)}.`,
			heading: `${planned ? 'Planned' : 'New'} subprocessor: ${item.name}`,
			blocks: [
				paragraph(intro),
				facts(rows),
				paragraph(object),
				button(site, mailto, 'Object by email'),
				linkParagraph(site, 'The full list is on ', list, 'our subprocessors page', '.'),
			],
			footer: foot.html,
		}),
	};
}
