// The access flow's HTML pages, drawn inside the built /access/ page so they carry the site's header,
// theme and styles, and what every gate page shares: escaping, drawing into a built page, refusals.
// Every value put into a page is escaped here (and by subscription-pages.ts through esc), and only so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldProblem } from './errors.ts';
import type { AccessConfig } from './lib/access-config.ts';
import { esc } from '../lib/html.ts';
import { siteLocale } from '../lib/language.ts';
import { accessUrl, confirmUrl } from '../lib/routing/urls.ts';
import { EN } from '../lib/words/en.ts';
import { sentenceParts, type WordKey, type Words } from '../lib/words/words.ts';
import { documentTitles } from './services/gate.ts';
import type { GrantView } from './services/grants.ts';
import { CONFIRM_HOURS, type ConfirmResult } from './services/requests.ts';

/**
 * A sentence of the site's words as HTML: its text escaped, each `{name}` left in it replaced by
 * `slots[name]` (HTML the caller built with esc), and each `<name>…</name>` mark by a link to
 * `links[name]` around its words. The HTML twin of src/components/Sentence.astro.
 */
export function htmlSentence(
	text: string,
	slots: Readonly<Record<string, string>> = {},
	links: Readonly<Record<string, string>> = {},
): string {
	return sentenceParts(text)
		.map((part) => {
			if ('slot' in part) return slots[part.slot] ?? esc(`{${part.slot}}`);
			const href = part.link && links[part.link];
			return href ? `<a href="${esc(href)}">${esc(part.text)}</a>` : esc(part.text);
		})
		.join('');
}

/**
 * The page the gate draws in when the build has no page to draw in (`dist/access/index.html`,
 * `dist/subscribe/index.html`), in the site's language and direction: `title` and the box `boxId`,
 * holding `bodyHtml`.
 */
export function fallbackPage(t: Words, title: string, boxId: string, bodyHtml = ''): string {
	const lang = esc(t.language);
	return `<!doctype html><html lang="${lang}" dir="${siteLocale(t.language).dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title></head><body><main><h1 id="_top">${esc(title)}</h1><div id="${boxId}">${bodyHtml}<span id="${boxId}-end" hidden></span></div></main></body></html>`;
}

/** The request form's fields by the words of their labels, for naming the fields at fault on a refusal page. */
const LABELS = new Map<string, WordKey>([
	['name', 'access.fullName'],
	['email', 'access.workEmail'],
	['company', 'access.company'],
	['role', 'access.role'],
	['documents', 'section.documents'],
	['reason', 'gateField.reason'],
	['typedName', 'gateField.typedName'],
	['accept', 'gateField.accept'],
	['ndaVersion', 'gateField.ndaVersion'],
	['ndaSha256', 'gateField.ndaSha256'],
	['csrf', 'gateField.csrf'],
]);

/** Renders gate pages from `dist/access/index.html`; reads it once. */
export class Pages {
	readonly form: string;
	readonly config: AccessConfig;
	constructor(dist: string, config: AccessConfig) {
		this.config = config;
		const file = join(dist, 'access', 'index.html');
		this.form = existsSync(file)
			? readFileSync(file, 'utf8')
			: fallbackPage(config.words, config.words('gate.fallbackTitle'), 'tc-access');
	}

	/** The request form with a fresh anti-forgery token and `documents` ticked. */
	requestForm(csrf: string, documents: readonly string[]): string {
		let html = this.form.replace(
			'value="" data-gate-csrf',
			() => `value="${esc(csrf)}" data-gate-csrf`,
		);
		for (const id of documents)
			html = html.replace(`id="want-${esc(id)}"`, () => `id="want-${esc(id)}" checked`);
		return html;
	}

	/** After a request: where the confirmation link went. */
	checkEmail(request: { id: string; email: string; ndaWaivedBy: string | null }): string {
		const t = this.config.words;
		const waived = request.ndaWaivedBy
			? `<p>${htmlSentence(t('gate.ndaWaived'), { rule: esc(request.ndaWaivedBy) })}</p>`
			: '';
		const help = htmlSentence(t('gate.checkEmailHelp'), {
			id: esc(request.id),
			contact: esc(this.config.site.contacts.security),
		});
		return this.page(
			t('gate.checkEmailTitle'),
			`<p>${htmlSentence(t('gate.checkEmail', { count: CONFIRM_HOURS }), { email: strong(request.email) })}</p>${waived}<p class="tc-small tc-muted">${help}</p>`,
		);
	}

	/** A button, not an automatic confirmation: mail scanners open links, and must not use them up. */
	confirmButton(token: string, csrf: string): string {
		const t = this.config.words;
		return this.page(
			t('gate.confirmTitle'),
			`<form method="post" action="${confirmUrl()}" class="tc-access-form not-content"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="csrf" value="${esc(csrf)}"><p>${esc(t('gate.confirmText'))}</p><button type="submit" class="tc-button">${esc(t('gate.confirmButton'))}</button></form>`,
		);
	}

	/** Where a request stands after its confirmation (or a later visit to the same link). */
	confirmed(result: ConfirmResult): string {
		const t = this.config.words;
		const [title, body] = this.outcome(result);
		return this.page(
			result.alreadyConfirmed ? t('gate.alreadyConfirmedTitle', { title }) : title,
			`${result.alreadyConfirmed ? `<p>${esc(t('gate.alreadyConfirmed'))}</p>` : ''}${body}`,
		);
	}

	private outcome(result: ConfirmResult): [title: string, bodyHtml: string] {
		const t = this.config.words;
		const names = (ids: readonly string[]) => esc(documentTitles(this, ids, t));
		const email = strong(result.request.email);
		const review = `<p>${htmlSentence(t('gate.review'), { email: esc(result.request.email) })}</p>`;
		const security = this.config.site.contacts.security;
		switch (result.request.status) {
			case 'approved':
				return [t('gate.approvedTitle'), `<p>${htmlSentence(t('gate.approved'), { email })}</p>`];
			case 'partial':
				return [
					t('gate.partlyApprovedTitle'),
					`<p>${htmlSentence(t('gate.approvedNow'), { documents: names(result.granted), email })}</p><p>${htmlSentence(t('gate.waitingFor'), { documents: names(result.review) })}</p>${review}`,
				];
			case 'pending':
				return [t('gate.reviewTitle'), `<p>${esc(t('gate.emailConfirmed'))}</p>${review}`];
			case 'denied':
				return [
					t('gate.deniedTitle'),
					`<p>${htmlSentence(t('gate.denied', { contact: security }), {}, { contact: `mailto:${security}` })}</p>`,
				];
			default:
				return [t('gate.receivedTitle'), ''];
		}
	}

	/** The documents page of a grant, with its download links; it stays open for `openMinutes` in this browser. */
	grant(view: GrantView & { openMinutes: number }): string {
		const t = this.config.words;
		const items = view.links
			.map(
				(l) =>
					`<li><a class="tc-button" href="${esc(l.href)}" download>${htmlSentence(t('gate.download'), { title: esc(l.document.title) })}</a></li>`,
			)
			.join('');
		// The day stays as YYYY-MM-DD, as the English has always shown it.
		const shared = htmlSentence(t(view.ndaWaived ? 'gate.shared' : 'gate.sharedUnderNda'), {
			name: esc(view.name),
			date: esc(t.date(view.expiresAt)),
		});
		const limits = t('gate.linkLimits', {
			minutes: t('gate.minutes', { count: view.linkMinutes }),
			uses: t('gate.times', { count: view.linkUses }),
			openMinutes: t('gate.minutes', { count: view.openMinutes }),
		});
		return this.page(
			t('gate.documentsTitle'),
			`<p>${shared}</p><ul class="tc-downloads not-content">${items}</ul><p class="tc-small tc-muted">${esc(limits)}</p>`,
		);
	}

	/** A refusal: what is wrong, the fields at fault by their labels, and the reference that finds the log line. */
	refusal(refusal: Refusal, requestId: string): string {
		return this.page(
			refusal.title,
			refusalHtml(refusal, requestId, this.config.words, LABELS, accessUrl()),
		);
	}

	/** A page with `title` and `bodyHtml` (escaped by the method that built it) in place of the form. */
	private page(title: string, bodyHtml: string): string {
		return drawPage(this.form, 'tc-access', this.config.site.companyName, title, bodyHtml);
	}
}

/** `text` escaped, in bold. */
export const strong = (text: string) => `<strong>${esc(text)}</strong>`;

// The request schemas word what is wrong with a field as the English `fieldProblem.*` texts (the JSON
// answers give them so); each is matched back here, with its values, to be said in the site's words.
const FIELD_PROBLEMS = Object.entries(EN)
	.filter(([key]) => key.startsWith('fieldProblem.'))
	.map(([key, english]) => {
		const names: string[] = [];
		const pattern = String(english)
			.split(/\{(\w+)\}/)
			.map((part, i) =>
				i % 2 ? (names.push(part), '(.+?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
			)
			.join('');
		return { key: key as WordKey, names, pattern: new RegExp(`^${pattern}$`) };
	});

/** A field's problem in `t`'s words when it is one the request schemas word, else as it came. */
export function fieldProblemIn(message: string, t: Words): string {
	for (const { key, names, pattern } of FIELD_PROBLEMS) {
		const match = pattern.exec(message);
		if (match)
			return t(
				key,
				Object.fromEntries(
					names.map((name, i) => {
						const value = match[i + 1]!;
						return [name, /^\d+$/.test(value) ? Number(value) : value];
					}),
				),
			);
	}
	return message;
}

/** What a refusal page shows (in the site's language): its title, message and the fields at fault. */
export type Refusal = {
	title: string;
	message: string;
	fields: readonly FieldProblem[] | undefined;
};

/**
 * The body of a refusal page in `t`'s words: the message (with `formPath` as a link back to the form),
 * the fields at fault by the words of their `labels`, and the reference that finds the log line. A
 * field without a label is called "unknown field", not by its name: a form on another site can post
 * here, and its field names must not become text on our page (the messages quote no values either).
 */
export function refusalHtml(
	refusal: Refusal,
	requestId: string,
	t: Words,
	labels: ReadonlyMap<string, WordKey>,
	formPath: string,
): string {
	const label = (field: string) => {
		const key = labels.get(field);
		return t(key ?? 'gateField.unknown');
	};
	const list = refusal.fields?.length
		? `<ul class="tc-gate-errors">${refusal.fields.map((f) => `<li>${htmlSentence(t('gate.fieldProblem'), { field: strong(label(f.field)), message: esc(fieldProblemIn(f.message, t)) })}</li>`).join('')}</ul>`
		: '';
	const text = esc(refusal.message).replace(formPath, `<a href="${formPath}">${formPath}</a>`);
	return `<p>${text}</p>${list}<p class="tc-small tc-muted">${htmlSentence(t('gate.reference'), { id: esc(requestId) })}</p>`;
}

/**
 * A built page (`shell`) with `title` as its title and heading, and `bodyHtml` (escaped by its maker) in
 * place of its box: the `<div id="…">` that ends with `<span id="…-end" hidden>`. This is how every gate
 * page wears the site's header, theme and styles.
 */
export function drawPage(
	shell: string,
	boxId: string,
	companyName: string,
	title: string,
	bodyHtml: string,
): string {
	const t = esc(title);
	const box = new RegExp(
		`<div id="${boxId}">[\\s\\S]*<span id="${boxId}-end" hidden><\\/span>\\s*<\\/div>`,
	);
	return shell
		.replace(/<title>[^<]*<\/title>/, () => `<title>${t} | ${esc(companyName)}</title>`)
		.replace(
			/<h1 id="_top"([^>]*)>[^<]*<\/h1>/,
			(_, attributes: string) => `<h1 id="_top"${attributes}>${t}</h1>`,
		)
		.replace(
			/<meta property="og:title" content="[^"]*"/,
			() => `<meta property="og:title" content="${t}"`,
		)
		.replace(box, () => `<div id="${boxId}">${bodyHtml}</div>`);
}
