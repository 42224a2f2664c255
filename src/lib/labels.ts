import type { SubscriptionTopic } from '../schemas/update.ts';
import { labelOr, type Words } from './words/words.ts';

/** The label for an enumeration value in the site's words (`value.<id>`); the value itself when none is defined. */
export function label(value: string, t: Words): string {
	return labelOr(`value.${value}`, value, t);
}

/** How a subscription topic is named on the subscribe form, the management page and in mails. */
export function topicLabel(topic: SubscriptionTopic, t: Words): string {
	return t(`topic.${topic}`);
}

/** Badge tone for a status, so colour follows meaning consistently (text always carries it too). */
export function tone(value: string): 'good' | 'progress' | 'neutral' | 'bad' {
	if (['certified', 'audited', 'compliant', 'approved', 'active', 'implemented'].includes(value))
		return 'good';
	if (['in-progress', 'partial', 'planned', 'draft', 'aligned'].includes(value)) return 'progress';
	if (['failing', 'removed', 'stale', 'review-overdue', 'expired'].includes(value)) return 'bad';
	return 'neutral';
}
