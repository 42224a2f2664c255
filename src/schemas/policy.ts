import { z } from 'zod';
import { describe } from './messages.ts';
import { controlRef, isoDate, slugId, visibility } from './fields.ts';

export const POLICY_STATES = ['draft', 'approved', 'retired'] as const;
export const CLASSIFICATIONS = ['public', 'nda'] as const;

/** A policy in the library: `content/policies/<id>.mdx`. The MDX body is the policy text. */
export const PolicySchema = z.strictObject({
	/** Stable id used in URLs, e.g. `access-control`. Unique among its kind. */
	id: slugId,
	/** Title, e.g. "Access Control Policy". */
	title: z.string().min(1),
	/** Version of the approved text, e.g. "3.1". */
	version: z.string().regex(/^\d+(\.\d+){0,2}$/, {
		error: (i) => `expected a version like "2.1", received ${describe(i.input)}`,
	}),
	/** draft, approved or retired. Only approved policies are listed as in force. */
	state: z.enum(POLICY_STATES),
	/** The role that owns the policy and keeps it current, e.g. "CISO". Named in review warnings. */
	owner: z.string().min(1),
	/** The role or body that approved it, e.g. "Executive leadership team". */
	approver: z.string().min(1),
	/** When this version took effect. */
	effective: isoDate,
	/** When the policy was last reviewed. */
	lastReviewed: isoDate,
	/** Months between reviews. The build warns when `lastReviewed` plus this has passed. Default 12. */
	reviewIntervalMonths: z.number().int().min(1).max(60).default(12),
	/** public: the full text is on the site. nda: the site shows the summary; the full text is for the NDA whitepaper. Default public. */
	classification: z.enum(CLASSIFICATIONS).default('public'),
	/** Controls the policy covers, e.g. `[iso27001-2022:A.5.15]`. Each must exist in its catalog. */
	controls: z.array(controlRef).default([]),
	/** Two or three sentences on what the policy requires, shown in the library and on nda policies. */
	summary: z.string().min(1),
	/** `nda` keeps the whole policy, title included, out of the public site (unlike `classification: nda`, which publishes the title and summary). Default `public`. */
	visibility,
});

export type Policy = z.output<typeof PolicySchema>;
