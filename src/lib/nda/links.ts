import type { Faq } from '../../schemas/faq.ts';
import type { Entry } from '../content/load.ts';
import { linksIn, siteLink } from '../content/links.ts';
import type { Problem } from '../content/problems.ts';
import type { SourcePage } from '../content/source-pages.ts';
import { frameworkUrl } from '../routing/urls.ts';
import { isNdaPage, NDA_ELEMENT, publicBody } from './visibility.ts';

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
		for (const { href } of linksIn(publicBody(page), page.bodyLine)) {
			const url = siteLink(href, page.url, siteUrl);
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
