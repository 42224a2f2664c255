import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dirSize } from '../../scripts/lib/bench/files.ts';
import { pagesArgument, parseCli } from '../../scripts/lib/bench/cli.ts';
import { cpuTicksOf, ownCpuSeconds } from '../../scripts/lib/bench/measure.ts';
import { medianBy, medianRun, type SiteResult } from '../../scripts/lib/bench/report.ts';

describe('--pages of bench:og and bench:leaks', () => {
	it('takes the default without the flag, and the number after it', () => {
		expect(pagesArgument([], 200)).toEqual({ ok: true, pages: 200 });
		expect(pagesArgument(['--pages', '500'], 200)).toEqual({ ok: true, pages: 500 });
	});

	it('refuses a flag it does not take, misspelt or not, instead of running at the default size', () => {
		expect(pagesArgument(['--page', '300'], 200)).toEqual({
			ok: false,
			error:
				'"--page" is not a flag of this benchmark; it takes --pages N alone. Fix: remove it or check the spelling, e.g. --pages 200.',
		});
		expect(pagesArgument(['--pages', '300', '--keep'], 200)).toEqual({
			ok: false,
			error:
				'"--keep" is not a flag of this benchmark; it takes --pages N alone. Fix: remove it or check the spelling, e.g. --pages 200.',
		});
	});

	it('refuses what is not a page count with what was expected and how to fix it', () => {
		expect(pagesArgument(['--pages', 'many'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received "many". Fix: pass a number, e.g. --pages 2000.',
		});
		expect(pagesArgument(['--pages'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received "". Fix: pass a number, e.g. --pages 2000.',
		});
		expect(pagesArgument(['--pages', '5'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received 5. Fewer than 20 leaves no room for one page of each kind; use e.g. --pages 200.',
		});
		expect(pagesArgument(['--pages', '60000'], 200)).toEqual({
			ok: false,
			error:
				'--pages: expected a whole number of pages from 20 to 50000, received 60000. Use a smaller number, e.g. --pages 2000.',
		});
	});
});

describe('--rounds of bench:build', () => {
	it('defaults to one round, and takes a number from 1 to 9', () => {
		expect(parseCli([])).toMatchObject({ ok: true, options: { rounds: 1, pages: 2000 } });
		expect(parseCli(['--rounds', '3', '--pages', '200'])).toMatchObject({
			ok: true,
			options: { rounds: 3, pages: 200 },
		});
	});

	it('refuses what is not a number of rounds with what was expected and how to fix it', () => {
		for (const raw of ['0', '10', 'three', '2.5'])
			expect(parseCli(['--rounds', raw])).toEqual({
				ok: false,
				error: `--rounds: expected a whole number from 1 to 9, received "${raw}". Fix: pass e.g. --rounds 3 (an odd number has one median run).`,
			});
		expect(parseCli(['--rounds'])).toEqual({
			ok: false,
			error:
				'--rounds: expected a whole number after it, e.g. --rounds 3, received nothing. Fix: add the number, or leave --rounds out for one round.',
		});
	});
});

describe('the median run of a site', () => {
	const run = (wallMs: number) => ({ wallMs }) as SiteResult;
	it('is the middle one by wall time, whatever the order the rounds ran in', () => {
		expect(medianRun([run(30), run(10), run(20)]).wallMs).toBe(20);
		expect(medianRun([run(12)]).wallMs).toBe(12);
	});
	it('is the faster of the middle two for an even count', () => {
		expect(medianRun([run(40), run(10), run(30), run(20)]).wallMs).toBe(20);
	});
	it('is taken the same way by every benchmark, for any figure, and is nothing for no runs', () => {
		const turns = [{ rps: 900 }, { rps: 1200 }, { rps: 1000 }];
		expect(medianBy(turns, (t) => t.rps)).toBe(turns[2]);
		expect(medianBy([5, 1, 4, 2], (v) => v)).toBe(2);
		expect(medianBy([], (v: number) => v)).toBeUndefined();
	});
});

describe('the sizes bench:build compares (Pagefind index, pages)', () => {
	it("leaves out the build's compressed copies, which bare Starlight does not write", () => {
		const dir = mkdtempSync(join(tmpdir(), 'bench-size-'));
		try {
			mkdirSync(join(dir, 'fragment'));
			writeFileSync(join(dir, 'fragment/en_1.pf_fragment'), Buffer.alloc(300));
			writeFileSync(join(dir, 'fragment/en_1.pf_fragment.br'), Buffer.alloc(200));
			writeFileSync(join(dir, 'pagefind.js'), Buffer.alloc(100));
			writeFileSync(join(dir, 'pagefind.js.gz'), Buffer.alloc(50));
			expect(dirSize(dir)).toBe(400);
			// The size of the pages: their HTML only.
			writeFileSync(join(dir, 'index.html'), Buffer.alloc(70));
			writeFileSync(join(dir, 'index.html.br'), Buffer.alloc(20));
			expect(dirSize(dir, '.html')).toBe(70);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe.runIf(process.platform === 'linux')('the CPU time the benchmarks read from /proc', () => {
	it('gives a process’s own seconds as Node counts them, and nothing for a process that is gone', () => {
		const before = ownCpuSeconds(process.pid)!;
		const start = process.cpuUsage();
		for (let used = 0; used < 300_000;) {
			const { user, system } = process.cpuUsage(start);
			used = user + system;
		}
		const { user, system } = process.cpuUsage();
		const own = ownCpuSeconds(process.pid)!;
		// /proc counts in ticks of 1/100 s, read a moment after Node's microseconds.
		expect(Math.abs(own - (user + system) / 1e6)).toBeLessThan(0.1);
		expect(own - before).toBeGreaterThanOrEqual(0.28);
		expect(cpuTicksOf(process.pid)).toBeGreaterThanOrEqual(Math.floor(own * 100));
		const gone = 2 ** 22 + 1; // above Linux's largest pid
		expect(ownCpuSeconds(gone)).toBeUndefined();
		expect(cpuTicksOf(gone)).toBe(0);
	});
});

describe('the flags of the benchmarks that read them with parseArgs', () => {
	it('end a run on a flag the script does not take, or one missing its value, naming the flags it takes', () => {
		const run = (script: string, args: string[]) => {
			const { status, stderr } = spawnSync(process.execPath, [join('scripts', script), ...args], {
				encoding: 'utf8',
			});
			return [status, stderr];
		};
		expect(run('bench-precompress.ts', ['--bogus'])).toEqual([
			2,
			"npm run bench:precompress: Unknown option '--bogus'. It takes --dist <value>.\n",
		]);
		expect(run('bench-gate.ts', ['--rounds'])).toEqual([
			2,
			"npm run bench:gate: Option '--rounds <value>' argument missing. It takes --watermark-only, --static-only, --baseline <value>, --rounds <value>.\n",
		]);
	});
});
