// The dashboard's rules as pure functions: when a waiting request is overdue (business days, weekends
// skipped), and how old a signing key is (a date in its id).
import { describe, expect, it } from 'vitest';
import {
	addBusinessDays,
	overdueBefore,
	waitedMoreThan,
} from '../../src/gate/lib/business-days.ts';
import { kidDate } from '../../src/gate/lib/signed-link.ts';
import { keyWarning } from '../../src/gate/services/dashboard.ts';
import { KeyRing } from '../../src/gate/services/keys.ts';

const at = (iso: string) => new Date(iso);
const DAY = 86_400_000;

describe('business days', () => {
	it('adds days within a week as they come', () => {
		// 2026-11-30 is a Monday.
		expect(addBusinessDays(at('2026-11-30T09:15:00Z'), 2)).toEqual(at('2026-12-02T09:15:00Z'));
	});

	it('skips the weekend: Friday plus two is Tuesday at the same time', () => {
		expect(addBusinessDays(at('2026-12-04T16:00:00Z'), 2)).toEqual(at('2026-12-08T16:00:00Z'));
		expect(addBusinessDays(at('2026-12-03T10:00:00Z'), 2)).toEqual(at('2026-12-07T10:00:00Z'));
	});

	it('counts a request made on a weekend from Monday 00:00 UTC', () => {
		expect(addBusinessDays(at('2026-12-05T15:00:00Z'), 2)).toEqual(at('2026-12-09T00:00:00Z'));
		expect(addBusinessDays(at('2026-12-06T23:59:00Z'), 2)).toEqual(at('2026-12-09T00:00:00Z'));
	});

	it('calls a request overdue only once more than two business days have passed', () => {
		const friday = at('2026-12-04T16:00:00Z');
		expect(waitedMoreThan(friday, 2, at('2026-12-07T16:00:00Z'))).toBe(false); // Monday
		expect(waitedMoreThan(friday, 2, at('2026-12-08T16:00:00Z'))).toBe(false); // Tuesday, exactly
		expect(waitedMoreThan(friday, 2, at('2026-12-08T16:00:01Z'))).toBe(true);
		// A whole weekend of waiting is not overdue.
		expect(waitedMoreThan(at('2026-12-05T08:00:00Z'), 2, at('2026-12-08T12:00:00Z'))).toBe(false);
	});
});

describe('the instant before which a wait is overdue', () => {
	it('agrees with waitedMoreThan for any start and any moment, weekends and edges included', () => {
		// A fixed pseudo-random sequence (xorshift), so a failure names the same case every run.
		let seed = 0x2545f491;
		const next = () => {
			seed ^= seed << 13;
			seed ^= seed >>> 17;
			seed ^= seed << 5;
			return (seed >>> 0) / 2 ** 32;
		};
		const base = Date.parse('2026-11-02T00:00:00Z');
		for (let i = 0; i < 3000; i++) {
			const now = new Date(base + Math.floor(next() * 60 * DAY));
			const days = Math.floor(next() * 4);
			const cutoff = overdueBefore(days, now);
			for (const since of [
				new Date(now.getTime() - Math.floor(next() * 10 * DAY)),
				new Date(cutoff.getTime() - 1),
				cutoff,
			])
				expect([since.toISOString(), days, now.toISOString(), since < cutoff]).toEqual([
					since.toISOString(),
					days,
					now.toISOString(),
					waitedMoreThan(since, days, now),
				]);
		}
	});

	it('puts Tuesday 10:00 two business days after Friday 10:00, and a weekend start with Monday 00:00', () => {
		expect(overdueBefore(2, at('2026-12-08T10:00:00Z'))).toEqual(at('2026-12-04T10:00:00Z'));
		// Wednesday 00:00 + 1 ms: a wait that began up to Monday 00:00, or over the weekend (which counts
		// from Monday 00:00), has waited two business days; one that began a millisecond later has not.
		expect(overdueBefore(2, at('2026-12-09T00:00:00.001Z'))).toEqual(
			at('2026-12-07T00:00:00.001Z'),
		);
		expect(waitedMoreThan(at('2026-12-05T12:00:00Z'), 2, at('2026-12-09T00:00:00.001Z'))).toBe(
			true,
		);
	});
});

describe('signing key age', () => {
	it('reads the date a key id starts with', () => {
		expect(kidDate('2026-11')).toEqual(at('2026-11-01T00:00:00Z'));
		expect(kidDate('2026-11-02')).toEqual(at('2026-11-02T00:00:00Z'));
		expect(kidDate('2026-11-b')).toEqual(at('2026-11-01T00:00:00Z'));
		expect(kidDate('2026-02-30')).toBeUndefined();
		expect(kidDate('2026-13')).toBeUndefined();
		expect(kidDate('local')).toBeUndefined();
		expect(kidDate('202611')).toBeUndefined();
	});

	it('warns when the key that signs new links is older than the rotation period', () => {
		const ring = KeyRing.environment([
			{ kid: '2025-06', secret: Buffer.alloc(32), createdAt: kidDate('2025-06') },
			{ kid: '2020-01', secret: Buffer.alloc(32), createdAt: kidDate('2020-01') },
		]);
		expect(keyWarning(ring, 365, at('2026-05-31T00:00:00Z'))).toBeUndefined();
		expect(keyWarning(ring, 365, at('2026-06-02T00:00:00Z'))).toEqual({
			kind: 'key',
			kid: '2025-06',
			source: 'environment',
			ageDays: 366,
			rotationDays: 365,
		});
		const undated = KeyRing.environment([{ kid: 'main', secret: Buffer.alloc(32) }]);
		expect(keyWarning(undated, 1, at('2030-01-01'))).toBeUndefined();
	});
});
