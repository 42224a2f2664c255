import { getCollection, type CollectionEntry } from 'astro:content';
import {
	getArchitecture,
	getDocuments,
	getFaq,
	getFrameworks,
	getPolicies,
	getSite,
	getSnapshot,
	getUpdates,
} from '../collections.ts';
import { hasNdaText, isNdaPage } from '../lib/nda/visibility.ts';
import { docUrl, SECTIONS } from '../lib/routing/urls.ts';
import type { Words } from '../lib/words/words.ts';
import { chapterId } from './paths.ts';

/** Everything the whitepaper shows, read once for all its chapters. */
export async function loadWhitepaper() {
	const [
		site,
		snapshot,
		frameworks,
		policies,
		updates,
		faq,
		architecture,
		subprocessors,
		documents,
	] = await Promise.all([
		getSite(),
		getSnapshot(),
		getFrameworks(),
		getPolicies(),
		getUpdates(),
		getFaq(),
		getArchitecture(),
		getCollection('subprocessors'),
		getDocuments(),
	]);
	return {
		site,
		snapshot,
		frameworks,
		architecture,
		policies: policies.length,
		subprocessors: subprocessors.length,
		// The policies and updates the public site does not show in full.
		ndaPolicies: policies.filter(hasNdaText),
		ndaUpdates: updates.filter((u) => isNdaPage(u.data)),
		faq,
		documents,
	};
}

export type Whitepaper = Awaited<ReturnType<typeof loadWhitepaper>>;

/**
 * A top-level chapter. Each kind has its component in src/whitepaper/chapters/. `page` is the site page
 * the chapter prints: links to it (and to its headings) lead to the chapter in the PDF.
 */
export type Chapter = { id: string; title: string; page?: string | undefined } & (
	| {
			kind:
				| 'about'
				| 'frameworks'
				| 'subprocessors'
				| 'policies'
				| 'documents'
				| 'updates'
				| 'faq'
				| 'contacts';
	  }
	| { kind: 'architecture'; doc: CollectionEntry<'docs'> }
);

/**
 * The top-level chapters, in order, titled in the site's words: the table of contents and the PDF
 * outline list exactly these. A kind with nothing in it has no chapter.
 */
export function chapters(paper: Whitepaper, t: Words): Chapter[] {
	type Kind = Exclude<Chapter['kind'], 'architecture'>;
	// The updates chapter holds only the NDA-only updates, not the public /updates/ page.
	const pages: Partial<Record<Kind, string>> = {
		frameworks: SECTIONS.frameworks.path,
		subprocessors: SECTIONS.subprocessors.path,
		policies: SECTIONS.policies.path,
		documents: SECTIONS.documents.path,
		faq: SECTIONS.faq.path,
	};
	const chapter = (kind: Kind, title: string): Chapter => ({
		kind,
		id: chapterId(kind),
		title,
		page: pages[kind],
	});
	const when = (count: number, kind: Kind, title: string) =>
		count > 0 ? [chapter(kind, title)] : [];
	return [
		chapter('about', t('whitepaper.chapterAbout')),
		...when(paper.frameworks.length, 'frameworks', t('whitepaper.chapterFrameworks')),
		...paper.architecture.map((doc): Chapter => ({
			kind: 'architecture',
			id: chapterId(`arch-${doc.id}`),
			title: doc.data.title,
			page: docUrl(doc.id),
			doc,
		})),
		...when(paper.subprocessors, 'subprocessors', t('section.subprocessors')),
		...when(paper.policies, 'policies', t('section.policies')),
		...when(paper.documents.length, 'documents', t('section.documents')),
		...when(paper.ndaUpdates.length, 'updates', t('whitepaper.chapterUpdates')),
		...when(paper.faq.length, 'faq', t('whitepaper.chapterFaq')),
		chapter('contacts', t('whitepaper.chapterContacts')),
	];
}

/** What every chapter component in src/whitepaper/chapters/ is given. */
export interface ChapterProps {
	paper: Whitepaper;
	chapter: Chapter;
}
