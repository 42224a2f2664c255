import { createHmac, timingSafeEqual } from 'node:crypto';
import { slugId } from '../../schemas/fields.ts';

/** Clock difference tolerated between the replica that signed a link and the one that checks it. */
export const CLOCK_SKEW_SECONDS = 60;

/** A signing key; links name it by `kid`, so old keys keep verifying while new links use the newest. */
export interface SigningKey {
	kid: string;
	secret: Buffer;
	/** When the key was made, if known: from a date its kid starts with (see {@link kidDate}), or the local key file's time. */
	createdAt?: Date | undefined;
}

/**
 * The date a key id starts with, as keys are named when they are made: `2026-11` (the 1st of that
 * month), `2026-11-02`, or either followed by `-…` or `_…` (`2026-11-b`). Undefined for other ids.
 */
export function kidDate(kid: string): Date | undefined {
	const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:$|[-_])/.exec(kid);
	if (!m) return undefined;
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
	const date = new Date(Date.UTC(year, month - 1, day));
	// 2026-13 or 2026-02-30 is not a date: the id is then just a name.
	return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/** What a download link grants: one document of one grant, until `exp`. */
export interface LinkClaims {
	grant: string;
	doc: string;
	/** Random id of this link; its uses are counted in the database. */
	link: string;
	/** Unix seconds. */
	iat: number;
	/** Unix seconds. */
	exp: number;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function payload(c: LinkClaims, kid: string): string {
	return ['v1', kid, c.grant, c.doc, c.link, c.iat, c.exp].join('\n');
}

function mac(key: SigningKey, text: string): Buffer {
	return createHmac('sha256', key.secret).update(text).digest();
}

/** The query string of a signed link (without `?`), signed with the first key. */
export function signLink(claims: LinkClaims, keys: readonly SigningKey[]): string {
	const key = keys[0];
	if (!key) throw new Error('signLink: no signing key configured');
	const sig = mac(key, payload(claims, key.kid)).toString('base64url');
	return new URLSearchParams({
		grant: claims.grant,
		doc: claims.doc,
		link: claims.link,
		iat: String(claims.iat),
		exp: String(claims.exp),
		kid: key.kid,
		sig,
	}).toString();
}

/** Why a link was refused before the database was asked. */
export type LinkRefusal = 'malformed' | 'forged' | 'expired';

/**
 * Checks a signed link: well-formed, signed by a known key (constant-time compare), issued no later than
 * now + skew, and not past `exp` + skew. Grant, revocation and use limits are the database's to check.
 */
export function verifyLink(
	query: URLSearchParams,
	keys: readonly SigningKey[],
	nowSeconds: number,
): { ok: true; claims: LinkClaims } | { ok: false; refusal: LinkRefusal } {
	const get = (name: string) => {
		const all = query.getAll(name);
		return all.length === 1 ? all[0] : undefined;
	};
	const [grant, doc, link, kid, sig, iatText, expText] = [
		'grant',
		'doc',
		'link',
		'kid',
		'sig',
		'iat',
		'exp',
	].map(get);
	if (!grant || !doc || !link || !kid || !sig || !iatText || !expText)
		return { ok: false, refusal: 'malformed' };
	if (
		![grant, link, kid].every((v) => ID.test(v)) ||
		// A document is named by its content id, which may hold "." (soc-2.bridge-letter).
		!slugId.safeParse(doc).success ||
		!/^\d{1,12}$/.test(iatText) ||
		!/^\d{1,12}$/.test(expText)
	)
		return { ok: false, refusal: 'malformed' };
	const claims = { grant, doc, link, iat: Number(iatText), exp: Number(expText) };
	const key = keys.find((k) => k.kid === kid);
	if (!key) return { ok: false, refusal: 'forged' };
	// Compared as text, as verifyToken does: base64url decoding forgives stray characters, and a link's
	// spelling must not vary (one link, one URL, for caches and logs alike).
	const given = Buffer.from(sig);
	const expected = Buffer.from(mac(key, payload(claims, kid)).toString('base64url'));
	if (given.length !== expected.length || !timingSafeEqual(given, expected))
		return { ok: false, refusal: 'forged' };
	if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS || claims.exp < claims.iat)
		return { ok: false, refusal: 'forged' };
	if (nowSeconds > claims.exp + CLOCK_SKEW_SECONDS) return { ok: false, refusal: 'expired' };
	return { ok: true, claims };
}

/**
 * A short-lived token, `<value>.<exp>.<kid>.<mac>`, signed with the first key for one `purpose` (a
 * form token's nonce, the grant id a browser may open): the MAC covers purpose, value and expiry, so a
 * token made for one purpose is worthless for another. `value` must not contain ".".
 */
export function signToken(
	keys: readonly SigningKey[],
	purpose: string,
	value: string,
	exp: number,
): string {
	const key = keys[0];
	if (!key) throw new Error('signToken: no signing key configured');
	const sig = mac(key, `${purpose}\n${value}\n${exp}`).toString('base64url');
	return `${value}.${exp}.${key.kid}.${sig}`;
}

/** The id of the key a token (from {@link signToken}) names, without checking anything else. */
export function tokenKid(token: string): string | undefined {
	return token.split('.')[2];
}

/**
 * The value of a token `signToken` made for `purpose`, or undefined when it is malformed, names an
 * unknown key, carries a wrong MAC (compared in constant time) or has expired.
 */
export function verifyToken(
	keys: readonly SigningKey[],
	purpose: string,
	token: string,
	nowSeconds: number,
): string | undefined {
	const [value, expText, kid, sig, ...rest] = token.split('.');
	if (!value || !expText || !sig || rest.length > 0 || !/^\d{1,12}$/.test(expText))
		return undefined;
	const key = keys.find((k) => k.kid === kid);
	if (!key || Number(expText) < nowSeconds) return undefined;
	// Compared as text: base64url decoding forgives stray characters, a token's spelling must not vary.
	const given = Buffer.from(sig);
	const expected = Buffer.from(mac(key, `${purpose}\n${value}\n${expText}`).toString('base64url'));
	return given.length === expected.length && timingSafeEqual(given, expected) ? value : undefined;
}

/**
 * Parses `GATE_SIGNING_KEYS`: comma-separated `kid:secret` pairs, newest first; each secret is at least
 * 32 bytes as base64 or hex. Returns an error message naming what is wrong.
 */
export function parseSigningKeys(
	text: string,
): { ok: true; keys: SigningKey[] } | { ok: false; error: string } {
	const keys: SigningKey[] = [];
	for (const [i, part] of text
		.split(',')
		.map((p) => p.trim())
		.filter(Boolean)
		.entries()) {
		const [kid = '', secretText, ...rest] = part.split(':');
		const kidShape = /^[A-Za-z0-9_-]{1,32}$/.test(kid);
		if (!secretText || rest.length > 0 || !kidShape) {
			// Nothing of a secret is echoed: a kid is named only when it has a kid's shape, which a 32-byte
			// secret (44 base64 or 64 hex characters) has not; written the wrong way round, nothing is shown.
			const what = !part.includes(':')
				? 'no ":"'
				: !kidShape
					? 'a kid that is not one (not shown, in case it is the secret)'
					: `the kid ${JSON.stringify(kid)} ${rest.length > 0 ? 'and more than one ":"' : 'and no secret'}`;
			return {
				ok: false,
				error: `GATE_SIGNING_KEYS: key ${i + 1}: expected "kid:secret" with a kid of letters, digits, "-" or "_", received ${what}. Example: GATE_SIGNING_KEYS="2026-11:$(openssl rand -base64 32)"`,
			};
		}
		const secret =
			/^[0-9a-f]+$/i.test(secretText) && secretText.length % 2 === 0
				? Buffer.from(secretText, 'hex')
				: Buffer.from(secretText, 'base64');
		if (secret.length < 32)
			return {
				ok: false,
				error: `GATE_SIGNING_KEYS: key "${kid}": expected a secret of at least 32 bytes, received ${secret.length}. Make one with: openssl rand -base64 32`,
			};
		if (keys.some((k) => k.kid === kid))
			return {
				ok: false,
				error: `GATE_SIGNING_KEYS: key id "${kid}" appears twice. Give each key its own id.`,
			};
		keys.push({ kid, secret, createdAt: kidDate(kid) });
	}
	if (keys.length === 0)
		return {
			ok: false,
			error:
				'GATE_SIGNING_KEYS: no keys. Set it to "kid:secret", e.g. GATE_SIGNING_KEYS="2026-11:$(openssl rand -base64 32)"',
		};
	return { ok: true, keys };
}
