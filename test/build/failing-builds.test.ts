import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURE_DOCS, buildSite, fixtureContent, makeSite, removeSite } from '../../scripts/lib/site-copy.ts';

const sites: string[] = [];
afterAll(() => sites.forEach(removeSite));

async function build(fixture: string) {
	const dir = makeSite(`build-${fixture}`, { content: fixtureContent(fixture), docs: FIXTURE_DOCS });
	sites.push(dir);
	return buildSite(dir);
}

describe('astro build on broken content', () => {
	it('fails and prints every field problem, naming file, line, field, expected and received', async () => {
		const { code, output } = await build('broken-fields');
		expect(code).not.toBe(0);
		expect(output).toContain('The trust center content has problems. Fix them and build again.');
		expect(output).toContain('8 content errors in 5 files:');
		expect(output).toContain('content/frameworks/mini-cert.mdx:8: **auditr**: unknown field. Check the spelling against the schema in src/schemas/, or remove it.');
		expect(output).toContain('content/subprocessors/host.yaml:5: **locations[1]**: expected one of "eu" | "uk" | "us" | "ca" | "ch" | "au" | "jp" | "sg" | "in" | "global", received "apac". Add "apac" to src/data/regions.ts or fix the value.');
		expect(output).toContain('content/site.yaml:7: **brandColor**: expected a six-digit hex colour like "#1d4ed8", received "blue".');
		expect(output).not.toContain('[build] Complete!');
	});

	it('fails and prints every broken cross-reference', async () => {
		const { code, output } = await build('broken-references');
		expect(code).not.toBe(0);
		expect(output).toContain('9 content errors in 6 files:');
		expect(output).toContain('content/frameworks/mini-cert.mdx: **catalog**: unknown catalog "nope"; known catalogs: "mini". Use one of those, or add content/catalogs/nope.yaml.');
		expect(output).toContain('content/documents/mini-report.yaml: **file**: file not found: content/documents/files/gone.pdf.');
	});

	it('fails on overdue reviews in strict mode, naming the owner', async () => {
		const { code, output } = await build('strict-warnings');
		expect(code).not.toBe(0);
		expect(output).toContain('review overdue since 2025-01-01 (last reviewed 2024-01-01, every 12 months); owner: CISO.');
		expect(output).toContain('(strict: true in content/site.yaml turns warnings into errors.)');
	});

	it('builds the minimal fixture, publishing public documents only', async () => {
		const { code, output } = await build('minimal');
		expect(output).toContain('[build] Complete!');
		expect(code).toBe(0);
	});
});
