import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../site-copy.ts';
import { markdownFile, writeText } from './files.ts';
import { countWords, docsBody, sentence } from './prose.ts';
import { createRandom } from './random.ts';
import { FIXED_PAGES, type GeneratedTrustCenter } from './trust-center.ts';

/** What `makeBareStarlight` wrote. */
export interface BareSite {
	dir: string;
	/** Markdown pages written (Starlight adds its own 404 on top). */
	markdownPages: number;
	/** Words in every Markdown body written. */
	words: number;
}

// Same settings the trust center passes to Astro that change what a build does (sitemap, URLs), and the
// same sidebar shape: the sidebar is rendered into every page, so its size is part of the cost per page.
const ASTRO_CONFIG = `// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

export default defineConfig({
	site: 'https://bare.example',
	trailingSlash: 'always',
	integrations: [
		starlight({
			title: 'Bare',
			sidebar: [
				{ label: 'Trust center', items: ${JSON.stringify(FIXED_PAGES.map((p) => ({ label: p.title, link: `/${p.path.replace(/(^|\/)index$/, '')}/`.replace('//', '/') })))} },
				{ label: 'Security architecture', items: [{ autogenerate: { directory: 'security' } }] },
			],
		}),
	],
});
`;

const CONTENT_CONFIG = `import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';

export const collections = {
	docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
};
`;

/**
 * Makes a minimal Astro + Starlight project in `.tmp/bare-starlight-XXXX/` holding `pages` Markdown pages,
 * so that with Starlight's 404 it builds as many pages as the trust center did.
 * The trust center's docs pages are copied as they are; its framework, policy, update and index pages
 * become docs pages with the same bodies. When `pages` differs from that total, generated docs pages
 * pad it (or the last mirrored pages are left out).
 */
export function makeBareStarlight(site: GeneratedTrustCenter, pages: number): BareSite {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	const dir = mkdtempSync(join(ROOT, '.tmp', 'bare-starlight-'));
	writeText(dir, 'package.json', packageJson());
	writeText(dir, 'astro.config.mjs', ASTRO_CONFIG);
	writeText(dir, 'src/content.config.ts', CONTENT_CONFIG);
	symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
	const docs = join(dir, 'src/content/docs');
	cpSync(site.docsDir, docs, { recursive: true });
	const mirrored = fitMirror(site, pages - site.plan.docs);
	for (const page of mirrored)
		writeText(
			docs,
			`${page.path}.mdx`,
			markdownFile({ title: page.title, description: page.description }, page.body),
		);
	return {
		dir,
		markdownPages: site.plan.docs + mirrored.length,
		words: site.words.docs + mirrored.reduce((sum, p) => sum + countWords(p.body), 0),
	};
}

/**
 * `{ "type": "module" }` plus astro and Starlight as dependencies: Astro decides which packages Vite must
 * bundle for the server by crawling package.json, and without Starlight listed there its `astro:` imports
 * are left to Node, which cannot load them.
 */
function packageJson(): string {
	const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		devDependencies?: Record<string, string>;
	};
	const pick = (name: string) => [name, root.devDependencies?.[name] ?? '*'];
	const devDependencies = Object.fromEntries(['astro', '@astrojs/starlight'].map(pick));
	return `${JSON.stringify({ name: 'bare-starlight', private: true, type: 'module', devDependencies }, null, 2)}\n`;
}

/** The mirror list cut or padded to `count` pages. */
function fitMirror(site: GeneratedTrustCenter, count: number): GeneratedTrustCenter['mirror'] {
	const rng = createRandom(0x5eed_ba5e);
	const extra = Array.from({ length: Math.max(0, count - site.mirror.length) }, (_, i) => ({
		path: `extra/page-${String(i + 1).padStart(4, '0')}`,
		title: `Extra page ${i + 1}`,
		description: sentence(rng),
		body: docsBody(rng, 400),
	}));
	return [...site.mirror, ...extra].slice(0, Math.max(0, count));
}
