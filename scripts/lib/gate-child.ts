// Runs the gate in its own process, for the kill test and the benchmark: node gate-child.ts <root> <dist>.
// Prints one JSON line {"listening": url} once it serves; SIGTERM stops it gracefully, as npm start does.
// With GATE_CHILD_LOOP_DELAY=1 it samples its event loop's delay, and on SIGUSR2 prints one JSON line
// {"loopDelay": {p50, p99, max}} (ms) of the samples since the last one: how long work on the gate's own
// thread kept a request waiting, seen from inside (the benchmark's load generator sees it from outside).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startGate } from '../../src/gate/server.ts';

const [root, dist] = process.argv.slice(2);
if (process.env['GATE_CHILD_LOOP_DELAY'] === '1') {
	const delay = monitorEventLoopDelay({ resolution: 1 });
	delay.enable();
	const ms = (ns: number) => Math.round(ns / 1e4) / 100;
	process.on('SIGUSR2', () => {
		const loopDelay = {
			p50: ms(delay.percentile(50)),
			p99: ms(delay.percentile(99)),
			max: ms(delay.max),
		};
		process.stdout.write(`${JSON.stringify({ loopDelay })}\n`);
		delay.reset();
	});
}
const gate = await startGate(root!, dist!, process.env, () => {});
process.stdout.write(`${JSON.stringify({ listening: gate.url })}\n`);
process.once('SIGTERM', () => void gate.close().then(() => process.exit(0)));
