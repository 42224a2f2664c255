import { execFileSync } from 'node:child_process';
import {
	existsSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	realpathSync,
	statSync,
} from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statFields } from '../../scripts/lib/bench/measure.ts';
import { readStamp } from '../../scripts/lib/build-freshness.ts';
import { runCommand } from '../../scripts/lib/run-command.ts';
import { fixtureContent, makeSite, removeSite, ROOT } from '../../scripts/lib/site-copy.ts';
import { PDFDict, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { readOutline } from '../../src/whitepaper/pdf.ts';
import { WHITEPAPER_PDF } from '../../src/whitepaper/paths.ts';
import { walkFiles } from '../../src/lib/files.ts';

// Two architecture pages both titled "Overview": real teams have them, and so does the bench's site.
// Two more are named in Japanese and German (暗号化.mdx, netzwerk-übersicht.mdx), one with an Arabic
// heading, one with a table of long German compounds.
const site = makeSite('duplicate-titles', {
	content: fixtureContent('minimal'),
	docs: join(ROOT, 'test/fixtures/duplicate-titles/docs'),
});
let output: string;
afterAll(() => removeSite(site));

/** The nice values seen of the site's two Astro builds while the chain ran (Linux: from /proc). */
const niceness = { public: new Set<number>(), edition: new Set<number>() };

/** Notes the nice value of each Astro build running in `dir`: the public one builds into dist.next/. */
function noteNiceness(dir: string): void {
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name)))
		try {
			if (readlinkSync(`/proc/${pid}/cwd`) !== dir) continue;
			const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			// `nice` itself, before it lowers its priority and runs Node in its place, is not counted.
			if (args[0]?.endsWith('nice') || !args.some((arg) => arg.endsWith('astro.mjs'))) continue;
			const nice = statFields(Number(pid))?.[16];
			if (nice !== undefined)
				niceness[args.includes('dist.next') ? 'public' : 'edition'].add(Number(nice));
		} catch {
			// The process ended meanwhile.
		}
}

beforeAll(async () => {
	const watch =
		process.platform === 'linux' ? setInterval(noteNiceness, 100, realpathSync(site)) : undefined;
	// npm run build: the whole chain, the public site and the whitepaper.
	const run = await runCommand(process.execPath, [join(site, 'scripts/build.ts')], {
		cwd: site,
		env: {
			...process.env,
			NODE_ENV: 'production',
			SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000),
		},
	}).finally(() => clearInterval(watch));
	output = run.output;
	expect(run.code, output).toBe(0);
});

describe('npm run build', () => {
	it('builds the NDA edition once the public site is bundled, prints it while the site builds, and writes it once the site has passed', () => {
		const lines = output.split('\n');
		const at = (start: string) => {
			const index = lines.findIndex((line) => line.startsWith(start));
			expect(index, `"${start}" in:\n${output}`).toBeGreaterThanOrEqual(0);
			return index;
		};
		// The two Astro builds share .astro/: the edition's build wrote its types there (as every build
		// does) only after the public build had bundled its pages, and read nothing of it from then on.
		const bundles = walkFiles(join(site, 'dist/_astro'), (name) => !/\.(br|gz)$/.test(name));
		expect(statSync(join(site, '.astro/content.d.ts')).mtimeMs).toBeGreaterThanOrEqual(
			Math.max(...bundles.map((file) => statSync(file).mtimeMs)),
		);
		// The whitepaper's progress while the site builds is printed after the site's, not into it.
		expect(at('[build] leak check:')).toBeLessThan(at('[whitepaper 1/4] Building the NDA edition'));
		expect(at('[whitepaper 4/4] Writing')).toBeGreaterThan(at('[build] leak check:'));
		expect(output).toMatch(/^\[build\] whitepaper, printed beside the public site: \d+\.\d s$/m);
		// Written after the site was published: a gate would not call it older than dist/.
		expect(existsSync(join(site, 'dist.next'))).toBe(false);
		expect(statSync(join(site, WHITEPAPER_PDF)).mtimeMs).toBeGreaterThanOrEqual(
			statSync(join(site, 'dist/index.html')).mtimeMs,
		);
		// Both steps recorded as done for the same inputs, so the next build skips them.
		const stamp = readStamp(site);
		expect(stamp).toEqual({
			public: expect.stringMatching(/^[0-9a-f]{64}$/),
			whitepaper: stamp['public'],
		});
	});

	it.runIf(process.platform === 'linux')(
		'gives the whitepaper the CPU first: the public build runs at nice 10 beside it, the NDA edition at the chain’s own',
		() => {
			expect(niceness).toEqual({
				public: new Set([Math.min(19, getPriority() + 10)]),
				edition: new Set([getPriority()]),
			});
		},
	);
});

describe('a whitepaper with two chapters of the same title', () => {
	it('prints both, each with its own bookmark and its own page in the contents', async () => {
		const pdf = join(site, WHITEPAPER_PDF);
		const chapters = (await readOutline(readFileSync(pdf))).filter(
			(e) => e.level === 1 && e.title !== 'Contents',
		);
		const overviews = chapters.filter((e) => e.title === 'Overview').map((e) => e.page!);
		expect(overviews).toHaveLength(2);
		const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split(
			'\f',
		);
		expect(pages[overviews[0]! - 1]).toContain('The payments platform runs in its own accounts');
		expect(pages[overviews[1]! - 1]).toContain('The ledger keeps every entry append-only.');
		// Each line of the contents ends in its chapter's page: the same as its bookmark's, in order.
		const listed = [...pages[1]!.matchAll(/^\s*\S.*?[ _.]{3,}\s*(\d+)\s*$/gm)].map((m) =>
			Number(m[1]),
		);
		expect(listed).toEqual(chapters.map((e) => e.page));
		// The print and the contents' print are timed apart: on a large whitepaper they are most of the build.
		expect(output).toMatch(
			new RegExp(
				`${chapters.length} chapters in the table of contents; print \\d+\\.\\d s, contents \\d+\\.\\d s`,
			),
		);
	});

	it('finds the bookmark of a chapter whose title wraps onto a second line', async () => {
		const outline = await readOutline(readFileSync(join(site, WHITEPAPER_PDF)));
		const title =
			'Vulnerability management for the payments platform and its cardholder data environment';
		const bookmark = outline.find((e) => e.title.startsWith('Vulnerability management'));
		// Chromium drops the space where the heading wraps; the bookmark is titled from the heading again.
		expect(bookmark?.title).toBe(title);
		expect(output).not.toContain('no link target');
	});
});

describe('a whitepaper with pages whose file names are not ASCII', () => {
	it('prints them as chapters with their pages in the contents, and links between them inside the PDF', async () => {
		const pdf = readFileSync(join(site, WHITEPAPER_PDF));
		const outline = await readOutline(pdf);
		const chapter = (title: string) => outline.find((e) => e.level === 1 && e.title === title);
		expect(chapter('暗号化と鍵管理')?.page).toBeGreaterThan(2);
		expect(chapter('Netzwerk-Übersicht')?.page).toBeGreaterThan(2);
		const contents = execFileSync('pdftotext', ['-layout', join(site, WHITEPAPER_PDF), '-'], {
			encoding: 'utf8',
		}).split('\f')[1]!;
		expect(contents).toMatch(new RegExp(`暗号化と鍵管理[ _.]+${chapter('暗号化と鍵管理')!.page}`));
		expect(contents).toMatch(
			new RegExp(`Netzwerk-Übersicht[ _.]+${chapter('Netzwerk-Übersicht')!.page}`),
		);
		// The link from 暗号化 to /security/netzwerk-übersicht/#segmente goes to that heading in the PDF.
		const doc = await PDFDocument.load(pdf, { updateMetadata: false });
		const page = doc.getPage(chapter('暗号化と鍵管理')!.page! - 1);
		const annots = page.node.Annots();
		const targets = Array.from({ length: annots?.size() ?? 0 }, (_, i) => {
			const annot = annots!.lookup(i, PDFDict);
			const uri = annot.lookupMaybe(PDFName.of('A'), PDFDict)?.lookup(PDFName.of('URI'));
			const dest = annot.lookup(PDFName.of('Dest'));
			return uri instanceof PDFString
				? uri.decodeText()
				: dest instanceof PDFName
					? decodeURIComponent(dest.decodeText())
					: '';
		});
		expect(targets).toContain('chapter-arch-security-netzwerk-übersicht--segmente');
		expect(targets.filter((t) => t.startsWith('http'))).toEqual([]);
	});

	it('prints a table of long German compounds with nothing wider than the page', () => {
		const text = execFileSync('pdftotext', [join(site, WHITEPAPER_PDF), '-'], { encoding: 'utf8' });
		// The step fails on anything wider than the page (whitepaper.test.ts pins that failure); here the
		// table's words wrap inside their cells, so the step passes and the table is printed.
		expect(text).toContain('Zuständigkeiten');
		expect(output).not.toContain('wider than the page');
	});

	it('titles the bookmark of an Arabic heading in its own word order', async () => {
		const outline = await readOutline(readFileSync(join(site, WHITEPAPER_PDF)));
		expect(outline.map((e) => e.title)).toContain('هندسة الأمان');
		expect(outline.map((e) => e.title)).not.toContain('الأمان هندسة');
	});
});

describe('the public site of architecture pages in folders', () => {
	/** The sidebar's architecture links on `page`, a folded folder marked " (folder)". */
	const sidebarLinks = (page: string) => {
		const html = readFileSync(join(site, 'dist', page, 'index.html'), 'utf8');
		const start = html.indexOf('sidebar-content');
		const nav = html.slice(start, html.indexOf('</nav>', start));
		return [...nav.matchAll(/<a href="(\/security\/[^"]+)"([^>]*)>/g)].map(
			([, href, attrs]) => `${href}${attrs!.includes('data-folder') ? ' (folder)' : ''}`,
		);
	};

	it("lists the pages of the current page's folder, and every other folder as one link to its first page", () => {
		expect(sidebarLinks('security/payments/overview')).toEqual(
			expect.arrayContaining([
				'/security/ledger/overview/ (folder)',
				'/security/payments/overview/',
				'/security/payments/vulnerability-management/',
			]),
		);
		const ledger = sidebarLinks('security/ledger/overview');
		expect(ledger).toEqual(
			expect.arrayContaining([
				'/security/ledger/overview/',
				'/security/payments/overview/ (folder)',
			]),
		);
		expect(ledger).not.toContain('/security/payments/vulnerability-management/');
		// Outside the folders (the overview), every folder is one link.
		expect(
			sidebarLinks('.')
				.filter((link) => link.endsWith('(folder)'))
				.sort(),
		).toEqual(['/security/ledger/overview/ (folder)', '/security/payments/overview/ (folder)']);
	});
});
