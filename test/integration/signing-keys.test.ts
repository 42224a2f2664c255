// The signing-key store on PGlite: the first start makes a random key (or imports an earlier version's
// local key file, so the links it signed keep working), rotation makes a new signer while the old key
// verifies, retirement refuses the signer and stops a key verifying, and keys from GATE_SIGNING_KEYS
// cannot be changed; a retired key still traces the copies it fingerprinted. Secrets appear in no listing
// and no audit entry; the CLI's keys commands say the same.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommand, parseCommand } from '../../src/gate/cli/commands.ts';
import { GateError } from '../../src/gate/errors.ts';
import { signLink, verifyLink, type LinkClaims } from '../../src/gate/lib/signed-link.ts';
import { readAudit } from '../../src/gate/services/audit.ts';
import {
	KeyRing,
	keyFingerprint,
	listKeys,
	retireKey,
	rotateKey,
} from '../../src/gate/services/keys.ts';
import { readOutbox } from '../../src/gate/mail/mailer.ts';
import { checkLink, download } from '../../src/gate/services/downloads.ts';
import { grantPage } from '../../src/gate/services/grants.ts';
import { trace } from '../../src/gate/services/reports.ts';
import { approve, confirmEmail, createRequest } from '../../src/gate/services/requests.ts';
import { gateRoot, lastLink, makeGate, requestFor } from '../helpers/gate.ts';

type TestGate = Awaited<ReturnType<typeof makeGate>>;
let root: string;
let dir: string;
let gate: TestGate;
const NOW = new Date('2026-12-01T09:00:00Z');
const LOCAL = Buffer.alloc(32, 5);
const claims: LinkClaims = { grant: 'g1', doc: 'whitepaper', link: 'l1', iat: 1, exp: 2 };
const verifies = (query: string, keys: KeyRing) =>
	verifyLink(new URLSearchParams(query), keys.keys, 1).ok;

async function refusal(promise: Promise<unknown>): Promise<[number, string, string]> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof GateError) return [error.status, error.code, error.message];
		throw error;
	}
	throw new Error('expected a refusal');
}

beforeAll(async () => {
	root = await gateRoot();
	dir = mkdtempSync(join(tmpdir(), 'signing-keys-'));
	gate = await makeGate(root, { dataDir: join(dir, 'pglite') }, () => NOW);
});
afterAll(async () => {
	await gate?.dispose();
	rmSync(dir, { recursive: true, force: true });
	rmSync(root, { recursive: true, force: true });
});

describe('the database key store', () => {
	it('makes a random key in an empty database without a local key, and refuses a broken key file', async () => {
		const broken = join(dir, 'broken-key');
		writeFileSync(broken, 'local:c2hvcnQ=\n');
		await expect(KeyRing.database(gate.db, broken, NOW)).rejects.toThrow(
			`${broken}: key "local": expected a secret of at least 32 bytes, received 5. Make one with: openssl rand -base64 32 Fix the file, or remove it (the links it signed then stop working).`,
		);
		gate.keyring = await KeyRing.database(gate.db, join(dir, 'absent'), NOW);
		const [key, ...others] = await listKeys(gate);
		expect(others).toEqual([]);
		expect(key).toMatchObject({ state: 'signs', createdBy: 'gate', createdAt: NOW });
		expect(key!.kid).toMatch(/^2026-12-01-[0-9a-f]{6}$/);
		expect((await readAudit(gate.db)).at(-1)).toMatchObject({
			type: 'key.created',
			data: { from: 'random', fingerprint: key!.fingerprint },
		});
		// The next test starts again from an empty table, as an earlier version's database is.
		await gate.db.query('DELETE FROM signing_keys');
	});

	it('imports an earlier version’s local key on the first start, once, so its links keep verifying', async () => {
		const file = join(dir, 'signing-key');
		writeFileSync(file, `local:${LOCAL.toString('base64')}\n`);
		utimesSync(file, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));
		const oldLink = signLink(claims, [{ kid: 'local', secret: LOCAL }]);
		gate.keyring = await KeyRing.database(gate.db, file, NOW);
		expect(gate.keyring.source).toBe('database');
		expect(verifies(oldLink, gate.keyring)).toBe(true);
		// A second start (another replica) finds the key and makes none.
		await KeyRing.database(gate.db, join(dir, 'absent'), NOW);
		expect(await listKeys(gate)).toEqual([
			{
				kid: 'local',
				fingerprint: keyFingerprint(LOCAL),
				source: 'database',
				state: 'signs',
				createdAt: new Date('2026-01-02T03:04:05Z'),
				createdBy: 'gate',
				retiredAt: undefined,
				retiredBy: undefined,
			},
		]);
		const created = (await readAudit(gate.db)).filter((e) => e.type === 'key.created');
		expect(created.slice(1).map((e) => [e.actor, e.subject, e.data])).toEqual([
			['gate', 'local', { fingerprint: keyFingerprint(LOCAL), from: 'local key file' }],
		]);
	});

	it('rotates: the new key signs, the old one keeps verifying, and the audit entry names the actor without a secret', async () => {
		const made = await rotateKey(gate, 'cli:tester');
		expect(gate.keyring.keys.map((k) => k.kid)).toEqual([made.kid, 'local']);
		expect(made.previous).toBe('local');
		const newLink = signLink(claims, gate.keyring.keys);
		expect(new URLSearchParams(newLink).get('kid')).toBe(made.kid);
		expect(verifies(signLink(claims, [{ kid: 'local', secret: LOCAL }]), gate.keyring)).toBe(true);
		expect((await listKeys(gate)).map((k) => [k.kid, k.state, k.createdBy])).toEqual([
			[made.kid, 'signs', 'cli:tester'],
			['local', 'verifies', 'gate'],
		]);
		const entry = (await readAudit(gate.db)).at(-1)!;
		expect([entry.type, entry.actor, entry.subject, entry.data]).toEqual([
			'key.rotated',
			'cli:tester',
			made.kid,
			{ fingerprint: made.fingerprint, previous: 'local' },
		]);
		const secrets = gate.keyring.keys.flatMap((k) => [
			k.secret.toString('base64'),
			k.secret.toString('hex'),
		]);
		const log = JSON.stringify(await readAudit(gate.db));
		for (const secret of secrets) expect(log).not.toContain(secret);
	});

	it('refuses to retire the signer, an unknown key, and a key retired already', async () => {
		const signer = gate.keyring.keys[0]!.kid;
		expect(await refusal(retireKey(gate, signer, 'cli:tester'))).toEqual([
			409,
			'key-signs',
			`The key "${signer}" signs new links and form tokens, so it cannot be retired. Rotate first (a new key then signs), and retire "${signer}" once the links it signed have expired.`,
		]);
		expect(await refusal(retireKey(gate, 'nope', 'cli:tester'))).toEqual([
			404,
			'key-unknown',
			'There is no signing key "nope". List the keys on the keys page or with: npm run gate -- keys list',
		]);
		const oldLink = signLink(claims, [{ kid: 'local', secret: LOCAL }]);
		const retired = await retireKey(gate, 'local', 'cli:tester');
		expect(retired).toMatchObject({ kid: 'local', state: 'retired', retiredAt: NOW });
		expect(verifies(oldLink, gate.keyring)).toBe(false);
		expect(gate.keyring.retired.map((k) => k.kid)).toEqual(['local']);
		expect(await refusal(retireKey(gate, 'local', 'cli:tester'))).toEqual([
			409,
			'key-retired',
			'The key "local" was retired already, on 2026-12-01 09:00 UTC.',
		]);
		expect((await readAudit(gate.db)).at(-1)).toMatchObject({
			type: 'key.retired',
			actor: 'cli:tester',
			subject: 'local',
			data: { fingerprint: keyFingerprint(LOCAL) },
		});
	});

	it('finds a key another replica made when a link names it', async () => {
		const replica = await KeyRing.database(gate.db, join(dir, 'absent'), NOW);
		const made = await rotateKey(gate, 'cli:tester');
		expect(replica.keys.some((k) => k.kid === made.kid)).toBe(false);
		await replica.seek(made.kid);
		expect(replica.keys[0]!.kid).toBe(made.kid);
	});
});

describe('a retired key', () => {
	it('still names the recipient of a copy it fingerprinted', async () => {
		const meta = { ip: '203.0.113.7', userAgent: 'signing-keys test' };
		const { id } = await createRequest(gate, requestFor(gate, 'lee.park@gmail.com'), meta);
		const confirm = lastLink(readOutbox(gate.outbox), '/access/confirm/');
		await confirmEmail(gate, new URL(confirm).searchParams.get('token')!, meta);
		const { grant } = await approve(gate, id, 'cli:tester', 30);
		const view = await grantPage(gate, grant);
		const query = new URL(view.links[0]!.href, 'http://gate.test').searchParams;
		const copy = await download(gate, checkLink(gate, query), meta);
		// Re-saved, so only its hidden fingerprint (made with the key that signs now) can name it.
		const resaved = await PDFDocument.load(copy.bytes);
		resaved.setTitle('innocent');
		const leaked = await resaved.save({ useObjectStreams: false });
		const signer = gate.keyring.keys[0]!.kid;
		await rotateKey(gate, 'cli:tester');
		await retireKey(gate, signer, 'cli:tester');
		expect(await trace(gate, leaked, 'cli:tester')).toMatchObject({
			match: 'fingerprint',
			downloads: [{ id: copy.id, email: 'lee.park@gmail.com' }],
		});
	});
});

describe('keys from GATE_SIGNING_KEYS', () => {
	it('are listed read-only, and rotating or retiring them is refused with how to do it', async () => {
		const envGate = { ...gate, keyring: KeyRing.environment([{ kid: '2026-11', secret: LOCAL }]) };
		expect(await listKeys(envGate)).toMatchObject([
			{ kid: '2026-11', source: 'environment', state: 'signs', createdAt: undefined },
		]);
		const message =
			'The signing keys come from GATE_SIGNING_KEYS, so they are rotated there: put a new key first in GATE_SIGNING_KEYS, keep the old ones after it until the links they signed have expired, and restart every replica. Unset GATE_SIGNING_KEYS to manage keys here instead.';
		expect(await refusal(rotateKey(envGate, 'cli:tester'))).toEqual([
			409,
			'keys-environment',
			message,
		]);
		expect(await refusal(retireKey(envGate, '2026-11', 'cli:tester'))).toEqual([
			409,
			'keys-environment',
			message,
		]);
	});
});

describe('the CLI’s keys commands', () => {
	const run = async (...argv: string[]) => {
		const parsed = parseCommand(argv, () => Buffer.alloc(0));
		if (!parsed.ok) return { code: 2, stdout: '', stderr: parsed.error };
		return executeCommand(gate, parsed.command, 'cli:operator');
	};

	it('lists, rotates and retires, with the same refusals as the console', async () => {
		const before = gate.keyring.keys.map((k) => k.kid);
		const rotated = await run('keys', 'rotate');
		const kid = gate.keyring.keys[0]!.kid;
		expect(rotated).toEqual({
			code: 0,
			stdout: `Rotated: key ${kid} (fingerprint ${keyFingerprint(gate.keyring.keys[0]!.secret)}) signs new links from now on; ${before[0]} and the other keys keep verifying until you retire them. Other replicas sign with it within 10 seconds.\n`,
			stderr: '',
		});
		const list = (await run('keys', 'list')).stdout.trim().split('\n');
		expect(list[0]).toBe(
			`${kid}  ${keyFingerprint(gate.keyring.keys[0]!.secret)}  signs new links  database  made 2026-12-01 09:00 UTC (0 days ago) by cli:operator`,
		);
		expect(list.at(-1)).toBe(
			`local  ${keyFingerprint(LOCAL)}  retired  database  made 2026-01-02 03:04 UTC (333 days ago) by gate  retired 2026-12-01 09:00 UTC by cli:tester`,
		);
		expect(await run('keys', 'retire', kid)).toEqual({
			code: 1,
			stdout: '',
			stderr: `The key "${kid}" signs new links and form tokens, so it cannot be retired. Rotate first (a new key then signs), and retire "${kid}" once the links it signed have expired.\n`,
		});
		// Right after the rotation, what the old key signed still works: retiring it is refused unless --now.
		expect(await run('keys', 'retire', before[0]!)).toEqual({
			code: 1,
			stdout: '',
			stderr: `Key ${before[0]} stopped signing at 2026-12-01 09:00 UTC, less than two hours ago: form tokens, grant pages and download links it signed still work until 2026-12-01 11:00 UTC. Retire it after that, or now, breaking them, with: npm run gate -- keys retire ${before[0]} --now\n`,
		});
		expect(await run('keys', 'retire', before[0]!, '--now')).toMatchObject({
			code: 0,
			stdout: `Retired key ${before[0]} (fingerprint ${keyFingerprint(gate.keyring.retired.find((k) => k.kid === before[0])!.secret)}): links, grant pages and form tokens it signed stop working now (on other replicas within 10 seconds).\n`,
		});
		expect((await readAudit(gate.db)).at(-1)).toMatchObject({
			type: 'key.retired',
			actor: 'cli:operator',
			subject: before[0],
		});
	});

	it('explains a wrong keys command', async () => {
		expect((await run('keys', 'turn')).stderr).toMatch(
			/^keys: expected "list", "rotate" or "retire <kid>", received "turn"\.\n\nUsage:/,
		);
		expect(await run('keys', 'retire')).toEqual({
			code: 2,
			stdout: '',
			stderr:
				'keys retire: expected one key id of letters, digits, "-" or "_", received nothing. List them with: npm run gate -- keys list',
		});
		expect((await run('keys', 'retire', 'a b')).stderr).toBe(
			'keys retire: expected one key id of letters, digits, "-" or "_", received "a b". List them with: npm run gate -- keys list',
		);
	});
});
