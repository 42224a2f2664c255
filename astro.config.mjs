// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { checkContent, contentWarnings } from './src/integration/trust-center.ts';
import { ogImages } from './src/integration/og-images.ts';
import { buildTime } from './src/lib/build-time.ts';
import { brandCss } from './src/lib/brand/css.ts';
import { satteri } from '@astrojs/markdown-satteri';
import { ndaOnlyPlugin } from './src/integration/nda-only-plugin.ts';
import { edition } from './src/lib/nda/edition.ts';
import { EDITION_DIR } from './src/whitepaper/paths.ts';
import { ARCHITECTURE_DIR, SECTIONS } from './src/lib/routing/urls.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const { content, warnings } = checkContent(root);
const { site } = content;
// TRUST_EDITION=nda builds the print edition for the whitepaper into private/; the public edition is
// dist/. Each edition keeps its own content cache in the project, so no content store is ever shared
// between the editions (or between project copies that share node_modules).
const nda = edition() === 'nda';
// The sidebar lists the trust center's sections, then the architecture pages as Starlight orders them.
const { security, ...trustSections } = SECTIONS;

export default defineConfig({
	site: site.url,
	trailingSlash: 'always',
	cacheDir: nda ? './.cache/astro-nda' : './.cache/astro-public',
	...(nda ? { outDir: `./${EDITION_DIR}` } : {}),
	markdown: { processor: satteri({ mdastPlugins: [ndaOnlyPlugin()] }) },
	integrations: [
		contentWarnings(warnings),
		starlight({
			title: site.companyName,
			description: site.tagline,
			// The wordmark shows the name, so it replaces the visible title; the title stays for screen readers
			// and the image is decorative (an alt repeating the title would be read twice).
			logo: { light: `./public${site.logo.light}`, dark: `./public${site.logo.dark ?? site.logo.light}`, alt: '', replacesTitle: true },
			favicon: '/favicon.svg',
			customCss: ['./src/styles/trust.css'],
			routeMiddleware: './src/route-middleware.ts',
			lastUpdated: false,
			pagefind: !nda,
			credits: false,
			components: { Footer: './src/components/Footer.astro', Search: './src/components/Search.astro' },
			head: [{ tag: 'style', content: brandCss(site) }],
			sidebar: [
				{
					label: 'Trust center',
					items: [{ label: 'Overview', link: '/' }, ...Object.values(trustSections).map(({ label, path }) => ({ label, link: path }))],
				},
				{ label: security.label, items: [{ autogenerate: { directory: ARCHITECTURE_DIR } }] },
			],
		}),
		ogImages({ root, content, freshness: { now: buildTime(), maxEvidenceAgeDays: site.controlStatus.maxEvidenceAgeDays }, enabled: !nda }),
	],
});
