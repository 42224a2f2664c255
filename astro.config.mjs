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
import { EDITION_DIR, edition } from './src/lib/nda/edition.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const { content, warnings } = checkContent(root);
const { site } = content;
// TRUST_EDITION=nda builds the print edition for the whitepaper into private/; the public edition is
// dist/. Each edition keeps its own content cache in the project, so no content store is ever shared
// between the editions (or between project copies that share node_modules).
const nda = edition() === 'nda';

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
					items: [
						{ label: 'Overview', link: '/' },
						{ label: 'Frameworks', link: '/frameworks/' },
						{ label: 'Policies', link: '/policies/' },
						{ label: 'Subprocessors', link: '/subprocessors/' },
						{ label: 'Documents', link: '/documents/' },
						{ label: 'Updates', link: '/updates/' },
						{ label: 'FAQ', link: '/faq/' },
					],
				},
				{ label: 'Security architecture', items: [{ autogenerate: { directory: 'security' } }] },
			],
		}),
		ogImages({ root, content, freshness: { now: buildTime(), maxEvidenceAgeDays: site.controlStatus.maxEvidenceAgeDays }, enabled: !nda }),
	],
});
