import type { Words } from './words/words.ts';
import { absoluteUrl } from './routing/urls.ts';

/** One item of the updates feeds. */
export interface FeedItem {
	id: string;
	title: string;
	summary: string;
	/** Absolute URL of the update's page. */
	url: string;
	date: Date;
	/** Rendered HTML of the body. */
	html: string;
	kind: string;
	/**
	 * The public ids (as /subprocessors.json gives them) of the subprocessors a notice announces; the JSON
	 * Feed carries them in its `_trust_center` extension, for the gate to mail them inside the notice.
	 */
	subprocessors: string[];
}

/** What the feeds say about themselves. */
export interface FeedMeta {
	title: string;
	/** Canonical site URL. */
	siteUrl: string;
	/** Absolute URL of this feed. */
	feedUrl: string;
	author: string;
	/** The site's language tag (`language` in site.yaml): Atom's `xml:lang`, JSON Feed's `language`. */
	language: string;
}

/**
 * What the updates feed at `feedPath` says about itself. Its links use the site's URL as a browser
 * writes it (punycode for an internationalised domain), like the sitemap, canonical links and
 * security.txt.
 */
export function feedMeta(
	site: { companyName: string; legalName: string; url: string; language: string },
	feedPath: string,
	t: Words,
): FeedMeta {
	return {
		title: t('feed.title', { company: site.companyName }),
		siteUrl: absoluteUrl('/', site.url),
		feedUrl: absoluteUrl(feedPath, site.url),
		author: site.legalName,
		language: site.language,
	};
}

function escapeXml(text: string): string {
	return text.replace(
		/[<>&'"]/g,
		(c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
	);
}

/** Atom 1.0 (RFC 4287) feed, newest first. */
export function renderAtom(meta: FeedMeta, items: readonly FeedItem[]): string {
	const updated = items.reduce((max, i) => (i.date > max ? i.date : max), new Date(0));
	const entries = items.map((item) =>
		[
			'  <entry>',
			`    <title>${escapeXml(item.title)}</title>`,
			`    <link href="${escapeXml(item.url)}"/>`,
			`    <id>${escapeXml(item.url)}</id>`,
			`    <updated>${item.date.toISOString()}</updated>`,
			`    <category term="${escapeXml(item.kind)}"/>`,
			`    <summary>${escapeXml(item.summary)}</summary>`,
			`    <content type="html">${escapeXml(item.html)}</content>`,
			'  </entry>',
		].join('\n'),
	);
	return [
		'<?xml version="1.0" encoding="utf-8"?>',
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(meta.language)}">`,
		`  <title>${escapeXml(meta.title)}</title>`,
		`  <link href="${escapeXml(meta.siteUrl)}"/>`,
		`  <link rel="self" href="${escapeXml(meta.feedUrl)}"/>`,
		`  <id>${escapeXml(meta.feedUrl)}</id>`,
		`  <updated>${updated.toISOString()}</updated>`,
		`  <author><name>${escapeXml(meta.author)}</name></author>`,
		...entries,
		'</feed>',
		'',
	].join('\n');
}

/** JSON Feed 1.1, newest first. */
export function renderJsonFeed(meta: FeedMeta, items: readonly FeedItem[]): string {
	return `${JSON.stringify(
		{
			version: 'https://jsonfeed.org/version/1.1',
			title: meta.title,
			home_page_url: meta.siteUrl,
			feed_url: meta.feedUrl,
			language: meta.language,
			authors: [{ name: meta.author }],
			items: items.map((item) => ({
				id: item.url,
				url: item.url,
				title: item.title,
				summary: item.summary,
				content_html: item.html,
				date_published: item.date.toISOString(),
				tags: [item.kind],
				...(item.subprocessors.length > 0 && {
					_trust_center: { subprocessors: item.subprocessors },
				}),
			})),
		},
		null,
		2,
	)}\n`;
}
