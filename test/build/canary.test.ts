import { execFileSync, spawnSync } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	buildSite,
	fixtureContent,
	makeSite,
	removeSite,
	ROOT,
} from '../../scripts/lib/site-copy.ts';
import { walkFiles } from '../../src/lib/files.ts';
import { BUNDLED_FILE_VAR } from '../../src/integration/bundled-signal.ts';
import { composeMail } from '../../src/gate/mail/compose.ts';
import { discover } from '../../src/gate/services/notify.ts';
import { claimMails } from '../../src/gate/services/outbox.ts';
import { gateRoot, makeGate } from '../helpers/gate.ts';
import { readableMail } from '../helpers/mime.ts';
import { addActiveSubscribers } from '../../scripts/lib/subscription-fixture.ts';
import { readBuiltText } from '../../src/lib/nda/leaks.ts';

// One unique word in every NDA-capable place of the canary fixture.
const CANARIES = {
	CANARYDOCBLOCK: '<NdaOnly> in an architecture page',
	CANARYDOCPAGE: 'a docs page with visibility: nda',
	CANARYDOCPAGETITLE: 'the title of that page',
	CANARYFRAMEWORKBLOCK: '<NdaOnly> in a framework body',
	CANARYFRAMEWORKHIDDEN: 'a framework with visibility: nda',
	CANARYPOLICYBLOCK: '<NdaOnly> in a public policy',
	CANARYPOLICYNDABODY: 'the body of a policy with classification: nda',
	CANARYPOLICYHIDDEN: 'a policy with visibility: nda',
	CANARYPOLICYHIDDENTITLE: 'the title of that policy',
	CANARYFAQBLOCK: '<NdaOnly> in an FAQ answer',
	CANARYFAQHIDDEN: 'an FAQ entry with visibility: nda',
	CANARYFAQHIDDENQUESTION: 'the question of that entry',
	CANARYUPDATEHIDDEN: 'an update with visibility: nda',
	CANARYUPDATEHIDDENTITLE: 'the title of that update',
	Canarysubproc: 'a subprocessor name behind a public descriptor',
	Canarycontrol: 'a control row of the NDA-only per-control list',
};

const PINNED_TIME = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000) };
const overlay = {
	content: [...fixtureContent('minimal'), join(ROOT, 'test/fixtures/canary/content')],
	docs: join(ROOT, 'test/fixtures/canary/docs'),
};
const node = (dir: string, script: string, env: NodeJS.ProcessEnv = {}, args: string[] = []) =>
	spawnSync(process.execPath, [join(dir, script), ...args], {
		cwd: dir,
		encoding: 'utf8',
		env: { ...process.env, NODE_ENV: 'production', NO_COLOR: '1', ...PINNED_TIME, ...env },
	});

let site: string;
const sites: string[] = [];
afterAll(() => sites.forEach(removeSite));

beforeAll(async () => {
	site = makeSite('canary', overlay);
	sites.push(site);
	const { code, output } = await buildSite(site, [], {
		...PINNED_TIME,
		[BUNDLED_FILE_VAR]: join(site, 'bundled'),
	});
	if (code !== 0) throw new Error(output);
});

describe('the canary fixture', () => {
	it('says when its pages are bundled, for npm run build to start the NDA edition: after the bundles, before any page', () => {
		const time = (file: string) => statSync(file).mtimeMs;
		// The brotli and gzip copies beside them are written when the build is done.
		const bundles = walkFiles(join(site, 'dist/_astro'), (name) => !/\.(br|gz)$/.test(name)).map(
			time,
		);
		const pages = walkFiles(join(site, 'dist'), (name) => name.endsWith('.html')).map(time);
		expect(bundles.length).toBeGreaterThan(0);
		expect(time(join(site, 'bundled'))).toBeGreaterThanOrEqual(Math.max(...bundles));
		expect(time(join(site, 'bundled'))).toBeLessThanOrEqual(Math.min(...pages));
	});

	it('publishes none of the canaries anywhere in dist/, the decompressed Pagefind index included', () => {
		const files = walkFiles(join(site, 'dist'));
		expect(files.some((f) => f.endsWith('.pf_fragment'))).toBe(true);
		const found = files.flatMap((file) => {
			const text = readBuiltText(file).toLowerCase();
			return Object.keys(CANARIES)
				.filter((c) => text.includes(c.toLowerCase()))
				.map((c) => `${c} in ${file.slice(site.length + 1)}`);
		});
		expect(found).toEqual([]);
		// The NDA pages and entries are not built at all, and the fallback text is shown instead of the block.
		expect(existsSync(join(site, 'dist/security/secret-page/index.html'))).toBe(false);
		expect(existsSync(join(site, 'dist/policies/hidden/index.html'))).toBe(false);
		expect(existsSync(join(site, 'dist/frameworks/hidden-cert/index.html'))).toBe(false);
		expect(readBuiltText(join(site, 'dist/security/index.html'))).toContain(
			'Details of the canary vault are available under NDA.',
		);
	});

	it('passes the leak check', () => {
		const result = node(site, 'scripts/check-leaks.ts', PINNED_TIME);
		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
		expect(result.stdout).toMatch(
			/^Leak check passed: none of \d+ NDA-only texts from 12 sources, and none of 4 private files, is in the \d+ text files of dist\/ \(Pagefind index decompressed\)/,
		);
	});

	it('puts every canary in the whitepaper', () => {
		const result = node(site, 'scripts/build-whitepaper.ts');
		expect(result.status, result.stdout + result.stderr).toBe(0);
		const text = execFileSync('pdftotext', ['-layout', join(site, 'private/whitepaper.pdf'), '-'], {
			encoding: 'utf8',
		});
		expect(Object.keys(CANARIES).filter((c) => !text.includes(c))).toEqual([]);
		expect(text).toMatch(/M\.5 Canarycontrol/);
		// The NDA content without a watermark: its folder is its owner's alone.
		expect(statSync(join(site, 'private')).mode & 0o777).toBe(0o700);
	});
});

describe('subscription mails from the canary build', () => {
	it('queue none of the canaries, with every public item new to a subscriber of every topic', async () => {
		const root = await gateRoot();
		const gate = await makeGate(root, { dataDir: join(root, 'pglite') });
		try {
			gate.dist = join(site, 'dist');
			// History already recorded, none of it this build's: every item in it is news.
			await gate.db.query(
				"INSERT INTO subscription_state (id, link_secret, hash_salt, baselined_at) VALUES (1, 'c2VjcmV0', 'salt', now())",
			);
			await addActiveSubscribers(gate.db, 1);
			const report = await discover(gate, 'test');
			expect(report.found.length).toBeGreaterThan(0);
			const claimed = await claimMails(gate.db, 'canary', 100, 60);
			// The hidden subprocessor goes inside the public notice that announces it, by its public id.
			expect(report.found.filter((f) => f.mailedWith)).toEqual([
				expect.objectContaining({
					id: 'subprocessor:eu-key-escrow-provider:added:2025-01-01',
					mailedWith: 'update:/updates/2026-11-03-key-escrow/',
				}),
			]);
			expect(claimed).toHaveLength(report.found.length - 1);
			// Searched as a reader sees them: subjects and bodies decoded, so that a canary split by a soft
			// line break, or encoded, would still be found.
			const mails = await Promise.all(
				claimed.map(async (m) =>
					readableMail((await composeMail(gate, Buffer.alloc(32), m)).toString('utf8')),
				),
			);
			expect(mails.join('\n')).toContain('EU key escrow provider');
			for (const canary of Object.keys(CANARIES))
				expect(mails.join('\n').toLowerCase(), canary).not.toContain(canary.toLowerCase());
		} finally {
			await gate.dispose();
			rmSync(root, { recursive: true, force: true });
		}
	});
});

describe('the leak check', () => {
	it('catches one of each kind of NDA-only item planted in the built dist/', () => {
		// A copy of the passing build, with one plant per collector: each would slip through if its collector went.
		const planted = join(site, 'planted');
		cpSync(join(site, 'dist'), planted, { recursive: true });
		const plant = (path: string, text: string | Buffer) => {
			mkdirSync(join(planted, path, '..'), { recursive: true });
			writeFileSync(join(planted, path), text);
		};
		// The subprocessor's name without its legal suffix ("GmbH"), as a press text would write it.
		plant(
			'press/index.html',
			'<p>Our keys are escrowed with Canarysubproc Vaulting in Frankfurt.</p>',
		);
		plant('partners.json', '{"escrow":"https://canarysubproc.example/status"}');
		plant(
			'controls.csv',
			'id,title,domain,status\nM.5,Canarycontrol quarterly review,People,Implemented\n',
		);
		plant('runbook.txt', 'The CANARYDOCPAGE runbook names every on-call rotation by team.\n');
		plant(
			'downloads/report.pdf',
			readFileSync(join(site, 'content/documents/files/secret-report.pdf')),
		);
		const checked = node(site, 'scripts/check-leaks.ts', PINNED_TIME, ['planted']);
		expect(checked.status).toBe(1);
		expect(checked.stderr).toMatchInlineSnapshot(`
			"Leak check failed: 5 NDA-only items are in the public build.

			planted/controls.csv
			  "M.5 Canarycontrol quarterly review People Implemented"
			    from content/catalogs/mini.yaml (per-control status, publicControlList: false)
			planted/partners.json
			  "https://canarysubproc.example"
			    from content/subprocessors/vault.yaml (name behind publicDescriptor)
			planted/press/index.html
			  "Canarysubproc Vaulting"
			    from content/subprocessors/vault.yaml (name behind publicDescriptor)
			planted/runbook.txt
			  "The CANARYDOCPAGE runbook names every on-call rotation by team."
			    from content/docs/security/secret-page.mdx (visibility: nda)
			planted/downloads/report.pdf
			  is a copy of content/documents/files/secret-report.pdf, which must never be published

			Remove the text from the public page or put it inside <NdaOnly>; stop publishing each copy (a public document or file in public/ must not have the same bytes as an NDA-only file), then build again. Nothing NDA-only may be published.
			"
		`);
	});
});

describe('a fixture that leaks', () => {
	it('fails npm run build after the public build, naming the canary, the file it is in and the source it came from, and leaves dist/ as it was', () => {
		const leaky = makeSite('canary-leak', {
			...overlay,
			content: [...overlay.content, join(ROOT, 'test/fixtures/canary-leak/content')],
		});
		sites.push(leaky);
		// The last build that passed: the same site without the leaking file.
		cpSync(join(site, 'dist'), join(leaky, 'dist'), { recursive: true });
		const before = readFileSync(join(leaky, 'dist/index.html'));
		const build = node(leaky, 'scripts/build.ts', PINNED_TIME);
		expect(build.status, build.stdout + build.stderr).toBe(1);
		// The build that leaks stays apart to be looked at; dist/, which a running gate serves, is untouched.
		expect(existsSync(join(leaky, 'dist.next/press-notes.txt'))).toBe(true);
		expect(existsSync(join(leaky, 'dist/press-notes.txt'))).toBe(false);
		expect(readFileSync(join(leaky, 'dist/index.html')).equals(before)).toBe(true);
		// The chain stops at the leak: the whitepaper, printed beside the public build, is stopped unwritten.
		expect(existsSync(join(leaky, 'private/whitepaper.pdf'))).toBe(false);
		expect(build.stdout).toMatch(
			/\n\[build\] whitepaper: stopped, as the public site did not pass\n\[build\] total: /,
		);
		const report = `Leak check failed: 1 NDA-only item is in the public build.

dist.next/press-notes.txt
  "The CANARYDOCBLOCK vault keeps seven shards in two regions."
    from content/docs/security/index.mdx:10 (<NdaOnly> block)

Remove the text from the public page or put it inside <NdaOnly>, then build again. Nothing NDA-only may be published.
`;
		expect(
			build.stderr.endsWith(
				`\n${report}\nThe build that leaks stays in dist.next/ to be looked at, and is served nowhere. dist/ still holds the last build that passed.\n`,
			),
			build.stderr,
		).toBe(true);
		const check = node(leaky, 'scripts/check-leaks.ts', PINNED_TIME, ['dist.next']);
		expect(check.status).toBe(1);
		expect(check.stderr).toBe(report);
	});
});
