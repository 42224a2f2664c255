import type { AccessRule, AccessRules } from '../../schemas/access-rules.ts';
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

/** Domains whose mailboxes ignore dots in the local part, all delivering to the first. */
const DOTLESS = ['gmail.com', 'googlemail.com'];

/**
 * The mailbox an address delivers to, for counting requests per person: lower-cased, without a
 * "+tag" (ada+1@… and ada+2@… reach one inbox), and for Gmail without dots in the name.
 */
export function mailboxKey(email: string): string {
	const at = email.lastIndexOf('@');
	const domain = emailDomain(email);
	let local = email.slice(0, at).toLowerCase();
	local = local.replace(/(?<=.)\+.*$/s, '');
	if (!DOTLESS.includes(domain)) return `${local}@${domain}`;
	return `${local.replaceAll('.', '')}@${DOTLESS[0]}`;
}

/** The longest a grant of `documents` may run: the smallest `maxDays` among them, capped at `days`. */
export function grantDays(rules: AccessRules, documents: readonly string[], days: number): number {
	return Math.min(days, ...documents.map((d) => rules.documents[d]?.maxDays ?? Infinity));
}

/** Which part of the rules decides for an address: a deny rule, the free-mail list, the first matching rule, or none. */
function ruling(
	rules: AccessRules,
	email: string,
):
	| { by: 'deny'; rule: AccessRule }
	| { by: 'rule'; rule: AccessRule }
	| { by: 'free-mail' }
	| { by: 'otherwise' } {
	const domain = emailDomain(email);
	const matches = (r: AccessRule) => r.domains.some((p) => domainMatches(domain, p));
	const denyRule = rules.rules.find((r) => r.decision === 'deny' && matches(r));
	if (denyRule) return { by: 'deny', rule: denyRule };
	if (rules.freeMail.some((p) => domainMatches(domain, p))) return { by: 'free-mail' };
	const rule = rules.rules.find(matches);
	return rule ? { by: 'rule', rule } : { by: 'otherwise' };
}

/**
 * The rule that waives the NDA for `email` (`nda: waived`), or undefined when the requester must accept
 * and sign it. It is the rule that decides for the address: never for a denied or free-mail address.
 */
export function ndaWaiver(rules: AccessRules, email: string): AccessRule | undefined {
	const found = ruling(rules, email);
	return found.by === 'rule' && found.rule.nda === 'waived' ? found.rule : undefined;
}

/**
 * Applies the rules to a verified email and the documents it asked for. Free-mail domains always go to
 * review (anyone can own such an address), before any rule; then the first matching rule decides.
 */
export function decide(rules: AccessRules, email: string, documents: readonly string[]): Decision {
	const none = { grant: [], days: 0 };
	const found = ruling(rules, email);
	if (found.by === 'deny')
		return { outcome: 'deny', because: `rule "${found.rule.name}"`, ...none, review: [] };
	if (found.by === 'free-mail')
		return { outcome: 'review', because: 'free-mail domain', ...none, review: [...documents] };
	if (found.by === 'otherwise') {
		return rules.otherwise === 'deny'
			? { outcome: 'deny', because: 'no rule matched (otherwise: deny)', ...none, review: [] }
			: { outcome: 'review', because: 'no rule matched', ...none, review: [...documents] };
	}
	const { rule } = found;
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

/** Problems the schema cannot see: unknown document ids, free-mail domains a rule would approve or waive the NDA for, and NDA waivers on deny rules. */
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
	rules.rules.forEach((r, i) => {
		if (r.decision === 'deny' && r.nda === 'waived')
			problems.push({
				severity: 'error',
				file,
				field: `rules[${i}].nda`,
				message: 'a deny rule refuses every request, so "nda: waived" would never apply',
				hint: 'Remove "nda: waived" from this rule, or change its decision to approve or review.',
			});
		r.domains.forEach((d, j) => {
			if (!rules.freeMail.some((f) => domainMatches(d.replace(/^\*\./, 'x.'), f))) return;
			if (r.decision === 'approve')
				problems.push({
					severity: 'error',
					file,
					field: `rules[${i}].domains[${j}]`,
					message: `"${d}" is a free-mail domain, and free-mail requests always go to review`,
					hint: 'Remove it from this rule, or from freeMail if it is really a company domain.',
				});
			else if (r.nda === 'waived')
				problems.push({
					severity: 'error',
					file,
					field: `rules[${i}].domains[${j}]`,
					message: `"${d}" is a free-mail domain, where anyone can get an address, so the NDA is never waived for it`,
					hint: "Remove it from this rule, or from freeMail if it is really an organisation's own domain.",
				});
		});
	});
	return problems;
}
