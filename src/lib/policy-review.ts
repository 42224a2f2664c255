import { addMonths } from './dates.ts';
import type { Policy } from '../schemas/policy.ts';

/** When a policy is next due for review: its last review plus its review interval, in calendar months. */
export function nextReview(policy: Pick<Policy, 'lastReviewed' | 'reviewIntervalMonths'>): Date {
	return addMonths(policy.lastReviewed, policy.reviewIntervalMonths);
}

/**
 * Whether a policy in force has passed its review date at `now`, the build time: the build warns about
 * it, and the policy page and the library mark it "Review overdue". Drafts and retired policies are not.
 */
export function isReviewOverdue(
	policy: Pick<Policy, 'state' | 'lastReviewed' | 'reviewIntervalMonths'>,
	now: Date,
): boolean {
	return policy.state === 'approved' && nextReview(policy) < now;
}
