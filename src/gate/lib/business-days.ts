// When a waiting request becomes overdue: a number of business days (Monday to Friday, in UTC) after it
// was made. Weekends do not count, and a request made on a weekend starts counting on Monday at 00:00.

const DAY_MS = 86_400_000;
const isWeekend = (d: Date) => d.getUTCDay() === 0 || d.getUTCDay() === 6;

/**
 * The moment `days` business days after `from`: each day added skips Saturdays and Sundays, and a
 * `from` on a weekend counts from the Monday after it, 00:00 UTC. Friday 10:00 + 2 is Tuesday 10:00.
 */
export function addBusinessDays(from: Date, days: number): Date {
	let t = new Date(from);
	if (isWeekend(t)) {
		t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
		while (isWeekend(t)) t = new Date(t.getTime() + DAY_MS);
	}
	for (let i = 0; i < days; i++) {
		t = new Date(t.getTime() + DAY_MS);
		while (isWeekend(t)) t = new Date(t.getTime() + DAY_MS);
	}
	return t;
}

/** Whether something made at `since` has waited more than `days` business days at `now`. */
export const waitedMoreThan = (since: Date, days: number, now: Date): boolean =>
	now.getTime() > addBusinessDays(since, days).getTime();
