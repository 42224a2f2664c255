// A bound on a wait that depends on something outside the process (the database), so that a health
// check, a request or a shutdown never waits forever for a peer that stopped answering.

/** A wait that ran past its deadline: `what` took longer than allowed. */
export class DeadlineExceeded extends Error {
	override name = 'DeadlineExceeded';
}

/**
 * Settles as `promise` does, or rejects with a {@link DeadlineExceeded} naming `what` after `ms`. The
 * promise itself runs on; the timer does not keep the process alive.
 */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() => reject(new DeadlineExceeded(`${what} took longer than ${ms / 1000} s`)),
			ms,
		).unref();
	});
	return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
