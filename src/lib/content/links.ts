// Links in the team's Markdown: where a page names a target, where on the site it goes, and the check
// that a link into a section made of the team's files (frameworks, policies, updates, architecture
// pages, FAQ entries) goes to one of them, so that a misspelt or renamed page fails the build, with the
// file and line, instead of publishing a link that answers 404.
import { extname } from 'node:path';
import { closest } from '../pull/mapping.ts';
import { faqUrl, SECTIONS } from '../routing/urls.ts';
import { lineAt, withoutCode } from './mdx-body.ts';
import type { Problem } from './problems.ts';
import type { SourcePage } from './source-pages.ts';

/**
 * Where Markdown and MDX name a link target: an inline link `[text](target)`, a reference definition
 * `[name]: target`, and an `href` attribute.
 */
const LINK =
	/\]\(\s*<?([^)\s>]+)|^ {0,3}\[[^\]\n]+\]:\s*<?([^\s>]+)|href\s*=\s*\{?\s*["'`]([^"'`]+)["'`]/gm;

/** Every link target `body` names, with its line in the file (the body starts on `bodyLine`). */
export function linksIn(body: string, bodyLine: number): { href: string; line: number }[] {
	return [...body.matchAll(LINK)].map((match) => ({
		href: (match[1] ?? match[2] ?? match[3])!,
		line: lineAt(body, bodyLine, match.index),
	}));
}

/**
 * The site-relative URL a link on the page at `pageUrl` goes to, in the form the pages use: path with a
 * trailing slash, FAQ anchors kept. Relative links (`./vault/`, `vault`, `../x/`) resolve against the page
 * as a browser resolves them; undefined for a link off the site or one that is no URL.
 */
export function siteLink(href: string, pageUrl: string, siteUrl: string): string | undefined {
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

/** The sections whose pages are the team's files, and how a page there is named (for the hint). */
const TEAM_SECTIONS = [
	{ path: SECTIONS.frameworks.path, naming: "A framework's page is /frameworks/<its id>/." },
	{ path: SECTIONS.policies.path, naming: "A policy's page is /policies/<its id>/." },
	{
		path: SECTIONS.updates.path,
		naming: "An update's page is /updates/<its file name without .md or .mdx>/.",
	},
	{
		path: SECTIONS.security.path,
		naming:
			"An architecture page's address is its path under docs/: docs/security/network.mdx is /security/network/.",
	},
	{
		path: faqUrl(''),
		naming: "An FAQ entry's anchor is its file name without .md or .mdx: /faq/#<file name>.",
	},
];

/**
 * Links into the sections made of the team's files that go to no page there: one error each, with the
 * file and line, and the closest page when one is at most two letters away. A link to an NDA-only page
 * is left to checkNdaLinks; files beside a page (`./diagram.png`) and the other sections' pages and files
 * (/subprocessors/, /updates.xml) are not checked.
 */
export function checkInternalLinks(pages: readonly SourcePage[], siteUrl: string): Problem[] {
	const known = new Set<string>([
		'/',
		...Object.values(SECTIONS).map((s) => s.path),
		...pages.map((p) => p.url),
	]);
	const problems: Problem[] = [];
	for (const page of pages) {
		for (const { href, line } of linksIn(withoutCode(page.body), page.bodyLine)) {
			const url = siteLink(href, page.url, siteUrl);
			if (url === undefined || known.has(url) || extname(url.replace(/\/$/, '')) !== '') continue;
			const section = TEAM_SECTIONS.find((s) => url.startsWith(s.path));
			if (!section) continue;
			const near = closest(
				url,
				[...known].filter((u) => u.startsWith(section.path)),
			);
			problems.push({
				severity: 'error',
				file: page.file,
				field: 'body',
				line,
				message: `links to ${url}, which is no page of the site`,
				hint: near ? `Did you mean ${near}? ${section.naming}` : section.naming,
			});
		}
	}
	return problems;
}
