import { ENGLISH } from '../../src/lib/words/words.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { composeMail, listId, mailComposer } from '../../src/gate/mail/compose.ts';
import type { ClaimedMail } from '../../src/gate/services/outbox.ts';
import type { SubprocessorItem, UpdateItem } from '../../src/gate/lib/build-items.ts';
import {
	objectionDeadline,
	subprocessorMail,
	updateMail,
} from '../../src/gate/mail/subscription-texts.ts';
import { facts, htmlMail, linkParagraph, paragraph } from '../../src/gate/mail/html.ts';
import { SiteSettingsSchema } from '../../src/schemas/site.ts';
import { readableMail } from '../helpers/mime.ts';
import { createMailer, readOutbox } from '../../src/gate/mail/mailer.ts';
import { folderTransport } from '../../src/gate/mail/delivery.ts';

const site = SiteSettingsSchema.parse(
	parse(readFileSync(new URL('../../examples/kestrel-ledger/site.yaml', import.meta.url), 'utf8')),
);
const gate = {
	config: { site, words: ENGLISH },
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

const notice: ClaimedMail['payload'] = {
	type: 'update',
	title: 'Notice: new backup subprocessor',
	summary: 'From 1 January 2027 backups go to a Nordic provider, replacing Parcel Print.',
	path: '/updates/2026-12-01-backups/',
	kind: 'subprocessor-change',
	date: '2026-12-01',
	subprocessors: [
		subprocessor,
		{
			...subprocessor,
			change: 'removed',
			state: 'removed',
			named: true,
			name: 'Parcel Print Ltd',
			website: 'https://parcel.example',
			removed: '2026-11-30',
		},
	],
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
			...Array.from({ length: 10 }, (_, i) => mail(i + 300, notice, ['subprocessor-change'])),
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

describe('reading a composed mail as its reader does (the helper the canary test searches with)', () => {
	it('finds words the raw message encodes: a non-ASCII subject and a body with soft line breaks', async () => {
		const raw = (await composeMail(gate, secret, mail(3))).toString('utf8');
		expect(raw).not.toContain(update.title);
		expect(raw.replace(/\r\n/g, ' ')).not.toContain(update.summary.trim());
		const readable = readableMail(raw);
		expect(readable).toContain(`Subject: Incident: ${update.title}`);
		expect(readable).toContain(update.summary.trim());
	});
});

describe('subprocessor notices (GDPR Art. 28(2))', () => {
	const links = {
		manage: 'https://trust.kestrel.example/subscribe/manage/?id=sub_1&sig=s',
		unsubscribe: 'https://trust.kestrel.example/subscribe/unsubscribe/?id=sub_1&sig=s',
	};
	const ctx = { site, publicUrl: 'https://trust.kestrel.example', words: ENGLISH };
	const firstSeen = new Date('2026-12-05T10:00:00Z');
	const added = subprocessor as SubprocessorItem;
	/** Parcel Print, removed on `day`. */
	const removal = (day: string): SubprocessorItem => ({
		...added,
		change: 'removed',
		state: 'removed',
		named: true,
		name: 'Parcel Print Ltd',
		removed: day,
	});

	it('gives the objection deadline as the notice date plus objectionDays, else the day it was first seen', () => {
		expect(site.subscriptions.objectionDays).toBe(30);
		expect(objectionDeadline(site, added, firstSeen)).toBe('2026-12-31');
		expect(objectionDeadline(site, { ...added, noticeDate: null }, firstSeen)).toBe('2027-01-04');
		const longer = { ...site, subscriptions: { ...site.subscriptions, objectionDays: 45 } };
		expect(objectionDeadline(longer, added, firstSeen)).toBe('2027-01-15');
	});

	it('says who (by public descriptor when the name is NDA-only), what for, where, from when, and how to object', () => {
		const mail = subprocessorMail(ctx, added, firstSeen, ['subprocessor-change'], links);
		expect(mail.subject).toBe(
			'Planned subprocessor: Nordic object storage provider (objections until 2026-12-31)',
		);
		expect(mail.text).toContain(
			'Subprocessor:       Nordic object storage provider (its name is shared under NDA)',
		);
		expect(mail.text).toContain('Purpose:            Encrypted backups');
		expect(mail.text).toContain('Effective date:     2027-01-01');
		expect(mail.text).toContain('Objections until:   2026-12-31');
		expect(mail.text).toContain(
			'You may object to this change until 31 December 2026 (30 days after the notice). To object, write to privacy@kestrelledger.example.',
		);
		const mailto = new URL(/A prefilled mail to object: (\S+)/.exec(mail.text)![1]!);
		expect(mailto.protocol).toBe('mailto:');
		expect(mailto.pathname).toBe('privacy@kestrelledger.example');
		expect(mailto.searchParams.get('subject')).toBe(
			'Objection to the new subprocessor Nordic object storage provider',
		);
		expect(mailto.searchParams.get('body')).toContain(
			'(Objections are accepted until 2026-12-31.)',
		);
		expect(mail.html).toContain('Object by email');
		expect(mail.text).toContain(`Unsubscribe now: ${links.unsubscribe}`);
	});

	it('announces a removal with its date, and asks for no objection', () => {
		const removed = removal('2026-11-30');
		const mail = subprocessorMail(ctx, removed, firstSeen, ['all'], links);
		expect(mail.subject).toBe('Subprocessor removed: Parcel Print Ltd');
		expect(mail.text).toContain(
			'Parcel Print Ltd no longer processes customer data for Kestrel Ledger, since 30 November 2026.',
		);
		expect(mail.text).toContain('Removed on:         2026-11-30');
		expect(mail.text).not.toMatch(/object/i);
	});

	it('announces a removal ahead of its day as what will happen', () => {
		const leaving = removal('2026-12-31');
		const mail = subprocessorMail(ctx, leaving, firstSeen, ['all'], links);
		expect(mail.subject).toBe('Subprocessor to be removed: Parcel Print Ltd');
		expect(mail.text).toContain(
			'Parcel Print Ltd will stop processing customer data for Kestrel Ledger on 31 December 2026.',
		);
		expect(mail.text).toContain('Removed on:         2026-12-31');
		// On its day it has happened.
		const onTheDay = subprocessorMail(
			ctx,
			leaving,
			new Date('2026-12-31T08:00:00Z'),
			['all'],
			links,
		);
		expect(onTheDay.subject).toBe('Subprocessor removed: Parcel Print Ltd');
	});

	it('tells the changes a notice carries inside its mail, each under its own heading, with one link to the list', () => {
		const mail = updateMail(ctx, notice as UpdateItem, ['subprocessor-change'], links, firstSeen);
		expect(mail.subject).toBe('Subprocessor change: Notice: new backup subprocessor');
		expect(mail.text.replace(/mailto:\S+/, 'mailto:…')).toMatchInlineSnapshot(`
			"Subprocessor change · 1 December 2026

			Notice: new backup subprocessor

			From 1 January 2027 backups go to a Nordic provider, replacing Parcel Print.

			Planned subprocessor: Nordic object storage provider

			Kestrel Ledger plans to engage a new subprocessor from 1 January 2027.

			Subprocessor:       Nordic object storage provider (its name is shared under NDA)
			Purpose:            Encrypted backups
			Data categories:    customer-content
			Locations:          eu
			Transfer mechanism: none-needed
			Effective date:     2027-01-01
			Notice date:        2026-12-01
			Objections until:   2026-12-31

			You may object to this change until 31 December 2026 (30 days after the notice). To object, write to privacy@kestrelledger.example.
			A prefilled mail to object: mailto:…

			Subprocessor removed: Parcel Print Ltd

			Parcel Print Ltd no longer processes customer data for Kestrel Ledger, since 30 November 2026.

			Subprocessor:       Parcel Print Ltd
			Website:            https://parcel.example
			Purpose:            Encrypted backups
			Data categories:    customer-content
			Locations:          eu
			Transfer mechanism: none-needed
			Removed on:         2026-11-30

			Read the update: https://trust.kestrel.example/updates/2026-12-01-backups/

			The current list: https://trust.kestrel.example/subprocessors/

			--
			You get this mail because you subscribed to Subprocessor changes from the Kestrel Ledger trust center.
			Change your topics or unsubscribe: https://trust.kestrel.example/subscribe/manage/?id=sub_1&sig=s
			Unsubscribe now: https://trust.kestrel.example/subscribe/unsubscribe/?id=sub_1&sig=s
			"
		`);
		expect(mail.html.split('<h2 ').length - 1).toBe(2);
		expect(mail.html).toContain('>Planned subprocessor: Nordic object storage provider</h2>');
		expect(mail.html).toContain('Object by email');
	});
});

describe('the List-Id header', () => {
	it('keeps <updates.domain> outside the encoded words when the company name is not ASCII', async () => {
		const german = {
			...gate,
			config: { site: { ...site, companyName: 'Müller & Söhne' }, words: ENGLISH },
		};
		const raw = (await composeMail(german as typeof gate, secret, mail(1))).toString('latin1');
		expect(/^List-Id: .*(?:\r\n .*)*/im.exec(raw)?.[0]).toBe(
			'List-ID: =?UTF-8?Q?M=C3=BCller_=26_S=C3=B6hne_trust_center_?=\r\n =?UTF-8?Q?updates?= <updates.kestrel.example>',
		);
		expect(listId('株式会社さくらデータ', 'sakura.example', ENGLISH)).toMatch(
			/^=\?UTF-8\?Q\?[^<]+\?= <updates\.sakura\.example>$/,
		);
	});

	it('quotes an ASCII name, so a comma in it does not end the phrase', () => {
		expect(listId('Acme, Inc.', 'acme.example', ENGLISH)).toBe(
			'"Acme, Inc. trust center updates" <updates.acme.example>',
		);
	});
});

describe('the HTML of a mail', () => {
	it("lets the team's heading, paragraphs and values take their direction from their text, and never the mail's own sentences", () => {
		const title = 'עדכון אבטחה: הצפנת גיבויים';
		const hebrew = 'אלביט מערכות';
		const html = htmlMail(
			site,
			{
				preheader: title,
				heading: title,
				blocks: [
					paragraph('تم تشفير النسخ الاحتياطية.', false, true),
					// The mail's own English sentence, beginning with a Hebrew company name.
					paragraph(`${hebrew} plans to engage a new subprocessor.`),
					facts([['Purpose', 'אחסון גיבויים']]),
				],
				footer: [
					linkParagraph(site, 'Manage: ', 'https://trust.kestrel.example/m', 'here', '', true),
				],
			},
			ENGLISH,
		);
		expect(html).toMatch(new RegExp(`<h1 dir="auto"[^>]*>${title}</h1>`));
		expect(html).toMatch(/<p dir="auto"[^>]*>تم تشفير النسخ الاحتياطية\.<\/p>/);
		expect(html).toMatch(/<td dir="auto"[^>]*>אחסון גיבויים<\/td>/);
		// Left to right, as the page is: dir="auto" would take the name's direction for the whole sentence.
		expect(html).toMatch(new RegExp(`<p class="text"[^>]*>${hebrew} plans to engage`));
		expect(html).toMatch(/<p class="muted"[^>]*>Manage: <a /);
	});
});

describe('the outbox folder', () => {
	it('lists mails in the order they were written, many in one millisecond, from either writer', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'outbox-order-'));
		try {
			const mailer = createMailer({
				smtpUrl: undefined,
				from: 'trust@kestrel.example',
				outboxDir: dir,
				print: () => {},
				printLinks: false,
			});
			const folder = folderTransport(dir);
			for (let i = 0; i < 40; i++) {
				const subject = `Mail ${String(i).padStart(2, '0')}`;
				if (i % 2)
					await folder.deliver(
						{ from: 'trust@kestrel.example', to: 'ada@fabrikam.example' },
						Buffer.from(`Subject: ${subject}\n\nBody\n`),
						async () => true,
					);
				else await mailer.send({ to: 'ada@fabrikam.example', subject, text: 'Body' });
			}
			const subjects = readOutbox(dir).map((mail) => /^Subject: (.+)$/m.exec(mail)?.[1]);
			expect(subjects).toEqual(
				Array.from({ length: 40 }, (_, i) => `Mail ${String(i).padStart(2, '0')}`),
			);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});
