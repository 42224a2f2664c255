/** Adds whole calendar months in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
	const result = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
	const lastDay = new Date(
		Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0),
	).getUTCDate();
	result.setUTCDate(Math.min(date.getUTCDate(), lastDay));
	return result;
}

/** Adds whole days. */
export function addDays(date: Date, days: number): Date {
	return new Date(date.getTime() + days * 86_400_000);
}

/** Whole days from `from` to `to`, rounded: the length of a grant made with `addDays`. */
export function daysBetween(from: Date, to: Date): number {
	return Math.round((to.getTime() - from.getTime()) / 86_400_000);
}

/** `YYYY-MM-DD` in UTC. */
export function isoDay(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** A time to the minute in UTC, as the security team reads it: `2026-11-23 10:00 UTC`. */
export function utcMinute(date: Date): string {
	return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
