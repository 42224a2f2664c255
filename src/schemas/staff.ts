import { z } from 'zod';
import { domain, email } from './fields.ts';
import { describe } from './messages.ts';

/** The console's roles, from least to most: each can do everything the one before it can. */
export const STAFF_ROLES = ['viewer', 'approver', 'admin'] as const;

/** viewer reads everything; approver can also approve, deny and revoke; admin can also manage passkeys, keys and subscribers. */
const role = z.enum(STAFF_ROLES, {
	error: (i) =>
		`expected one of "viewer" | "approver" | "admin", received ${describe(i.input)}. viewer reads everything, approver also approves, denies and revokes, admin also manages passkeys, keys and subscribers`,
});

/** One person, by the e-mail address their identity provider (or passkey invitation) names. */
export const StaffPersonSchema = z.strictObject({
	/** Their e-mail address, compared without regard to case. */
	email,
	/** Their role. A person's own entry decides their role, over any domain or group entry. */
	role,
	/** Optional: the name the console greets them by. Default: the name their identity provider sends, or the e-mail. */
	name: z.string().min(1).max(100).optional(),
});

/** Everyone with a verified e-mail address at a domain. */
export const StaffDomainSchema = z.strictObject({
	/** The domain, e.g. "kestrelledger.example"; it also matches its subdomains, and "*.x.com" only its subdomains. */
	domain,
	/** Their role, unless their own entry says otherwise; the highest of their domain and group entries applies. */
	role,
});

/** Everyone whose identity provider lists them in a group. */
export const StaffGroupSchema = z.strictObject({
	/** A value of the groups claim, exactly as the identity provider sends it, e.g. "trust-approvers" (Entra ID sends group object ids). */
	group: z.string().min(1).max(200),
	/** Their role, unless their own entry says otherwise; the highest of their domain and group entries applies. */
	role,
});

/**
 * Who may sign in to the security team's console at /admin/, and as what: `content/staff.yaml`.
 * Nobody else can sign in, whatever their identity provider or passkey says. The e-mail addresses are
 * never published: the leak check fails the build when one appears in dist/.
 */
export const StaffSchema = z.strictObject({
	/** The claim of the ID token (or userinfo) that lists a person's groups. Default "groups" (Okta, Keycloak, Entra ID). */
	groupsClaim: z.string().min(1).max(100).default('groups'),
	/** People by e-mail address. Default: none. */
	people: z.array(StaffPersonSchema).default([]),
	/** Whole e-mail domains: everyone the identity provider has verified an address at that domain for, or who was invited with one. Default: none. */
	domains: z.array(StaffDomainSchema).default([]),
	/** Groups of the identity provider; they apply to identity provider sign-in only (passkeys carry no groups). Default: none. */
	groups: z.array(StaffGroupSchema).default([]),
});

export type StaffRole = (typeof STAFF_ROLES)[number];
export type Staff = z.output<typeof StaffSchema>;
