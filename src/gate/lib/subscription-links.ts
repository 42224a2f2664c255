// The signed links in every subscription mail: a management page and one-click unsubscribe, for one
// subscriber. They are signed with the database's own link secret, not GATE_SIGNING_KEYS: rotating those
// keys must not break the unsubscribe link of a mail sent two years ago.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SUBSCRIBE_PATHS } from '../../lib/routing/urls.ts';

/** A subscriber id as the gate makes them: `sub_` and 16 hex digits. */
export const SUBSCRIBER_ID = /^sub_[0-9a-f]{16}$/;
/** A link signature: 32 bytes, base64url. */
export const LINK_SIGNATURE = /^[A-Za-z0-9_-]{43}$/;

/** The signature of a subscriber's links: HMAC-SHA256 of its id under the link secret. */
export function linkSignature(secret: Buffer, subscriberId: string): string {
	return createHmac('sha256', secret)
		.update(`subscriber-links\n${subscriberId}`)
		.digest('base64url');
}

/** Whether `sig` signs `subscriberId`, compared in constant time; false for anything malformed. */
export function verifyLinkSignature(secret: Buffer, subscriberId: string, sig: string): boolean {
	if (!SUBSCRIBER_ID.test(subscriberId) || !LINK_SIGNATURE.test(sig)) return false;
	const expected = Buffer.from(linkSignature(secret, subscriberId));
	const given = Buffer.from(sig);
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A subscriber's signed links under `publicUrl`: the management page and one-click unsubscribe. */
export interface SubscriberLinks {
	manage: string;
	unsubscribe: string;
}

/** The signed links of `subscriberId`. */
export function subscriberLinks(
	publicUrl: string,
	secret: Buffer,
	subscriberId: string,
): SubscriberLinks {
	const query = `?id=${subscriberId}&sig=${linkSignature(secret, subscriberId)}`;
	return {
		manage: `${publicUrl}${SUBSCRIBE_PATHS.manage}${query}`,
		unsubscribe: `${publicUrl}${SUBSCRIBE_PATHS.unsubscribe}${query}`,
	};
}
