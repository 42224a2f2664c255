// When a waiting request becomes overdue: a number of business days (Monday to Friday, in UTC) after it
// began to wait. Weekends do not count, and a wait that begins on a weekend counts from Monday 00:00.

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

/**
 * The instant before which anything has waited more than `days` business days at `now`:
 * `waitedMoreThan(since, days, now)` is `since < overdueBefore(days, now)`. addBusinessDays never goes
 * back as its start moves on, so the starts that have waited long enough are all those before one
 * instant; it is found by halving, to the millisecond, so a database can count them in one query.
 */
export function overdueBefore(days: number, now: Date): Date {
	const end = now.getTime();
	// Each business day ends at most 3 days after the one before (Friday to Monday), and a start on a
	// weekend moves at most 2 days: this far back has certainly waited long enough.
	let waited = end - (3 * days + 3) * DAY_MS;
	let notYet = end;
	while (notYet - waited > 1) {
		const mid = Math.floor((waited + notYet) / 2);
		if (addBusinessDays(new Date(mid), days).getTime() < end) waited = mid;
		else notYet = mid;
	}
	return new Date(notYet);
}
