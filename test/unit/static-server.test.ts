import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageKind } from '../../src/lib/routing/kind.ts';
import { resolveStatic } from '../../src/gate/routes/static.ts';

const dir = mkdtempSync(join(tmpdir(), 'static-'));
mkdirSync(join(dir, 'policies'));
writeFileSync(join(dir, 'index.html'), 'home');
writeFileSync(join(dir, 'policies/index.html'), 'policies');
writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');

describe('static file resolution', () => {
	it('maps directory URLs to their index.html', () => {
		expect(resolveStatic(dir, '/policies/')).toBe(join(dir, 'policies/index.html'));
		expect(resolveStatic(dir, '/?q=1')).toBe(join(dir, 'index.html'));
	});

	it('never resolves a path outside the served folder', () => {
		expect(resolveStatic(dir, '/../secret.txt')).toBeUndefined();
		expect(resolveStatic(dir, '/%2e%2e/secret.txt')).toBeUndefined();
		expect(resolveStatic(dir, '/%00')).toBeUndefined();
		expect(resolveStatic(dir, '/%E0%A4%A')).toBeUndefined();
	});
});

describe('page kinds for the search filter', () => {
	it('tags each part of the site with its kind', () => {
		expect(
			['/', '/policies/access-control/', '/security/encryption/', '/faq/', '/about/'].map(pageKind),
		).toEqual(['Overview', 'Policy', 'Doc', 'FAQ', undefined]);
	});
});
