// What requesters and subscribers read from the gate, on a site written in Japanese: its pages, its
// refusals, the mails it sends them and the watermark on their copies. The security team's own words
// (the console, the CLI, mails to staff) stay English.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAccessConfig } from '../../src/gate/lib/access-config.ts';
import { visibleLine, watermarkFonts } from '../../src/gate/lib/watermark.ts';
import { confirmationMail, reviewMail } from '../../src/gate/mail/texts.ts';
import { updateMail } from '../../src/gate/mail/subscription-texts.ts';
import { fieldProblemIn, Pages } from '../../src/gate/pages.ts';
import { accessRequestSchema } from '../../src/schemas/access-request.ts';
import { readerRefusal } from '../../src/gate/errors.ts';
import { ROOT } from '../../scripts/lib/site-copy.ts';

// The example company, writing in Japanese.
const root = mkdtempSync(join(tmpdir(), 'gate-words-'));
cpSync(join(ROOT, 'examples/kestrel-ledger'), join(root, 'content'), { recursive: true });
const settings = join(root, 'content/site.yaml');
writeFileSync(settings, `${readFileSync(settings, 'utf8')}language: ja\n`);
const config = loadAccessConfig(root).config!;
const { site } = config;
const gate = { config, publicUrl: 'https://trust.kestrel.example' };
const noBuild = join(root, 'dist');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the gate on a Japanese site', () => {
	it("draws its pages in Japanese, in the site's language, with what the requester typed escaped", () => {
		const html = new Pages(noBuild, config).checkEmail({
			id: 'req_1',
			email: 'a<b>@fabrikam.example',
			ndaWaivedBy: null,
		});
		expect(html).toMatch(/^<!doctype html><html lang="ja" dir="ltr">/);
		expect(html).toContain('<strong>a&lt;b&gt;@fabrikam.example</strong>');
		expect(html).toContain('メール');
		expect(html).not.toContain('We sent a confirmation link');
	});

	it("names the fields at fault and what is wrong with them in the site's words", () => {
		const fields = accessRequestSchema(['whitepaper'])
			.safeParse({
				name: 'x'.repeat(121),
				email: 'nope',
				company: '',
				role: 'CISO',
				documents: [],
				ndaVersion: '1',
				ndaSha256: 'a'.repeat(64),
			})
			.error!.issues.map((i) => ({ field: String(i.path[0]), message: i.message }));
		const html = new Pages(noBuild, config).refusal(
			{ title: '入力内容をご確認ください', message: '…', fields },
			'req_1',
		);
		expect(html).toContain('<strong>氏名</strong>：長すぎます（120文字以内で入力してください）');
		expect(html).toContain('メールアドレスの形式ではありません');
		expect(html).toContain('ドキュメントを1つ以上選んでください');
		expect(html).not.toMatch(/is required|is too long|choose at least/);
		// What no form of the site sends keeps the schema's English.
		expect(
			fieldProblemIn('includes an unknown document; choose from whitepaper', config.words),
		).toBe('includes an unknown document; choose from whitepaper');
		// A field the form does not have is never named by what the request called it.
		const planted = new Pages(noBuild, config).refusal(
			{
				title: '入力内容をご確認ください',
				message: '…',
				fields: [
					{
						field: 'Sign in at https://evil.example',
						message: 'is not a field of this form; remove it',
					},
				],
			},
			'req_1',
		);
		expect(planted).toContain(
			'<strong>不明な項目</strong>：is not a field of this form; remove it',
		);
		expect(planted).not.toContain('evil.example');
	});

	it('words a refusal in the language of whoever reads it: English for logs, the CLI and staff', () => {
		const refusal = readerRefusal(429, 'rate-limited', {
			title: 'gateRefusal.tooManyTitle',
			message: 'gateRefusal.tooMany',
			values: { count: 2 },
		});
		expect(refusal.message).toMatch(/^[\x20-\x7e]+$/);
		expect(refusal.wordedIn(config.words).message).not.toBe(refusal.message);
		expect(refusal.wordedIn(config.words).message).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
	});

	it('writes mails to requesters and subscribers in Japanese, and mails to staff in English', () => {
		const confirm = confirmationMail(gate, { documents: ['whitepaper'] }, 'tok', 24);
		expect(confirm.text.startsWith('ご担当者様')).toBe(true);
		expect(confirm.subject).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
		// The whitepaper's title, as the gate lists it among the documents, in Japanese too.
		expect(confirm.text).toContain('ホワイトペーパー');
		const review = reviewMail(
			gate,
			{
				id: 'req_1',
				name: 'Ada',
				email: 'ada@fabrikam.example',
				company: 'Fabrikam',
				role: 'CISO',
				reason: null,
			},
			['whitepaper'],
			{ partial: false, because: 'no rule approves it', ndaWaivedBy: null },
		);
		// Its own sentences are English; the documents keep the titles the site gives them.
		expect(review.text).toMatch(/^A request for Kestrel Ledger セキュリティホワイトペーパー/);
		expect(review.text).not.toContain('ご担当者様');
		const update = updateMail(
			{ site, publicUrl: gate.publicUrl, words: config.words },
			{
				type: 'update',
				title: '暗号鍵のローテーション',
				summary: '九十日ごとに鍵を更新します。',
				path: '/updates/u1/',
				date: '2026-11-05',
				kind: 'general',
			},
			['all'],
			{ manage: 'https://m.example/', unsubscribe: 'https://u.example/' },
			new Date('2026-11-05T00:00:00Z'),
		);
		expect(update.html).toMatch(/<html lang="ja"/);
		expect(update.text).toContain('2026年11月5日');
		expect(update.text).toContain('お知らせ');
	});

	it('stamps copies with Japanese words when the fonts can draw them', () => {
		const line = visibleLine(
			{
				name: 'Ada Quinn',
				company: 'Fabrikam',
				email: 'ada@fabrikam.example',
				downloadId: 'dl_1',
				issuedAt: new Date('2026-11-23T10:04:00Z'),
			},
			watermarkFonts(),
			config.words,
		);
		expect(line).toContain('提供先');
		expect(line).toContain('Ada Quinn');
	});
});
