import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEXT_DIST, publish } from '../../scripts/lib/build-chain.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A project folder holding `folders`, each with an index.html that names it. */
function project(...folders: string[]): string {
	const root = mkdtempSync(join(tmpdir(), 'build-chain-'));
	roots.push(root);
	for (const folder of folders) {
		mkdirSync(join(root, folder, 'policies'), { recursive: true });
		writeFileSync(join(root, folder, 'index.html'), folder);
		writeFileSync(join(root, folder, 'policies', `${folder}.html`), folder);
	}
	return root;
}

describe('publishing a checked build', () => {
	it('puts dist.next/ in the place of dist/, whose files go with it', () => {
		const root = project('dist', NEXT_DIST);
		publish(root);
		expect(readFileSync(join(root, 'dist/index.html'), 'utf8')).toBe(NEXT_DIST);
		expect(existsSync(join(root, 'dist/policies/dist.html'))).toBe(false);
		expect(existsSync(join(root, `dist/policies/${NEXT_DIST}.html`))).toBe(true);
		expect([existsSync(join(root, NEXT_DIST)), existsSync(join(root, 'dist.old'))]).toEqual([
			false,
			false,
		]);
	});

	it('makes the first dist/, and clears a dist.old/ that a stopped build left', () => {
		const root = project(NEXT_DIST, 'dist.old');
		publish(root);
		expect(readFileSync(join(root, 'dist/index.html'), 'utf8')).toBe(NEXT_DIST);
		expect(existsSync(join(root, 'dist.old'))).toBe(false);
	});
});
