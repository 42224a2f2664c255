import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { chooseContentDir, exampleNotice } from '../../src/lib/content/dir.ts';
import { loadContent } from '../../src/lib/content/load.ts';
import { formatReport } from '../../src/lib/reporters/content.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A project folder holding the given folders (empty ones; `content` may be filled by the caller). */
function project(...folders: string[]): string {
	const root = mkdtempSync(join(tmpdir(), 'content-dir-'));
	roots.push(root);
	for (const folder of folders) mkdirSync(join(root, folder), { recursive: true });
	return root;
}

const NO_ENV = {};

describe('which content folder is built', () => {
	it('builds content/ when it exists, even with the example beside it, and prints nothing about the example', () => {
		const root = project('content', 'examples/kestrel-ledger');
		expect(chooseContentDir(root, NO_ENV)).toBe('content');
		expect(exampleNotice(root, NO_ENV)).toBeUndefined();
	});

	it('builds the example when there is no content/ folder, and says so in one line', () => {
		const root = project('examples/kestrel-ledger');
		expect(chooseContentDir(root, NO_ENV)).toBe('examples/kestrel-ledger');
		expect(exampleNotice(root, NO_ENV)).toBe(
			'Using the example trust center in examples/kestrel-ledger/: there is no content/ folder yet. Put your own files in content/ to make it yours (README.md).',
		);
	});

	it('reports a content/ folder that exists but is broken, instead of falling back to the example', () => {
		const root = project('content');
		cpSync(join(ROOT, 'examples/kestrel-ledger'), join(root, 'examples/kestrel-ledger'), {
			recursive: true,
		});
		expect(chooseContentDir(root, NO_ENV)).toBe('content');
		const { content, problems } = loadContent(root);
		expect(content).toBeUndefined();
		expect(formatReport(problems)).toMatchInlineSnapshot(`
			"2 content errors in 2 files:
			  content/control-status.json: file is missing. Create content/control-status.json; see README.md for a worked example.
			  content/site.yaml: file is missing. Create content/site.yaml; see README.md for a worked example."
		`);
	});

	it('names files of the example by their path from the project root', () => {
		const root = project();
		cpSync(join(ROOT, 'examples/kestrel-ledger'), join(root, 'examples/kestrel-ledger'), {
			recursive: true,
		});
		const { content } = loadContent(root);
		expect(content?.site.companyName).toBe('Kestrel Ledger');
		expect(content?.policies.find((p) => p.data.id === 'access-control')?.file).toBe(
			'examples/kestrel-ledger/policies/access-control.mdx',
		);
	});

	it('builds the folder TRUST_CONTENT_DIR names, relative to the project root or absolute, over content/', () => {
		const root = project('content', 'teams/blue');
		expect(chooseContentDir(root, { TRUST_CONTENT_DIR: 'teams/blue' })).toBe('teams/blue');
		expect(chooseContentDir(root, { TRUST_CONTENT_DIR: join(root, 'teams/blue') })).toBe(
			'teams/blue',
		);
		expect(exampleNotice(root, { TRUST_CONTENT_DIR: 'teams/blue' })).toBeUndefined();
	});

	it('refuses a TRUST_CONTENT_DIR that is not a folder, naming it', () => {
		const root = project('content');
		expect(() => chooseContentDir(root, { TRUST_CONTENT_DIR: 'teams/red' })).toThrow(
			`TRUST_CONTENT_DIR is "teams/red", but ${join(root, 'teams/red')} is not a folder. Point it at a content folder, or unset it to use content/.`,
		);
	});
});
