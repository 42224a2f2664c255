import type { AccessRules } from '../../schemas/access-rules.ts';
import type { Problem } from '../../lib/content/problems.ts';

/** What the rules decide for one verified request. */
export interface Decision {
	/** approve: every document granted; partial: `grant` now, `review` waits; review: all wait; deny: refused. */
	outcome: 'approve' | 'partial' | 'review' | 'deny';
	/** The rule (or built-in check) that decided, e.g. `rule "Customers under MSA"` or `free-mail domain`. */
	because: string;
	/** Documents granted at once. */
	grant: string[];
	/** Documents that wait for the security team. */
	review: string[];
	/** Grant length in days, when something is granted. */
	days: number;
}

/** Whether `domain` is `pattern`, or a subdomain of it; `*.x.com` matches only subdomains. */
export function domainMatches(domain: string, pattern: string): boolean {
	if (pattern.startsWith('*.')) return domain.endsWith(pattern.slice(1));
	return domain === pattern || domain.endsWith(`.${pattern}`);
}

/** The domain of an email address, lower-cased. */
export function emailDomain(email: string): string {
	return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** The longest a grant of `documents` may run: the smallest `maxDays` among them, capped at `days`. */
export function grantDays(rules: AccessRules, documents: readonly string[], days: number): number {
	return Math.min(days, ...documents.map((d) => rules.documents[d]?.maxDays ?? Infinity));
}

/**
 * Applies the rules to a verified email and the documents it asked for. Free-mail domains always go to
 * review (anyone can own such an address), before any rule; then the first matching rule decides.
 */
export function decide(rules: AccessRules, email: string, documents: readonly string[]): Decision {
	const domain = emailDomain(email);
	const none = { grant: [], days: 0 };
	const denyRule = rules.rules.find(
		(r) => r.decision === 'deny' && r.domains.some((p) => domainMatches(domain, p)),
	);
	if (denyRule) return { outcome: 'deny', because: `rule "${denyRule.name}"`, ...none, review: [] };
	if (rules.freeMail.some((p) => domainMatches(domain, p)))
		return { outcome: 'review', because: 'free-mail domain', ...none, review: [...documents] };
	const rule = rules.rules.find((r) => r.domains.some((p) => domainMatches(domain, p)));
	if (!rule) {
		return rules.otherwise === 'deny'
			? { outcome: 'deny', because: 'no rule matched (otherwise: deny)', ...none, review: [] }
			: { outcome: 'review', because: 'no rule matched', ...none, review: [...documents] };
	}
	const because = `rule "${rule.name}"`;
	if (rule.decision === 'review')
		return { outcome: 'review', because, ...none, review: [...documents] };
	const grant = documents.filter((d) => !rule.documents || rule.documents.includes(d));
	const review = documents.filter((d) => !grant.includes(d));
	const outcome = review.length === 0 ? 'approve' : grant.length === 0 ? 'review' : 'partial';
	return {
		outcome,
		because,
		grant,
		review,
		days: grant.length ? grantDays(rules, grant, rule.days ?? rules.grant.days) : 0,
	};
}

/** Problems the schema cannot see: unknown document ids, and free-mail domains that a rule would approve. */
export function checkRules(
	rules: AccessRules,
	file: string,
	documentIds: readonly string[],
): Problem[] {
	const problems: Problem[] = [];
	const known = (id: string, field: string) => {
		if (!documentIds.includes(id))
			problems.push({
				severity: 'error',
				file,
				field,
				message: `unknown document "${id}"`,
				hint: `Use one of: ${documentIds.join(', ')}.`,
			});
	};
	rules.rules.forEach((r, i) =>
		r.documents?.forEach((d, j) => known(d, `rules[${i}].documents[${j}]`)),
	);
	Object.keys(rules.documents).forEach((d) => known(d, `documents.${d}`));
	rules.rules.forEach((r, i) =>
		r.domains.forEach((d, j) => {
			if (
				r.decision === 'approve' &&
				rules.freeMail.some((f) => domainMatches(d.replace(/^\*\./, 'x.'), f))
			) {
				problems.push({
					severity: 'error',
					file,
					field: `rules[${i}].domains[${j}]`,
					message: `"${d}" is a free-mail domain, and free-mail requests always go to review`,
					hint: 'Remove it from this rule, or from freeMail if it is really a company domain.',
				});
			}
		}),
	);
	return problems;
}
