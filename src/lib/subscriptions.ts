// What subscribers can choose and what each item goes to: shared by the subscribe form the site builds
// and the gate that takes subscriptions and mails the items.
import type { SubscriptionSettings } from '../schemas/subscriptions.ts';
import { SUBSCRIPTION_TOPICS, type SubscriptionTopic } from '../schemas/update.ts';

/**
 * Whether the site offers subscriptions at all: the access gate, which takes them and sends the mails,
 * is on (`gateOn`), they are enabled, and the settings leave a topic to offer.
 */
export function offersSubscriptions(settings: SubscriptionSettings, gateOn: boolean): boolean {
	return gateOn && settings.enabled && offeredTopics(settings).length > 0;
}

/** The topics the subscribe form offers, in their order: every topic the site settings do not hide. */
export function offeredTopics(settings: SubscriptionSettings): SubscriptionTopic[] {
	return SUBSCRIPTION_TOPICS.filter((t) => !settings.hiddenTopics.includes(t));
}

/**
 * The topics whose subscribers get an item of `topic` (an update kind, or subprocessor-change for the
 * subprocessor list): "all" and the topic itself. General updates have no topic of their own.
 */
export function audienceOf(topic: string): SubscriptionTopic[] {
	return (SUBSCRIPTION_TOPICS as readonly string[]).includes(topic) && topic !== 'all'
		? ['all', topic as SubscriptionTopic]
		: ['all'];
}
