// Exactly once under kill -9: a 5,000-mail fan-out, the gate killed in the middle of it, then started
// again; on the embedded database, and with two replicas on one PostgreSQL. Counted per recipient at a
// real SMTP server. The kill comes while the server holds its replies, so every connection is parked
// at a known point: before its message was committed as sent (RCPT TO), or after the server took the
// message and before the sender heard so. The moment between a commit and the one socket write that
// ends its message is the window this cannot close (README, "Exactly once").
import { once } from 'node:events';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startGateProcess } from '../../scripts/lib/gate-process.ts';
import { openDb } from '../../src/gate/db.ts';
import { discover } from '../../src/gate/services/notify.ts';
import { gateRoot, makeGate } from '../helpers/gate.ts';
import { startPostgres, type PgCluster } from '../helpers/postgres.ts';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink.ts';
import {
	addActiveSubscribers,
	publishUpdate,
	smallDist,
} from '../../scripts/lib/subscription-fixture.ts';

const SUBSCRIBERS = 5000;
const exampleDist = join(inject('exampleSite'), 'dist');

let smtp: SmtpSink;
let root: string;
let dist: string;
beforeAll(async () => {
	smtp = await startSmtpSink();
	root = await gateRoot();
	dist = smallDist(exampleDist);
});
// A test that fails or times out must not leave a gate sending into the next one.
const children = new Set<ChildProcess>();
const started = async (...args: Parameters<typeof startGateProcess>) => {
	const gate = await startGateProcess(...args);
	children.add(gate.child);
	return gate;
};
afterEach(() => {
	for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
	children.clear();
});
afterAll(async () => {
	await smtp?.close();
	rmSync(root, { recursive: true, force: true });
	rmSync(dist, { recursive: true, force: true });
});

/** Records the build's history and adds the subscribers, with no gate running; then publishes one update. */
async function prepare(target: { dataDir: string } | { databaseUrl: string }, slug: string) {
	mkdirSync(join(root, 'data'), { recursive: true });
	const gate = await makeGate(root, target);
	gate.dist = dist;
	await discover(gate, 'test');
	await addActiveSubscribers(gate.db, SUBSCRIBERS);
	await gate.dispose();
	publishUpdate(dist, slug, 'incident', `Fan-out ${slug}`);
}

const kill = async (child: ChildProcess) => {
	const exited = once(child, 'exit');
	child.kill('SIGKILL');
	await exited;
};
const stop = async (child: ChildProcess) => {
	const exited = once(child, 'exit');
	child.kill('SIGTERM');
	await exited;
};

/** Every subscriber got exactly one mail, and the outbox says each was sent. */
async function expectExactlyOnce(target: { dataDir: string } | { databaseUrl: string }) {
	expect(smtp.duplicates()).toEqual([]);
	const missing = Array.from({ length: SUBSCRIBERS }, (_, i) => `sub${i + 1}@load.example`).filter(
		(to) => smtp.count(to) !== 1,
	);
	expect(missing).toEqual([]);
	expect(smtp.mails).toHaveLength(SUBSCRIBERS);
	const db = await openDb(target);
	try {
		const { rows } = await db.query<{ state: string; n: number }>(
			'SELECT state, count(*)::int AS n FROM mail_outbox GROUP BY state',
		);
		expect(rows).toEqual([{ state: 'sent', n: SUBSCRIBERS }]);
	} finally {
		await db.close();
	}
}

const env = {
	SMTP_URL: '',
	GATE_MAIL_RATE_PER_MINUTE: '0',
	GATE_MAIL_CONNECTIONS: '4',
	GATE_MAIL_LEASE_SECONDS: '5',
};

describe('a fan-out killed with SIGKILL', () => {
	it('on the embedded database: after a restart every subscriber has exactly one mail', async () => {
		smtp.reset();
		const target = { dataDir: join(root, 'data', 'pglite') };
		await prepare(target, '2026-12-04-kill');
		const settings = { ...env, SMTP_URL: smtp.url };
		const first = await started(root, dist, settings);
		await smtp.waitFor(1500);
		await smtp.hold(4);
		await kill(first.child);
		smtp.release();
		expect(smtp.mails.length).toBeLessThan(SUBSCRIBERS);

		const second = await started(root, dist, settings);
		await smtp.waitFor(SUBSCRIBERS);
		await stop(second.child);
		await expectExactlyOnce(target);
	}, 600_000);

	describe('with two replicas on one PostgreSQL', () => {
		let pg: PgCluster;
		beforeAll(async () => {
			pg = await startPostgres();
		});
		afterAll(() => pg?.stop());

		it('after one replica is killed and started again, every subscriber has exactly one mail', async () => {
			smtp.reset();
			const target = { databaseUrl: pg.url };
			await prepare(target, '2026-12-05-replicas');
			const settings = {
				...env,
				SMTP_URL: smtp.url,
				DATABASE_URL: pg.url,
				GATE_SIGNING_KEYS: `test:${Buffer.alloc(32, 7).toString('base64')}`,
			};
			const [a, b] = await Promise.all([
				started(root, dist, settings),
				started(root, dist, settings),
			]);
			await smtp.waitFor(1500);
			await smtp.hold(8);
			await kill(a.child);
			smtp.release();
			expect(smtp.mails.length).toBeLessThan(SUBSCRIBERS);

			const again = await started(root, dist, settings);
			await smtp.waitFor(SUBSCRIBERS);
			await Promise.all([stop(b.child), stop(again.child)]);
			await expectExactlyOnce(target);
		}, 600_000);
	});
});
