// Every subscription mail, subject, plain text and HTML, in one place: the confirmation, the answer to a
// second sign-up, and the notices of updates and subprocessor changes. Made only from what the public
// build published (build-items.ts) and the site settings; links point straight at the site.
import { DATA_CATEGORIES, type DataCategory } from '../../data/data-categories.ts';
import { REGIONS, type Region } from '../../data/regions.ts';
import { isoDay } from '../../lib/dates.ts';
import { label, topicLabel } from '../../lib/labels.ts';
import { SECTIONS } from '../../lib/routing/urls.ts';
import { dataCategoryLabel, objectionEnd, regionLabel } from '../../lib/subprocessors.ts';
import { textWidth } from '../../lib/system-fonts.ts';
import { ENGLISH, type WordKey, type Words } from '../../lib/words/words.ts';
import type { SiteSettings } from '../../schemas/site.ts';
import { TRANSFER_MECHANISMS } from '../../schemas/subprocessor.ts';
import type { SubscriptionTopic } from '../../schemas/update.ts';
import type { SubprocessorItem, UpdateItem } from '../lib/build-items.ts';
import type { SubscriberLinks } from '../lib/subscription-links.ts';
import {
	button,
	directionOf,
	facts,
	htmlMail,
	linkSentence,
	paragraph,
	subheading,
	type Html,
} from './html.ts';

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
	/** The words the mail is written in: the site's (`gate.config.words`). */
	words: Words;
}

const topicList = (topics: readonly SubscriptionTopic[], t: Words) =>
	topics.map((topic) => topicLabel(topic, t)).join(t('common.listSeparator'));

type InWords = (t: Words) => string;

/**
 * The site's words for what /subprocessors.json gives in English words, by the English words of each id
 * (the build writes the file with ENGLISH, see src/pages/subprocessors.json.ts). Words two ids share
 * cannot be told apart, and are left out.
 */
function byEnglish<T extends string>(
	ids: readonly T[],
	words: (id: T, t: Words) => string,
): ReadonlyMap<string, InWords> {
	const found = new Map<string, InWords | undefined>();
	for (const id of ids) {
		const english = words(id, ENGLISH);
		found.set(english, found.has(english) ? undefined : (t) => words(id, t));
	}
	return new Map([...found].filter((entry): entry is [string, InWords] => entry[1] !== undefined));
}

const REGION_WORDS = byEnglish(Object.keys(REGIONS) as Region[], regionLabel);
const DATA_WORDS = byEnglish(Object.keys(DATA_CATEGORIES) as DataCategory[], dataCategoryLabel);
const TRANSFER_WORDS = byEnglish(TRANSFER_MECHANISMS, (id, t) => t(`transfer.${id}`));

/** A region, data category or transfer mechanism of /subprocessors.json in `t`'s words; words it does not know as they are. */
const inWords = (known: ReadonlyMap<string, InWords>, english: string, t: Words) =>
	known.get(english)?.(t) ?? english;

/** The plain text of a fact table: "Label:" padded to 20 columns (a CJK character takes two; at least one space), then the value. */
const factLines = (rows: ReadonlyArray<readonly [string, string]>, t: Words) =>
	rows
		.map(([label, value]) => {
			const head = t('mail.factLabel', { label });
			return `${head}${' '.repeat(Math.max(1, 20 - textWidth(head)))}${value}`;
		})
		.join('\n');

/** The small print of every notice: why it came, and the signed links to manage and to leave. */
function footer(
	ctx: MailContext,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): { text: string; html: Html[] } {
	const t = ctx.words;
	const why = t('mail.footerWhy', {
		topics: topicList(topics, t),
		company: ctx.site.companyName,
	});
	return {
		text: `--\n${why}\n${t('mail.manageText', { url: links.manage })}\n${t('mail.unsubscribeText', { url: links.unsubscribe })}\n`,
		html: [
			paragraph(why, true),
			linkSentence(ctx.site, t('mail.manageLink'), links.manage, true),
			linkSentence(ctx.site, t('mail.unsubscribeLink'), links.unsubscribe, true),
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
	const t = ctx.words;
	const company = ctx.site.companyName;
	const asked = t('mail.subscribeAsked', { company, topics: topicList(topics, t) });
	const ignore = t('mail.subscribeIgnore');
	return {
		subject: t('mail.subscribeSubject', { company }),
		text: `${asked}\n\n${t('mail.subscribeConfirmText', { count: hours })}\n${confirmUrl}\n\n${ignore}\n`,
		html: htmlMail(
			ctx.site,
			{
				preheader: t('mail.subscribePreheader', { company }),
				heading: t('mail.subscribeHeading'),
				blocks: [
					paragraph(asked),
					paragraph(t('mail.subscribeConfirm', { count: hours })),
					button(ctx.site, confirmUrl, t('mail.subscribeButton')),
				],
				footer: [paragraph(ignore, true)],
			},
			t,
		),
	};
}

/** The answer to a sign-up for an address that is already subscribed: how to change it, nothing else. */
export function alreadySubscribedMail(
	ctx: MailContext,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): SubscriptionMail {
	const t = ctx.words;
	const company = ctx.site.companyName;
	const text = t('mail.alreadyText', { company, topics: topicList(topics, t) });
	const small = footer(ctx, topics, links);
	return {
		subject: t('mail.alreadySubject', { company }),
		text: `${text}\n\n${small.text}`,
		html: htmlMail(
			ctx.site,
			{
				preheader: t('mail.alreadyPreheader'),
				heading: t('mail.alreadyHeading'),
				blocks: [paragraph(text), button(ctx.site, links.manage, t('mail.alreadyButton'))],
				footer: small.html,
			},
			t,
		),
		headers: oneClickHeaders(links),
	};
}

/**
 * A new public update: its kind, date, title and summary, and the link to read it on the site. A notice
 * that carries the subprocessor changes it announces (published with it) tells each of them, as its own
 * mail would, under a heading of its own; `firstSeen` dates their objection deadlines.
 */
export function updateMail(
	ctx: MailContext,
	item: UpdateItem,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
	firstSeen: Date,
): SubscriptionMail {
	const t = ctx.words;
	const url = `${ctx.publicUrl}${item.path}`;
	const kind = label(item.kind, t);
	const line = t('mail.updateLine', { kind, date: t.date(item.date) });
	const foot = footer(ctx, topics, links);
	const changes = (item.subprocessors ?? []).map((c) => changeNotice(ctx, c, firstSeen));
	const list = changes.at(-1)?.list;
	return {
		subject: t('mail.updateSubject', { kind, title: item.title }),
		text: [
			line,
			item.title,
			item.summary,
			...changes.map((c) => `${c.heading}\n\n${c.text}`),
			t('mail.updateReadText', { url }),
			...(list ? [list.text] : []),
			foot.text,
		].join('\n\n'),
		html: htmlMail(
			ctx.site,
			{
				preheader: item.summary,
				heading: item.title,
				blocks: [
					paragraph(line, true),
					paragraph(item.summary, false, true),
					...changes.flatMap((c) => [subheading(c.heading), ...c.blocks]),
					button(ctx.site, url, t('mail.updateRead')),
					...(list ? [list.html] : []),
				],
				footer: foot.html,
			},
			t,
		),
	};
}

/** The deadline for objections to a new subprocessor: its notice date (else the day it was first published) plus `objectionDays`. */
export function objectionDeadline(
	site: SiteSettings,
	item: SubprocessorItem,
	firstSeen: Date,
): string {
	const notice = item.noticeDate ? new Date(`${item.noticeDate}T00:00:00Z`) : firstSeen;
	return isoDay(objectionEnd(notice, site.subscriptions.objectionDays));
}

/**
 * A prefilled mailto to the privacy contact (`subscriptions.objectionEmail`, else `contacts.privacy`), RFC
 * 6068, in `t`'s words. Its dates stay YYYY-MM-DD.
 */
export function objectionMailto(
	site: SiteSettings,
	item: SubprocessorItem,
	deadline: string,
	t: Words,
): string {
	const to = site.subscriptions.objectionEmail ?? site.contacts.privacy;
	const subject = t('mail.objectionSubject', { name: item.name });
	const body = [
		t('mail.objectionBody', {
			company: site.companyName,
			name: item.name,
			purpose: item.purpose,
			date: item.effective,
		}),
		'',
		t('mail.objectionCompany'),
		t('mail.objectionContract'),
		t('mail.objectionReason'),
		'',
		t('mail.objectionDeadline', { date: deadline }),
	].join('\r\n');
	return `mailto:${to}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/** A subprocessor change as told in a mail, without the mail's frame: on its own, or inside an update. */
interface ChangeNotice {
	subject: string;
	heading: string;
	preheader: string;
	/** Its plain text: what changed, the facts and, for an addition, how to object. */
	text: string;
	blocks: Html[];
	/** The sentence linking to the subprocessor list, as text and HTML. */
	list: { text: string; html: Html };
}

/**
 * A subprocessor change (GDPR Art. 28(2)): who (the public name or descriptor, never an NDA-only name),
 * what for, which data, where, from when; for an addition the objection deadline and a prefilled mail to
 * object; for a removal, since when it no longer processes data (or, announced ahead of its day, from
 * when it will not). `firstSeen`: when the gate found the change. The facts' dates stay YYYY-MM-DD.
 */
function changeNotice(ctx: MailContext, item: SubprocessorItem, firstSeen: Date): ChangeNotice {
	const { site } = ctx;
	const t = ctx.words;
	const dir = directionOf(t.language);
	const listUrl = `${ctx.publicUrl}${SECTIONS.subprocessors.path}`;
	const separator = t('common.listSeparator');
	const who = item.named ? item.name : t('mail.unnamedSubprocessor', { name: item.name });
	const fact = (key: WordKey, value: string) => [t(key), value] as const;
	const rows: Array<readonly [string, string]> = [
		fact('mail.factSubprocessor', who),
		...(item.website ? [fact('mail.factWebsite', item.website)] : []),
		fact('mail.factPurpose', item.purpose),
		fact(
			'mail.factData',
			item.dataCategories.map((c) => inWords(DATA_WORDS, c, t)).join(separator),
		),
		fact(
			'mail.factLocations',
			item.locations.map((l) => inWords(REGION_WORDS, l, t)).join(separator),
		),
		fact('mail.factTransfer', inWords(TRANSFER_WORDS, item.transferMechanism, t)),
	];
	if (item.change === 'removed') {
		const since = item.removed ?? item.effective;
		// A removal announced ahead of its day says what will happen, not what did.
		const ahead = since > isoDay(firstSeen);
		const text = t(ahead ? 'mail.leavingText' : 'mail.removedText', {
			name: item.name,
			company: site.companyName,
			date: t.date(since),
		});
		const subject = t(ahead ? 'mail.leavingSubject' : 'mail.removedSubject', { name: item.name });
		rows.push(fact('mail.factRemoved', since));
		return {
			subject,
			heading: subject,
			preheader: text,
			text: `${text}\n\n${factLines(rows, t)}`,
			blocks: [paragraph(text), facts(rows, dir)],
			list: {
				text: t('mail.currentListText', { url: listUrl }),
				html: linkSentence(site, t('mail.currentListLink'), listUrl),
			},
		};
	}
	const planned = item.state === 'planned';
	const deadline = objectionDeadline(site, item, firstSeen);
	const mailto = objectionMailto(site, item, deadline, t);
	const objectTo = site.subscriptions.objectionEmail ?? site.contacts.privacy;
	rows.push(fact('mail.factEffective', item.effective));
	if (item.noticeDate) rows.push(fact('mail.factNotice', item.noticeDate));
	rows.push(fact('mail.factObjections', deadline));
	const intro = t(planned ? 'mail.plannedIntro' : 'mail.newIntro', {
		company: site.companyName,
		date: t.date(item.effective),
	});
	const object = t('mail.objectUntil', {
		date: t.date(deadline),
		count: site.subscriptions.objectionDays,
		email: objectTo,
	});
	return {
		subject: t(planned ? 'mail.plannedSubject' : 'mail.newSubject', {
			name: item.name,
			deadline,
		}),
		heading: t(planned ? 'mail.plannedHeading' : 'mail.newHeading', { name: item.name }),
		preheader: t('mail.newPreheader', { intro, date: t.date(deadline) }),
		text: `${intro}\n\n${factLines(rows, t)}\n\n${object}\n${t('mail.objectMailtoText', { url: mailto })}`,
		blocks: [
			paragraph(intro),
			facts(rows, dir),
			paragraph(object),
			button(site, mailto, t('mail.objectButton')),
		],
		list: {
			text: t('mail.fullListText', { url: listUrl }),
			html: linkSentence(site, t('mail.fullListLink'), listUrl),
		},
	};
}

/** A subprocessor change in a mail of its own. */
export function subprocessorMail(
	ctx: MailContext,
	item: SubprocessorItem,
	firstSeen: Date,
	topics: readonly SubscriptionTopic[],
	links: SubscriberLinks,
): SubscriptionMail {
	const notice = changeNotice(ctx, item, firstSeen);
	const foot = footer(ctx, topics, links);
	return {
		subject: notice.subject,
		text: `${notice.text}\n\n${notice.list.text}\n\n${foot.text}`,
		html: htmlMail(
			ctx.site,
			{
				preheader: notice.preheader,
				heading: notice.heading,
				blocks: [...notice.blocks, notice.list.html],
				footer: foot.html,
			},
			ctx.words,
		),
	};
}
