// The whole access flow in Chromium, without JavaScript, with mail through a real SMTP server.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { launchChromium } from '../helpers/browser.ts';
import { decodeQuotedPrintable } from '../../src/gate/mail/mailer.ts';
import { lastLink, startTestGate } from '../helpers/gate.ts';

const dist = join(inject('exampleSite'), 'dist');
const mails: string[] = [];
let smtp: SMTPServer;
let gate: Awaited<ReturnType<typeof startTestGate>>;
let browser: Browser;
let downloads: string;

beforeAll(async () => {
	smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		onData(stream, _session, done) {
			let raw = '';
			stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
			stream.on('end', () => {
				mails.push(decodeQuotedPrintable(raw));
				done();
			});
		},
	});
	await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
	const { port } = smtp.server.address() as { port: number };
	gate = await startTestGate(dist, { SMTP_URL: `smtp://127.0.0.1:${port}` });
	browser = await launchChromium();
	downloads = mkdtempSync(join(tmpdir(), 'gate-downloads-'));
});
afterAll(async () => {
	await browser?.close();
	await gate?.stop();
	await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
	rmSync(downloads, { recursive: true, force: true });
});

/** Waits for the next mail to `to` and returns it. */
async function mailTo(to: string, count: number): Promise<string> {
	await expect
		.poll(() => mails.filter((m) => m.includes(`To: ${to}`)).length, { timeout: 10_000 })
		.toBeGreaterThanOrEqual(count);
	return mails.filter((m) => m.includes(`To: ${to}`)).at(count - 1)!;
}

describe('requesting the NDA whitepaper', () => {
	it('works from form to watermarked PDF without JavaScript, and trace names the recipient', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
		const page = await context.newPage();
		// Every request the browser makes, with the Referer and Origin it sends.
		const sent: Array<{
			url: string;
			method: string;
			referer: string | undefined;
			origin: string | undefined;
		}> = [];
		page.on('request', (request) => {
			const { referer, origin } = request.headers();
			sent.push({ url: request.url(), method: request.method(), referer, origin });
		});
		await page.goto(`${gate.url}/access/?documents=whitepaper`);
		// A first page in a fresh browser can take seconds on a busy machine; poll as long as Playwright waits.
		await expect
			.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 30_000 })
			.toBe('Request access to NDA documents');
		expect(
			await page.getByRole('region', { name: /Non-disclosure agreement, full text/ }).textContent(),
		).toContain('What is confidential');
		expect(await page.getByRole('checkbox', { name: /Security Whitepaper/ }).isChecked()).toBe(
			true,
		);
		await page.getByLabel('Full name', { exact: true }).fill('Ada Quinn');
		await page.getByLabel('Work email', { exact: true }).fill('ada@fabrikam.example');
		await page.getByLabel('Company', { exact: true }).fill('Fabrikam');
		await page.getByLabel('Role', { exact: true }).fill('Procurement lead');
		await page.getByLabel('Reason (optional)').fill('Vendor review for the finance platform');
		await page.getByLabel('Type your full name to sign').fill('Ada Quinn');
		await page
			.getByRole('checkbox', {
				name: /I accept the non-disclosure agreement \(version 3\.2\) on behalf of my company/,
			})
			.check();
		await page.getByRole('button', { name: 'Accept the NDA and request access' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Check your email');
		expect(await page.locator('#tc-access').textContent()).toContain(
			'We sent a confirmation link to ada@fabrikam.example.',
		);

		const confirmation = await mailTo('ada@fabrikam.example', 1);
		expect(confirmation).toContain(
			'Subject: Confirm your request for Kestrel Ledger security documents',
		);
		// The form post still carries the page's origin: the gate's forgery check needs it.
		expect(
			sent.find((r) => r.method === 'POST' && r.url.endsWith('/api/access-requests'))?.origin,
		).toBe(gate.url);
		const confirmLink = new URL(lastLink([confirmation], '/access/confirm/'));
		await page.goto(confirmLink.href);
		// The token left the address bar on the first request.
		expect(page.url()).toBe(`${confirmLink.origin}/access/confirm/`);
		await page.getByRole('button', { name: 'Confirm my email' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Access approved');

		const granted = await mailTo('ada@fabrikam.example', 2);
		const grantLink = new URL(lastLink([granted], '/access/grant/'));
		const key = grantLink.searchParams.get('key')!;
		const fromGrant = sent.length;
		await page.goto(grantLink.href);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Your documents');
		// The key is gone from the address bar (and so the history), and every Referer the browser sent,
		// the grant page's styles, scripts and icons included, names the origin and nothing more.
		expect(page.url()).toBe(`${grantLink.origin}${grantLink.pathname}`);
		expect(sent.slice(fromGrant).filter((r) => r.referer !== undefined).length).toBeGreaterThan(0);
		const token = confirmLink.searchParams.get('token')!;
		for (const { url, referer } of sent.filter((r) => r.referer !== undefined)) {
			expect(referer, url).toBe(`${new URL(referer!).origin}/`);
			expect([referer!.includes(key), referer!.includes(token)], url).toEqual([false, false]);
		}
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByRole('link', { name: /Download Kestrel Ledger Security Whitepaper/ }).click(),
		]);
		const file = join(downloads, download.suggestedFilename());
		await download.saveAs(file);
		expect(download.suggestedFilename()).toMatch(/^whitepaper-dl_[0-9a-f]{16}\.pdf$/);
		const downloadId = /dl_[0-9a-f]{16}/.exec(download.suggestedFilename())![0];

		const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
		const pages = text.split('\f').filter((p) => p.trim());
		expect(pages.length).toBeGreaterThan(0);
		for (const pageText of pages)
			expect(pageText).toMatch(
				new RegExp(
					`Provided to Ada Quinn \\(Fabrikam, ada@fabrikam\\.example\\) · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC · download ${downloadId}`,
				),
			);

		// The CLI reaches the running gate through its admin socket (the embedded database is the gate's).
		// Asynchronously: the gate answering the socket runs in this process.
		const cli = (...args: string[]) =>
			promisify(execFile)(process.execPath, [join(ROOT, 'scripts/gate.ts'), ...args], {
				cwd: ROOT,
				encoding: 'utf8',
				env: { ...process.env, GATE_DATA_DIR: gate.dataDir },
			});
		const traced = await cli('trace', file);
		expect(traced.stderr).toBe('');
		expect(traced.stdout).toContain(
			`is an exact copy (same SHA-256) of download ${downloadId}:\n  recipient: Ada Quinn <ada@fabrikam.example>, Fabrikam\n  document:  whitepaper`,
		);
		const report = await cli('report');
		expect(report.stdout).toMatch(
			/^Fabrikam: 1 downloads\n {2}Ada Quinn <ada@fabrikam\.example> {2}whitepaper {2}×1 {2}first /,
		);
		await context.close();
	});

	it('sends a free-mail request to the security team, and says so', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await page.goto(`${gate.url}/access/`);
		await page.getByLabel('Full name', { exact: true }).fill('Bo Park');
		await page.getByLabel('Work email', { exact: true }).fill('bo.park@gmail.com');
		await page.getByLabel('Company', { exact: true }).fill('Park Consulting');
		await page.getByLabel('Role', { exact: true }).fill('Consultant');
		await page.getByRole('checkbox', { name: /SOC 2 Type II report/ }).check();
		await page.getByLabel('Type your full name to sign').fill('Bo Park');
		await page.getByRole('checkbox', { name: /I accept/ }).check();
		await page.getByRole('button', { name: 'Accept the NDA and request access' }).click();
		await page.goto(lastLink([await mailTo('bo.park@gmail.com', 1)], '/access/confirm/'));
		await page.getByRole('button', { name: 'Confirm my email' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Waiting for review');
		const review = await mailTo('security@kestrelledger.example', 1);
		expect(review).toContain('Subject: Access request to review: bo.park@gmail.com');
		expect(review).toContain('Why it waits:      sent to review by free-mail domain.');
		expect(review).toContain('  Company: “Park Consulting”');
		await context.close();
	});

	it('shows a refused download link as a page that says why and how to ask again', async () => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		const response = await page.goto(
			`${gate.url}/download/?grant=grant_0000000000000000&doc=whitepaper&link=link_x&iat=1&exp=2&kid=nope&sig=AAAA`,
		);
		expect(response?.status()).toBe(403);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Link not valid');
		expect(await page.locator('#tc-access').textContent()).toContain(
			'This download link is not valid: it was changed, or it was not issued by us. Open the documents page from your email again to get a fresh link, or ask again at /access/.',
		);
		await context.close();
	});
});
