import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
	FIXTURE_DOCS,
	buildSite,
	fixtureContent,
	makeSite,
	removeSite,
} from '../../scripts/lib/site-copy.ts';

// Fixture dates are fixed, so the build's clock is too: evidence ages and review dates stay as written.
const PINNED_TIME = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000) };
const sites: string[] = [];
afterAll(() => sites.forEach(removeSite));

/** Astro prints a content error's message as Markdown: **field** in bold, which leaves the plain text without colour. */
const asAstroPrints = (line: string) => line.replace(/\*\*(.+?)\*\*/g, '$1');

async function build(fixture: string) {
	const dir = makeSite(`build-${fixture}`, {
		content: fixtureContent(fixture),
		docs: FIXTURE_DOCS,
	});
	sites.push(dir);
	return buildSite(dir, [], PINNED_TIME);
}

describe('astro build on broken content', () => {
	it('fails and prints every field problem, naming file, line, field, expected and received', async () => {
		const { code, output } = await build('broken-fields');
		expect(code).not.toBe(0);
		expect(output).toContain('The trust center content has problems. Fix them and build again.');
		expect(output).toContain('9 content errors in 5 files:');
		expect(output).toContain(
			asAstroPrints(
				'content/frameworks/mini-cert.mdx:8: **auditr**: unknown field. Check the spelling against the schema in src/schemas/, or remove it.',
			),
		);
		expect(output).toContain(
			asAstroPrints(
				'content/subprocessors/host.yaml:5: **locations[1]**: expected one of "eu" | "uk" | "us" | "ca" | "ch" | "au" | "jp" | "sg" | "in" | "global", received "apac". Add "apac" to src/data/regions.ts or fix the value.',
			),
		);
		expect(output).toContain(
			asAstroPrints(
				'content/site.yaml:8: **brandColor**: expected a six-digit hex colour like "#1d4ed8", received "blue".',
			),
		);
		expect(output).toContain(
			'Each line names the file (and line), the field, what was expected and what was found, then how to fix it. Every field is described in src/schemas/.',
		);
		expect(output).not.toContain('[build] Complete!');
	});

	it('fails and prints every broken cross-reference', async () => {
		const { code, output } = await build('broken-references');
		expect(code).not.toBe(0);
		expect(output).toContain('11 content errors in 7 files:');
		// The report alone: no stack trace of the config file, and no hint of Astro's own that a message
		// naming "documents" is about browser APIs.
		expect(output).not.toMatch(/Unable to load your Astro config|Stack trace|Browser APIs/);
		expect(output).toContain(
			asAstroPrints(
				'content/frameworks/mini-cert.mdx:8: **catalog**: unknown catalog "nope"; known catalogs: "mini". Use one of those, or add content/catalogs/nope.yaml.',
			),
		);
		expect(output).toContain(
			asAstroPrints(
				'content/documents/mini-report.yaml:7: **file**: file not found: content/documents/files/gone.pdf.',
			),
		);
	});

	it('fails on overdue reviews in strict mode, naming the owner', async () => {
		const { code, output } = await build('strict-warnings');
		expect(code).not.toBe(0);
		expect(output).toContain(
			'review overdue since 2025-01-01 (last reviewed 2024-01-01, every 12 months); owner: CISO.',
		);
		expect(output).toContain('(strict: true in content/site.yaml turns warnings into errors.)');
	});

	it('fails when too large a share of controls has stale evidence, naming the setting', async () => {
		const { code, output } = await build('too-stale');
		expect(code).not.toBe(0);
		expect(output).toContain(
			asAstroPrints(
				"content/control-status.json:9: **controls**: Mini Certification: 3 of 3 applicable mini controls (100.0%) have evidence older than their max age (90 days by default) on 2026-11-23; the limit is 10.0% of a framework's applicable controls (controlStatus.maxStaleShare in content/site.yaml). Pull fresh evidence with `npm run controls:pull`, or raise the limit.",
			),
		);
	});

	it('publishes the per-control list, stale controls marked, when configured public', async () => {
		const dir = makeSite('build-public-control-list', {
			content: fixtureContent('public-control-list'),
			docs: FIXTURE_DOCS,
		});
		sites.push(dir);
		const { code } = await buildSite(dir, [], PINNED_TIME);
		expect(code).toBe(0);
		const html = readFileSync(join(dir, 'dist/frameworks/mini-cert/index.html'), 'utf8')
			.replace(/<[^>]+>/g, ' ')
			.replace(/\s+/g, ' ');
		expect(html).toContain('Mini Certification: every control');
		expect(html).toContain(
			'M.4 Logging Technology Stale evidence last reported Partial 1 January 2025 manual',
		);
		expect(html).toContain('M.1 Access control People Implemented 1 November 2026 manual');
		expect(html).toContain('2 of 3 mini controls implemented · 1 not applicable · 1 stale');
	});

	it('shows every surface the same counts: not reported and failing named, a domain where nothing applies as such, dated in UTC', async () => {
		const dir = makeSite('build-status-surfaces', {
			content: fixtureContent('public-control-list'),
			docs: FIXTURE_DOCS,
		});
		sites.push(dir);
		const snapshotPath = join(dir, 'content/control-status.json');
		const entry = (control: string, status: string, evidenceDate = '2026-11-01') => ({
			catalog: 'mini',
			control,
			status,
			evidenceDate,
			source: 'manual',
		});
		// People holds M.1 only, now not applicable; M.2 is reported by nobody; M.4 failed long ago.
		const snapshot = {
			asOf: '2026-11-20T06:00:00Z',
			sources: [
				{ id: 'manual', kind: 'manual' },
				{ id: 'other-tool', kind: 'manual' },
			],
			controls: [
				entry('M.1', 'not-applicable'),
				entry('M.3', 'not-applicable'),
				entry('M.4', 'failing', '2025-01-01'),
			],
		};
		writeFileSync(snapshotPath, JSON.stringify(snapshot));
		const built = await buildSite(dir, [], PINNED_TIME);
		expect(built.code, built.output).toBe(0);
		const text = (path: string) =>
			readFileSync(join(dir, 'dist', path), 'utf8')
				.replace(/<[^>]+>/g, ' ')
				.replace(/\s+/g, ' ')
				// A tag before punctuation is not a space a reader sees: "<time>…</time>, from".
				.replace(/ ([,.:;])/g, '$1');
		const page = text('frameworks/mini-cert/index.html');
		expect(page).toContain(
			'0 of 2 mini controls implemented · 2 not applicable · 1 failing · 1 not reported',
		);
		expect(page).toContain(
			'Domain Implemented Partial Planned Failing Stale Not reported Not applicable Coverage',
		);
		expect(page).toContain('People — 0 0 0 0 0 1 not applicable');
		expect(page).toContain('Technology 0 of 2 0 0 1 0 1 1 0%');
		expect(page).toContain('All domains 0 of 2 0 0 1 0 1 2 0%');
		expect(page).toContain('By domain: People not applicable; Technology 0 of 2.');
		expect(page).toContain(
			'Status as of 20 November 2026, 06:00 UTC, from manual. Evidence age judged at 23 November 2026, 12:00 UTC:',
		);
		expect(page).toContain('M.4 Logging Technology Failing 1 January 2025 manual');
		const status = JSON.parse(readFileSync(join(dir, 'dist/status.json'), 'utf8'));
		expect(status).toMatchObject({
			asOf: '2026-11-20T06:00:00Z',
			evaluatedAt: '2026-11-23T12:00:00.000Z',
			maxEvidenceAgeDays: 90,
		});
		expect(status.frameworks[0].headline).toBe(
			'0 of 2 implemented · 2 not applicable · 1 failing · 1 not reported',
		);
		expect(readFileSync(join(dir, 'dist/badges/mini-cert.svg'), 'utf8')).toContain(
			'<title>Mini Certification: 0/2 · 1 failing · 1 not reported</title>',
		);
		const og = JSON.parse(readFileSync(join(dir, 'dist/og/index.json'), 'utf8')) as {
			page: string;
			subtitle: string;
		}[];
		expect(
			og.find((i) => i.page === '/frameworks/mini-cert/')!.subtitle.replace(/\u00a0/g, ' '),
		).toBe(
			'Certified · 0 of 2 mini controls implemented · 2 not applicable · 1 failing · 1 not reported',
		);

		// No control has a status: every surface that shows counts still dates them.
		writeFileSync(snapshotPath, JSON.stringify({ ...snapshot, controls: [] }));
		const empty = await buildSite(dir, [], PINNED_TIME);
		expect(empty.code, empty.output).toBe(0);
		expect(text('index.html')).toContain('control status as of 20 November 2026');
		expect(text('frameworks/index.html')).toContain(
			'Counts come from our control-status snapshot of 20 November 2026',
		);
		expect(text('frameworks/mini-cert/index.html')).toContain(
			'Status as of 20 November 2026, 06:00 UTC; no source reported a control of this framework.',
		);
	});

	it('builds the minimal fixture, publishing public documents only', async () => {
		const { code, output } = await build('minimal');
		expect(output).toContain('[build] Complete!');
		expect(code).toBe(0);
	});
});
