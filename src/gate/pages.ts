// The gate's HTML pages, drawn inside the built /access/ page so they carry the site's header, theme
// and styles. Every value put into a page is escaped here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Escapes text for HTML element content and attribute values. */
export function esc(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const BODY = /<div id="tc-access">[\s\S]*<span id="tc-access-end" hidden><\/span>\s*<\/div>/;
const FALLBACK = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Access</title></head><body><main><h1 id="_top">Access</h1><div id="tc-access"><span id="tc-access-end" hidden></span></div></main></body></html>';

/** Renders gate pages from `dist/access/index.html`; reads it once. */
export class Pages {
	readonly form: string;
	readonly siteName: string;
	constructor(dist: string, siteName: string) {
		this.siteName = siteName;
		const file = join(dist, 'access', 'index.html');
		this.form = existsSync(file) ? readFileSync(file, 'utf8') : FALLBACK;
	}

	/** The request form with a fresh anti-forgery token and `documents` ticked. */
	requestForm(csrf: string, documents: readonly string[]): string {
		let html = this.form.replace('value="" data-gate-csrf', `value="${esc(csrf)}" data-gate-csrf`);
		for (const id of documents) html = html.replace(`id="want-${esc(id)}"`, `id="want-${esc(id)}" checked`);
		return html;
	}

	/** A page with `title` and `bodyHtml` (already escaped by the caller) in place of the form. */
	page(title: string, bodyHtml: string): string {
		const t = esc(title);
		return this.form
			.replace(/<title>[^<]*<\/title>/, `<title>${t} | ${esc(this.siteName)}</title>`)
			.replace(/<h1 id="_top"([^>]*)>[^<]*<\/h1>/, (_, attributes: string) => `<h1 id="_top"${attributes}>${t}</h1>`)
			.replace(/<meta property="og:title" content="[^"]*"/, `<meta property="og:title" content="${t}"`)
			.replace(BODY, () => `<div id="tc-access">${bodyHtml}</div>`);
	}
}
