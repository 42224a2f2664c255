// What every service works with: the gate's database, content, keys, mailer and clock, new ids and
// tokens, hashes, and the rows the services read.
import { ENGLISH, type Words } from '../../lib/words/words.ts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AccessConfig } from '../lib/access-config.ts';
import type { Db } from '../db.ts';
import type { WatermarkFonts } from '../lib/watermark-fonts.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { Log } from '../log.ts';
import type { SessionLimits } from './staff-sessions.ts';
import type { KeyRing } from './keys.ts';

/** Everything the gate's operations need. */
export interface Gate {
	db: Db;
	config: AccessConfig;
	/** The signing keys: from the environment, or the database's, re-read as they change. */
	keyring: KeyRing;
	mailer: Mailer;
	/** Base URL for links in emails, e.g. https://trust.example.com (no trailing slash). */
	publicUrl: string;
	/** The console's origin (GATE_ADMIN_URL), for invitation links and the passkeys' relying party. */
	adminUrl: string;
	/** How long console sessions last (GATE_SESSION_IDLE_MINUTES, GATE_SESSION_MAX_HOURS): which are open now. */
	sessionLimits: SessionLimits;
	now: () => Date;
	/** The watermark's fonts, parsed once at start. */
	fonts: WatermarkFonts;
	/** The public build the gate serves; subscriptions find new updates and subprocessor changes in it. */
	dist: string;
	/** Called after mails are queued, so a running sender starts at once instead of at its next look. */
	onQueued: () => void;
	/** The gate's log (the CLI's output when the CLI opened the database itself). */
	log: Log;
}

/** Who and where a request came from, as recorded in the audit log. */
export interface RequestMeta {
	ip: string;
	userAgent: string;
}

export const newId = (prefix: string): string => `${prefix}_${randomBytes(8).toString('hex')}`;
export const newToken = (): string => randomBytes(32).toString('base64url');
/** Whether `value` has the shape of a {@link newToken} token (32 bytes in base64url), before any lookup. */
export const isToken = (value: unknown): value is string =>
	typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
export const sha256 = (data: string | Uint8Array): string =>
	createHash('sha256').update(data).digest('hex');
export const sameHash = (a: string, b: string): boolean =>
	a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** A row of access_requests. */
export interface RequestRow {
	id: string;
	created_at: Date;
	name: string;
	email: string;
	company: string;
	role: string;
	documents: string[];
	reason: string | null;
	status: 'unverified' | 'pending' | 'partial' | 'approved' | 'denied';
	verify_expires_at: Date;
	verified_at: Date | null;
	rule: string | null;
	pending_documents: string[];
	decided_by: string | null;
	decision_reason: string | null;
	/** The access rule that waived the NDA for this request's address; null when it was signed. */
	nda_waived_by: string | null;
}
/** A row of grants. */
export interface GrantRow {
	id: string;
	request_id: string;
	documents: string[];
	created_at: Date;
	expires_at: Date;
	access_hash: string;
	revoked_at: Date | null;
	revoked_by: string | null;
	revoke_reason: string | null;
}

/**
 * The titles of documents by id, listed with `t`'s separator: the site's words for requesters, English
 * (", ") for the console and mails to staff.
 */
export function documentTitles(
	gate: Pick<Gate, 'config'>,
	ids: readonly string[],
	t: Words = ENGLISH,
): string {
	return ids
		.map((id) => gate.config.documents.find((d) => d.id === id)?.title ?? id)
		.join(t('common.listSeparator'));
}
