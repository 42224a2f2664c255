import { defineCollection } from 'astro:content';
import { file, glob } from 'astro/loaders';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
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
import { CONTENT_DIR } from './integration/paths.ts';
import { editionLoader } from './integration/edition-loader.ts';
import { DocsPageFields } from './schemas/docs-page.ts';

const byIdField = ({ data }: { data: Record<string, unknown> }) => String(data['id']);
// Markdown kinds may say `visibility: nda`; the public edition never stores those entries.
const mdx = (dir: string, generateId?: typeof byIdField) =>
	editionLoader(glob({ pattern: '**/[^_]*.{md,mdx}', base: `${CONTENT_DIR}/${dir}`, ...(generateId ? { generateId } : {}) }));
const yaml = (dir: string) => glob({ pattern: '**/[^_]*.{yaml,yml}', base: `${CONTENT_DIR}/${dir}`, generateId: byIdField });

export const collections = {
	docs: defineCollection({ loader: editionLoader(docsLoader()), schema: docsSchema({ extend: DocsPageFields }) }),
	site: defineCollection({ loader: file(`${CONTENT_DIR}/site.yaml`, { parser: (text) => ({ site: parseYaml(text) }) }), schema: SiteSettingsSchema }),
	controlStatus: defineCollection({ loader: file(`${CONTENT_DIR}/control-status.json`, { parser: (text) => ({ snapshot: JSON.parse(text) }) }), schema: ControlStatusSnapshotSchema }),
	frameworks: defineCollection({ loader: mdx('frameworks', byIdField), schema: FrameworkSchema }),
	catalogs: defineCollection({ loader: yaml('catalogs'), schema: CatalogSchema }),
	policies: defineCollection({ loader: mdx('policies', byIdField), schema: PolicySchema }),
	subprocessors: defineCollection({ loader: yaml('subprocessors'), schema: SubprocessorSchema }),
	documents: defineCollection({ loader: yaml('documents'), schema: DocumentSchema }),
	updates: defineCollection({ loader: mdx('updates'), schema: UpdateSchema }),
	faq: defineCollection({ loader: mdx('faq'), schema: FaqSchema }),
};
