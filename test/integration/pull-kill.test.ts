import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureContent, makeSite, removeSite } from '../../scripts/lib/site-copy.ts';
import { snapshotDigest } from '../../src/lib/pull/snapshot-file.ts';

const dir = makeSite('pull-kill', { content: fixtureContent('minimal') });
afterAll(() => removeSite(dir));
const content = join(dir, 'content');
const snapshotPath = join(content, 'control-status.json');

// A large catalog and export, so that writing the snapshot takes long enough to be interrupted.
const COUNT = 40_000;
writeFileSync(
	join(content, 'catalogs/big.yaml'),
	stringify({
		id: 'big',
		name: 'Big',
		controls: Array.from({ length: COUNT }, (_, i) => ({
			id: `B.${i}`,
			title: `Control ${i}`,
			domain: `D${i % 12}`,
			description: 'A control of the big catalog used to slow the write down.',
		})),
	}),
);
mkdirSync(join(content, 'exports'));
writeFileSync(
	join(content, 'exports/big.csv'),
	[
		'id,status,date',
		...Array.from({ length: COUNT }, (_, i) => `B.${i},implemented,2026-11-20`),
	].join('\n'),
);
const site = parse(readFileSync(join(content, 'site.yaml'), 'utf8'));
site.controlStatus = {
	sources: [
		{
			id: 'big-export',
			kind: 'file',
			catalog: 'big',
			path: 'exports/big.csv',
			fields: { id: 'id', status: 'status', evidenceDate: 'date' },
		},
	],
};
writeFileSync(join(content, 'site.yaml'), stringify(site));

const tempFiles = () =>
	readdirSync(content).filter((name) => name.startsWith('.control-status.json.'));

/** Runs the real pull command; with `killOnTemp`, SIGKILLs it the moment its temporary file appears. */
function runPull(
	killOnTemp: boolean,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; sawTemp: boolean }> {
	return new Promise((resolve) => {
		let sawTemp = false;
		const child = spawn(process.execPath, [join(dir, 'scripts/pull-controls.ts')], {
			cwd: dir,
			stdio: 'ignore',
		});
		const watcher = watch(content, (_event, name) => {
			if (killOnTemp && !sawTemp && name?.startsWith('.control-status.json.')) {
				sawTemp = true;
				child.kill('SIGKILL');
			}
		});
		child.on('exit', (code, signal) => {
			watcher.close();
			resolve({ code, signal, sawTemp });
		});
	});
}

describe('a pull killed mid-write', () => {
	it(
		'leaves the previous snapshot byte-identical, and the next pull cleans up and succeeds',
		{ timeout: 300_000 },
		async () => {
			const before = readFileSync(snapshotPath);
			let interrupted = false;
			for (let attempt = 0; attempt < 5 && !interrupted; attempt++) {
				const run = await runPull(true);
				const after = readFileSync(snapshotPath);
				// Only a kill that landed while the temporary file was still there was truly mid-write.
				interrupted = run.signal === 'SIGKILL' && tempFiles().length > 0 && after.equals(before);
				// Wherever the kill landed (or if the pull finished first), the snapshot is whole: the
				// previous one byte for byte, or the new one complete, with its digest.
				if (!after.equals(before)) {
					const written = JSON.parse(after.toString('utf8'));
					expect(written.controls).toHaveLength(COUNT);
					expect(written.digest).toBe(snapshotDigest(written));
					writeFileSync(snapshotPath, before);
				}
			}
			expect(interrupted).toBe(true);
			expect(readFileSync(snapshotPath).equals(before)).toBe(true);

			const clean = await runPull(false);
			expect(clean.code).toBe(0);
			expect(tempFiles()).toEqual([]);
			const written = JSON.parse(readFileSync(snapshotPath, 'utf8'));
			expect(written.controls).toHaveLength(COUNT);
			expect(written.digest).toBe(snapshotDigest(written));
			expect(existsSync(snapshotPath)).toBe(true);
		},
	);
});
