import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NEXT_DIST, nodeCommand, publish } from '../../scripts/lib/build-chain.ts';

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

describe('the public build beside the whitepaper', () => {
	// The nice value of each of the process's threads (the 19th field of its stat line), once it has
	// started a worker thread and a child process of its own, as Astro's build does.
	const script = `
		const { readdirSync, readFileSync } = require('node:fs');
		const { Worker } = require('node:worker_threads');
		const { execFileSync } = require('node:child_process');
		// As statFields (scripts/lib/bench/measure.ts) reads it: the fields after the command's last ")".
		const field = (stat) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
		const nice = (pid) => readdirSync(\`/proc/\${pid}/task\`).map((tid) =>
			field(readFileSync(\`/proc/\${pid}/task/\${tid}/stat\`, 'utf8')));
		const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
		worker.on('online', () => {
			const child = execFileSync('sh', ['-c', 'cut -d" " -f19 /proc/$$/stat']).toString().trim();
			console.log(JSON.stringify({ threads: nice(process.pid), child: Number(child) }));
			process.exit(0);
		});`;
	const niceOf = (yieldCpu: boolean) => {
		const { command, args } = nodeCommand(['-e', script], yieldCpu);
		return JSON.parse(execFileSync(command, args, { encoding: 'utf8' })) as {
			threads: number[];
			child: number;
		};
	};

	it.runIf(process.platform === 'linux')(
		'runs at nice 10 below the chain, every thread and child process with it',
		() => {
			const lowered = Math.min(19, getPriority() + 10);
			const { threads, child } = niceOf(true);
			expect(threads.length).toBeGreaterThan(2);
			expect(new Set(threads)).toEqual(new Set([lowered]));
			expect(child).toBe(lowered);
		},
	);

	it.runIf(process.platform === 'linux')('runs at the chain’s own priority otherwise', () => {
		const { threads, child } = niceOf(false);
		expect(new Set(threads)).toEqual(new Set([getPriority()]));
		expect(child).toBe(getPriority());
	});
});
