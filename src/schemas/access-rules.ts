import { z } from 'zod';
import { domain } from './fields.ts';

/** The longest grant, in days: for rules, for maxDays, and for `npm run gate -- approve --days`. */
export const GRANT_DAYS_MAX = 730;

/** One approval rule: the first rule whose domains match the requester's verified email decides. */
export const AccessRuleSchema = z.strictObject({
	/** A name for the rule, shown in the audit log and in `npm run gate -- requests`, e.g. "Customers under MSA". */
	name: z.string().min(1),
	/** Email domains the rule applies to. A domain also matches its subdomains; "*.x.com" matches only subdomains. */
	domains: z.array(domain).min(1),
	/** approve: grant at once; review: wait for the security team; deny: refuse (competitors). */
	decision: z.enum(['approve', 'review', 'deny']),
	/** For approve: the documents this rule may grant. Others asked for wait for review. Default: every document. */
	documents: z.array(z.string().min(1)).optional(),
	/** For approve: how many days the grant lasts. Default: `grant.days`. */
	days: z.int().min(1).max(GRANT_DAYS_MAX).optional(),
	/**
	 * required (default): requesters accept and sign the NDA. waived: requesters whose address this rule
	 * decides may leave the acceptance and signature blank (e.g. government staff, who often cannot sign
	 * a vendor's NDA); the audit log records the waiver and this rule, and every copy is still
	 * watermarked. Not for deny rules, nor for domains anyone can get an address at.
	 */
	nda: z.enum(['required', 'waived']).default('required'),
});

/** Approval rules for NDA documents: `content/access-rules.yaml`. Applied when a requester confirms their email. */
export const AccessRulesSchema = z.strictObject({
	/** Defaults for every grant. */
	grant: z
		.strictObject({
			/** How many days a grant lasts unless a rule or `approve --days` says otherwise. Default 30. */
			days: z.int().min(1).max(GRANT_DAYS_MAX).default(30),
			/** How many minutes a signed download link stays valid. Default 15. */
			linkMinutes: z.int().min(1).max(1440).default(15),
			/** How many times one signed download link may be used. Default 3. */
			linkUses: z.int().min(1).max(100).default(3),
		})
		.prefault({}),
	/** Free-mail providers. A request from one of them always goes to manual review, whatever the rules say: anyone can get such an address. */
	freeMail: z.array(domain).default([]),
	/** Rules, first match wins. */
	rules: z.array(AccessRuleSchema).default([]),
	/** What happens when no rule matches: review (default) or deny. */
	otherwise: z.enum(['review', 'deny']).default('review'),
	/** Who is emailed when a request waits for review. Default: `contacts.security` from site.yaml. */
	reviewers: z.array(z.email()).optional(),
	/** Per document: the longest grant allowed, in days, whatever rule or reviewer grants it. */
	documents: z
		.record(
			z.string(),
			z.strictObject({
				/** The longest grant of this document in days. */
				maxDays: z.int().min(1).max(GRANT_DAYS_MAX),
			}),
		)
		.default({}),
});

export type AccessRule = z.output<typeof AccessRuleSchema>;
export type AccessRules = z.output<typeof AccessRulesSchema>;
