// Starts the gate in a process of its own (scripts/lib/gate-child.ts) on a free loopback port, for the
// kill test and the benchmark, which need to kill or load it from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './site-copy.ts';

/** A gate in its own process. */
export interface GateProcess {
	child: ChildProcess;
	url: string;
	/**
	 * The event loop's delay (ms) since the last call, as the child measured it: needs
	 * GATE_CHILD_LOOP_DELAY=1 in its environment (scripts/lib/gate-child.ts).
	 */
	loopDelay(): Promise<{ p50: number; p99: number; max: number }>;
}

/** Resolves once the gate listens, with its URL; rejects with everything it printed if it exits first. */
export function startGateProcess(
	root: string,
	dist: string,
	env: Record<string, string>,
): Promise<GateProcess> {
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
	const delays: Array<(delay: { p50: number; p99: number; max: number }) => void> = [];
	const loopDelay = () =>
		new Promise<{ p50: number; p99: number; max: number }>((resolve) => {
			delays.push(resolve);
			child.kill('SIGUSR2');
		});
	let lines = '';
	return new Promise((resolve, reject) => {
		child.stdout!.on('data', (d) => {
			out += d;
			lines += d;
			const url = /\{"listening":"([^"]+)"\}/.exec(out)?.[1];
			if (url) resolve({ child, url, loopDelay });
			for (let end = lines.indexOf('\n'); end >= 0; end = lines.indexOf('\n')) {
				const line = lines.slice(0, end);
				lines = lines.slice(end + 1);
				if (line.startsWith('{"loopDelay":'))
					delays.shift()?.(
						(JSON.parse(line) as { loopDelay: { p50: number; p99: number; max: number } })
							.loopDelay,
					);
			}
		});
		child.stderr!.on('data', (d) => (out += d));
		child.on('exit', (code) =>
			reject(new Error(`the gate exited (${code}) before listening:\n${out}`)),
		);
	});
}
