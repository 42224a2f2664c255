import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { staleReason } from '../../scripts/lib/build-freshness.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

const BEFORE = new Date('2026-11-20T10:00:00Z');
const BUILT = new Date('2026-11-21T10:00:00Z');
const AFTER = new Date('2026-11-22T10:00:00Z');

/** A project built at BUILT from sources last changed at BEFORE; every folder and file is dated. */
function builtProject(): string {
	const root = mkdtempSync(join(tmpdir(), 'freshness-'));
	roots.push(root);
	const files = {
		'content/site.yaml': 'companyName: Fixture Co\n',
		'content/policies/access.mdx': '---\ntitle: Access\n---\n',
		'src/pages/index.astro': '---\n---\n',
		'astro.config.mjs': 'export default {};\n',
		'package-lock.json': '{}\n',
		'README.md': '# Fixture\n',
		'test/unit/x.test.ts': '\n',
		'dist/index.html': '<!doctype html>\n',
	};
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(join(root, path, '..'), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	for (const path of [
		...Object.keys(files),
		'content/policies',
		'content',
		'src/pages',
		'src',
		'test/unit',
		'test',
	])
		utimesSync(join(root, path), BEFORE, BEFORE);
	utimesSync(join(root, 'dist/index.html'), BUILT, BUILT);
	return root;
}

const CHANGED = 'content or source files changed since the last build';

describe('npm start’s rebuild decision', () => {
	it('builds when dist/ has never been built', () => {
		const root = builtProject();
		rmSync(join(root, 'dist'), { recursive: true });
		expect(staleReason(root)).toBe('dist/ has not been built yet');
	});

	it('keeps a build that is newer than every source, whatever else changed since', () => {
		const root = builtProject();
		expect(staleReason(root)).toBeUndefined();
		for (const path of ['README.md', 'test/unit/x.test.ts'])
			utimesSync(join(root, path), AFTER, AFTER);
		writeFileSync(join(root, 'notes.txt'), 'not a source\n');
		expect(staleReason(root)).toBeUndefined();
	});

	it.each([
		'content/site.yaml',
		'content/policies/access.mdx',
		'src/pages/index.astro',
		'astro.config.mjs',
		'package-lock.json',
	])('rebuilds when %s changed after the build', (path) => {
		const root = builtProject();
		utimesSync(join(root, path), AFTER, AFTER);
		expect(staleReason(root)).toBe(CHANGED);
	});

	it('rebuilds when a content file was deleted or added, which no remaining file’s time shows', () => {
		const root = builtProject();
		rmSync(join(root, 'content/policies/access.mdx'));
		expect(staleReason(root)).toBe(CHANGED);
		const added = builtProject();
		writeFileSync(join(added, 'content/policies/new.mdx'), '---\ntitle: New\n---\n');
		utimesSync(join(added, 'content/policies/new.mdx'), BEFORE, BEFORE);
		expect(staleReason(added)).toBe(CHANGED);
	});
});
