import { getCollection, type CollectionEntry } from 'astro:content';
import {
	getArchitecture,
	getFaq,
	getFrameworks,
	getPolicies,
	getSite,
	getSnapshot,
	getUpdates,
} from '../collections.ts';
import { hasNdaText, isNdaPage } from '../lib/nda/visibility.ts';
import { chapterId } from './paths.ts';

/** Everything the whitepaper shows, read once for all its chapters. */
export async function loadWhitepaper() {
	const [site, snapshot, frameworks, policies, updates, faq, architecture, subprocessors] =
		await Promise.all([
			getSite(),
			getSnapshot(),
			getFrameworks(),
			getPolicies(),
			getUpdates(),
			getFaq(),
			getArchitecture(),
			getCollection('subprocessors'),
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
	};
}

export type Whitepaper = Awaited<ReturnType<typeof loadWhitepaper>>;

/** A top-level chapter. Each kind has its component in src/whitepaper/chapters/. */
export type Chapter = { id: string; title: string } & (
	| { kind: 'about' | 'frameworks' | 'subprocessors' | 'policies' | 'updates' | 'faq' | 'contacts' }
	| { kind: 'architecture'; doc: CollectionEntry<'docs'> }
);

/** The top-level chapters, in order: the table of contents and the PDF outline list exactly these. A kind with nothing in it has no chapter. */
export function chapters(paper: Whitepaper): Chapter[] {
	const chapter = (kind: Exclude<Chapter['kind'], 'architecture'>, title: string): Chapter => ({
		kind,
		id: chapterId(kind),
		title,
	});
	const when = (count: number, kind: Exclude<Chapter['kind'], 'architecture'>, title: string) =>
		count > 0 ? [chapter(kind, title)] : [];
	return [
		chapter('about', 'About this document'),
		...when(paper.frameworks.length, 'frameworks', 'Frameworks and control status'),
		...paper.architecture.map((doc): Chapter => ({
			kind: 'architecture',
			id: chapterId(`arch-${doc.id}`),
			title: doc.data.title,
			doc,
		})),
		...when(paper.subprocessors, 'subprocessors', 'Subprocessors'),
		...when(paper.policies, 'policies', 'Policies'),
		...when(paper.ndaUpdates.length, 'updates', 'Updates shared under NDA'),
		...when(paper.faq.length, 'faq', 'Frequently asked questions'),
		chapter('contacts', 'Contacts'),
	];
}

/** What every chapter component in src/whitepaper/chapters/ is given. */
export interface ChapterProps {
	paper: Whitepaper;
	chapter: Chapter;
}
