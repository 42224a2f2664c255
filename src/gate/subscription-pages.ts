// The subscription pages the gate writes, drawn inside the built /subscribe/ page so they carry the
// site's header, theme and styles: the form with its token, "check your email", the confirmation button,
// the management page and unsubscribing. Every value is escaped with esc.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { topicLabel } from '../lib/labels.ts';
import type { WordKey, Words } from '../lib/words/words.ts';
import { SUBSCRIBE_PATHS } from '../lib/routing/urls.ts';
import { offeredTopics } from '../lib/subscriptions.ts';
import type { SubscriptionTopic } from '../schemas/update.ts';
import type { AccessConfig } from './lib/access-config.ts';
import { esc } from '../lib/html.ts';
import {
	drawPage,
	fallbackPage,
	htmlSentence,
	refusalHtml,
	strong,
	type Refusal,
} from './pages.ts';
import type { ConfirmedSubscription, SubscriberView } from './services/subscribers.ts';

const BOX = 'tc-subscribe';

/** The subscription forms' fields by the words of the labels people see, for refusal pages. */
const LABELS = new Map<string, WordKey>([
	['email', 'subscribeForm.email'],
	['topics', 'subscribeForm.topics'],
	['action', 'gateField.action'],
	['id', 'gateField.link'],
	['sig', 'gateField.link'],
	['token', 'gateField.token'],
	['csrf', 'gateField.csrf'],
]);

/** The names of `topics` in `t`'s words, as a list, escaped. */
const topicList = (topics: readonly SubscriptionTopic[], t: Words) =>
	esc(topics.map((topic) => topicLabel(topic, t)).join(t('common.listSeparator')));

/** Renders the subscription pages from `dist/subscribe/index.html`; reads it once. */
export class SubscriptionPages {
	readonly shell: string;
	readonly config: AccessConfig;
	constructor(dist: string, config: AccessConfig) {
		this.config = config;
		const file = join(dist, 'subscribe', 'index.html');
		const t = config.words;
		this.shell = existsSync(file)
			? readFileSync(file, 'utf8')
			: fallbackPage(
					t,
					t('gateSubscription.fallbackTitle'),
					BOX,
					`<p>${esc(t('gateSubscription.fallbackText'))}</p>`,
				);
	}

	/**
	 * The subscribe form with a fresh anti-forgery token, `topics` ticked and `email` filled in; `note`
	 * above it (escaped here) says why it is shown again.
	 */
	form(csrf: string, topics: readonly string[], email = '', note?: string): string {
		let html = this.shell.replace(
			'value="" data-gate-csrf',
			() => `value="${esc(csrf)}" data-gate-csrf`,
		);
		if (email)
			html = html.replace(
				'id="tc-subscribe-email"',
				() => `id="tc-subscribe-email" value="${esc(email)}"`,
			);
		for (const topic of offeredTopics(this.config.site.subscriptions).filter((t) =>
			topics.includes(t),
		))
			html = html.replace(`id="tc-topic-${topic}"`, () => `id="tc-topic-${topic}" checked`);
		if (note)
			html = html.replace(
				`<div id="${BOX}">`,
				() => `<div id="${BOX}"><p class="tc-subscribe-note"><strong>${esc(note)}</strong></p>`,
			);
		return html;
	}

	/** After a subscription: the same words whether the address was new, known or blocked. */
	checkEmail(email: string, hours: number): string {
		const t = this.config.words;
		return this.page(
			t('gate.checkEmailTitle'),
			`<p>${htmlSentence(t('gateSubscription.checkEmail', { count: hours }), { email: strong(email) })}</p><p class="tc-small tc-muted">${esc(t('gateSubscription.checkEmailHelp'))}</p>`,
		);
	}

	/** A button, not an automatic confirmation: mail scanners open links, and must not subscribe anyone. */
	confirmButton(token: string, csrf: string): string {
		const t = this.config.words;
		return this.page(
			t('gateSubscription.confirmTitle'),
			`<form method="post" action="${SUBSCRIBE_PATHS.confirm}" class="tc-access-form not-content"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="csrf" value="${esc(csrf)}"><p>${esc(t('gateSubscription.confirmText'))}</p><button type="submit" class="tc-button">${esc(t('gateSubscription.confirmButton'))}</button></form>`,
		);
	}

	/** After the confirmation (or a later visit to its link). */
	confirmed(result: ConfirmedSubscription): string {
		const t = this.config.words;
		const said = htmlSentence(t('gateSubscription.subscribed'), {
			email: strong(result.email),
			topics: topicList(result.topics, t),
		});
		return this.page(
			t(
				result.alreadyConfirmed
					? 'gateSubscription.alreadyConfirmedTitle'
					: 'gateSubscription.subscribedTitle',
			),
			`<p>${said}</p><p><a href="${esc(result.links.manage)}">${esc(t('gateSubscription.manageLink'))}</a></p>`,
		);
	}

	/** The management page of a signed link: topics to keep, unsubscribe, or subscribe again. */
	manage(view: SubscriberView, notice?: string): string {
		const t = this.config.words;
		const hidden = `<input type="hidden" name="id" value="${esc(view.id)}"><input type="hidden" name="sig" value="${esc(view.sig)}">`;
		const said = notice ? `<p>${strong(notice)}</p>` : '';
		const email = strong(view.email);
		if (view.state !== 'active') {
			const why = htmlSentence(
				t(
					view.state === 'bouncing'
						? 'gateSubscription.bouncing'
						: 'gateSubscription.isUnsubscribed',
				),
				{ email },
			);
			return this.page(
				t('gateSubscription.title'),
				`${said}<p>${why}</p><form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content">${hidden}<button type="submit" name="action" value="resubscribe" class="tc-button">${esc(t('gateSubscription.subscribeAgain'))}</button></form>`,
			);
		}
		const boxes = offeredTopics(this.config.site.subscriptions)
			.map(
				(topic) =>
					`<label class="tc-check" for="tc-manage-${topic}"><input type="checkbox" name="topics" value="${topic}" id="tc-manage-${topic}"${view.topics.includes(topic) ? ' checked' : ''}> ${esc(topicLabel(topic, t))}</label>`,
			)
			.join('');
		const mailsGoTo = htmlSentence(t('gateSubscription.mailsGoTo'), {
			email,
			topics: topicList(view.topics, t),
		});
		return this.page(
			t('gateSubscription.title'),
			`${said}<p>${mailsGoTo}</p><form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content">${hidden}<fieldset><legend>${esc(t('subscribeForm.topics'))}</legend>${boxes}</fieldset><button type="submit" name="action" value="save" class="tc-button">${esc(t('gateSubscription.save'))}</button><button type="submit" name="action" value="unsubscribe" class="tc-button">${esc(t('gateSubscription.unsubscribeAll'))}</button></form>`,
		);
	}

	/**
	 * The visible unsubscribe link's page: one button, posting the signed link in the form (not in the
	 * address, which stays clean) to the management page's unsubscribe.
	 */
	unsubscribeButton(view: SubscriberView): string {
		if (view.state === 'unsubscribed') return this.unsubscribed(view);
		const t = this.config.words;
		const question = htmlSentence(t('gateSubscription.unsubscribeQuestion'), {
			email: strong(view.email),
		});
		return this.page(
			t('gateSubscription.unsubscribe'),
			`<form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content"><input type="hidden" name="id" value="${esc(view.id)}"><input type="hidden" name="sig" value="${esc(view.sig)}"><input type="hidden" name="action" value="unsubscribe"><p>${question}</p><button type="submit" class="tc-button">${esc(t('gateSubscription.unsubscribe'))}</button></form><p><a href="${esc(view.links.manage)}">${esc(t('gateSubscription.changeTopicsInstead'))}</a></p>`,
		);
	}

	/** After an unsubscribe. */
	unsubscribed(view: SubscriberView): string {
		const t = this.config.words;
		const said = htmlSentence(t('gateSubscription.unsubscribed'), { email: strong(view.email) });
		return this.page(
			t('gateSubscription.unsubscribedTitle'),
			`<p>${said}</p><form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content"><input type="hidden" name="id" value="${esc(view.id)}"><input type="hidden" name="sig" value="${esc(view.sig)}"><button type="submit" name="action" value="resubscribe" class="tc-button">${esc(t('gateSubscription.subscribeAgain'))}</button></form>`,
		);
	}

	/** A refusal on a subscription page, its fields named by this form's labels. */
	refusal(refusal: Refusal, requestId: string): string {
		return this.page(
			refusal.title,
			refusalHtml(refusal, requestId, this.config.words, LABELS, SUBSCRIBE_PATHS.form),
		);
	}

	private page(title: string, bodyHtml: string): string {
		return drawPage(this.shell, BOX, this.config.site.companyName, title, bodyHtml);
	}
}
