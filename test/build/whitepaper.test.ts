import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, print, StepError, type SitePage } from '../../src/whitepaper/make.ts';
import { checkContent } from '../../src/integration/trust-center.ts';
import { chooseContentDir } from '../../src/lib/content/dir.ts';
import { walkFiles } from '../../src/lib/files.ts';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import { readOutline } from '../../src/whitepaper/pdf.ts';
import type { WhitepaperManifest } from '../../src/whitepaper/paths.ts';
import { documentFileUrl } from '../../src/lib/routing/urls.ts';

const site = inject('exampleSite');
const pdfPath = join(site, 'private/whitepaper.pdf');
let text: string;
let progress: string;

beforeAll(() => {
	const result = spawnSync(process.execPath, [join(site, 'scripts/build-whitepaper.ts')], {
		cwd: site,
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: 'production' },
	});
	progress = result.stdout + result.stderr;
	if (result.status !== 0) throw new Error(progress);
	text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
});

const pages = () => text.split('\f').filter((p) => p.trim() !== '');
/** The URIs each page's links go to, by page. */
async function pageUris(): Promise<string[][]> {
	const doc = await PDFDocument.load(readFileSync(pdfPath), { updateMetadata: false });
	return doc.getPages().map((page) => {
		const annots = page.node.Annots();
		return Array.from({ length: annots?.size() ?? 0 }, (_, i) => {
			const action = annots!.lookup(i, PDFDict).lookupMaybe(PDFName.of('A'), PDFDict);
			const uri = action?.lookup(PDFName.of('URI'));
			return uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : '';
		}).filter(Boolean);
	});
}
const pdfinfo = () =>
	Object.fromEntries(
		execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' })
			.split('\n')
			.map((l) => [l.split(':')[0]!, l.slice(l.indexOf(':') + 1).trim()]),
	);

describe('the example whitepaper', () => {
	it('reports each step as it goes', () => {
		expect(progress).toMatch(
			/\[whitepaper 1\/4\] Building the NDA edition into private\/edition\/…\n\[whitepaper 1\/4\] {3}built \(\d+\.\d s\)/,
		);
		expect(progress).toContain('[whitepaper 2/4] Launching Chromium');
		expect(progress).toContain('[whitepaper 3/4] Printing /print/whitepaper/ to PDF…');
		expect(progress).toMatch(/\[whitepaper 4\/4\] {3}\d+ pages, \d+ KiB, sha256 [0-9a-f]{16}…/);
	});

	it('has the cover, the contents, a named subprocessor, NDA-only sections and the per-control table', () => {
		const cover = pages()[0]!;
		expect(cover).toMatch(/Security Whitepaper — NDA\s+edition/);
		expect(cover).toContain('Kestrel Ledger');
		expect(cover).toMatch(/Version\s+2026\.4/);
		expect(cover).toMatch(/Control status as of\s+\d{1,2} \w+ 2026/);
		const contents = pages()[1]!;
		for (const chapter of [
			'Frameworks and control status',
			'Encryption',
			'Availability and disaster recovery',
			'Incident response',
			'Subprocessors',
			'Policies',
			'Contacts',
		])
			expect(contents).toMatch(new RegExp(`${chapter}[ _.]+\\d+`));
		// Named where the public site shows "EU cloud hosting provider".
		expect(text).toContain('Nimbusline Cloud');
		expect(text).toContain('Shared under NDA');
		expect(text).toContain(
			'The EU platform runs active in Frankfurt with a warm standby in Dublin',
		);
		expect(text).toContain('Penetration test results 2026');
		expect(text).toMatch(
			/A\.5\.1 Policies for information security\s+Organizational\s+Implemented/,
		);
	});

	it('heads every page with "Confidential — provided under NDA" and the company', () => {
		for (const [i, page] of pages().entries())
			expect(page.split('\n').slice(0, 3).join(' '), `page ${i + 1}`).toMatch(
				/Confidential — provided under NDA\s+Kestrel Ledger/,
			);
	});

	it('numbers every page "Page X of Y", Y being the page count', () => {
		const count = Number(pdfinfo()['Pages']);
		expect(count).toBeGreaterThan(20);
		const footers = pages().map((p) => /Page (\d+) of (\d+)/.exec(p)?.slice(1).map(Number));
		expect(footers).toEqual(Array.from({ length: count }, (_, i) => [i + 1, count]));
	});

	it('has a bookmark per chapter, on the page the contents give', async () => {
		const outline = await readOutline(readFileSync(pdfPath));
		const top = outline.filter((e) => e.level === 1);
		const contents = pages()[1]!;
		const listed = [...contents.matchAll(/^\s*(\S.*?)[ _.]{3,}\s*(\d+)\s*$/gm)].map((m) => ({
			title: m[1]!.trim(),
			page: Number(m[2]),
		}));
		expect(listed.length).toBeGreaterThan(15);
		for (const { title, page } of listed)
			expect(top.find((e) => e.title === title)?.page, title).toBe(page);
		expect(outline.some((e) => e.level === 2)).toBe(true);
	});

	it('links to the public site or to its own chapters, never to the server it was printed from', async () => {
		const doc = await PDFDocument.load(readFileSync(pdfPath), { updateMetadata: false });
		const uris: string[] = [];
		let internal = 0;
		for (const page of doc.getPages()) {
			const annots = page.node.Annots();
			for (let i = 0; i < (annots?.size() ?? 0); i++) {
				const action = annots!.lookup(i, PDFDict).lookupMaybe(PDFName.of('A'), PDFDict);
				const uri = action?.lookup(PDFName.of('URI'));
				if (uri instanceof PDFString || uri instanceof PDFHexString) uris.push(uri.decodeText());
				else internal++;
			}
		}
		expect(uris.filter((u) => !u.startsWith('https://') && !u.startsWith('mailto:'))).toEqual([]);
		expect(uris.filter((u) => /127\.0\.0\.1|localhost/.test(u))).toEqual([]);
		expect(uris.some((u) => u.startsWith('https://trust.kestrelledger.example/'))).toBe(true);
		// The architecture pages link to each other; each is a chapter, so those links stay in the PDF.
		expect(uris.filter((u) => u.includes('/security/vendor-management/'))).toEqual([]);
		// The framework cards and the policy index link to frameworks and NDA policies the PDF prints.
		expect(uris.filter((u) => u.includes('/frameworks/'))).toEqual([]);
		expect(uris.filter((u) => u.includes('/policies/cryptography/'))).toEqual([]);
		expect(internal).toBeGreaterThan(pages()[1]!.match(/\d+\s*$/gm)!.length);
	});

	it("titles the bookmarks as the headings read, and nests an entry's sections under its title", async () => {
		const outline = await readOutline(readFileSync(pdfPath));
		const titles = outline.map((e) => e.title);
		// These headings wrap in the layout; Chromium's titles lost the space at the break.
		for (const title of ['Logging and monitoring', 'Privacy and data subject rights'])
			expect(titles).toContain(title);
		expect(titles.filter((t) => t.includes('Under NDA'))).toEqual([]);
		expect(titles).toContain('What cyber insurance do you carry?');
		const at = (title: string) => outline.find((e) => e.title === title)!;
		const after = (title: string) => outline[outline.indexOf(at(title)) + 1]!;
		expect(at('ISO/IEC 27001:2022').level).toBe(2);
		expect(after('ISO/IEC 27001:2022')).toMatchObject({
			title: 'What the certificate covers',
			level: 3,
		});
		expect(at('Cryptography and Key Management Policy').level).toBe(2);
		expect(after('Cryptography and Key Management Policy')).toMatchObject({
			title: '1. Purpose',
			level: 3,
		});
	});

	it('prints headings without the anchor link the site puts after each, which would link a heading to itself', () => {
		const printed = readFileSync(join(site, 'private/edition/print/whitepaper/index.html'), 'utf8');
		const onSite = readFileSync(join(site, 'dist/security/network/index.html'), 'utf8');
		expect(onSite).toContain('<a class="sl-anchor-link" href="#testing">');
		expect(printed).toContain('<h2 id="chapter-arch-security-network--testing">');
		expect(printed.match(/sl-anchor-link/g) ?? []).toEqual([]);
	});

	it('gives every element of the print page an id of its own', () => {
		const html = readFileSync(join(site, 'private/edition/print/whitepaper/index.html'), 'utf8');
		const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
		expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
		expect(ids).toContain('chapter-arch-security-network--testing');
	});

	it("keeps an NDA label on the page of what it marks, and a control's source on one line", () => {
		for (const [i, page] of pages().entries()) {
			const lines = page.split('\n').filter((l) => l.trim() && !/Page \d+ of \d+/.test(l));
			expect(lines.at(-1), `page ${i + 1}`).not.toMatch(/^\s*Under NDA\s+Shared under NDA\s*$/);
		}
		expect(text).toContain('grc-export');
		expect(text).not.toMatch(/grc-\s*$/m);
	});

	it('lists the documents, with where to download or request each, and links the contacts', async () => {
		const uris = await pageUris();
		const last = uris.at(-1)!;
		expect(last).toEqual(
			expect.arrayContaining([
				'mailto:security@kestrelledger.example',
				'mailto:privacy@kestrelledger.example',
				'mailto:dpo@kestrelledger.example',
				'https://trust.kestrelledger.example/',
				'https://trust.kestrelledger.example/.well-known/security.txt',
			]),
		);
		const { content } = checkContent(site);
		const documents = pages().findIndex(
			(p) => /^\s*Documents\s*$/m.test(p) && p.includes('How to get it'),
		);
		expect(documents).toBeGreaterThan(1);
		for (const d of content.documents)
			expect(uris[documents]!.concat(uris[documents + 1] ?? []), d.data.title).toContain(
				d.data.access === 'nda'
					? `https://trust.kestrelledger.example/access/?documents=${d.data.id}`
					: `https://trust.kestrelledger.example${documentFileUrl(d.data)}`,
			);
	});

	it('carries its metadata, and a manifest that matches the file', () => {
		const info = pdfinfo();
		expect(info['Title']).toBe('Kestrel Ledger Security Whitepaper — NDA edition');
		expect(info['Author']).toBe('Kestrel Ledger, Inc.');
		expect(info['Subject']).toContain('provided under NDA');
		expect(info['Keywords']).toContain('version 2026.4');
		const manifest = JSON.parse(
			readFileSync(join(site, 'private/whitepaper.json'), 'utf8'),
		) as WhitepaperManifest;
		const bytes = readFileSync(pdfPath);
		const { content } = checkContent(site);
		expect(manifest).toEqual({
			file: 'whitepaper.pdf',
			sha256: createHash('sha256').update(bytes).digest('hex'),
			bytes: bytes.length,
			pages: Number(info['Pages']),
			version: '2026.4',
			controlStatusAsOf: content.snapshot.data.asOf,
			controlStatusDigest: content.snapshot.data.digest,
			builtAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
		});
	});

	it('renders the print page in the NDA edition, not a second copy of every page', () => {
		const edition = join(site, 'private/edition');
		const html = walkFiles(edition, (name) => name.endsWith('.html')).map((f) =>
			f.slice(edition.length),
		);
		expect(html).toContain('/print/whitepaper/index.html');
		// The architecture pages, policies, frameworks and updates are printed from the collections.
		expect(
			html.filter((f) => /^\/(security|policies|frameworks|updates)\/[^/]+\//.test(f)),
		).toEqual([]);
		expect(text).toMatch(/Security architecture/);
	});

	it('leaves dist/ without any file from private/ and without NDA documents or pages', () => {
		const dist = join(site, 'dist');
		const hash = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
		const distFiles = walkFiles(dist);
		const distHashes = new Set(distFiles.map(hash));
		const { content } = checkContent(site);
		const secret = [
			pdfPath,
			join(site, 'private/whitepaper.json'),
			...content.documents
				.filter((d) => d.data.access === 'nda')
				.map((d) => join(site, chooseContentDir(site), 'documents', d.data.file)),
		];
		expect(secret.filter((f) => distHashes.has(hash(f)))).toEqual([]);
		expect(distFiles.filter((f) => /\/print\/|penetration-test-results/.test(f))).toEqual([]);
		const check = spawnSync(process.execPath, [join(site, 'scripts/check-leaks.ts')], {
			cwd: site,
			encoding: 'utf8',
		});
		expect(check.stdout).toMatch(
			/^Leak check passed: none of \d+ NDA-only texts from \d+ sources, and none of \d+ private files/,
		);
		expect(check.status).toBe(0);
	});
});

describe('printing a page', () => {
	const broken = join(site, '.broken-edition');
	afterAll(() => execFileSync('rm', ['-rf', broken]));

	/** Prints `html` as the NDA edition's print page; returns the PDF, or what print() threw. */
	async function printPage(html: string, sitePages: SitePage[] = []): Promise<unknown> {
		mkdirSync(join(broken, 'private/edition/print/whitepaper'), { recursive: true });
		writeFileSync(join(broken, 'private/edition/print/whitepaper/index.html'), html);
		const browser = await launchBrowser(inject('chromium'));
		try {
			return await print(
				browser,
				broken,
				{ url: 'https://trust.kestrelledger.example', language: 'en', labels: {} },
				sitePages,
			).then(
				(printed) => printed.doc.save(),
				(e: unknown) => e,
			);
		} finally {
			await browser.close();
		}
	}

	/** Where each link of a PDF goes: `#name` for a named destination inside it, else its URI. */
	async function linkTargets(pdf: Uint8Array): Promise<string[]> {
		const doc = await PDFDocument.load(pdf, { updateMetadata: false });
		return doc.getPages().flatMap((page) => {
			const annots = page.node.Annots();
			return Array.from({ length: annots?.size() ?? 0 }, (_, i) => {
				const annot = annots!.lookup(i, PDFDict);
				const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
				const target = action?.lookup(PDFName.of('URI')) ?? annot.lookup(PDFName.of('Dest'));
				return target instanceof PDFString || target instanceof PDFHexString
					? target.decodeText()
					: `#${String(target).replace(/^\//, '')}`;
			});
		});
	}

	const entries =
		'<section id="chapter-arch-security-network" data-page="/security/network/" style="break-before:page"><h1>Network</h1>' +
		'<h2 id="chapter-arch-security-network--testing">Testing</h2></section>' +
		'<section id="chapter-faq" data-page="/faq/"><section id="faq-sso" data-page="/faq/#sso"><h3>SSO?</h3></section></section>' +
		'<section id="update-failover" data-page="/updates/failover/"><h2>Failover test</h2></section>';

	it('points a link to a printed page, its heading or its FAQ entry inside the PDF, and any other to the public site', async () => {
		const pdf = await printPage(
			'<!doctype html><title>x</title><p><a href="/security/network/#testing">testing</a> ' +
				'<a href="/security/network/">network</a> <a href="/faq/#sso">sso</a> ' +
				'<a href="/updates/failover/">update</a> <a href="/security/network/#gone">gone</a> ' +
				'<a href="/policies/access-control/#scope">public policy</a></p>' +
				entries,
		);
		expect(pdf).toBeInstanceOf(Uint8Array);
		expect(await linkTargets(pdf as Uint8Array)).toEqual([
			'#chapter-arch-security-network--testing',
			'#chapter-arch-security-network',
			'#faq-sso',
			'#update-failover',
			'#chapter-arch-security-network',
			'https://trust.kestrelledger.example/policies/access-control/#scope',
		]);
	});

	it('names the file of a link to an NDA-only page that the whitepaper does not print', async () => {
		const error = await printPage(
			'<!doctype html><title>x</title>' +
				'<section id="chapter-arch-security-network" data-page="/security/network/"><h1>Network</h1>' +
				'<p><a href="/updates/secret-drill/">the drill</a></p></section>',
			[
				{ url: '/security/network/', file: 'content/docs/security/network.mdx', ndaPage: false },
				{ url: '/updates/secret-drill/', file: 'content/updates/secret-drill.md', ndaPage: true },
			],
		);
		expect(error).toBeInstanceOf(StepError);
		expect((error as Error).message).toBe(
			'Printing failed on /print/whitepaper/: content/docs/security/network.mdx links to /updates/secret-drill/, which is NDA-only (content/updates/secret-drill.md has visibility: nda) and not in the whitepaper. The public site does not have it either, so the link would be dead: print the page in the whitepaper, or remove the link.',
		);
	});

	it('names a link to an NDA-only page whose path is not ASCII, which the whitepaper does not print', async () => {
		const error = await printPage(
			'<!doctype html><meta charset="utf-8"><title>x</title>' +
				'<section id="chapter-arch-security-暗号化" data-page="/security/暗号化/"><h1>暗号化</h1>' +
				'<p><a href="/security/機密構成/">鍵の構成</a></p></section>',
			[
				{ url: '/security/暗号化/', file: 'content/docs/security/暗号化.mdx', ndaPage: false },
				{ url: '/security/機密構成/', file: 'content/docs/security/機密構成.mdx', ndaPage: true },
			],
		);
		expect(error).toBeInstanceOf(StepError);
		expect((error as Error).message).toBe(
			'Printing failed on /print/whitepaper/: content/docs/security/暗号化.mdx links to /security/機密構成/, which is NDA-only (content/docs/security/機密構成.mdx has visibility: nda) and not in the whitepaper. The public site does not have it either, so the link would be dead: print the page in the whitepaper, or remove the link.',
		);
	});

	it('names an element wider than the page, which Chromium would print every page smaller to fit', async () => {
		const error = await printPage(
			'<!doctype html><meta charset="utf-8"><title>x</title><body style="margin:0">' +
				'<section id="policy-access" data-page="/policies/access/"><h2>Access</h2>' +
				'<p style="width:700px">Informationssicherheitsbeauftragter</p></section>',
		);
		expect(error).toBeInstanceOf(StepError);
		expect((error as Error).message).toBe(
			'Printing failed on /print/whitepaper/: the p "Informationssicherheitsbeauftragter" (from /policies/access/) is 28 px wider than the page, so Chromium would print every page smaller to fit it. Shorten the long word, name or address in it, or break it with a hyphen or space.',
		);
	});

	it('names the page it was on and what failed there', async () => {
		const error = await printPage(
			'<!doctype html><title>x</title><h1>Contents</h1><img src="/brand/missing-logo.svg" alt="">',
		);
		expect(error).toBeInstanceOf(StepError);
		expect((error as Error).message).toBe(
			'Printing failed on /print/whitepaper/: /brand/missing-logo.svg (HTTP 404).',
		);
	});

	it('names the entry of the contents whose chapter the print does not have', async () => {
		const error = await printPage(
			'<!doctype html><title>x</title><ol><li><a href="#chapter-about">About</a><span data-toc-page="chapter-about">…</span></li>' +
				'<li><a href="#chapter-gone">Gone chapter</a><span data-toc-page="chapter-gone">…</span></li></ol>' +
				'<section id="chapter-about" style="break-before:page"><h1>About</h1></section>',
		);
		expect(error).toBeInstanceOf(StepError);
		expect((error as Error).message).toBe(
			'Printing failed on /print/whitepaper/: the contents list "Gone chapter" (#chapter-gone), but the print has no link target of that id, so the table of contents cannot give the page. Each entry of the contents needs an element with its id.',
		);
	});

	const contents =
		'<!doctype html><title>x</title><nav><ol><li><a href="#chapter-a">Alpha</a> <span data-toc-page="chapter-a">…</span></li>' +
		'<li><a href="#chapter-b">Beta</a> <span data-toc-page="chapter-b">…</span></li></ol></nav>';

	it('prints the contents again with their page numbers, over the first print, keeping its links', async () => {
		const pdf = await printPage(
			`${contents}<section id="chapter-a" style="break-before:page"><h1>Alpha</h1></section>` +
				'<section id="chapter-b" style="break-before:page"><h1>Beta</h1></section>',
		);
		expect(pdf).toBeInstanceOf(Uint8Array);
		const file = join(broken, 'contents.pdf');
		writeFileSync(file, pdf as Uint8Array);
		const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).split('\f');
		// The first print's placeholders are drawn over, not kept unseen underneath.
		expect(text[0]!.replace(/\s+/g, ' ').trim()).toBe('1. Alpha 2 2. Beta 3');
		expect(text.slice(1, 3).map((page) => page.trim())).toEqual(['Alpha', 'Beta']);
		expect(await linkTargets(pdf as Uint8Array)).toEqual(['#chapter-a', '#chapter-b']);
		// The tags still hold the numbers, where the first print had its placeholders.
		expect(execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8' })).toMatch(
			/"Alpha"[\s\S]*"2"[\s\S]*"Beta"[\s\S]*"3"/,
		);
	});

	it('names what follows the contents when it does not start a page, as the contents are printed again alone', async () => {
		const intro = await printPage(
			`${contents}<p>Read this first.</p><section id="chapter-a" style="break-before:page"><h1>Alpha</h1></section>` +
				'<section id="chapter-b" style="break-before:page"><h1>Beta</h1></section>',
		);
		expect(intro).toBeInstanceOf(StepError);
		expect((intro as Error).message).toBe(
			'Printing failed on /print/whitepaper/: the table of contents ends on page 1, but what follows it (a p without an id) is no chapter it lists. Its pages are printed again with their numbers, alone: the contents must be followed by a chapter they list, starting on a page of its own (print.css: .wp-chapter).',
		);
		const unbroken = await printPage(
			`${contents}<section id="chapter-a"><h1>Alpha</h1></section>` +
				'<section id="chapter-b" style="break-before:page"><h1>Beta</h1></section>',
		);
		expect((unbroken as Error).message).toBe(
			'Printing failed on /print/whitepaper/: the table of contents ends on page 1, but #chapter-a, which follows it, starts on page 1. Its pages are printed again with their numbers, alone: the contents must be followed by a chapter they list, starting on a page of its own (print.css: .wp-chapter).',
		);
	});
});
