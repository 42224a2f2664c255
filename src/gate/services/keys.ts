// The keys that sign download links, form tokens and watermark fingerprints. With GATE_SIGNING_KEYS
// they come from the environment and cannot be changed here; otherwise they live in the database
// (migration 009), where admins rotate and retire them from the console or the CLI. Every replica
// re-reads them on a short timer (to sign with the newest) and when a link names a key it does not
// know (at most once a second), so a rotation reaches them all without a restart. Secrets never
// leave this module's callers: listings, pages and the audit log carry a fingerprint instead.
import { CSRF_TTL_SECONDS } from '../middleware/csrf.ts';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { utcMinute } from '../../lib/dates.ts';
import { GateError } from '../errors.ts';
import type { Db, Queryable } from '../db.ts';
import { parseSigningKeys, type SigningKey } from '../lib/signed-link.ts';
import { actorName, appendAudit, type Actor } from './audit.ts';
import type { Gate } from './gate.ts';

/** How often a replica re-reads the database's keys, so it signs with a key rotated elsewhere. */
export const KEY_REFRESH_MS = 10_000;
/** The least time between two reads caused by links naming an unknown key (anyone can send those). */
const SEEK_GAP_MS = 1_000;
/** Key creation, rotation and retirement take turns across replicas, so the signer is never retired. */
const KEY_LOCK = 7_240_009;
/** A key id, as links carry it. */
const KID = /^[A-Za-z0-9_-]{1,64}$/;

/** Where the gate's keys come from. */
export type KeySource = 'environment' | 'database';

/** A key as the console and the CLI list it: never its secret. */
export interface KeyListing {
	kid: string;
	/** The first 8 hex digits of the SHA-256 of the secret: tells keys apart without revealing them. */
	fingerprint: string;
	source: KeySource;
	/** Signs new links (the newest key), verifies only, or retired (verifies nothing). */
	state: 'signs' | 'verifies' | 'retired';
	/** When it was made, if known (an environment key's id may carry a date). */
	createdAt: Date | undefined;
	/** Who made it: `gate` for the first key, else the admin or CLI user who rotated. */
	createdBy: string | undefined;
	retiredAt: Date | undefined;
	retiredBy: string | undefined;
}

/** The short fingerprint shown for a key instead of its secret. */
export function keyFingerprint(secret: Uint8Array): string {
	return createHash('sha256').update(secret).digest('hex').slice(0, 8);
}

interface KeyRow {
	kid: string;
	secret: Uint8Array;
	created_at: Date;
	created_by: string;
	retired_at: Date | null;
	retired_by: string | null;
}

/** Every database key, newest first (the signer is the first that is not retired). */
async function keyRows(q: Queryable): Promise<KeyRow[]> {
	return (await q.query<KeyRow>('SELECT * FROM signing_keys ORDER BY created_at DESC, kid DESC'))
		.rows;
}

const asKey = (row: KeyRow): SigningKey => ({
	kid: row.kid,
	secret: Buffer.from(row.secret),
	createdAt: row.created_at,
});

/**
 * The gate's keys as it uses them: `keys` (the signer first, then every other key that verifies) is
 * replaced, never changed, when the database is read again, so a caller reads it at each use.
 */
export class KeyRing {
	readonly source: KeySource;
	#keys: readonly SigningKey[];
	#retired: readonly SigningKey[] = [];
	readonly #db: Queryable | undefined;
	#lastRead = 0;
	#seeking: Promise<void> | undefined;
	#timer: NodeJS.Timeout | undefined;

	private constructor(source: KeySource, keys: readonly SigningKey[], db?: Queryable) {
		this.source = source;
		this.#keys = keys;
		this.#db = db;
	}

	/** Keys from GATE_SIGNING_KEYS (or a test's), newest first: fixed for the life of the process. */
	static environment(keys: readonly SigningKey[]): KeyRing {
		return new KeyRing('environment', keys);
	}

	/**
	 * The database's keys. On the first start there are none: the local key of an earlier version
	 * (`localKeyFile`, if it exists) is imported so the links it signed keep working, or a new random
	 * key is made; either is an audit entry of the gate.
	 */
	static async database(db: Db, localKeyFile: string, now: Date): Promise<KeyRing> {
		await db.tx(async (q) => {
			await q.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
			if ((await q.query('SELECT 1 FROM signing_keys LIMIT 1')).rows.length) return;
			const local = existsSync(localKeyFile)
				? parseSigningKeys(readFileSync(localKeyFile, 'utf8').trim())
				: undefined;
			if (local && !local.ok)
				throw new Error(
					`${localKeyFile}: ${local.error.replace(/^GATE_SIGNING_KEYS: /, '')} Fix the file, or remove it (the links it signed then stop working).`,
				);
			const key = local?.keys[0] ?? { kid: newKid(now), secret: randomBytes(32) };
			const createdAt = local ? statSync(localKeyFile).mtime : now;
			await q.query(
				`INSERT INTO signing_keys (kid, secret, created_at, created_by) VALUES ($1, $2, $3, 'gate')`,
				[key.kid, key.secret, createdAt],
			);
			await appendAudit(
				q,
				{
					type: 'key.created',
					actor: 'gate',
					subject: key.kid,
					data: {
						fingerprint: keyFingerprint(key.secret),
						from: local ? 'local key file' : 'random',
					},
				},
				now,
			);
		});
		const ring = new KeyRing('database', [], db);
		await ring.refresh();
		return ring;
	}

	/** The signer first, then every other key that verifies. */
	get keys(): readonly SigningKey[] {
		return this.#keys;
	}

	/** Retired keys: they verify no link or token, but still identify the copies they fingerprinted. */
	get retired(): readonly SigningKey[] {
		return this.#retired;
	}

	/** Reads the database's keys again (nothing to do for environment keys). */
	async refresh(): Promise<void> {
		if (!this.#db) return;
		this.#lastRead = Date.now();
		const rows = await keyRows(this.#db);
		const live = rows.filter((r) => !r.retired_at).map(asKey);
		// The database always keeps a signer (retiring it is refused): an empty read is a bug, not a state.
		if (live.length === 0) throw new Error('signing_keys holds no key that is not retired');
		this.#keys = live;
		this.#retired = rows.filter((r) => r.retired_at).map(asKey);
	}

	/**
	 * Before a link or token is checked: when it names a key this replica does not know, reads the
	 * keys again, in case another replica just made it. Reads caused this way are at least
	 * {@link SEEK_GAP_MS} apart and shared by every request waiting for one, so forged key ids cost
	 * the database one query a second at most.
	 */
	async seek(kid: string | undefined): Promise<void> {
		if (!this.#db || !kid || !KID.test(kid) || this.#keys.some((k) => k.kid === kid)) return;
		this.#seeking ??= (async () => {
			const wait = this.#lastRead + SEEK_GAP_MS - Date.now();
			if (wait > 0) await delay(wait);
			// A failed read leaves the keys as they were: the link is judged by them, and the timer's
			// next read reports the database's trouble.
			await this.refresh().catch(() => {});
		})().finally(() => {
			this.#seeking = undefined;
		});
		await this.#seeking;
	}

	/** Re-reads the database's keys every `ms`; `onError` hears of a failed read (the old keys stay). */
	start(ms: number, onError: (error: Error) => void): void {
		if (!this.#db) return;
		this.#timer = setInterval(() => {
			this.refresh().catch(onError);
		}, ms).unref();
	}

	stop(): void {
		clearInterval(this.#timer);
	}
}

/** A new key's id: the day it was made (so its age can be read from it), and a random tail. */
function newKid(now: Date): string {
	return `${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`;
}

/** The refusal of a change to keys that come from the environment. */
const environmentKeys = () =>
	new GateError(
		409,
		'Keys are set in the environment',
		'The signing keys come from GATE_SIGNING_KEYS, so they are rotated there: put a new key first in GATE_SIGNING_KEYS, keep the old ones after it until the links they signed have expired, and restart every replica. Unset GATE_SIGNING_KEYS to manage keys here instead.',
		'keys-environment',
	);

/** Database rows as listed: the signer first, then those that verify, then the retired ones (newest first). */
function listed(rows: readonly KeyRow[]): KeyListing[] {
	const live = rows.filter((r) => !r.retired_at);
	return [...live, ...rows.filter((r) => r.retired_at)].map((r) => ({
		kid: r.kid,
		fingerprint: keyFingerprint(r.secret),
		source: 'database',
		state: r.retired_at ? 'retired' : r === live[0] ? 'signs' : 'verifies',
		createdAt: r.created_at,
		createdBy: r.created_by,
		retiredAt: r.retired_at ?? undefined,
		retiredBy: r.retired_by ?? undefined,
	}));
}

/** Every key, the signer first, then those that verify, then the retired ones (newest first). */
export async function listKeys(gate: Gate): Promise<KeyListing[]> {
	if (gate.keyring.source === 'environment')
		return gate.keyring.keys.map((k, i) => ({
			kid: k.kid,
			fingerprint: keyFingerprint(k.secret),
			source: 'environment',
			state: i === 0 ? 'signs' : 'verifies',
			createdAt: k.createdAt,
			createdBy: undefined,
			retiredAt: undefined,
			retiredBy: undefined,
		}));
	return listed(await keyRows(gate.db));
}

/**
 * The key `kid` of `keys`, if it may be retired: it exists, is not retired yet, and does not sign.
 * The console's confirmation page asks this before it offers the button; {@link retireKey} again.
 */
export function retirable(keys: readonly KeyListing[], kid: string): KeyListing {
	const key = keys.find((k) => k.kid === kid);
	if (!key)
		throw new GateError(
			404,
			'Unknown key',
			`There is no signing key "${kid.slice(0, 64)}". List the keys on the keys page or with: npm run gate -- keys list`,
			'key-unknown',
		);
	if (key.source === 'environment') throw environmentKeys();
	if (key.retiredAt)
		throw new GateError(
			409,
			'Key already retired',
			`The key "${kid}" was retired already, on ${utcMinute(key.retiredAt)}.`,
			'key-retired',
		);
	if (key.state === 'signs')
		throw new GateError(
			409,
			'This key signs new links',
			`The key "${kid}" signs new links and form tokens, so it cannot be retired. Rotate first (a new key then signs), and retire "${kid}" once the links it signed have expired.`,
			'key-signs',
		);
	return key;
}

/**
 * How long after the next key took over what a key signed may still be in use: a form token's life (two
 * hours; download links last 15 minutes), from the last moment any replica signed with it.
 */
export const SIGNED_LIFETIME_MS = CSRF_TTL_SECONDS * 1000 + KEY_REFRESH_MS;

/** When `key` stopped signing: when the next key was made, or undefined for the signer (or an environment key). */
export function replacedAt(keys: readonly KeyListing[], key: KeyListing): Date | undefined {
	return keys
		.filter((k) => k.createdAt && key.createdAt && k.createdAt > key.createdAt)
		.map((k) => k.createdAt!)
		.sort((a, b) => a.getTime() - b.getTime())[0];
}

/**
 * Makes a new random 32-byte key, which signs from now on; the others keep verifying. This replica
 * signs with it at once, the others within {@link KEY_REFRESH_MS}.
 */
export async function rotateKey(
	gate: Gate,
	actor: Actor,
): Promise<{ kid: string; fingerprint: string; previous: string | undefined }> {
	if (gate.keyring.source === 'environment') throw environmentKeys();
	const now = gate.now();
	const secret = randomBytes(32);
	const made = await gate.db.tx(async (q) => {
		await q.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
		const previous = (await keyRows(q)).find((r) => !r.retired_at)?.kid;
		// After every other key, whatever the clocks of the replicas that made them say.
		const { rows } = await q.query<{ at: Date }>(
			"SELECT greatest($1::timestamptz, max(created_at) + interval '1 millisecond') AS at FROM signing_keys",
			[now],
		);
		const kid = newKid(now);
		await q.query(
			'INSERT INTO signing_keys (kid, secret, created_at, created_by) VALUES ($1, $2, $3, $4)',
			[kid, secret, rows[0]!.at, actorName(actor)],
		);
		const fingerprint = keyFingerprint(secret);
		await appendAudit(
			q,
			{
				type: 'key.rotated',
				actor,
				subject: kid,
				data: { fingerprint, previous: previous ?? null },
			},
			now,
		);
		return { kid, fingerprint, previous };
	});
	await gate.keyring.refresh();
	return made;
}

/**
 * Retires a key that no longer signs: links, form tokens and grant pages it signed stop working at once
 * here and within {@link KEY_REFRESH_MS} on other replicas. The signer cannot be retired: rotate first.
 */
export async function retireKey(gate: Gate, kid: string, actor: Actor): Promise<KeyListing> {
	if (gate.keyring.source === 'environment') throw environmentKeys();
	const now = gate.now();
	const key = await gate.db.tx(async (q) => {
		await q.query('SELECT pg_advisory_xact_lock($1)', [KEY_LOCK]);
		const key = retirable(listed(await keyRows(q)), kid);
		await q.query('UPDATE signing_keys SET retired_at = $2, retired_by = $3 WHERE kid = $1', [
			kid,
			now,
			actorName(actor),
		]);
		await appendAudit(
			q,
			{ type: 'key.retired', actor, subject: kid, data: { fingerprint: key.fingerprint } },
			now,
		);
		return { ...key, state: 'retired' as const, retiredAt: now, retiredBy: actorName(actor) };
	});
	await gate.keyring.refresh();
	return key;
}
