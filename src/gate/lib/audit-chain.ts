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
 * Checks entries in `seq` order: numbering without gaps, each `prevHash` equal to the hash before it,
 * and each hash recomputed from the entry. Names the first entry that fails.
 */
export function verifyChain(entries: Iterable<AuditEntry>): ChainCheck {
	let previous: AuditEntry | undefined;
	let count = 0;
	for (const entry of entries) {
		const expectedSeq = (previous?.seq ?? 0) + 1;
		if (entry.seq !== expectedSeq)
			return {
				ok: false,
				count,
				seq: entry.seq,
				reason: `expected entry #${expectedSeq} next, found #${entry.seq}: entries are missing or were inserted`,
			};
		const expectedPrev = previous?.hash ?? GENESIS_HASH;
		if (entry.prevHash !== expectedPrev)
			return {
				ok: false,
				count,
				seq: entry.seq,
				reason: `prev_hash is ${entry.prevHash.slice(0, 12)}…, but entry #${expectedSeq - 1} hashes to ${expectedPrev.slice(0, 12)}…`,
			};
		const hash = entryHash(entry);
		if (entry.hash !== hash)
			return {
				ok: false,
				count,
				seq: entry.seq,
				reason: `its content does not match its hash (stored ${entry.hash.slice(0, 12)}…, recomputed ${hash.slice(0, 12)}…): the entry was changed after it was written`,
			};
		previous = entry;
		count++;
	}
	return { ok: true, count, head: previous && { seq: previous.seq, hash: previous.hash } };
}

/**
 * Checks a verified chain against a head exported earlier: the entry with that number must still exist
 * and have that hash. This catches a tail cut off the log, which the chain alone cannot show.
 */
export function checkAnchor(
	check: ChainCheck & { ok: true },
	entries: readonly AuditEntry[],
	anchor: Pick<AuditEntry, 'seq' | 'hash'>,
): string | undefined {
	const entry = entries[anchor.seq - 1];
	if (!entry)
		return `the exported head is entry #${anchor.seq}, but the log ends at #${check.head?.seq ?? 0}: entries after #${check.head?.seq ?? 0} were removed`;
	if (entry.hash !== anchor.hash)
		return `entry #${anchor.seq} hashes to ${entry.hash.slice(0, 12)}…, but the exported head says ${anchor.hash.slice(0, 12)}…: the log was rewritten since the export`;
	return undefined;
}
