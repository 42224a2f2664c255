// Recipients whose names are not in Latin letters, through the real gate on PGlite: the served copy prints the
// name, and trace finds the copy by its hash and, once stripped and re-saved, by its hidden fingerprint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommand } from '../../src/gate/cli/commands.ts';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { checkLink, download } from '../../src/gate/services/downloads.ts';
import type { Gate } from '../../src/gate/services/gate.ts';
import { checkGrantKey, grantPage } from '../../src/gate/services/grants.ts';
import { scanPdf, trace } from '../../src/gate/services/reports.ts';
import { confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { gateRoot, lastLink, makeGate, requestFor } from '../helpers/gate.ts';

const meta = { ip: '203.0.113.9', userAgent: 'vitest' };

let root: string;
let dataDir: string;
let gate: Gate & { outbox: string; dispose(): Promise<void> };
beforeAll(async () => {
	root = await gateRoot();
	dataDir = mkdtempSync(join(tmpdir(), 'gate-pglite-'));
	gate = await makeGate(root, { dataDir }, () => new Date('2026-11-23T10:00:00Z'));
});
afterAll(async () => {
	await gate?.dispose();
	for (const dir of [root, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function pdfText(bytes: Uint8Array): string {
	const dir = mkdtempSync(join(tmpdir(), 'gate-pdf-'));
	writeFileSync(join(dir, 'copy.pdf'), bytes);
	try {
		return execFileSync('pdftotext', [join(dir, 'copy.pdf'), '-'], { encoding: 'utf8' }).replace(
			/[\u202A-\u202E]/g,
			'',
		);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Requests, confirms and downloads the whitepaper as `name` (auto-approved), returning the copy served. */
async function issueCopy(name: string, company: string, email: string) {
	await createRequest(gate, { ...requestFor(gate, email), name, typedName: name, company }, meta);
	await confirmEmail(
		gate,
		new URL(lastLink(readOutbox(gate.outbox), '/access/confirm/')).searchParams.get('token')!,
		meta,
	);
	const grant = new URL(lastLink(readOutbox(gate.outbox), '/access/grant/'));
	const grantId = grant.pathname.split('/')[3]!;
	await checkGrantKey(gate, grantId, grant.searchParams.get('key')!);
	const view = await grantPage(gate, grantId);
	return download(
		gate,
		checkLink(gate, new URL(view.links[0]!.href, 'http://gate.test').searchParams),
		meta,
	);
}

describe('trace, for recipients in every script', () => {
	it.each([
		{ name: 'Łukasz Wiśniewski 王伟', company: 'Żółta Łódź', email: 'lukasz@fabrikam.example' },
		{ name: 'محمد علي', company: 'شركة الخليج', email: 'mohammed@fabrikam.example' },
		{ name: 'प्रिया शर्मा', company: 'क्षत्रिय उद्योग', email: 'priya@fabrikam.example' },
		{ name: '山田 太郎', company: '株式会社テスト', email: 'taro@fabrikam.example' },
		{ name: 'สมชาย ใจดี', company: 'บริษัท ทดสอบ', email: 'somchai@fabrikam.example' },
		{ name: 'রবীন্দ্রনাথ ঠাকুর', company: 'পরীক্ষা লিমিটেড', email: 'rabindra@fabrikam.example' },
		{ name: 'முத்து குமார்', company: 'முத்து நிறுவனம்', email: 'muthu@fabrikam.example' },
		{ name: 'សុខ ចាន់', company: 'ក្រុមហ៊ុន', email: 'sok@fabrikam.example' },
		{ name: 'ნინო ბერიძე', company: 'ტესტი', email: 'nino@fabrikam.example' },
		{ name: 'Արամ Պետրոսյան', company: 'Թեստ', email: 'aram@fabrikam.example' },
		{ name: 'አበበ በቀለ', company: 'ሙከራ', email: 'abebe@fabrikam.example' },
	])(
		'serves $name a copy with their name, and traces it by hash and, stripped, by fingerprint',
		async ({ name, company, email }) => {
			const copy = await issueCopy(name, company, email);
			const pages = pdfText(copy.bytes)
				.split('\f')
				.filter((page) => page.trim());
			expect(pages).toHaveLength(3);
			for (const page of pages)
				for (const part of [name, company, email, `download ${copy.id}`])
					expect(page).toContain(part);

			expect(await trace(gate, copy.bytes, 'cli:test')).toMatchObject({
				match: 'exact',
				downloads: [{ id: copy.id, name, company, email }],
			});
			const stripped = await PDFDocument.load(copy.bytes);
			stripped.setKeywords([]);
			stripped.setSubject('');
			const leaked = await stripped.save();
			expect(await trace(gate, leaked, 'cli:test')).toMatchObject({
				match: 'fingerprint',
				downloads: [{ id: copy.id, name, company, email }],
			});
			const cli = await executeCommand(
				gate,
				{ name: 'trace', file: 'leak.pdf', pdfBase64: Buffer.from(leaked).toString('base64') },
				'cli:test',
			);
			expect(cli.stdout).toContain(`recipient: ${name} <${email}>, ${company}`);
			// And the leaked copy still shows whom it was for.
			expect(pdfText(leaked)).toContain(name);
		},
	);
});

describe('a file made of pages of several copies', () => {
	it('names every recipient whose fingerprint is in it, not only the first', async () => {
		const ada = await issueCopy('Ada Quinn', 'Fabrikam', 'ada.quinn@fabrikam.example');
		const eve = await issueCopy('Eve Mallory', 'Fabrikam', 'eve.mallory@fabrikam.example');
		// Eve puts the first page of Ada's copy in front of her own pages 2 and 3.
		const mixed = await PDFDocument.create();
		const [adaFirst] = await mixed.copyPages(await PDFDocument.load(ada.bytes), [0]);
		const eveRest = await mixed.copyPages(await PDFDocument.load(eve.bytes), [1, 2]);
		for (const page of [adaFirst!, ...eveRest]) mixed.addPage(page);
		const leaked = await mixed.save();

		const found = await trace(gate, leaked, 'cli:test');
		expect(found).toMatchObject({
			match: 'fingerprint',
			downloads: [
				{ id: ada.id, name: 'Ada Quinn' },
				{ id: eve.id, name: 'Eve Mallory' },
			],
		});
		const cli = await executeCommand(
			gate,
			{ name: 'trace', file: 'leak.pdf', pdfBase64: Buffer.from(leaked).toString('base64') },
			'cli:test',
		);
		expect(
			cli.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>').replace(/grant_\w+/g, '<grant>'),
		).toBe(`leak.pdf holds pages of 2 copies, each named by its hidden fingerprint:
download ${ada.id}:
  recipient: Ada Quinn <ada.quinn@fabrikam.example>, Fabrikam
  document:  whitepaper
  when:      <time>
  grant:     <grant>
download ${eve.id}:
  recipient: Eve Mallory <eve.mallory@fabrikam.example>, Fabrikam
  document:  whitepaper
  when:      <time>
  grant:     <grant>
`);
		const { rows } = await gate.db.query<{ subject: string; data: { downloads: string[] } }>(
			"SELECT subject, data FROM audit_log WHERE type = 'download.traced' ORDER BY seq DESC LIMIT 1",
		);
		expect(rows[0]).toMatchObject({ subject: ada.id, data: { downloads: [ada.id, eve.id] } });
	});

	it('says a copy without a fingerprint is not identified, never that this gate did not issue it', async () => {
		const foreign = await PDFDocument.create();
		foreign.addPage().drawText('Provided to Ada Quinn (Fabrikam) · download dl_0000000000000000');
		const cli = await executeCommand(
			gate,
			{
				name: 'trace',
				file: 'copy.pdf',
				pdfBase64: Buffer.from(await foreign.save()).toString('base64'),
			},
			'cli:test',
		);
		expect(cli.stderr).toBe(
			'copy.pdf: not identified. No download matches its hash, and it carries no fingerprint of this gate. It did not come through this gate, or it was made again (printed to PDF, re-rendered by another program) or edited, which loses the fingerprint. A name printed on its pages proves nothing: anyone can type one.\n',
		);
	});
});

describe('the time a trace may take', () => {
	it('refuses a file whose reading outlasts the limit, and reads the next file as before', async () => {
		const doc = await PDFDocument.create();
		doc.addPage().drawText('Any copy');
		const pdf = await doc.save();
		// No worker starts and reads a file in no time at all: this reading is over its limit.
		expect(await scanPdf(pdf, 0)).toEqual({
			refused:
				"reading it took longer than the 0 s trace allows. No copy the gate serves comes near that; this file may be made to take the server's time.",
		});
		expect(await scanPdf(pdf)).toMatchObject({ fingerprints: [] });
	});

	it('checks the first 100 fingerprints of a file that carries more', async () => {
		const doc = await PDFDocument.create();
		const page = doc.addPage([595, 842]);
		for (let i = 0; i < 150; i++)
			page.drawText(`TCFP1-dl_${String(i).padStart(6, '0')}-${'0'.repeat(16)}`, {
				x: 20,
				y: 820 - (i % 150) * 5,
				size: 4,
			});
		const found = await trace(gate, await doc.save(), 'cli:test');
		expect(found.match).toBe('none');
		expect('fingerprints' in found && found.fingerprints).toHaveLength(100);
	});
});
