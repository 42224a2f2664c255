import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { i18nLoader } from '@astrojs/starlight/loaders';
import { i18nSchema } from '@astrojs/starlight/schema';
import { parse as parseYaml } from 'yaml';
import { CatalogSchema } from './schemas/catalog.ts';
import { ControlStatusSnapshotSchema } from './schemas/control-status.ts';
import { DocumentSchema } from './schemas/document.ts';
import { FaqSchema } from './schemas/faq.ts';
import { FrameworkSchema } from './schemas/framework.ts';
import { PolicySchema } from './schemas/policy.ts';
import { SiteSettingsSchema } from './schemas/site.ts';
import { SubprocessorSchema } from './schemas/subprocessor.ts';
import { UpdateSchema } from './schemas/update.ts';
import { chooseContentDir, DOCS_SUBDIR } from './lib/content/dir.ts';
import { alwaysLoaded } from './integration/always-loaded.ts';
import { editionLoader, unroutedInNdaEdition } from './integration/edition-loader.ts';
import { docsPageSchema } from './schemas/docs-page.ts';

// content/, or the example when there is none (relative to the project root, where Astro runs).
const CONTENT_DIR = chooseContentDir(process.cwd());
const byIdField = ({ data }: { data: Record<string, unknown> }) => String(data['id']);
// Markdown kinds may say `visibility: nda`; the public edition never stores those entries. A kind with
// no files yet is an empty collection, without warnings.
const mdx = (dir: string, generateId?: typeof byIdField) =>
	alwaysLoaded(
		editionLoader(
			glob({
				pattern: '**/[^_]*.{md,mdx}',
				base: `${CONTENT_DIR}/${dir}`,
				...(generateId ? { generateId } : {}),
			}),
		),
	);
const yaml = (dir: string) =>
	alwaysLoaded(
		glob({ pattern: '**/[^_]*.{yaml,yml}', base: `${CONTENT_DIR}/${dir}`, generateId: byIdField }),
	);

export const collections = {
	// Starlight's docsLoader() reads src/content/docs only; the architecture pages live in the content folder's docs/.
	docs: defineCollection({
		loader: unroutedInNdaEdition(mdx(DOCS_SUBDIR)),
		schema: docsPageSchema,
	}),
	site: defineCollection({
		loader: file(`${CONTENT_DIR}/site.yaml`, { parser: (text) => ({ site: parseYaml(text) }) }),
		schema: SiteSettingsSchema,
	}),
	controlStatus: defineCollection({
		loader: file(`${CONTENT_DIR}/control-status.json`, {
			parser: (text) => ({ snapshot: JSON.parse(text) }),
		}),
		schema: ControlStatusSnapshotSchema,
	}),
	frameworks: defineCollection({ loader: mdx('frameworks', byIdField), schema: FrameworkSchema }),
	catalogs: defineCollection({ loader: yaml('catalogs'), schema: CatalogSchema }),
	policies: defineCollection({ loader: mdx('policies', byIdField), schema: PolicySchema }),
	subprocessors: defineCollection({ loader: yaml('subprocessors'), schema: SubprocessorSchema }),
	documents: defineCollection({ loader: yaml('documents'), schema: DocumentSchema }),
	updates: defineCollection({ loader: mdx('updates'), schema: UpdateSchema }),
	faq: defineCollection({ loader: mdx('faq'), schema: FaqSchema }),
	// Starlight reads UI translations from this collection on every build; the site has none, and
	// defining it (empty) keeps Starlight from warning that it is missing.
	i18n: defineCollection({ loader: alwaysLoaded(i18nLoader()), schema: i18nSchema() }),
};
