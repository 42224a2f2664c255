import { ENGLISH } from '../words/words.ts';
import { join, relative } from 'node:path';
import { walkFiles } from '../files.ts';
import { isNdaBody, isNdaPage } from '../nda/visibility.ts';
import {
	ARCHITECTURE_DIR,
	docUrl,
	faqUrl,
	frameworkUrl,
	policyUrl,
	SECTIONS,
	type SectionId,
	updateUrl,
} from '../routing/urls.ts';
import { chooseContentDir, DOCS_SUBDIR } from './dir.ts';
import { parseContent, type Problem } from './problems.ts';
import { strictDocsPageSchema } from '../../schemas/docs-page.ts';
import {
	entrySlug,
	folderProblems,
	frontmatterOf,
	sourceReader,
	type SourceReader,
} from './load.ts';

/** A Markdown page or entry as written, before Astro renders it. */
export interface SourcePage {
	/** Path relative to the project root. */
	file: string;
	kind: 'docs' | 'framework' | 'policy' | 'update' | 'faq';
	/** Where the public site shows it, e.g. `/security/network/` or `/faq/#uptime`. */
	url: string;
	title: string;
	/** `visibility: nda`: the whole page is left out of the public edition. */
	ndaPage: boolean;
	/** The body is NDA-only but the page is public (a policy with `classification: nda`). */
	ndaBody: boolean;
	/** The Markdown body after the frontmatter. */
	body: string;
	/** Line of the file the body starts on. */
	bodyLine: number;
	/** The frontmatter fields. */
	data: Record<string, unknown>;
}

const KINDS = [
	{
		kind: 'framework',
		dir: 'frameworks',
		url: (d: Front) => frameworkUrl(String(d['id'])),
		title: (d: Front) => String(d['name']),
	},
	{
		kind: 'policy',
		dir: 'policies',
		url: (d: Front) => policyUrl(String(d['id'])),
		title: (d: Front) => String(d['title']),
	},
	{
		kind: 'update',
		dir: 'updates',
		url: (_: Front, slug: string) => updateUrl(slug),
		title: (d: Front) => String(d['title']),
	},
	{
		kind: 'faq',
		dir: 'faq',
		url: (_: Front, slug: string) => faqUrl(slug),
		title: (d: Front) => String(d['question']),
	},
] as const;

type Front = Record<string, unknown>;

/** Reads every Markdown page and entry: architecture docs and the MDX content kinds. */
export function readSourcePages(
	root: string,
	contentDir = chooseContentDir(root),
	read = sourceReader(root),
): SourcePage[] {
	const pages: SourcePage[] = [];
	const docsDir = join(contentDir, DOCS_SUBDIR);
	for (const file of markdownFiles(root, docsDir)) {
		const parsed = split(read, root, file);
		if (parsed)
			pages.push({
				...parsed,
				kind: 'docs',
				url: docPageUrl(docsDir, file),
				title: String(parsed.data['title']),
			});
	}
	for (const k of KINDS) {
		for (const file of markdownFiles(root, join(contentDir, k.dir))) {
			const parsed = split(read, root, file);
			if (!parsed) continue;
			const slug = entrySlug(relative(join(contentDir, k.dir), file));
			pages.push({
				...parsed,
				kind: k.kind,
				url: k.url(parsed.data, slug),
				title: k.title(parsed.data),
			});
		}
	}
	return pages;
}

/**
 * What is wrong with the architecture pages as files (the rest of the check reads the other kinds'): one
 * that cannot be read; a frontmatter that does not fit Starlight's fields and ours, a misspelt field
 * included, which Astro would drop without a word; and one outside `docs/security/`, which Starlight would
 * publish outside the Security architecture section, or not at all where the site has a page of its own
 * there (/faq/, /).
 */
export function docsProblems(
	root: string,
	contentDir = chooseContentDir(root),
	read = sourceReader(root),
): Problem[] {
	const docsDir = join(contentDir, DOCS_SUBDIR);
	const home = join(docsDir, ARCHITECTURE_DIR);
	const ownPages = Object.entries(SECTIONS).filter(([id]) => id !== 'security');
	const schema = strictDocsPageSchema();
	const pages = markdownFiles(root, docsDir).flatMap((file): Problem[] => {
		const { parsed } = read(join(root, file));
		if (!parsed.ok) return [parsed.problem];
		const fields = [
			...parsed.warnings,
			...parseContent(schema, parsed.value, file, parsed.lineOf).problems.map((p) =>
				p.message === 'unknown field' ? { ...p, hint: DOCS_FIELDS_HINT } : p,
			),
		];
		const url = docPageUrl(docsDir, file);
		if (url.startsWith(SECTIONS.security.path)) return fields;
		const section = ownPages.find(([, s]) => url.startsWith(s.path))?.[0];
		const own =
			url === '/'
				? "the site's overview"
				: section && `the site's own ${ENGLISH(`section.${section as SectionId}`)} page`;
		return [
			...fields,
			{
				severity: 'error',
				file,
				field: '',
				message: `is outside ${home}/, where architecture pages live: it would be the page ${url}, outside the Security architecture section${own ? `, where ${own} is` : ''}`,
				hint: `Move it into ${home}/.`,
			},
		];
	});
	return [...folderProblems(root, join(root, docsDir), ['.mdx', '.md']), ...pages];
}

const DOCS_FIELDS_HINT =
	"Check the spelling: an architecture page takes Starlight's fields (title, description, sidebar, tableOfContents, …) and visibility (src/schemas/docs-page.ts); or remove it.";

/** The page an architecture file makes (`docs/security/Key Vault.mdx` → `/security/key-vault/`), as Starlight names it. */
const docPageUrl = (docsDir: string, file: string) =>
	docUrl(entrySlug(relative(docsDir, file)).replace(/^index$/, ''));

function markdownFiles(root: string, dir: string): string[] {
	return walkFiles(join(root, dir), (name) => /\.mdx?$/.test(name) && !name.startsWith('_')).map(
		(file) => relative(root, file),
	);
}

function split(
	read: SourceReader,
	root: string,
	file: string,
): Omit<SourcePage, 'kind' | 'url' | 'title'> | undefined {
	const { text, parsed } = read(join(root, file));
	const frontmatter = frontmatterOf(text);
	// The content check reports a missing or bad frontmatter with its line.
	if (!frontmatter.ok || !parsed.ok) return undefined;
	const data = parsed.value as Front;
	return {
		file,
		data,
		ndaPage: isNdaPage(data),
		ndaBody: isNdaBody(data),
		body: text.slice(frontmatter.length),
		bodyLine: text.slice(0, frontmatter.length).split('\n').length,
	};
}
