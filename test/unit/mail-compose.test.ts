import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composeMail, mailComposer } from '../../src/gate/mail/compose.ts';
import type { ClaimedMail } from '../../src/gate/services/outbox.ts';
import { SiteSettingsSchema } from '../../src/schemas/site.ts';

const site = SiteSettingsSchema.parse(
	parse(readFileSync(new URL('../../examples/kestrel-ledger/site.yaml', import.meta.url), 'utf8')),
);
const gate = {
	config: { site },
	publicUrl: 'https://trust.kestrel.example',
	mailer: { from: 'Kestrel Ledger Trust <trust@kestrel.example>' },
} as unknown as Parameters<typeof composeMail>[0];
const secret = Buffer.alloc(32, 9);

const update: ClaimedMail['payload'] = {
	type: 'update',
	title: 'Regional failover drill — “Ætna” region: what changed',
	summary: `A long summary that the encoder must wrap, with non-ASCII text (é, ü, ✓) and = signs. ${'More words. '.repeat(20)}`,
	path: '/updates/2026-12-01-failover/',
	kind: 'incident',
	date: '2026-12-01',
};
const subprocessor: ClaimedMail['payload'] = {
	type: 'subprocessor',
	change: 'added',
	name: 'Nordic object storage provider',
	named: false,
	purpose: 'Encrypted backups',
	dataCategories: ['customer-content'],
	locations: ['eu'],
	transferMechanism: 'none-needed',
	website: null,
	state: 'planned',
	noticeDate: '2026-12-01',
	effective: '2027-01-01',
	removed: null,
};

const mail = (
	i: number,
	payload: ClaimedMail['payload'] = update,
	topics: ClaimedMail['topics'] = ['all'],
): ClaimedMail => ({
	id: String(i),
	token: 't',
	subscriberId: `sub_${i.toString(16).padStart(16, '0')}`,
	email: `reader.${i}+${'x'.repeat(i % 40)}@customer-${i}.example`,
	topics,
	itemId:
		payload.type === 'update' ? 'update:/updates/2026-12-01-failover/' : 'subprocessor:s:added',
	payload,
	firstSeen: new Date('2026-12-01T00:00:00Z'),
	attempts: 1,
});

/** A message with its Date header and MIME boundaries blanked: the parts a full composition draws at random. */
const normalised = (message: Buffer) => {
	const text = message.toString('latin1');
	const boundary = /boundary="([^"]+)"/.exec(text)?.[1];
	expect(boundary).toBeDefined();
	return text.replaceAll(boundary!, 'BOUNDARY').replace(/\r\nDate: [^\r]+/, '\r\nDate: DATE');
};

describe('subscription mails composed from a template', () => {
	it('are byte for byte the messages composed in full, for every subscriber, item kind and set of topics', async () => {
		const compose = mailComposer(gate, secret);
		const cases = [
			...Array.from({ length: 60 }, (_, i) => mail(i + 1)),
			...Array.from({ length: 20 }, (_, i) => mail(i + 100, subprocessor, ['subprocessor-change'])),
			...Array.from({ length: 20 }, (_, i) => mail(i + 200, update, ['incident', 'certification'])),
		];
		for (const m of cases) {
			const copy = await compose(m);
			expect(normalised(copy)).toBe(normalised(await composeMail(gate, secret, m)));
			expect(copy.toString('latin1')).toContain(`\r\nTo: ${m.email}\r\n`);
		}
	});

	it('share one template per item and set of topics (its boundary), and compose an address MIME must encode in full', async () => {
		const compose = mailComposer(gate, secret);
		const boundary = async (m: ClaimedMail) =>
			/boundary="([^"]+)"/.exec((await compose(m)).toString('latin1'))?.[1];
		expect(await boundary(mail(1))).toBe(await boundary(mail(2)));
		expect(await boundary(mail(3, update, ['incident']))).not.toBe(await boundary(mail(4)));
		const unicode = { ...mail(5), email: 'jürgen@kestrel.example' };
		expect(await boundary(unicode)).not.toBe(
			await boundary({ ...mail(6), email: 'jürgen@kestrel.example' }),
		);
		expect(normalised(await compose(unicode))).toBe(
			normalised(await composeMail(gate, secret, unicode)),
		);
	});
});
