import type { Framework } from '../../schemas/framework.ts';

/** The statuses a certificate or report vouches for: past its `expires`, they no longer hold. */
const VOUCHED: readonly Framework['status'][] = ['certified', 'audited', 'compliant'];

/** Whether a certificate or report valid until the day `expires` (all of it, UTC) has expired at `now`. */
export function hasExpired(expires: Date | undefined, now: Date): boolean {
	return expires !== undefined && now.getTime() >= expires.getTime() + 86_400_000;
}

/** A framework's status as the site shows it: what its file says, or `expired`. */
export type ShownStatus = Framework['status'] | 'expired';

/**
 * The status the site shows for a framework at `now` (the build time): `expired` once a certified,
 * audited or compliant framework's `expires` has passed, since its certificate or report no longer
 * says so; otherwise the status its file gives. The build warns about it too.
 */
export function shownStatus(
	framework: Pick<Framework, 'status' | 'expires'>,
	now: Date,
): ShownStatus {
	return hasExpired(framework.expires, now) && VOUCHED.includes(framework.status)
		? 'expired'
		: framework.status;
}
