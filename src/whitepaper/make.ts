// The whitepaper's steps: build the NDA edition, launch the browser, print, write.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { PDFDocument } from 'pdf-lib';
import { buildTime } from '../lib/build-time.ts';
import { privateDir } from '../lib/files.ts';
import { loadContent } from '../lib/content/load.ts';
import { readSourcePages, type SourcePage } from '../lib/content/source-pages.ts';
import { formatReport } from '../lib/reporters/content.ts';
import { CHROMIUM_FLAGS } from '../../scripts/lib/chromium.ts';
import { EDITION_VAR } from '../lib/nda/edition.ts';
import { siteWords, type Labels, type Words } from '../lib/words/words.ts';
import { writeFileAtomic } from '../lib/pull/snapshot-file.ts';
import { drawOver, loadPdf, readDestinations, withMetadata, type PrintedHeading } from './pdf.ts';
import { pageOf } from './margins.ts';
import { scopedId } from './scope.ts';
import { staticRoutes } from '../gate/routes/static.ts';
import { buildSite } from '../../scripts/lib/site-copy.ts';
import {
	EDITION_DIR,
	PRINT_PAGE,
	PRINT_PATH,
	PRIVATE_DIR,
	WHITEPAPER_MANIFEST,
	WHITEPAPER_PDF,
	whitepaperTitle,
	type WhitepaperManifest,
} from './paths.ts';

/** A page of the site, as print() needs to know it to point links at it: see keepLinksInside. */
export type SitePage = Pick<SourcePage, 'url' | 'file' | 'ndaPage'>;

/** A step that failed, with the message to print. */
export class StepError extends Error {}

/** Step 1: builds the print edition (TRUST_EDITION=nda) into private/edition/. */
export async function buildEdition(root: string): Promise<void> {
	// The edition and the PDF are the NDA content without a watermark: only their owner may read them.
	privateDir(join(root, PRIVATE_DIR));
	const { code, output } = await buildSite(root, [], { [EDITION_VAR]: 'nda' });
	if (code !== 0) throw new StepError(`Building the NDA edition failed:\n${output.trim()}`);
	if (!existsSync(join(root, EDITION_DIR, PRINT_PAGE)))
		throw new StepError(`The NDA edition built, but ${EDITION_DIR}/${PRINT_PAGE} is missing.`);
}

/** Step 2: launches Chromium headless through Playwright. */
export async function launchBrowser(executablePath: string): Promise<Browser> {
	try {
		return await chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
	} catch (error) {
		throw new StepError(launchFailure(executablePath, (error as Error).message));
	}
}

/**
 * Why Chromium did not start, from Playwright's error: its first line, and what the browser itself
 * printed before it exited (the `[pid=…][err]` lines: a missing library, a crash), which that first
 * line leaves out, then how to check the browser by hand.
 */
export function launchFailure(executablePath: string, message: string): string {
	const [first = '', ...rest] = message.split('\n');
	const printed = rest
		.map((line) => /^\s*\[pid=\d+\]\[err\]\s?(.*)$/.exec(line)?.[1]?.trim())
		.filter((line): line is string => Boolean(line))
		.slice(-5);
	return [
		`Launching Chromium (${executablePath}) failed: ${first}`,
		...(printed.length > 0 ? ['Chromium printed:', ...printed.map((line) => `  ${line}`)] : []),
		`Check that it runs: ${executablePath} --headless --no-sandbox --version; npm run setup:chromium installs Debian's chromium, or set CHROME_PATH to another.`,
	].join('\n');
}

/** Serves the NDA edition on a loopback port for the print, and only for it, with the gate's static route. */
function serveEdition(dir: string): Promise<{ server: ServerType; origin: string }> {
	return new Promise((resolve) => {
		// overrideGlobalObjects: false keeps this build process's own Request and Response as they are.
		const app = {
			fetch: staticRoutes(dir).fetch,
			port: 0,
			hostname: '127.0.0.1',
			overrideGlobalObjects: false,
		};
		const server = serve(app, (info: AddressInfo) =>
			resolve({ server, origin: `http://127.0.0.1:${info.port}` }),
		);
	});
}

// The page box: the same for both prints, so both break the pages in the same places.
const PAGE = {
	format: 'A4',
	margin: { top: '20mm', bottom: '18mm', left: '16mm', right: '16mm' },
	printBackground: true,
	tagged: true,
} as const;

/** The width of A4 paper (210 mm) less PAGE's side margins, in CSS px (96 to the inch). */
const CONTENT_WIDTH = Math.floor(
	((210 - parseFloat(PAGE.margin.left) - parseFloat(PAGE.margin.right)) / 25.4) * 96,
);

/**
 * Chromium prints a page wider than the paper by shrinking every page until it fits, and says nothing:
 * one long word in a table cell prints the whole whitepaper at 90%. Laid out at the paper's width under
 * print media (print opens the page so), a table wider than that gets the class `wp-too-wide`, which
 * lets its words break (print.css); then the print page fails naming each element still wider than the
 * page (the outermost).
 */
async function checkWidth(page: Page, where: string): Promise<void> {
	const wide = await page.evaluate(() => {
		const width = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= width) return [];
		const over = (e: Element) => Math.floor(e.getBoundingClientRect().right) - width;
		for (const table of document.querySelectorAll('table'))
			if (over(table) > 0) table.classList.add('wp-too-wide');
		return [...document.body.querySelectorAll('*')]
			.filter((e) => over(e) > 0 && !(e.parentElement && over(e.parentElement) > 0))
			.map((e) => ({
				element: e.tagName.toLowerCase(),
				text: (e.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 60),
				page: e.closest<HTMLElement>('[data-page]')?.dataset['page'] ?? '',
				by: over(e),
			}));
	});
	if (wide.length > 0)
		throw new StepError(
			`Printing failed on ${where}: ${wide
				.map(
					(w) =>
						`the ${w.element} "${w.text}"${w.page ? ` (from ${w.page})` : ''} is ${w.by} px wider than the page`,
				)
				.join(
					'; ',
				)}, so Chromium would print every page smaller to fit it. Shorten the long word, name or address in it, or break it with a hyphen or space.`,
		);
}

/**
 * As served here, a link to one of the site's pages points to this loopback server, which is gone when
 * the PDF is read. It points to the element of the print that holds that page (an element with
 * `data-page`: a chapter, or a framework, policy, update or FAQ entry), to the heading its `#hash` names
 * there (ids are scoped to that element, src/whitepaper/scope.ts), and otherwise to the page on the
 * public site. An NDA-only page of `pages` is not on the public site: a link to one the print does not
 * hold would be dead, so the print fails naming the files. Links within the print page stay.
 */
async function keepLinksInside(
	page: Page,
	served: string,
	siteUrl: string,
	pages: readonly SitePage[],
	where: string,
): Promise<void> {
	const dead = await page.evaluate(
		({ served, siteUrl, nda, separator }) => {
			const holders = new Map(
				[...document.querySelectorAll<HTMLElement>('[data-page]')].map((e) => [
					e.dataset['page']!,
					e,
				]),
			);
			const dead: { href: string; from: string }[] = [];
			for (const link of document.querySelectorAll<HTMLAnchorElement>('a[href]')) {
				const url = new URL(link.href);
				if (url.origin !== served || url.pathname === location.pathname) continue;
				// data-page and the NDA-only pages hold paths as written (/security/暗号化/), the URL
				// percent-encodes them (/security/%E6%9A%97…/).
				const decoded = (part: string) => {
					try {
						return decodeURIComponent(part);
					} catch {
						return part; // A "%" that is no escape stays as written.
					}
				};
				const path = decoded(url.pathname);
				const hash = decoded(url.hash.slice(1));
				// An FAQ entry is a page's section: /faq/#id.
				const entry = holders.get(`${path}#${hash}`);
				const holder = holders.get(path);
				const heading =
					holder && hash ? document.getElementById(`${holder.id}${separator}${hash}`) : null;
				const target = entry ?? heading ?? holder;
				if (target) link.href = `#${target.id}`;
				else if (nda.includes(path))
					dead.push({
						href: path,
						from: link.closest<HTMLElement>('[data-page]')?.dataset['page'] ?? '',
					});
				else link.href = new URL(`${url.pathname}${url.search}${url.hash}`, siteUrl).href;
			}
			return dead;
		},
		{
			served,
			siteUrl,
			nda: pages.filter((p) => p.ndaPage).map((p) => p.url),
			// How scope.ts names a heading inside its element (the page runs none of this module's code).
			separator: scopedId('', ''),
		},
	);
	const file = (url: string) => pages.find((p) => p.url === url)?.file ?? url;
	if (dead.length > 0)
		throw new StepError(
			`Printing failed on ${where}: ${dead
				.map(
					(d) =>
						`${d.from ? file(d.from) : 'the print page'} links to ${d.href}, which is NDA-only (${file(d.href)} has visibility: nda) and not in the whitepaper`,
				)
				.join(
					'; ',
				)}. The public site does not have it either, so the link would be dead: print the page in the whitepaper, or remove the link.`,
		);
}

/**
 * Step 3: prints the print page to PDF, then its table of contents again with the page numbers. The
 * whole print's link targets say on which page each chapter starts. Those numbers go into the
 * contents, whose cells keep their width whatever their number (print.css); everything after the
 * contents is taken out, and the pages left, printed again, are drawn in place of the whole print's
 * first pages (drawOver). Laying the whole page out in a first print, as before, made this step
 * about 1.5 times as long on the 2,800 pages of the 2,000-page bench site.
 */
export async function print(
	browser: Browser,
	root: string,
	site: { url: string; language: string; labels: Labels },
	pages: readonly SitePage[] = [],
): Promise<{
	doc: PDFDocument;
	headings: PrintedHeading[];
	tocEntries: number;
	printMs: number;
	contentsMs: number;
}> {
	const { server, origin } = await serveEdition(join(root, EDITION_DIR));
	const url = `${origin}${PRINT_PATH}`;
	const where = PRINT_PATH;
	const failed: string[] = [];
	try {
		// Laid out once, at the paper's width under print media, as checkWidth reads it: on the screen's
		// width it was laid out a second time for the check, 3.7 s of the 2,000-page bench site's print.
		const page = await browser.newPage({ viewport: { width: CONTENT_WIDTH, height: 720 } });
		await page.emulateMedia({ media: 'print' });
		page.on('requestfailed', (r) =>
			failed.push(`${r.url().replace(origin, '')} (${r.failure()?.errorText})`),
		);
		page.on(
			'response',
			(r) =>
				r.status() >= 400 && failed.push(`${r.url().replace(origin, '')} (HTTP ${r.status()})`),
		);
		page.on('pageerror', (e) => failed.push(`script error: ${e.message}`));
		const response = await page.goto(url, { waitUntil: 'load' }).catch((error: Error) => {
			throw new StepError(
				`Printing failed on ${where}: the page did not load (${error.message.split('\n')[0]}).`,
			);
		});
		if (!response?.ok())
			throw new StepError(
				`Printing failed on ${where}: the page answered HTTP ${response?.status()}.`,
			);
		await page.evaluate(() => document.fonts.ready);
		if (failed.length > 0)
			throw new StepError(`Printing failed on ${where}: ${failed.join('; ')}.`);
		await keepLinksInside(page, origin, site.url, pages, where);
		await checkWidth(page, where);
		// Chromium titles each bookmark with its heading's laid-out text, which loses the space where the
		// heading wraps and keeps its badge: the titles are set again from these (withMetadata).
		const headings = await page.evaluate(() =>
			[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => {
				const title = h.cloneNode(true) as Element;
				for (const badge of title.querySelectorAll('.tc-badge')) badge.remove();
				return {
					text: h.textContent ?? '',
					title: title.textContent?.replace(/\s+/g, ' ').trim() ?? '',
				};
			}),
		);
		const printStarted = performance.now();
		const printed = await page.pdf({ ...PAGE, outline: true });
		const printMs = performance.now() - printStarted;
		const doc = await loadPdf(printed);
		const contents = await printContents(page, doc, siteWords(site), where);
		return { doc, headings, tocEntries: contents.entries, printMs, contentsMs: contents.ms };
	} finally {
		server.close();
	}
}

/**
 * Fills in the table of contents of `doc`, a print of `page`, with the page each chapter starts on,
 * and returns how many entries it has and how long their print took. Its cells name each chapter by
 * its element id: titles may repeat, ids do not. The element holding the contents is followed by its
 * first chapter, which starts a page: the pages up to there are printed again, alone, and drawn over
 * `doc`'s. Their footers count the whole print's pages.
 */
async function printContents(
	page: Page,
	doc: PDFDocument,
	t: Words,
	where: string,
): Promise<{ entries: number; ms: number }> {
	const starts = readDestinations(doc);
	const listed = await page.evaluate(() =>
		[...document.querySelectorAll<HTMLElement>('[data-toc-page]')].map((cell) => ({
			id: cell.dataset['tocPage']!,
			title: cell.parentElement?.querySelector('a')?.textContent?.trim() ?? '',
		})),
	);
	if (listed.length === 0) return { entries: 0, ms: 0 };
	const missing = listed.filter((chapter) => !starts.has(chapter.id));
	if (missing.length > 0)
		throw new StepError(
			`Printing failed on ${where}: the contents list ${missing.map((m) => `"${m.title}" (#${m.id})`).join(', ')}, but the print has no link target of that id, so the table of contents cannot give the page. Each entry of the contents needs an element with its id.`,
		);
	const next = await page.evaluate(
		({ numbers, footer }) => {
			for (const cell of document.querySelectorAll<HTMLElement>('[data-toc-page]'))
				cell.textContent = String(numbers[cell.dataset['tocPage']!]);
			document.documentElement.style.setProperty('--wp-running-footer', footer);
			const contents = document.querySelector('[data-toc-page]')!.closest('body > *')!;
			const next = contents.nextElementSibling;
			while (contents.nextSibling) contents.nextSibling.remove();
			return next && { id: next.id, tag: next.tagName.toLowerCase() };
		},
		{ numbers: Object.fromEntries(starts), footer: pageOf(t, doc.getPageCount()) },
	);
	const started = performance.now();
	const printed = await page.pdf(PAGE);
	const ms = performance.now() - started;
	const contents = await loadPdf(printed);
	const ends = contents.getPageCount();
	const start = next && starts.get(next.id);
	if (start !== ends + 1)
		throw new StepError(
			`Printing failed on ${where}: the table of contents ends on page ${ends}, but ${
				!next
					? 'nothing follows it'
					: start === undefined
						? `what follows it (${next.id ? `#${next.id}` : `a ${next.tag} without an id`}) is no chapter it lists`
						: `#${next.id}, which follows it, starts on page ${start}`
			}. Its pages are printed again with their numbers, alone: the contents must be followed by a chapter they list, starting on a page of its own (print.css: .wp-chapter).`,
		);
	await drawOver(doc, contents);
	return { entries: listed.length, ms };
}

/** What the write step needs to know besides the PDF. */
export interface WriteInput {
	company: string;
	legalName: string;
	version: string;
	controlStatusAsOf: string;
	controlStatusDigest: string | null;
	/** The print's headings in document order, to title the bookmarks with. */
	headings?: readonly PrintedHeading[];
	/** The site's words, for the PDF's title, subject and keywords. */
	t: Words;
}

/** Step 4: sets the PDF's metadata, then writes it and its manifest atomically to private/. */
export async function writeWhitepaper(
	root: string,
	pdf: PDFDocument,
	input: WriteInput,
): Promise<WhitepaperManifest> {
	const built = buildTime();
	const { t } = input;
	const { bytes, pages } = await withMetadata(pdf, {
		title: whitepaperTitle(input.company, t),
		author: input.legalName,
		subject: t('whitepaper.pdfSubject', {
			company: input.company,
			asOf: input.controlStatusAsOf,
		}),
		keywords: [
			t('whitepaper.keywordSecurity'),
			t('whitepaper.keywordCompliance'),
			t('whitepaper.keywordEdition'),
			t('whitepaper.keywordVersion', { version: input.version }),
		],
		creator: 'trust-center npm run whitepaper',
		created: built,
		version: input.version,
		headings: input.headings ?? [],
	});
	const manifest: WhitepaperManifest = {
		file: WHITEPAPER_PDF.split('/').at(-1)!,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		bytes: bytes.length,
		pages,
		version: input.version,
		controlStatusAsOf: input.controlStatusAsOf,
		controlStatusDigest: input.controlStatusDigest,
		builtAt: built.toISOString(),
	};
	privateDir(join(root, PRIVATE_DIR));
	writeFileAtomic(join(root, WHITEPAPER_PDF), bytes);
	writeFileAtomic(join(root, WHITEPAPER_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
	return manifest;
}

/** Starts `run` at once; resolves with its result and how long it took, however late it is awaited. */
async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
	const started = performance.now();
	const result = await run();
	return { result, ms: performance.now() - started };
}

/** How `npm run build` runs the whitepaper beside the public site (makeWhitepaper). */
export interface WhitepaperOptions {
	/** Where progress lines go (console.log). */
	log?: (line: string) => void;
	/** Stops the steps after the edition's build: the browser is closed, and nothing is written. */
	signal?: AbortSignal;
	/** Step 4 writes the PDF only once this resolves: the public site it goes with has passed. */
	ready?: Promise<void>;
}

/**
 * The whole chain, with progress output for each step. Throws StepError with a printable message, or
 * the signal's reason once it is aborted. `browserPath` comes from the shared Chromium set-up
 * (scripts/lib/chromium.ts).
 */
export async function makeWhitepaper(
	root: string,
	browserPath: string,
	{ log = console.log, signal, ready }: WhitepaperOptions = {},
): Promise<WhitepaperManifest> {
	const { content, problems } = loadContent(root);
	if (!content) throw new StepError(formatReport(problems));
	const started = performance.now();
	// Chromium launches while the edition builds (in its own process): neither needs the other.
	const edition = timed(() => buildEdition(root));
	const launched = timed(() => launchBrowser(browserPath));
	// Both are awaited below, or in `finally` when a step fails: a failure meanwhile is not lost.
	edition.catch(() => undefined);
	launched.catch(() => undefined);
	// Closing the browser ends a print under way: page.pdf() rejects.
	const close = () =>
		void launched.then(
			({ result }) => result.close(),
			() => undefined,
		);
	signal?.addEventListener('abort', close, { once: true });
	const step = async <T>(
		n: number,
		text: string,
		running: Promise<{ result: T; ms: number }>,
		done: (result: T) => string,
	): Promise<T> => {
		log(`[whitepaper ${n}/4] ${text}`);
		const { result, ms } = await running;
		log(`[whitepaper ${n}/4]   ${done(result)} (${(ms / 1000).toFixed(1)} s)`);
		return result;
	};
	try {
		await step(1, `Building the NDA edition into ${EDITION_DIR}/…`, edition, () => 'built');
		const browser = await step(
			2,
			`Launching Chromium (${browserPath}), beside step 1…`,
			launched,
			(b) => `Chromium ${b.version()}`,
		);
		const printed = await step(
			3,
			`Printing ${PRINT_PATH} to PDF…`,
			timed(() => print(browser, root, content.site, readSourcePages(root))),
			(p) =>
				`${p.tocEntries} chapters in the table of contents; print ${(p.printMs / 1000).toFixed(1)} s, contents ${(p.contentsMs / 1000).toFixed(1)} s`,
		);
		const { site, snapshot } = content;
		await ready;
		signal?.throwIfAborted();
		const manifest = await step(
			4,
			`Writing ${WHITEPAPER_PDF} and ${WHITEPAPER_MANIFEST}…`,
			timed(() =>
				writeWhitepaper(root, printed.doc, {
					company: site.companyName,
					legalName: site.legalName,
					version: site.whitepaper.version,
					controlStatusAsOf: snapshot.data.asOf,
					controlStatusDigest: snapshot.data.digest ?? null,
					headings: printed.headings,
					t: siteWords(site),
				}),
			),
			(m) =>
				`${m.pages} pages, ${(m.bytes / 1024).toFixed(0)} KiB, sha256 ${m.sha256.slice(0, 16)}…`,
		);
		log(
			`Whitepaper: ${WHITEPAPER_PDF}, version ${manifest.version}, in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
		);
		return manifest;
	} finally {
		signal?.removeEventListener('abort', close);
		// A failed step leaves no browser and no build running behind it.
		await Promise.all([
			launched.then(
				({ result }) => result.close(),
				() => undefined,
			),
			edition.catch(() => undefined),
		]);
	}
}
