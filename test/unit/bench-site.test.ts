import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateTrustCenter, planSite } from '../../scripts/lib/bench/trust-center.ts';
import { DOCS_SUBDIR } from '../../src/lib/content/dir.ts';
import { checkContent } from '../../src/integration/trust-center.ts';
import { BUILD_EPOCH_SECONDS } from '../../scripts/lib/bench/trust-center.ts';

const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));

// The benches build this synthetic site; a content check added later must not leave them unable to run
// (a rule against two NDA subprocessors under one public descriptor once did, unnoticed).
describe("the benches' synthetic trust center", () => {
	it.each([200, 2000])('passes the content checks at %i pages', (pages) => {
		const root = mkdtempSync(join(tmpdir(), 'bench-site-'));
		roots.push(root);
		const generated = generateTrustCenter(root, planSite(pages));
		renameSync(generated.docsDir, join(generated.contentDir, DOCS_SUBDIR));
		const { content } = checkContent(root, new Date(BUILD_EPOCH_SECONDS * 1000));
		expect(content.subprocessors).toHaveLength(planSite(pages).subprocessors);
	});
});
