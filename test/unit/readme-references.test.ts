// Messages and starter files send people to a section of the README by its heading: each such reference
// must name a heading that exists, or the reader is sent nowhere.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { walkFiles } from '../../src/lib/files.ts';
import { TYPED_COMMANDS } from '../../src/gate/cli/commands.ts';

/** The README's headings, without their #s and code marks. */
const headings = readFileSync(join(ROOT, 'README.md'), 'utf8')
	.split('\n')
	.filter((line) => /^#{1,6} /.test(line))
	.map((line) => line.replace(/^#+ /, '').replaceAll('`', '').trim());

/** Every `README, "…"` or `README.md, "…"` in src/ and scripts/, with the file it is in. */
const references = ['src', 'scripts'].flatMap((dir) =>
	walkFiles(join(ROOT, dir)).flatMap((file) =>
		[...readFileSync(file, 'utf8').matchAll(/README(?:\.md)?,\s*"([^"\n]+)"/g)].map((m) => ({
			file: relative(ROOT, file),
			section: m[1]!,
		})),
	),
);

/** A reference names a heading, or its start up to a colon or comma ("Site settings" for "Site settings: …"). */
const names = (section: string) =>
	headings.some((h) => h === section || h.startsWith(`${section}:`) || h.startsWith(`${section},`));

describe('references to the README', () => {
	it('are found in the code (the check below checks something)', () => {
		expect(references.length).toBeGreaterThan(5);
	});

	it('each name a heading of README.md', () => {
		expect(references.filter((r) => !names(r.section))).toEqual([]);
	});
});

describe("the README's command table", () => {
	it('names every command of npm run gate', () => {
		const row = readFileSync(join(ROOT, 'README.md'), 'utf8')
			.split('\n')
			.find((line) => line.startsWith('| `npm run gate'));
		expect(TYPED_COMMANDS.filter((name) => !row?.includes(`\`${name}\``))).toEqual([]);
	});
});
