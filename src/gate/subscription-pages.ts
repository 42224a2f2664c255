// The subscription pages the gate writes, drawn inside the built /subscribe/ page so they carry the
// site's header, theme and styles: the form with its token, "check your email", the confirmation button,
// the management page and unsubscribing. Every value is escaped with esc.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOPIC_LABELS } from '../lib/labels.ts';
import { SUBSCRIBE_PATHS } from '../lib/routing/urls.ts';
import { offeredTopics } from '../lib/subscriptions.ts';
import type { SubscriptionTopic } from '../schemas/update.ts';
import type { AccessConfig } from './lib/access-config.ts';
import { drawPage, esc, refusalHtml, type Refusal } from './pages.ts';
import type { ConfirmedSubscription, SubscriberView } from './services/subscribers.ts';

const BOX = 'tc-subscribe';
const FALLBACK = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Subscribe</title></head><body><main><h1 id="_top">Subscribe</h1><div id="${BOX}"><p>The subscribe page is not in this build; build the site again (npm run build).</p><span id="${BOX}-end" hidden></span></div></main></body></html>`;

/** The subscription forms' fields by the labels people see, for refusal pages. */
const LABELS = new Map([
	['email', 'Email'],
	['topics', 'Topics'],
	['action', 'Action'],
	['id', 'Link'],
	['sig', 'Link'],
	['token', 'Confirmation link'],
	['csrf', 'Form token'],
]);

const topicList = (topics: readonly SubscriptionTopic[]) =>
	topics.map((t) => esc(TOPIC_LABELS[t])).join(', ');

/** Renders the subscription pages from `dist/subscribe/index.html`; reads it once. */
export class SubscriptionPages {
	readonly shell: string;
	readonly config: AccessConfig;
	constructor(dist: string, config: AccessConfig) {
		this.config = config;
		const file = join(dist, 'subscribe', 'index.html');
		this.shell = existsSync(file) ? readFileSync(file, 'utf8') : FALLBACK;
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
		return this.page(
			'Check your email',
			`<p>If <strong>${esc(email)}</strong> can receive our mails, a link to confirm your subscription is on its way. Open it within ${hours} hours; nothing is sent to you before you confirm.</p><p class="tc-small tc-muted">Already subscribed? Then the mail has a link to change your topics instead. No mail after a few minutes? Check your spam folder.</p>`,
		);
	}

	/** A button, not an automatic confirmation: mail scanners open links, and must not subscribe anyone. */
	confirmButton(token: string, csrf: string): string {
		return this.page(
			'Confirm your subscription',
			`<form method="post" action="${SUBSCRIBE_PATHS.confirm}" class="tc-access-form not-content"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="csrf" value="${esc(csrf)}"><p>Confirm that you want our updates at this address.</p><button type="submit" class="tc-button">Confirm my subscription</button></form>`,
		);
	}

	/** After the confirmation (or a later visit to its link). */
	confirmed(result: ConfirmedSubscription): string {
		return this.page(
			result.alreadyConfirmed ? 'Already confirmed' : 'You are subscribed',
			`<p>We will email <strong>${esc(result.email)}</strong> about: ${topicList(result.topics)}. Every mail has links to change your topics or to unsubscribe in one click.</p><p><a href="${esc(result.links.manage)}">Change your topics or unsubscribe</a></p>`,
		);
	}

	/** The management page of a signed link: topics to keep, unsubscribe, or subscribe again. */
	manage(view: SubscriberView, notice?: string): string {
		const hidden = `<input type="hidden" name="id" value="${esc(view.id)}"><input type="hidden" name="sig" value="${esc(view.sig)}">`;
		const said = notice ? `<p><strong>${esc(notice)}</strong></p>` : '';
		if (view.state !== 'active') {
			const why =
				view.state === 'bouncing'
					? 'We stopped mailing this address because mails to it kept failing.'
					: 'This address is unsubscribed: it gets no mail from us.';
			return this.page(
				'Your subscription',
				`${said}<p><strong>${esc(view.email)}</strong>. ${esc(why)}</p><form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content">${hidden}<button type="submit" name="action" value="resubscribe" class="tc-button">Subscribe again</button></form>`,
			);
		}
		const boxes = offeredTopics(this.config.site.subscriptions)
			.map(
				(t) =>
					`<label class="tc-check" for="tc-manage-${t}"><input type="checkbox" name="topics" value="${t}" id="tc-manage-${t}"${view.topics.includes(t) ? ' checked' : ''}> ${esc(TOPIC_LABELS[t])}</label>`,
			)
			.join('');
		return this.page(
			'Your subscription',
			`${said}<p>Mails go to <strong>${esc(view.email)}</strong> for: ${topicList(view.topics)}.</p><form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content">${hidden}<fieldset><legend>Topics</legend>${boxes}</fieldset><button type="submit" name="action" value="save" class="tc-button">Save topics</button><button type="submit" name="action" value="unsubscribe" class="tc-button">Unsubscribe from everything</button></form>`,
		);
	}

	/**
	 * The visible unsubscribe link's page: one button, posting the signed link in the form (not in the
	 * address, which stays clean) to the management page's unsubscribe.
	 */
	unsubscribeButton(view: SubscriberView): string {
		if (view.state === 'unsubscribed') return this.unsubscribed(view);
		return this.page(
			'Unsubscribe',
			`<form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content"><input type="hidden" name="id" value="${esc(view.id)}"><input type="hidden" name="sig" value="${esc(view.sig)}"><input type="hidden" name="action" value="unsubscribe"><p>Stop every mail from us to <strong>${esc(view.email)}</strong>?</p><button type="submit" class="tc-button">Unsubscribe</button></form><p><a href="${esc(view.links.manage)}">Change topics instead</a></p>`,
		);
	}

	/** After an unsubscribe. */
	unsubscribed(view: SubscriberView): string {
		return this.page(
			'You are unsubscribed',
			`<p><strong>${esc(view.email)}</strong> gets no more mail from us. Changed your mind?</p><form method="post" action="${SUBSCRIBE_PATHS.manage}" class="tc-access-form not-content"><input type="hidden" name="id" value="${esc(view.id)}"><input type="hidden" name="sig" value="${esc(view.sig)}"><button type="submit" name="action" value="resubscribe" class="tc-button">Subscribe again</button></form>`,
		);
	}

	/** A refusal on a subscription page, its fields named by this form's labels. */
	refusal(refusal: Refusal, requestId: string): string {
		return this.page(refusal.title, refusalHtml(refusal, requestId, LABELS, SUBSCRIBE_PATHS.form));
	}

	private page(title: string, bodyHtml: string): string {
		return drawPage(this.shell, BOX, this.config.site.companyName, title, bodyHtml);
	}
}
