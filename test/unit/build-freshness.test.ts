import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
	inputsDigest,
	readStamp,
	staleReason,
	whitepaperCurrent,
	writeStamp,
} from '../../scripts/lib/build-freshness.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';

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
		'scripts/lib/site-copy.ts': '\n',
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
		'scripts/lib',
		'scripts',
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
		'scripts/lib/site-copy.ts',
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

describe('npm start’s rebuild decision with the access gate on', () => {
	/** A built project whose content turns the gate on, with a whitepaper made at `made` (none when undefined). */
	function gatedProject(made: Date | undefined): string {
		const root = builtProject();
		for (const file of ['content/nda.mdx', 'content/access-rules.yaml']) {
			writeFileSync(join(root, file), '\n');
			utimesSync(join(root, file), BEFORE, BEFORE);
		}
		utimesSync(join(root, 'content'), BEFORE, BEFORE);
		if (made) {
			mkdirSync(join(root, 'private'));
			writeFileSync(join(root, 'private/whitepaper.pdf'), '%PDF-1.7\n');
			utimesSync(join(root, 'private/whitepaper.pdf'), made, made);
		}
		return root;
	}

	it('builds when the whitepaper was never made, or made before the site (its step failed or had no Chromium)', () => {
		expect(staleReason(gatedProject(undefined))).toBe(
			'the NDA whitepaper (private/whitepaper.pdf) has not been made',
		);
		expect(staleReason(gatedProject(BEFORE))).toBe(
			'the NDA whitepaper (private/whitepaper.pdf) is older than the site in dist/: the last build did not make it',
		);
	});

	it('keeps a whitepaper made after the site', () => {
		expect(staleReason(gatedProject(AFTER))).toBeUndefined();
	});

	// Only root can make a file another user cannot read and then run as that user.
	it.runIf(process.getuid?.() === 0)(
		'says a whitepaper another user made cannot be read, instead of that it was never made, and does not build for it',
		() => {
			const root = gatedProject(AFTER);
			chmodSync(root, 0o755);
			chmodSync(join(root, 'private'), 0o700);
			// As the unprivileged user a gate may run as; the files belong to root, who built them.
			const asNobody = (expression: string) =>
				execFileSync(
					'runuser',
					[
						'-u',
						'nobody',
						'--',
						process.execPath,
						'--input-type=module',
						'-e',
						`const m = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'src/whitepaper/freshness.ts')).href)}); console.log(JSON.stringify(${expression}));`,
					],
					{ encoding: 'utf8' },
				).trim();
			expect(JSON.parse(asNobody(`m.whitepaperStaleness(${JSON.stringify(root)})`))).toEqual({
				reason:
					'the NDA whitepaper (private/whitepaper.pdf) cannot be read by this user (EACCES): give private/ and the files in it to the user that runs the gate (chown -R)',
				rebuild: false,
			});
		},
	);

	it('lets npm run build skip the whitepaper only when made from the same inputs and after the site', () => {
		const stamp = { public: 'd1', whitepaper: 'd1' };
		expect(whitepaperCurrent(gatedProject(AFTER), stamp, 'd1')).toBe(true);
		expect(whitepaperCurrent(gatedProject(AFTER), stamp, 'd2')).toBe(false);
		// The site was built again (dist/ was lost) from the same inputs: the whitepaper is made again too.
		expect(whitepaperCurrent(gatedProject(BEFORE), stamp, 'd1')).toBe(false);
		expect(whitepaperCurrent(gatedProject(undefined), stamp, 'd1')).toBe(false);
	});
});

describe('npm run build’s input digest', () => {
	const env = { SOURCE_DATE_EPOCH: String(BUILT.getTime() / 1000) };

	it('stays the same when nothing the build reads changed, even when files are touched', () => {
		const root = builtProject();
		const digest = inputsDigest(root, env);
		utimesSync(join(root, 'content/site.yaml'), AFTER, AFTER);
		writeFileSync(join(root, 'README.md'), '# Changed, but not an input\n');
		expect(inputsDigest(root, env)).toBe(digest);
	});

	it('changes with a content file’s bytes, an added file, a source file and the build’s day', () => {
		const root = builtProject();
		const digests = [inputsDigest(root, env)];
		writeFileSync(join(root, 'content/site.yaml'), 'companyName: Fixture Inc\n');
		digests.push(inputsDigest(root, env));
		writeFileSync(join(root, 'content/policies/backup.mdx'), '---\ntitle: Backup\n---\n');
		digests.push(inputsDigest(root, env));
		writeFileSync(join(root, 'src/pages/index.astro'), '---\n// changed\n---\n');
		digests.push(inputsDigest(root, env));
		digests.push(inputsDigest(root, { SOURCE_DATE_EPOCH: String(AFTER.getTime() / 1000) }));
		expect(new Set(digests).size).toBe(digests.length);
	});

	it('records each step’s digest, and forgets one that began again', () => {
		const root = builtProject();
		expect(readStamp(root)).toEqual({});
		writeStamp(root, 'public', 'a');
		writeStamp(root, 'whitepaper', 'a');
		writeStamp(root, 'whitepaper', null);
		expect(readStamp(root)).toEqual({ public: 'a', whitepaper: null });
	});

	it('rebuilds a dist/ whose build began and did not pass its leak check, however new it is', () => {
		const root = builtProject();
		writeStamp(root, 'public', 'a');
		expect(staleReason(root)).toBeUndefined();
		writeStamp(root, 'public', null);
		expect(staleReason(root)).toBe(
			'the last build of dist/ failed or was stopped before its leak check passed, so it may hold NDA-only content',
		);
	});
});
