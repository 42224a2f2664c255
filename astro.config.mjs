// @ts-check
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { contentWarnings, runContentCheck } from './src/integration/trust-center.ts';
import { plainText } from './src/lib/reporters/content.ts';
import { devContentCheck } from './src/integration/dev-content-check.ts';
import { ogImages } from './src/integration/og-images.ts';
import { onBuildLog } from './src/integration/build-logs.ts';
import { precompressed } from './src/integration/precompress.ts';
import { bundledSignal } from './src/integration/bundled-signal.ts';
import { buildTime } from './src/lib/build-time.ts';
import { brandCss } from './src/lib/brand/css.ts';
import { satteri } from '@astrojs/markdown-satteri';
import { ndaOnlyPlugin } from './src/integration/nda-only-plugin.ts';
import { edition } from './src/lib/nda/edition.ts';
import { siteLocale } from './src/lib/language.ts';
import { siteLanguage } from './src/integration/site-language.ts';
import { searchSettings } from './src/integration/search.ts';
import { siteWords } from './src/lib/words/words.ts';
import { EDITION_DIR } from './src/whitepaper/paths.ts';
import { ARCHITECTURE_DIR, FILES, SECTIONS } from './src/lib/routing/urls.ts';
import {
	chooseContentDir,
	DOCS_SUBDIR,
	exampleNotice,
	FAVICON,
	PUBLIC_SUBDIR,
} from './src/lib/content/dir.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
// content/, or the example when there is none: the team's files, architecture pages and public assets.
const contentDir = chooseContentDir(root);
const publicDir = `./${contentDir}/${PUBLIC_SUBDIR}`;
const { content, warnings, failure } = runContentCheck(root);
// `astro dev` reloads this file when it changes and keeps the last good config when it throws, so there
// the failure is thrown; elsewhere the report is the whole message. Thrown, Astro would print it as
// "Unable to load your Astro config" with a stack trace of this file and a hint about browser APIs.
if (!content && process.argv[2] === 'dev') throw failure;
if (!content) {
	console.error(`\n${plainText(failure?.message ?? '')}\n\n${failure?.hint ?? ''}\n`);
	process.exit(1);
}
const { site } = content;
// TRUST_EDITION=nda builds the print edition for the whitepaper into private/; the public edition is
// dist/. Each edition keeps its own content cache in the project, so no content store is ever shared
// between the editions (or between project copies that share node_modules).
const nda = edition() === 'nda';
// The sidebar lists the trust center's sections, then the architecture pages as Starlight orders them.
const { security: _security, ...trustSections } = SECTIONS;
const t = siteWords(site);
const feedTitle = t('feed.title', { company: site.companyName });

export default defineConfig({
	site: site.url,
	trailingSlash: 'always',
	// Stylesheets are files (Astro's default: only those under 4 KB are inlined), cached for a year
	// under /_astro/: each page after the first carries none of Starlight's 64 KB of CSS. Inlined into
	// every page they made the HTML 2.5 times as large, for every build step that handles it, and
	// Lighthouse (mobile) scored the audited pages no higher.
	build: { inlineStylesheets: 'auto' },
	publicDir,
	// Pages import single files of the content folder (the NDA) through this alias, wherever it is.
	vite: {
		resolve: { alias: { '@trust/content': join(root, contentDir) } },
		build: { rolldownOptions: { onLog: onBuildLog } },
	},
	cacheDir: nda ? './.cache/astro-nda' : './.cache/astro-public',
	...(nda ? { outDir: `./${EDITION_DIR}` } : {}),
	markdown: { processor: satteri({ mdastPlugins: [ndaOnlyPlugin()] }) },
	integrations: [
		contentWarnings(warnings, exampleNotice(root)),
		devContentCheck(root, warnings),
		starlight({
			title: site.companyName,
			description: site.tagline,
			// One language, at the root: every page's lang and dir, og:locale, Pagefind's word splitting and
			// Starlight's own words follow site.yaml's `language`.
			locales: { root: siteLocale(site.language) },
			// Starlight's words for a language it has under another tag or not at all, and the search box's,
			// which Pagefind's UI would leave in English.
			plugins: [siteLanguage(site.language)],
			// The wordmark shows the name, so it replaces the visible title; the title stays for screen readers
			// and the image is decorative (an alt repeating the title would be read twice).
			logo: {
				light: `${publicDir}${site.logo.light}`,
				dark: `${publicDir}${site.logo.dark ?? site.logo.light}`,
				alt: '',
				replacesTitle: true,
			},
			favicon: FAVICON,
			// Starlight's Markdown features (asides, heading anchors) apply to src/content/docs; the architecture
			// pages are in the content folder.
			markdown: { processedDirs: [`./${contentDir}/${DOCS_SUBDIR}`] },
			customCss: ['./src/styles/trust.css'],
			routeMiddleware: './src/route-middleware.ts',
			lastUpdated: false,
			// src/pages/404.astro: Starlight's own looks for a docs entry named 404 and warns without one.
			disable404Route: true,
			pagefind: !nda,
			credits: false,
			components: {
				Footer: './src/components/Footer.astro',
				Search: './src/components/Search.astro',
			},
			// The feeds are announced on every page, so a feed reader finds them from any page it is given.
			head: [
				{ tag: 'style', content: brandCss(site) },
				{
					tag: 'link',
					attrs: {
						rel: 'alternate',
						type: 'application/atom+xml',
						title: feedTitle,
						href: FILES.atomFeed,
					},
				},
				{
					tag: 'link',
					attrs: {
						rel: 'alternate',
						type: 'application/feed+json',
						title: feedTitle,
						href: FILES.jsonFeed,
					},
				},
			],
			sidebar: [
				{
					label: t('section.trustCenter'),
					items: [
						{ label: t('section.overview'), link: '/' },
						...Object.entries(trustSections).map(([id, { path }]) => ({
							label: t(/** @type {`section.${keyof typeof trustSections}`} */ (`section.${id}`)),
							link: path,
						})),
					],
				},
				// Starlight matches autogenerated directories against file paths under src/content/docs/; the
				// architecture pages live in the content folder, so the directory is named from the project root.
				{
					label: t('section.security'),
					items: [
						{ autogenerate: { directory: `${contentDir}/${DOCS_SUBDIR}/${ARCHITECTURE_DIR}` } },
					],
				},
			],
		}),
		ogImages({
			root,
			contentDir,
			content,
			freshness: { now: buildTime(), maxEvidenceAgeDays: site.controlStatus.maxEvidenceAgeDays },
			enabled: !nda,
		}),
		// Pagefind's index in smaller chunks, and the search box running it in the page.
		searchSettings({ enabled: !nda }),
		// Last, so that it compresses what Pagefind and the OG images step wrote too.
		precompressed({ enabled: !nda }),
		// Tells npm run build when the NDA edition's build may start beside this one.
		bundledSignal(),
	],
});
