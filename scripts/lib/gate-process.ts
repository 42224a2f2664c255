// Starts the gate in a process of its own (scripts/lib/gate-child.ts) on a free loopback port, for the
// kill test and the benchmark, which need to kill or load it from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './site-copy.ts';

/** Resolves once the gate listens, with its URL; rejects with everything it printed if it exits first. */
export function startGateProcess(
	root: string,
	dist: string,
	env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
	const child = spawn(process.execPath, [join(ROOT, 'scripts/lib/gate-child.ts'), root, dist], {
		env: {
			...process.env,
			PORT: '0',
			HOST: '127.0.0.1',
			GATE_DATA_DIR: join(root, 'data'),
			...env,
		},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (d) => {
			out += d;
			const url = /\{"listening":"([^"]+)"\}/.exec(out)?.[1];
			if (url) resolve({ child, url });
		});
		child.stderr!.on('data', (d) => (out += d));
		child.on('exit', (code) =>
			reject(new Error(`the gate exited (${code}) before listening:\n${out}`)),
		);
	});
}
