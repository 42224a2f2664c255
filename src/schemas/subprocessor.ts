import { z } from 'zod';
import { DATA_CATEGORY_IDS } from '../data/data-categories.ts';
import { REGION_IDS } from '../data/regions.ts';
import { describe } from './messages.ts';
import { extendableEnum, httpUrl, isoDate, slugId } from './fields.ts';

export const TRANSFER_MECHANISMS = ['scc', 'adequacy', 'dpf', 'none-needed'] as const;
export const SUBPROCESSOR_STATES = ['active', 'planned', 'removed'] as const;

/** A third party that processes customer data: `content/subprocessors/<id>.yaml`. */
export const SubprocessorSchema = z
	.strictObject({
		/** Stable id, e.g. `cloud-host`. Unique among its kind. */
		id: slugId,
		/** The company's real name, e.g. "Nimbus Cloud Inc.". Shown only under NDA when `publicDescriptor` is set. */
		name: z.string().min(1),
		/** What they do for us, as a short label customers can filter by, e.g. "Cloud hosting". */
		purpose: z.string().min(1),
		/** Kinds of data they process. Ids from src/data/data-categories.ts. */
		dataCategories: z
			.array(extendableEnum(DATA_CATEGORY_IDS, 'src/data/data-categories.ts'))
			.min(1),
		/** Where they process it. Ids from src/data/regions.ts. */
		locations: z.array(extendableEnum(REGION_IDS, 'src/data/regions.ts')).min(1),
		/** Legal basis for transfers out of the EU/UK: scc, adequacy, dpf, or none-needed. */
		transferMechanism: z.enum(TRANSFER_MECHANISMS),
		/** Their public website. Hidden with the name when `publicDescriptor` is set. */
		website: httpUrl.optional(),
		/** active, planned (announced, not yet used) or removed. */
		state: z.enum(SUBPROCESSOR_STATES).default('active'),
		/** For planned entries: the date customers were notified. Required when `state` is planned. */
		noticeDate: isoDate.optional(),
		/** When they started (or will start) processing data. */
		effective: isoDate,
		/** When they stopped processing data: on or after `effective`. Required when `state` is removed, and only then. */
		removed: isoDate.optional(),
		/** Set this to show a generic description publicly ("EU cloud hosting provider"); the name is then NDA-only. */
		publicDescriptor: z.string().min(1).optional(),
	})
	.superRefine((entry, ctx) => {
		if (entry.state === 'planned' && !entry.noticeDate) {
			ctx.addIssue({
				code: 'custom',
				path: ['noticeDate'],
				message:
					'is required when state is "planned": add the date customers were notified, like noticeDate: 2026-11-01',
			});
		}
		if (entry.removed && entry.removed < entry.effective) {
			ctx.addIssue({
				code: 'custom',
				path: ['removed'],
				message: `${describe(entry.removed)} is before effective (${describe(entry.effective)}): processing stops after it starts. Fix one of the two dates`,
			});
		}
		if (entry.removed && entry.state !== 'removed') {
			ctx.addIssue({
				code: 'custom',
				path: ['removed'],
				message: `is set, but state is "${entry.state}", so the date is shown nowhere. Set state: removed once processing has stopped, or remove the date`,
			});
		}
		if (entry.state === 'removed' && !entry.removed) {
			ctx.addIssue({
				code: 'custom',
				path: ['removed'],
				message:
					'is required when state is "removed": add the date processing stopped, like removed: 2026-10-31',
			});
		}
	});

export type Subprocessor = z.output<typeof SubprocessorSchema>;
