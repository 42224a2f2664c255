// Who may use the console, and as what: the staff file's entries applied to one person, role order,
// and the checks the schema cannot make.
import type { Problem } from '../../lib/content/problems.ts';
import { STAFF_ROLES, type Staff, type StaffRole } from '../../schemas/staff.ts';
import { domainMatches, emailDomain } from './access-rules.ts';

/** Whether `role` may do what `needed` may: admin ⊇ approver ⊇ viewer. */
export function roleAtLeast(role: StaffRole, needed: StaffRole): boolean {
	return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(needed);
}

/** The lesser of two roles. */
export function lowerRole(a: StaffRole, b: StaffRole): StaffRole {
	return roleAtLeast(a, b) ? b : a;
}

/** A person's role and the staff file's entry that gives it, e.g. `group "trust-approvers"`. */
export interface StaffMatch {
	role: StaffRole;
	because: string;
	/** The name the staff file gives the person, if any. */
	name?: string | undefined;
}

/**
 * The role the staff file gives `email` with the identity provider's `groups`: the person's own entry
 * when there is one, else the highest role of the matching domain and group entries; undefined when
 * the file does not name them at all.
 */
export function staffMatch(
	staff: Staff,
	email: string,
	groups: readonly string[],
): StaffMatch | undefined {
	const address = email.toLowerCase();
	const person = staff.people.find((p) => p.email.toLowerCase() === address);
	if (person) return { role: person.role, because: 'their own entry', name: person.name };
	const domain = emailDomain(address);
	const matches: StaffMatch[] = [
		...staff.domains
			.filter((d) => domainMatches(domain, d.domain))
			.map((d) => ({ role: d.role, because: `domain "${d.domain}"` })),
		...staff.groups
			.filter((g) => groups.includes(g.group))
			.map((g) => ({ role: g.role, because: `group "${g.group}"` })),
	];
	return matches.reduce<StaffMatch | undefined>(
		(best, m) => (best && roleAtLeast(best.role, m.role) ? best : m),
		undefined,
	);
}

/** Problems the schema cannot see: the same person, domain or group twice, and free-mail domains. */
export function checkStaff(staff: Staff, file: string, freeMail: readonly string[]): Problem[] {
	const problems: Problem[] = [];
	const twice = <T>(list: readonly T[], key: (item: T) => string, field: string, what: string) => {
		const first = new Map<string, number>();
		list.forEach((item, i) => {
			const k = key(item);
			const earlier = first.get(k);
			if (earlier === undefined) first.set(k, i);
			else
				problems.push({
					severity: 'error',
					file,
					field: `${field}[${i}]`,
					message: `${what} "${k}" is listed twice, first as ${field}[${earlier}]`,
					hint: 'Keep one entry, with the role it should have.',
				});
		});
	};
	twice(staff.people, (p) => p.email.toLowerCase(), 'people', 'e-mail address');
	twice(staff.domains, (d) => d.domain, 'domains', 'domain');
	twice(staff.groups, (g) => g.group, 'groups', 'group');
	staff.domains.forEach((d, i) => {
		if (freeMail.some((f) => domainMatches(d.domain.replace(/^\*\./, 'x.'), f)))
			problems.push({
				severity: 'error',
				file,
				field: `domains[${i}].domain`,
				message: `"${d.domain}" is a free-mail domain: anyone can get an address there and sign in as ${d.role}`,
				hint: 'List the people by e-mail under people: instead.',
			});
	});
	return problems;
}
