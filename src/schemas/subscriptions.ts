import { z } from 'zod';
import { email } from './fields.ts';
import { SUBSCRIPTION_TOPICS } from './update.ts';

/** `subscriptions` in `content/site.yaml`: what customers can subscribe to, and what subprocessor notices say. */
export const SubscriptionSettingsSchema = z.strictObject({
	/** `false` leaves the subscribe form off the site and turns the gate's subscription pages and mails off. Default `true`. */
	enabled: z.boolean().default(true),
	/** Topics the subscribe form does not offer, e.g. `[incident]`: any of all, subprocessor-change, incident, certification, policy-change. Addresses already subscribed to one keep it. Default: none hidden. */
	hiddenTopics: z.array(z.enum(SUBSCRIPTION_TOPICS)).default([]),
	/** Days customers have to object to a new subprocessor, counted from its `noticeDate` (or from when it was first published); each notice states the deadline. Default 30. */
	objectionDays: z.number().int().min(1).max(365).default(30),
	/** Where objections to a subprocessor go: the prefilled mailto link in each notice. Default: `contacts.privacy`. */
	objectionEmail: email.optional(),
	/** Items dated up to this many days before an address confirmed are mailed to it on confirmation. Default 0: only what is published after it confirmed. */
	backfillDays: z.number().int().min(0).max(365).default(0),
});

export type SubscriptionSettings = z.output<typeof SubscriptionSettingsSchema>;
