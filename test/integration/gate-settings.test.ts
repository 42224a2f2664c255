// What the gate says at start about its settings, and what it logs when its mail server refuses it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../../scripts/lib/smtp-sink.ts';
import { createRequest } from '../../src/gate/services/requests.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import { startGate } from '../../src/gate/server.ts';
import { gateRoot, requestFor, startTestGate } from '../helpers/gate.ts';
import { freePort } from '../helpers/postgres.ts';

const dist = join(inject('exampleSite'), 'dist');
const meta = { ip: '203.0.113.7', userAgent: 'vitest' };
const messages = (logs: string[], level: string) =>
	logs.map((l) => JSON.parse(l) as { level: string; msg: string }).filter((l) => l.level === level);

describe('the gate’s start', () => {
	it('says nothing of GATE_PUBLIC_URL when HOST is left to its default, as on a laptop', async () => {
		const gate = await startTestGate(dist, { HOST: '' });
		try {
			expect(messages(gate.logs, 'warn').filter((l) => l.msg.includes('GATE_PUBLIC_URL'))).toEqual(
				[],
			);
		} finally {
			await gate.stop();
		}
	});

	it('warns once when it is set to listen beyond this machine without GATE_PUBLIC_URL', async () => {
		const gate = await startTestGate(dist, { HOST: '0.0.0.0' });
		try {
			const port = new URL(gate.url).port;
			expect(messages(gate.logs, 'warn').filter((l) => l.msg.includes('GATE_PUBLIC_URL'))).toEqual([
				{
					level: 'warn',
					msg: `HOST is 0.0.0.0, so the gate is reached from other machines, but GATE_PUBLIC_URL is not set: links in mails point to http://localhost:${port}, and forms posted from the site's real address are refused as cross-site. Set GATE_PUBLIC_URL to the site's origin, e.g. GATE_PUBLIC_URL=https://trust.kestrelledger.example (the url in site.yaml).`,
				},
			]);
		} finally {
			await gate.stop();
		}
	});

	it('warns when it is deployed without SMTP_URL, and then logs no link of the mails it writes to the outbox', async () => {
		const gate = await startTestGate(dist, {
			GATE_PUBLIC_URL: 'https://trust.kestrelledger.example',
		});
		try {
			expect(messages(gate.logs, 'warn').filter((l) => l.msg.includes('SMTP_URL'))).toEqual([
				{
					level: 'warn',
					msg: `SMTP_URL is not set, so mails are written to ${join(gate.dataDir, 'outbox')} and not sent: requesters and subscribers wait for mails that never come. Set SMTP_URL to your mail server (README, "Settings (environment)").`,
				},
			]);
			await createRequest(gate.gate, requestFor(gate.gate, 'ada@fabrikam.example'), meta);
			const mailLines = messages(gate.logs, 'info').filter((l) => l.msg.startsWith('[mail]'));
			expect(mailLines).toHaveLength(1);
			expect(mailLines[0]!.msg).toMatch(
				/^\[mail\] to ada@fabrikam\.example: .+ \(written to .+\.eml\)$/,
			);
		} finally {
			await gate.stop();
		}
	});

	it("lists the links of outbox mails in the log on a developer's machine", async () => {
		const gate = await startTestGate(dist);
		try {
			expect(messages(gate.logs, 'warn').filter((l) => l.msg.includes('SMTP_URL'))).toEqual([]);
			await createRequest(gate.gate, requestFor(gate.gate, 'ada@fabrikam.example'), meta);
			const mailLines = messages(gate.logs, 'info').filter((l) => l.msg.startsWith('[mail]'));
			expect(mailLines[0]!.msg).toContain('\n[mail]   http://localhost:');
		} finally {
			await gate.stop();
		}
	});

	it('warns when the console listens beyond this machine without GATE_ADMIN_URL', async () => {
		const adminPort = await freePort();
		const gate = await startTestGate(dist, {
			ADMIN_HOST: '0.0.0.0',
			ADMIN_PORT: String(adminPort),
		});
		try {
			expect(messages(gate.logs, 'warn').filter((l) => l.msg.includes('GATE_ADMIN_URL'))).toEqual([
				{
					level: 'warn',
					msg: `ADMIN_HOST is 0.0.0.0, so the console is reached from other machines, but GATE_ADMIN_URL is not set: sign-in, passkeys and the console's forms are bound to http://localhost:${adminPort} and refused at any other address. Set GATE_ADMIN_URL to the address staff open, e.g. GATE_ADMIN_URL=https://trust-admin.internal:${adminPort}.`,
				},
			]);
		} finally {
			await gate.stop();
		}
	});

	it('names PostgreSQL without the password of DATABASE_URL when it cannot connect', async () => {
		const root = await gateRoot();
		const port = await freePort();
		try {
			await expect(
				startGate(
					root,
					dist,
					{
						PORT: '0',
						HOST: '127.0.0.1',
						GATE_DATA_DIR: join(root, 'data'),
						DATABASE_URL: `postgres://trust_gate:s3cr@tPassw0rd@127.0.0.1:${port}/trust_gate`,
					},
					() => {},
				),
			).rejects.toThrow(
				`Could not open PostgreSQL at postgres://trust_gate:…@127.0.0.1:${port}/trust_gate: connect ECONNREFUSED 127.0.0.1:${port}`,
			);
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});

describe('an access mail the mail server refuses', () => {
	let sink: SmtpSink;
	afterAll(() => sink?.close());

	it('is logged as an error naming SMTP_URL and MAIL_FROM, without the address', async () => {
		sink = await startSmtpSink();
		sink.senderReply(() => 550);
		const gate = await startTestGate(dist, {
			SMTP_URL: sink.url,
			MAIL_FROM: '"Example Trust" <trust@example.test>',
		});
		try {
			await expect(
				createRequest(gate.gate, requestFor(gate.gate, 'ada@fabrikam.example'), meta),
			).rejects.toThrow('We could not send the email to ada@fabrikam.example just now.');
			const failed = (await readAudit(gate.gate.db)).find((e) => e.type === 'email.failed');
			expect(messages(gate.logs, 'error')).toEqual([
				{
					level: 'error',
					msg: 'confirmation mail could not be sent; check SMTP_URL and MAIL_FROM',
					about: failed?.subject,
					reply: 'Mail command failed: 550 Sender refused',
				},
			]);
		} finally {
			await gate.stop();
		}
	});
});
