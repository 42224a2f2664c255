import { z } from 'zod';
import { ENGLISH } from '../lib/words/words.ts';
import { describeKind } from './messages.ts';
import { requestEmail } from './request-fields.ts';
import type { SubscriptionTopic } from './update.ts';

/** The topics field of a form or JSON body: one id or several, each one the site offers. */
function topicsField(offered: readonly SubscriptionTopic[], min: number) {
	return z
		.union([z.string(), z.array(z.string())], {
			error: (i) =>
				i.input === undefined
					? ENGLISH('fieldProblem.chooseTopic')
					: `expected one or more topic ids, received ${describeKind(i.input)}`,
		})
		.transform((v) => [...new Set(Array.isArray(v) ? v : [v])])
		.pipe(
			z
				.array(
					z.enum(offered as [SubscriptionTopic, ...SubscriptionTopic[]], {
						error: `includes an unknown topic; choose from ${offered.join(', ')}`,
					}),
				)
				.min(min, { error: ENGLISH('fieldProblem.chooseTopic') })
				.max(offered.length),
		);
}

/**
 * The body of `POST /subscribe/`, as a form or JSON: an address and the topics it wants, each one the
 * site offers (`offered`). Each field carries the message the subscriber sees when it is wrong.
 */
export function subscriptionRequestSchema(offered: readonly SubscriptionTopic[]) {
	return z.strictObject({
		/** The address the confirmation link and, once confirmed, the mails go to. */
		email: requestEmail,
		/** Ids of the topics wanted. */
		topics: topicsField(offered, 1),
		/** The anti-forgery token from the subscribe page; checked before the schema. */
		csrf: z.string().optional(),
	});
}

export type SubscriptionRequest = z.output<ReturnType<typeof subscriptionRequestSchema>>;

/** The actions of the management page. */
export const MANAGE_ACTIONS = ['save', 'unsubscribe', 'resubscribe'] as const;

/**
 * The body of `POST /subscribe/manage/`: the signed link's `id` and `sig` (from the page), what to do,
 * and for `save` the topics to keep. No anti-forgery token: the signature is the subscriber's secret,
 * checked before the rest of the body is parsed.
 */
export function manageRequestSchema(offered: readonly SubscriptionTopic[]) {
	return z
		.strictObject({
			/** The subscriber id of the signed link; the route checks it and `sig` before this schema. */
			id: z.string(),
			/** The signature of the signed link. */
			sig: z.string(),
			/** save: keep `topics`; unsubscribe: stop every mail; resubscribe: start again. */
			action: z.enum(MANAGE_ACTIONS, {
				error: `expected one of ${MANAGE_ACTIONS.join(', ')}`,
			}),
			/** For save: the topics to keep, at least one. */
			topics: topicsField(offered, 0).optional(),
		})
		.refine((r) => r.action !== 'save' || (r.topics?.length ?? 0) > 0, {
			path: ['topics'],
			error: ENGLISH('fieldProblem.chooseTopicOrUnsubscribe'),
		});
}

export type ManageRequest = z.output<ReturnType<typeof manageRequestSchema>>;
