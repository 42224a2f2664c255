// The console's audit log in Chromium, signed in as a viewer through the identity provider: the chain a
// page at a time and by type, bad addresses refused with the field named, Verify on an intact chain, a
// JSON Lines export that the CLI's `audit verify --against` accepts, /healthz answering while a long
// chain is verified, and a row changed in the database named by its number.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommand, parseCommand } from '../../src/gate/cli/commands.ts';
import { AUDIT_LOCK } from '../../src/gate/db.ts';
import { chainEntry, entryHash, type AuditEntry } from '../../src/gate/lib/audit-chain.ts';
import { appendAudit, AUDIT_BATCH, auditHead, insertAudit } from '../../src/gate/services/audit.ts';
import { launchChromium } from '../helpers/browser.ts';
import {
	consoleContext,
	signInWithIdp,
	startConsole,
	type TestConsole,
} from '../helpers/console.ts';

let browser: Browser;
let app: TestConsole;
let page: Page;

beforeAll(async () => {
	[browser, app] = await Promise.all([launchChromium(), startConsole()]);
	const db = app.gate.gate.db;
	// Sixty entries of two types, so that the log has more than one page.
	for (let i = 1; i <= 60; i++)
		await db.tx((q) =>
			appendAudit(q, {
				type: i % 3 ? 'test.noted' : 'test.flagged',
				actor: 'cli:tester',
				subject: `item_${i}`,
				data: { n: i, note: `entry ${i}` },
			}),
		);
	page = await (await consoleContext(browser, { acceptDownloads: true })).newPage();
	await signInWithIdp(page, app.url, 'vera');
});
afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

/** Appends `count` valid entries in bulk (many rows per INSERT), computing each hash as the gate does. */
async function bulkAppend(count: number): Promise<void> {
	await app.gate.gate.db.tx(async (q) => {
		await q.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
		let previous = await auditHead(q);
		const at = new Date('2026-11-30T12:00:00Z');
		for (let done = 0; done < count; done += 1000) {
			const entries: AuditEntry[] = [];
			for (let i = done; i < Math.min(done + 1000, count); i++) {
				const entry = chainEntry(
					previous,
					{ type: 'test.bulk', actor: 'cli:seed', subject: `bulk_${i}`, data: { i } },
					at,
				);
				entries.push(entry);
				previous = entry;
			}
			await insertAudit(q, entries);
		}
	});
}

/** Presses Verify on the audit log page (with `head` pasted in its field) and returns the verdict's text. */
async function verifyInBrowser(head = ''): Promise<string> {
	await page.goto(`${app.url}/admin/audit/`);
	await page.getByLabel('Head of an earlier export (optional)').fill(head);
	await page.getByRole('button', { name: 'Verify the whole chain' }).click();
	await page.waitForURL(`${app.url}/admin/audit/verify`);
	expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
		'Audit log verification',
	);
	return (await page.locator('main .tc-notice').innerText()).replace(/\s+/g, ' ').trim();
}

describe('the audit log in the console', () => {
	it('shows the chain newest first, fifty entries a page, and filters it by event type', async () => {
		await page.getByRole('link', { name: 'Audit log' }).click();
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Audit log');
		const head = (await app.audit()).at(-1)!;
		const rows = page.locator('tbody tr');
		expect(await rows.count()).toBe(50);
		const first = await rows.first().locator('td').allInnerTexts();
		expect(first[0]).toBe(String(head.seq));
		expect(first[2]).toBe(head.type);
		expect(first[6]).toBe(head.hash.slice(0, 12));

		await page.getByRole('link', { name: 'Older entries' }).click();
		expect(new URL(page.url()).searchParams.get('before')).toBe(String(head.seq - 49));
		expect(await rows.first().locator('td').first().innerText()).toBe(String(head.seq - 50));
		expect(await rows.last().locator('td').first().innerText()).toBe('1');

		await page.getByLabel('Event type').selectOption('test.flagged');
		await page.getByRole('button', { name: 'Show' }).click();
		expect(await rows.count()).toBe(20);
		const cells = await rows.first().locator('td').allInnerTexts();
		expect(cells.slice(2, 6)).toEqual([
			'test.flagged',
			'cli:tester',
			'item_60',
			'n: 60; note: entry 60',
		]);
		expect(await page.getByRole('link', { name: 'Older entries' }).count()).toBe(0);
	});

	it('refuses a bad page address with a 400 page that names each field', async () => {
		const response = await page.goto(
			`${app.url}/admin/audit/?before=12abc&type=Request!&utm_source=mail`,
		);
		expect(response?.status()).toBe(400);
		const text = (await page.locator('main').innerText()).replace(/Reference: \S+/, 'Reference: …');
		expect(text).toMatchInlineSnapshot(`
			"Please fix the form

			Fix these 2 fields of the filters and send it again.

			type: expected an event type like "request.approved" (lowercase words and dots)
			before: expected an entry number like 1234

			Back to the console

			Reference: …"
		`);
	});

	it('verifies an intact chain, and the verification is the next entry', async () => {
		const head = (await app.audit()).at(-1)!;
		expect(await verifyInBrowser()).toBe(
			`Intact: ${head.seq} entries, head #${head.seq} ${head.hash}.`,
		);
		expect((await app.audit()).at(-1)).toMatchObject({
			seq: head.seq + 1,
			type: 'audit.verified',
			actor: 'staff:vera.viewer@kestrelledger.example',
			data: {
				intact: true,
				count: head.seq,
				head: { seq: head.seq, hash: head.hash },
				staff: { role: 'viewer' },
			},
		});
	});

	it('exports the log as JSON Lines that the CLI verifies against', async () => {
		const token = await page.locator('input[name="csrf"]').first().inputValue();
		const response = await page.request.post(`${app.url}/admin/audit/export`, {
			form: { csrf: token },
			headers: { origin: app.url },
		});
		expect(response.status()).toBe(200);
		expect(response.headers()['content-disposition']).toMatch(
			/^attachment; filename="audit-log-\d{4}-\d\d-\d\d\.jsonl"$/,
		);
		const text = await response.text();
		const lines = text.trim().split('\n');
		const entries = await app.audit();
		const exported = entries.at(-1)!;
		expect(exported).toMatchObject({
			type: 'audit.exported',
			actor: 'staff:vera.viewer@kestrelledger.example',
		});
		expect(lines.length).toBe(entries.length + 1);
		expect(JSON.parse(lines.at(-1)!)).toMatchObject({
			head: { seq: exported.seq, hash: exported.hash },
		});
		expect(JSON.parse(lines[0]!)).toEqual(entries[0]);

		const file = join(app.gate.root, 'export.jsonl');
		writeFileSync(file, text);
		const parsed = parseCommand(['audit', 'verify', '--against', file], (path) =>
			readFileSync(path),
		);
		if (!parsed.ok) throw new Error(parsed.error);
		const result = await executeCommand(app.gate.gate, parsed.command, 'cli:test');
		expect(result).toEqual({
			code: 0,
			stdout: `Audit chain OK: ${exported.seq} entries, head #${exported.seq} ${exported.hash}; contains the exported head #${exported.seq}.\n`,
			stderr: '',
		});
	});

	it('verifies against the head of an earlier export pasted in the form, and names a tail cut off the log', async () => {
		const head = (await app.audit()).at(-1)!;
		const line = JSON.stringify({ head: { seq: head.seq, hash: head.hash } });
		expect(await verifyInBrowser(line)).toBe(
			`Intact: ${head.seq} entries, head #${head.seq} ${head.hash}; it still holds the exported head #${head.seq}.`,
		);
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'audit.verified',
			data: { intact: true, against: { seq: head.seq, hash: head.hash } },
		});
		// The newest entries are deleted behind the gate's back: the chain alone still verifies.
		const db = app.gate.gate.db;
		await db.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
		try {
			await db.query('DELETE FROM audit_log WHERE seq >= $1', [head.seq]);
		} finally {
			await db.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
		}
		expect(await verifyInBrowser(` ${line} `)).toBe(
			`Not as exported: the chain verifies, but not against the exported head. The exported head is entry #${head.seq}, but the log ends at #${head.seq - 1}: entries after #${head.seq - 1} were removed.`,
		);
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'audit.verified',
			data: { intact: true, anchorProblem: expect.stringContaining('were removed') },
		});
	});

	it('refuses a head that is not the last line of an export, saying where to copy it from', async () => {
		await page.goto(`${app.url}/admin/audit/`);
		await page.getByLabel('Head of an earlier export (optional)').fill('{"head":{"seq":42}}');
		await page.getByRole('button', { name: 'Verify the whole chain' }).click();
		const text = (await page.locator('main').innerText()).replace(/Reference: \S+/, 'Reference: …');
		expect(text).toMatchInlineSnapshot(`
			"Please fix the form

			Fix this field of the verify form and send it again.

			head: expected the last line of an audit export, like {"head":{"seq":42,"hash":"…"}}: copy it from the end of a file made with “Export as JSON Lines” or npm run gate -- audit export

			Back to the console

			Reference: …"
		`);
	});

	it('keeps answering /healthz between every batch of a long chain’s verification', async () => {
		await bulkAppend(20_000);
		const db = app.gate.gate.db;
		const batches = Math.ceil((await auditHead(db))!.seq / AUDIT_BATCH);
		// Every batch read of the walk after the first is held until the test lets it go, so each
		// /healthz answer below comes while the verification is provably still running.
		await page.goto(`${app.url}/admin/audit/`);
		const query = db.query;
		const held: Array<() => void> = [];
		let onHeld: (() => void) | undefined;
		let reads = 0;
		db.query = (async (sql: string, params?: unknown[]) => {
			if (sql.includes('json_agg') && ++reads > 1)
				await new Promise<void>((resolve) => {
					held.push(resolve);
					onHeld?.();
				});
			return query(sql, params);
		}) as typeof query;
		const nextHeld = () =>
			held.length ? Promise.resolve() : new Promise<void>((resolve) => (onHeld = resolve));
		try {
			const token = await page.locator('input[name="csrf"]').first().inputValue();
			let verifying = true;
			const verified = page.request
				.post(`${app.url}/admin/audit/verify`, {
					form: { csrf: token },
					headers: { origin: app.url },
				})
				.finally(() => (verifying = false));
			let answered = 0;
			while ((await Promise.race([nextHeld().then(() => 'held'), verified])) === 'held') {
				expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
				expect(verifying).toBe(true);
				answered++;
				held.shift()!();
			}
			expect((await verified).status()).toBe(200);
			expect(answered).toBe(batches - 1);
		} finally {
			db.query = query;
			for (const release of held) release();
		}
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'audit.verified',
			data: { intact: true },
		});
	});

	it('names the first entry whose row was changed in the database', async () => {
		const db = app.gate.gate.db;
		await db.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
		try {
			await db.query(`UPDATE audit_log SET actor = 'cli:someone-else' WHERE seq = 42`);
		} finally {
			await db.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
		}
		const entry = (await app.audit())[41]!;
		expect(await verifyInBrowser()).toBe(
			`Broken at entry #42: its content does not match its hash (stored ${entry.hash.slice(0, 12)}…, recomputed ${entryHash(entry).slice(0, 12)}…): the entry was changed after it was written. The 41 entries before it verify. Show entry #42`,
		);
		await page.getByRole('link', { name: 'Show entry #42' }).click();
		expect(await page.locator('tbody tr').first().locator('td').first().innerText()).toBe('42');
		expect((await app.audit()).at(-1)).toMatchObject({
			type: 'audit.verified',
			data: { intact: false, brokenAt: 42 },
		});
	});
});
