// npm run bench:subscriptions: one update fanned out to 10,000 subscribers through a local SMTP sink,
// with the rate limit off, in one run:
//   the time from the publish to the last mail at the sink, and mails per second;
//   a static page's p99 on an idle gate, then while the fan-out runs (same gate, same run), and the ratio
//   against the goal (at most 1.2); beside each, the gate's event-loop delay and the load average;
//   how many mails went out while the pages were loaded (the sender gives way to requests).
// Needs the built site (npm run build). Prints the figures; asserts nothing.
//   --subscribers <n>    how many (default 10000)
//   --connections <n>    SMTP connections (GATE_MAIL_CONNECTIONS, default 8)
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { readSettings } from '../src/gate/config.ts';
import { openGate } from '../src/gate/server.ts';
import { discover } from '../src/gate/services/notify.ts';
import { chooseContentDir, CONTENT_DIR } from '../src/lib/content/dir.ts';
import { startGateProcess } from './lib/gate-process.ts';
import { ROOT } from './lib/site-copy.ts';
import { benchFlags } from './lib/bench/cli.ts';
import { startSmtpSink } from './lib/smtp-sink.ts';
import { addActiveSubscribers, publishUpdate, smallDist } from './lib/subscription-fixture.ts';

const LOAD_SECONDS = 5;
/** The most a fan-out may stretch a static page's p99, against an idle gate's. */
const P99_GOAL = 1.2;
const flags = benchFlags('npm run bench:subscriptions', {
	subscribers: { type: 'string', default: '10000' },
	connections: { type: 'string', default: '8' },
});
const subscribers = Number(flags.subscribers);
const connections = Number(flags.connections);
if (!Number.isInteger(subscribers) || subscribers < 1 || subscribers > 1_000_000)
	throw new Error(
		`--subscribers expects a whole number from 1 to 1000000, received ${flags.subscribers}`,
	);
if (!Number.isInteger(connections) || connections < 1 || connections > 50)
	throw new Error(
		`--connections expects a whole number from 1 to 50, received ${flags.connections}`,
	);

/** The machine's load average over the last minute: other work on it skews every figure. */
const load = () => loadavg()[0]!.toFixed(2);

/** A static page's latency under autocannon for LOAD_SECONDS. */
async function staticP99(url: string) {
	const result = await autocannon({ url: `${url}/`, connections: 10, duration: LOAD_SECONDS });
	return {
		p50: result.latency.p50,
		p99: result.latency.p99,
		rps: result.requests.total / (result.duration || 1),
	};
}

const root = mkdtempSync(join(tmpdir(), 'bench-subs-'));
const dist = smallDist(join(ROOT, 'dist'));
const smtp = await startSmtpSink({ keep: false });
try {
	cpSync(join(ROOT, chooseContentDir(ROOT)), join(root, CONTENT_DIR), { recursive: true });
	mkdirSync(join(root, 'data'));
	const env = {
		GATE_DATA_DIR: join(root, 'data'),
		SMTP_URL: smtp.url,
		GATE_MAIL_RATE_PER_MINUTE: '0',
		GATE_MAIL_CONNECTIONS: String(connections),
		GATE_LIMIT_PAGES_PER_IP: '100000000',
		GATE_CHILD_LOOP_DELAY: '1',
	};

	// The site's history recorded and the subscribers added before the gate starts, as on a live site.
	const read = readSettings(env, root);
	if (!read.ok) throw new Error(read.errors.join('\n'));
	const { gate, unlock } = await openGate(root, read.settings, () => {}, dist);
	await discover(gate, 'bench');
	await addActiveSubscribers(gate.db, subscribers);
	await gate.db.close();
	unlock();

	const child = await startGateProcess(root, dist, env);
	try {
		await child.loopDelay();
		const idleLoad = load();
		const idle = await staticP99(child.url);
		const idleLoop = await child.loopDelay();
		const start = performance.now();
		publishUpdate(dist, '2026-12-01-bench', 'incident', 'Bench fan-out');
		const done = smtp.waitFor(subscribers, 600_000).then(() => performance.now() - start);
		// The gate finds the publish after its settle time; the load starts once the first mails arrive.
		await smtp.waitFor(Math.min(50, subscribers), 600_000);
		await child.loopDelay();
		const busyLoad = load();
		const before = smtp.mails.length;
		const busy = await staticP99(child.url);
		const busyLoop = await child.loopDelay();
		const duringLoad = smtp.mails.length - before;
		const busyWhileSending = smtp.mails.length < subscribers;
		const ms = await done;
		console.log(
			`Fan-out: ${subscribers} mails in ${(ms / 1000).toFixed(1)} s from the publish (1.5 s of it the gate waiting for the build to settle), ${((subscribers / ms) * 1000).toFixed(0)} mails/s, ${connections} SMTP connections, rate limit off`,
		);
		console.log(
			`Static page, idle gate:        p50 ${idle.p50} ms  p99 ${idle.p99} ms  ${idle.rps.toFixed(0)} req/s  (gate loop delay p99 ${idleLoop.p99} ms, max ${idleLoop.max} ms; load average ${idleLoad})`,
		);
		console.log(
			`Static page, during fan-out:   p50 ${busy.p50} ms  p99 ${busy.p99} ms  ${busy.rps.toFixed(0)} req/s  (gate loop delay p99 ${busyLoop.p99} ms, max ${busyLoop.max} ms; load average ${busyLoad})${busyWhileSending ? '' : '  (the fan-out ended before the load did)'}`,
		);
		console.log(
			`Mails sent while the pages were loaded: ${duringLoad} (${(duringLoad / LOAD_SECONDS).toFixed(0)}/s)`,
		);
		const ratio = busy.p99 / Math.max(idle.p99, 1);
		console.log(
			`p99 ratio (during / idle): ${ratio.toFixed(2)}, goal at most ${P99_GOAL} (issue 12): ${ratio <= P99_GOAL ? 'met' : 'not met'}`,
		);
		console.log(`Duplicates at the sink: ${smtp.duplicates().length}`);
	} finally {
		child.child.kill('SIGTERM');
	}
} finally {
	await smtp.close();
	rmSync(root, { recursive: true, force: true });
	rmSync(dist, { recursive: true, force: true });
}
