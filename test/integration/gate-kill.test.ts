// kill -9 of the gate under load: after a restart the audit chain verifies and every request the gate
// acknowledged is in the embedded database.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyChain } from '../../src/gate/lib/audit-chain.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { openDb } from '../../src/gate/db.ts';
import { startGateProcess } from '../../scripts/lib/gate-process.ts';
import { formToken, gateRoot } from '../helpers/gate.ts';

const dist = join(inject('exampleSite'), 'dist');
let root: string;
beforeAll(async () => {
	root = await gateRoot();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const startChild = () =>
	startGateProcess(root, dist, {
		GATE_LIMIT_REQUESTS_PER_IP: '1000000',
		GATE_LIMIT_PAGES_PER_IP: '1000000',
	});

describe('the gate killed with SIGKILL under load', () => {
	it('keeps every acknowledged request and an unbroken audit chain', async () => {
		const first = await startChild();
		const { token, cookie } = await formToken(first.url);
		const nda = await (async () => {
			const html = await (await fetch(`${first.url}/access/`)).text();
			return {
				version: /name="ndaVersion" value="([^"]+)"/.exec(html)![1]!,
				sha: /name="ndaSha256" value="([0-9a-f]{64})"/.exec(html)![1]!,
			};
		})();
		const acknowledged: string[] = [];
		let sent = 0;
		let stop = false;
		const worker = async (w: number) => {
			for (let i = 0; !stop; i++) {
				sent++;
				try {
					const res = await fetch(`${first.url}/api/access-requests`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': token },
						body: JSON.stringify({
							name: 'Load Test',
							email: `load${w}-${i}@fabrikam.example`,
							company: 'Fabrikam',
							role: 'QA',
							documents: ['whitepaper'],
							typedName: 'Load Test',
							accept: true,
							ndaVersion: nda.version,
							ndaSha256: nda.sha,
						}),
					});
					if (res.status === 202)
						acknowledged.push(((await res.json()) as { request: string }).request);
					else throw new Error(`unexpected ${res.status}: ${await res.text()}`);
				} catch (error) {
					if (!stop) throw error;
				}
			}
		};
		const load = Promise.all([0, 1, 2, 3, 4, 5].map(worker));
		while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
		stop = true;
		first.child.kill('SIGKILL');
		await load;
		expect(sent).toBeGreaterThan(acknowledged.length);

		// A restart recovers the database (the dead process's lock is stale) and serves again.
		const second = await startChild();
		expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
		await new Promise<void>((resolve) => {
			second.child.once('exit', () => resolve());
			second.child.kill('SIGTERM');
		});
		const db = await openDb({ dataDir: join(root, 'data', 'pglite') });
		try {
			const stored = new Set(
				(await db.query<{ id: string }>('SELECT id FROM access_requests')).rows.map((r) => r.id),
			);
			expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
			const entries = await readAudit(db);
			const check = verifyChain(entries);
			expect(check.ok).toBe(true);
			// Each stored request has its request.created and nda.accepted entries: no half-written request.
			for (const id of stored)
				expect(
					entries.filter(
						(e) => e.subject === id && (e.type === 'request.created' || e.type === 'nda.accepted'),
					).length,
					id,
				).toBe(2);
		} finally {
			await db.close();
		}
	}, 180_000);
});
