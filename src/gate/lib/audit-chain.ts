import { createHash } from 'node:crypto';
import { canonicalJson } from '../../lib/canonical-json.ts';

/** The `prev_hash` of the first entry: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What happened, as the gate records it. */
export interface AuditEvent {
	/** Dotted event name, e.g. `request.created`, `nda.accepted`, `download.served`. */
	type: string;
	/** Who did it: `requester:<email>`, `cli:<user>`, `rules`, `gate`, `staff:<email>` (with `data.staff`), `signin:<email>`. */
	actor: string;
	/** What it happened to: a request, grant or download id. */
	subject: string;
	/** Event details: strings, integers, booleans, lists and objects only, so they survive jsonb unchanged. */
	data: Record<string, unknown>;
}

/** One row of the audit log. */
export interface AuditEntry extends AuditEvent {
	/** 1, 2, 3, … with no gaps. */
	seq: number;
	/** UTC time as an ISO 8601 string with milliseconds; stored as text so its hash input never changes. */
	at: string;
	prevHash: string;
	hash: string;
}

/** The hash of an entry: SHA-256 over the previous hash and the canonical JSON of everything else. */
export function entryHash(entry: Omit<AuditEntry, 'hash'>): string {
	const { seq, at, type, actor, subject, data, prevHash } = entry;
	return createHash('sha256')
		.update(`${prevHash}\n${canonicalJson({ seq, at, type, actor, subject, data })}`)
		.digest('hex');
}

/** The next entry after `previous` (or the first one). */
export function chainEntry(
	previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
	event: AuditEvent,
	at: Date,
): AuditEntry {
	const base = {
		seq: (previous?.seq ?? 0) + 1,
		at: at.toISOString(),
		...event,
		data: cleanData(event.data) as Record<string, unknown>,
		prevHash: previous?.hash ?? GENESIS_HASH,
	};
	return { ...base, hash: entryHash(base) };
}

/**
 * Makes event data storable as jsonb without change: strings become well-formed Unicode without NUL
 * (jsonb refuses both), numbers must be safe integers, `undefined` fields are dropped.
 */
export function cleanData(value: unknown): unknown {
	if (typeof value === 'string') return value.toWellFormed().replaceAll('\0', '\uFFFD');
	if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
	if (value === null || typeof value === 'boolean') return value;
	if (Array.isArray(value)) return value.map(cleanData);
	if (typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>)
				.filter(([, v]) => v !== undefined)
				.map(([k, v]) => [cleanData(k) as string, cleanData(v)]),
		);
	}
	return String(value);
}

/** The result of checking a chain. */
export type ChainCheck =
	| { ok: true; count: number; head: Pick<AuditEntry, 'seq' | 'hash'> | undefined }
	| { ok: false; count: number; seq: number; reason: string };

/**
 * Checks a chain one entry at a time, in `seq` order: numbering without gaps, each `prevHash` equal to
 * the hash before it, and each hash recomputed from the entry. Stops at the first entry that fails, so
 * a caller can stream a long log through it in batches without holding it in memory.
 */
export class ChainVerifier {
	private previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined;
	private count = 0;
	private broken: (ChainCheck & { ok: false }) | undefined;

	/** Checks the next entry; false once the chain is broken (later entries are not looked at). */
	push(entry: AuditEntry): boolean {
		if (this.broken) return false;
		const previous = this.previous;
		const expectedSeq = (previous?.seq ?? 0) + 1;
		const fail = (reason: string) => {
			this.broken = { ok: false, count: this.count, seq: entry.seq, reason };
			return false;
		};
		if (entry.seq !== expectedSeq)
			return fail(
				`expected entry #${expectedSeq} next, found #${entry.seq}: entries are missing or were inserted`,
			);
		const expectedPrev = previous?.hash ?? GENESIS_HASH;
		if (entry.prevHash !== expectedPrev)
			return fail(
				`prev_hash is ${entry.prevHash.slice(0, 12)}…, but entry #${expectedSeq - 1} hashes to ${expectedPrev.slice(0, 12)}…`,
			);
		const hash = entryHash(entry);
		if (entry.hash !== hash)
			return fail(
				`its content does not match its hash (stored ${entry.hash.slice(0, 12)}…, recomputed ${hash.slice(0, 12)}…): the entry was changed after it was written`,
			);
		this.previous = { seq: entry.seq, hash: entry.hash };
		this.count++;
		return true;
	}

	/** The result so far: the first broken entry, or the count and head of a chain that verifies. */
	result(): ChainCheck {
		return this.broken ?? { ok: true, count: this.count, head: this.previous };
	}
}

/** Checks entries in `seq` order with a {@link ChainVerifier}; names the first entry that fails. */
export function verifyChain(entries: Iterable<AuditEntry>): ChainCheck {
	const verifier = new ChainVerifier();
	for (const entry of entries) if (!verifier.push(entry)) break;
	return verifier.result();
}

/**
 * Checks a verified chain against a head exported earlier: the entry with that number (`atAnchor`, as
 * the log holds it now) must still exist and have that hash. This catches a tail cut off the log, which
 * the chain alone cannot show.
 */
export function checkAnchor(
	check: ChainCheck & { ok: true },
	atAnchor: Pick<AuditEntry, 'hash'> | undefined,
	anchor: Pick<AuditEntry, 'seq' | 'hash'>,
): string | undefined {
	if (!atAnchor)
		return `the exported head is entry #${anchor.seq}, but the log ends at #${check.head?.seq ?? 0}: entries after #${check.head?.seq ?? 0} were removed`;
	if (atAnchor.hash !== anchor.hash)
		return `entry #${anchor.seq} hashes to ${atAnchor.hash.slice(0, 12)}…, but the exported head says ${anchor.hash.slice(0, 12)}…: the log was rewritten since the export`;
	return undefined;
}
