// The access flow's HTML pages, drawn inside the built /access/ page so they carry the site's header,
// theme and styles, and what every gate page shares: escaping, drawing into a built page, refusals.
// Every value put into a page is escaped here (and by subscription-pages.ts through esc), and only so.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FieldProblem } from './errors.ts';
import type { AccessConfig } from './lib/access-config.ts';
import { accessUrl, confirmUrl } from '../lib/routing/urls.ts';
import { documentTitles } from './services/gate.ts';
import type { GrantView } from './services/grants.ts';
import { CONFIRM_HOURS, type ConfirmResult } from './services/requests.ts';

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
	);
}

const FALLBACK =
	'<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Access</title></head><body><main><h1 id="_top">Access</h1><div id="tc-access"><span id="tc-access-end" hidden></span></div></main></body></html>';

/** The request form's labels, for naming the fields at fault on a refusal page. */
const LABELS = new Map([
	['name', 'Full name'],
	['email', 'Work email'],
	['company', 'Company'],
	['role', 'Role'],
	['documents', 'Documents'],
	['reason', 'Reason'],
	['typedName', 'Typed full name'],
	['accept', 'I accept'],
	['ndaVersion', 'NDA version'],
	['ndaSha256', 'NDA fingerprint'],
	['csrf', 'Form token'],
]);

/** Renders gate pages from `dist/access/index.html`; reads it once. */
export class Pages {
	readonly form: string;
	readonly config: AccessConfig;
	constructor(dist: string, config: AccessConfig) {
		this.config = config;
		const file = join(dist, 'access', 'index.html');
		this.form = existsSync(file) ? readFileSync(file, 'utf8') : FALLBACK;
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
		const waived = request.ndaWaivedBy
			? `<p>You did not need to sign the NDA: it is waived for addresses like yours (rule “${esc(request.ndaWaivedBy)}”). Every copy you receive is still watermarked for you.</p>`
			: '';
		return this.page(
			'Check your email',
			`<p>We sent a confirmation link to <strong>${esc(request.email)}</strong>. Open it within ${CONFIRM_HOURS} hours to confirm your request; nothing is shared before you do.</p>${waived}<p class="tc-small tc-muted">Request ${esc(request.id)}. No email after a few minutes? Check your spam folder, or write to ${esc(this.config.site.contacts.security)}.</p>`,
		);
	}

	/** A button, not an automatic confirmation: mail scanners open links, and must not use them up. */
	confirmButton(token: string, csrf: string): string {
		return this.page(
			'Confirm your email',
			`<form method="post" action="${confirmUrl()}" class="tc-access-form not-content"><input type="hidden" name="token" value="${esc(token)}"><input type="hidden" name="csrf" value="${esc(csrf)}"><p>Confirm that this email address is yours to continue your request.</p><button type="submit" class="tc-button">Confirm my email</button></form>`,
		);
	}

	/** Where a request stands after its confirmation (or a later visit to the same link). */
	confirmed(result: ConfirmResult): string {
		const [title, body] = this.outcome(result);
		return this.page(
			result.alreadyConfirmed ? `${title} (already confirmed)` : title,
			`${result.alreadyConfirmed ? '<p>This confirmation link was used before; here is where your request stands.</p>' : ''}${body}`,
		);
	}

	private outcome(result: ConfirmResult): [title: string, bodyHtml: string] {
		const names = (ids: readonly string[]) => esc(documentTitles(this, ids));
		const email = esc(result.request.email);
		const review = `<p>Our security team reviews requests like this one, usually within two business days, and emails ${email} with the outcome.</p>`;
		const security = esc(this.config.site.contacts.security);
		switch (result.request.status) {
			case 'approved':
				return [
					'Access approved',
					`<p>Your request is approved. We emailed a link to your documents to <strong>${email}</strong>.</p>`,
				];
			case 'partial':
				return [
					'Access partly approved',
					`<p>Approved now: ${names(result.granted)}. We emailed the link to <strong>${email}</strong>.</p><p>Waiting for review: ${names(result.review)}.</p>${review}`,
				];
			case 'pending':
				return ['Waiting for review', `<p>Thank you, your email is confirmed.</p>${review}`];
			case 'denied':
				return [
					'Request not approved',
					`<p>We cannot share these documents in response to this request. If you think this is a mistake, write to <a href="mailto:${security}">${security}</a>.</p>`,
				];
			default:
				return ['Request received', ''];
		}
	}

	/** The documents page of a grant, with its download links; it stays open for `openMinutes` in this browser. */
	grant(view: GrantView & { openMinutes: number }): string {
		const items = view.links
			.map(
				(l) =>
					`<li><a class="tc-button" href="${esc(l.href)}" download>Download ${esc(l.document.title)} (PDF)</a></li>`,
			)
			.join('');
		return this.page(
			'Your documents',
			`<p>${esc(view.name)}, these documents are shared with you ${view.ndaWaived ? '' : 'under the NDA '}until ${esc(view.expiresAt.toISOString().slice(0, 10))}. Every copy is watermarked with your name and a download id.</p><ul class="tc-downloads not-content">${items}</ul><p class="tc-small tc-muted">Each link works for ${view.linkMinutes} minutes and up to ${view.linkUses} times. Reload this page for fresh links; it stays open in this browser for ${view.openMinutes} minutes, then open the link from your email again.</p>`,
		);
	}

	/** A refusal: what is wrong, the fields at fault by their labels, and the reference that finds the log line. */
	refusal(refusal: Refusal, requestId: string): string {
		return this.page(refusal.title, refusalHtml(refusal, requestId, LABELS, accessUrl()));
	}

	/** A page with `title` and `bodyHtml` (escaped by the method that built it) in place of the form. */
	private page(title: string, bodyHtml: string): string {
		return drawPage(this.form, 'tc-access', this.config.site.companyName, title, bodyHtml);
	}
}

/** What a refusal page shows: its title, message and the fields at fault. */
export type Refusal = {
	title: string;
	message: string;
	fields: readonly FieldProblem[] | undefined;
};

/**
 * The body of a refusal page: the message (with `formPath` as a link back to the form), the fields at
 * fault by their `labels`, and the reference that finds the log line.
 */
export function refusalHtml(
	refusal: Refusal,
	requestId: string,
	labels: ReadonlyMap<string, string>,
	formPath: string,
): string {
	const list = refusal.fields?.length
		? `<ul class="tc-gate-errors">${refusal.fields.map((f) => `<li><strong>${esc(labels.get(f.field) ?? f.field)}</strong>: ${esc(f.message)}</li>`).join('')}</ul>`
		: '';
	const text = esc(refusal.message).replace(formPath, `<a href="${formPath}">${formPath}</a>`);
	return `<p>${text}</p>${list}<p class="tc-small tc-muted">Reference: ${esc(requestId)}</p>`;
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
