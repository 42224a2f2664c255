import type { Faq } from '../../schemas/faq.ts';
import type { Entry } from '../content/load.ts';
import type { Problem } from '../content/problems.ts';
import type { SourcePage } from '../content/source-pages.ts';
import { faqUrl, frameworkUrl, SECTIONS } from '../routing/urls.ts';
import { isNdaPage, NDA_ELEMENT, publicBody } from './visibility.ts';

/**
 * Where Markdown and MDX name a link target: an inline link `[text](target)`, a reference definition
 * `[name]: target`, and an `href` attribute.
 */
const LINK =
	/\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)|href\s*=\s*\{?\s*["'`]([^"'`]+)["'`]/gm;

/**
 * The site-relative URL a link on the page at `pageUrl` goes to, in the form the pages use: path with a
 * trailing slash, FAQ anchors kept. Relative links (`./vault/`, `vault`, `../x/`) resolve against the page
 * as a browser resolves them; undefined for a link off the site or one that is no URL.
 */
function normalise(href: string, pageUrl: string, siteUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(href, new URL(pageUrl, siteUrl));
	} catch {
		return undefined;
	}
	if (url.origin !== new URL(siteUrl).origin) return undefined;
	// Pages are named by their decoded path (an FAQ entry by its decoded slug); a "%" that is no escape
	// (/discount-50%/) stays as it is.
	const decoded = (text: string) => {
		try {
			return decodeURIComponent(text);
		} catch {
			return text;
		}
	};
	const path = decoded(url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`);
	const hash = decoded(url.hash.slice(1));
	return path === SECTIONS.faq.path && hash ? faqUrl(hash) : path;
}

/**
 * A public page that links to an NDA-only page would publish a dead link that also tells the world
 * the page exists. Returns one error per such link, naming both pages.
 */
export function checkNdaLinks(
	pages: readonly SourcePage[],
	faq: readonly Entry<Faq>[],
	siteUrl: string,
): Problem[] {
	const ndaPages = new Map(pages.filter((p) => p.ndaPage).map((p) => [p.url, p]));
	const problems: Problem[] = [];
	const report = (from: SourcePage, field: string, target: SourcePage) =>
		problems.push({
			severity: 'error',
			file: from.file,
			field,
			message: `links to ${target.url}, which is NDA-only (${target.file} has visibility: nda)`,
			hint: `Remove the link, put it inside <${NDA_ELEMENT}>, or make the target page public.`,
		});
	for (const page of pages.filter((p) => !p.ndaPage)) {
		for (const match of publicBody(page).matchAll(LINK)) {
			const url = normalise(match[1] ?? match[2] ?? match[3]!, page.url, siteUrl);
			const target = url && ndaPages.get(url);
			if (target) report(page, 'body', target);
		}
	}
	// The FAQ links each answer to its related frameworks.
	for (const entry of faq.filter((e) => !isNdaPage(e.data))) {
		const page = pages.find((p) => p.file === entry.file);
		entry.data.frameworks.forEach((id, i) => {
			const target = ndaPages.get(frameworkUrl(id));
			if (page && target) report(page, `frameworks[${i}]`, target);
		});
	}
	return problems;
}
