// The console's HTML: one layout (header with the console's sections and the person signed in, main,
// the site's brand colours in light and dark), and the pages of sign-in, enrolment, the landing page,
// the staff page and refusals. Plain HTML forms everywhere; only passkeys need the script.
import type { FieldProblem } from '../../errors.ts';
import type { AccessConfig } from '../../lib/access-config.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import type { MailFailure, MailOutcome } from '../../services/mail.ts';
import type { InviteRow, PasskeyRow } from '../../services/passkeys.ts';
import {
	OPEN_SESSIONS_SHOWN,
	SIGNIN_METHOD_NAMES,
	type OpenSession,
	type SessionEnd,
	type StaffSession,
} from '../../services/staff-sessions.ts';
import { STAFF_ROLES, type StaffRole } from '../../../schemas/staff.ts';
import { FAVICON } from '../../../lib/content/dir.ts';
import { ADMIN, SIGNIN_PAGE } from '../../middleware/staff-session.ts';
import { table } from './filters.ts';
import { html, type Html, when } from './html.ts';
import { notSent } from './mail-notices.ts';

/** The console's sections, in the order of its navigation, each shown to the roles that may open it. */
export const NAV: readonly { href: string; label: string; role: StaffRole }[] = [
	{ href: `${ADMIN}/`, label: 'Overview', role: 'viewer' },
	{ href: `${ADMIN}/requests/`, label: 'Review queue', role: 'viewer' },
	{ href: `${ADMIN}/grants/`, label: 'Grants', role: 'viewer' },
	{ href: `${ADMIN}/subscribers/`, label: 'Subscribers', role: 'viewer' },
	{ href: `${ADMIN}/audit/`, label: 'Audit log', role: 'viewer' },
	{ href: `${ADMIN}/requests/history/`, label: 'Request history', role: 'viewer' },
	{ href: `${ADMIN}/downloads/`, label: 'Downloads', role: 'viewer' },
	{ href: `${ADMIN}/trace/`, label: 'Trace', role: 'viewer' },
	{ href: `${ADMIN}/keys/`, label: 'Signing keys', role: 'viewer' },
	{ href: `${ADMIN}/staff/`, label: 'Staff and passkeys', role: 'viewer' },
];

/** A table cell with a one-button form posting to `action`: `label`, and `hidden` after it for screen readers. */
function rowButton(action: string, csrf: string, label: string, hidden: string): Html {
	return html`<td>
		<form method="post" action="${action}">
			<input type="hidden" name="csrf" value="${csrf}" />
			<button type="submit" class="tc-button tc-secondary">
				${label}<span class="tc-visually-hidden"> ${hidden}</span>
			</button>
		</form>
	</td>`;
}

/** What the sign-in page says after a session ended, by why it ended. */
function endedNotice(ended: SessionEnd, limits: { idleMinutes: number; maxHours: number }): string {
	const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
	return {
		idle: `Your session ended after ${count(limits.idleMinutes, 'minute')} without activity. Sign in again to continue.`,
		expired: `Your session reached its limit of ${count(limits.maxHours, 'hour')}. Sign in again to continue.`,
		removed: 'An admin removed the passkey you signed in with, which ended your session.',
		'not-staff':
			'The staff file no longer gives you a role in the console, which ended your session.',
		'signed-out': 'You are signed out.',
		everywhere: 'You are signed out on every device and browser.',
		'ended-by-admin':
			'A console admin ended your session. Sign in again if you still need the console.',
	}[ended];
}

/** The console's pages for one content folder. */
export class ConsolePages {
	private readonly config: AccessConfig;
	private readonly limits: { idleMinutes: number; maxHours: number };
	constructor(config: AccessConfig, limits: { idleMinutes: number; maxHours: number }) {
		this.config = config;
		this.limits = limits;
	}

	/** A whole page: the header (with navigation and sign-out when someone is signed in), then `body` under an h1. */
	layout(page: {
		title: string;
		body: Html;
		staff?: StaffSession | undefined;
		csrf?: string;
	}): string {
		const { site } = this.config;
		const { staff } = page;
		const nav = staff
			? html`<nav aria-label="Console">
						<ul>
							${NAV.filter((n) => roleAtLeast(staff.role, n.role)).map(
								(n) => html`<li><a href="${n.href}">${n.label}</a></li>`,
							)}
						</ul>
					</nav>
					<div class="tc-who">
						<span>${staff.name} <span class="tc-role">${staff.role}</span></span>
						${
							page.csrf
								? html`<form method="post" action="${ADMIN}/signout">
										<input type="hidden" name="csrf" value="${page.csrf}" /><button
											type="submit"
											class="tc-link-button"
										>
											Sign out
										</button>
									</form>`
								: ''
						}
					</div>`
			: '';
		return `<!doctype html>${html`<html lang="en">
			<head>
				<meta charset="utf-8" />
				<meta name="viewport" content="width=device-width, initial-scale=1" />
				<meta name="robots" content="noindex, nofollow" />
				<title>${page.title} · ${site.companyName} trust center console</title>
				<link rel="icon" href="${FAVICON}" type="image/svg+xml" />
				<link rel="stylesheet" href="${ADMIN}/assets/console.css" />
				<style>
					:root {
						--tc-brand: ${site.brandColor};
					}
					@media (prefers-color-scheme: dark) {
						:root {
							--tc-brand: ${site.brandColorDark ?? '#9cc3ff'};
						}
					}
				</style>
			</head>
			<body>
				<a class="tc-skip" href="#main">Skip to the page</a>
				<header class="tc-bar">
					<a class="tc-home" href="${ADMIN}/"
						>${site.companyName} <span>trust center console</span></a
					>
					${nav}
				</header>
				<main id="main">
					<h1>${page.title}</h1>
					${page.body}
				</main>
			</body>
		</html>`}`;
	}

	/** The sign-in page: the identity provider (a link: no script needed) and passkeys (which need the script). */
	signin(page: {
		csrf: string;
		oidcIssuer: string | undefined;
		ended: SessionEnd | undefined;
		next: string;
	}): string {
		const { staff, staffFile } = this.config;
		const notice = page.ended
			? html`<p class="tc-notice" role="status">${endedNotice(page.ended, this.limits)}</p>`
			: '';
		const oidc = page.oidcIssuer
			? html`<section aria-labelledby="sso">
					<h2 id="sso">With your company account</h2>
					<p>
						<a
							class="tc-button"
							href="${ADMIN}/signin/oidc${page.next === `${ADMIN}/` ? '' : `?next=${encodeURIComponent(page.next)}`}"
							>Sign in with single sign-on</a
						>
					</p>
					<p class="tc-muted">You will be sent to ${new URL(page.oidcIssuer).host} and back.</p>
				</section>`
			: '';
		const passkey = html`<section aria-labelledby="passkey">
			<h2 id="passkey">With a passkey</h2>
			<div data-passkey="signin" data-csrf="${page.csrf}" data-next="${page.next}">
				<p><button type="button" class="tc-button" hidden>Sign in with a passkey</button></p>
				<p class="tc-muted" data-passkey-nojs>
					Signing in with a passkey needs JavaScript, which is off or blocked in this browser.
				</p>
				<p class="tc-status" role="status" aria-live="polite"></p>
			</div>
			<p class="tc-muted">
				No passkey yet? A console admin can send you an invitation to register one.
			</p>
		</section>`;
		const closed = staff
			? ''
			: html`<p class="tc-notice" role="status">
					Nobody can sign in yet: there is no ${staffFile}. Create it to name the console's staff,
					then restart the gate.
				</p>`;
		return this.layout({
			title: 'Sign in to the console',
			body: html`${notice}${closed}${oidc}${passkey}
				<script src="${ADMIN}/assets/passkey.js" type="module"></script>`,
		});
	}

	/** The enrolment page of a valid invitation: who it is for, and the button that registers a passkey. */
	enrol(invite: InviteRow, csrf: string): string {
		return this.layout({
			title: 'Register your passkey',
			body: html`<p>
					This invitation is for <strong>${invite.email}</strong>, as
					<strong>${invite.role}</strong>. It works once, until ${when(invite.expires_at)}.
				</p>
				<p>
					Your browser will ask you to create a passkey with this device (fingerprint, face, PIN) or
					a security key. You will sign in with it from then on.
				</p>
				<div data-passkey="enrol" data-csrf="${csrf}">
					<p><button type="button" class="tc-button" hidden>Register a passkey</button></p>
					<p class="tc-muted" data-passkey-nojs>
						Registering a passkey needs JavaScript, which is off or blocked in this browser.
					</p>
					<p class="tc-status" role="status" aria-live="polite"></p>
				</div>
				<script src="${ADMIN}/assets/passkey.js" type="module"></script>`,
		});
	}

	/** The landing page: the dashboard, then who is signed in, with which role and why, their session, and signing out. */
	home(staff: StaffSession, csrf: string, dashboard: Html): string {
		const how =
			staff.method === 'oidc'
				? html`single sign-on at ${staff.issuer}`
				: html`a passkey (${staff.subject})`;
		return this.layout({
			title: 'Console',
			staff,
			csrf,
			body: html`${dashboard}
				<h2>You</h2>
				<p>Signed in as <strong>${staff.name}</strong> (${staff.email}).</p>
				<dl class="tc-facts">
					<dt>Role</dt>
					<dd>${staff.role}, from ${staff.because} in ${this.config.staffFile}</dd>
					<dt>Signed in with</dt>
					<dd>${how}</dd>
					<dt>Session</dt>
					<dd>
						since ${when(staff.createdAt)}; ends after ${this.limits.idleMinutes} minutes without
						activity, and at ${when(staff.expiresAt)} at the latest
					</dd>
				</dl>
				<h2>Sign out</h2>
				<div class="tc-actions">
					<form method="post" action="${ADMIN}/signout">
						<input type="hidden" name="csrf" value="${csrf}" />
						<button type="submit" class="tc-button">Sign out</button>
					</form>
					<form method="post" action="${ADMIN}/signout/everywhere">
						<input type="hidden" name="csrf" value="${csrf}" />
						<button type="submit" class="tc-button tc-secondary">Sign out everywhere</button>
					</form>
				</div>
				<p class="tc-muted">
					“Sign out everywhere” ends every session of yours, on every device and browser, at once.
				</p>`,
		});
	}

	/**
	 * The staff page: enrolled passkeys and open invitations, which every role reads; an admin also gets
	 * Remove on each passkey and the form of a new invitation.
	 */
	staff(
		page: {
			passkeys: readonly PasskeyRow[];
			invites: readonly InviteRow[];
			/** The open sessions, for an admin; undefined for the other roles. */
			sessions?: readonly OpenSession[] | undefined;
			sent?: Html | undefined;
		},
		staff: StaffSession,
		csrf: string,
	): string {
		const admin = roleAtLeast(staff.role, 'admin');
		const passkeys = page.passkeys.length
			? table({
					caption: 'Registered passkeys',
					columns: [
						'E-mail',
						'Role',
						'Registered',
						'Last used',
						...(admin ? [html`<span class="tc-visually-hidden">Remove</span>`] : []),
					],
					rows: page.passkeys.map(
						(p) =>
							html`<tr>
								<td>${p.email}</td>
								<td>${p.role}</td>
								<td>${when(p.created_at)}</td>
								<td>${p.last_used_at ? when(p.last_used_at) : 'never'}</td>
								${
									admin
										? rowButton(
												`${ADMIN}/staff/passkeys/${p.id}/remove`,
												csrf,
												'Remove',
												`the passkey of ${p.email} (${p.id})`,
											)
										: ''
								}
							</tr>`,
					),
				})
			: html`<p>No passkeys are registered.</p>`;
		const invites = page.invites.length
			? table({
					caption: 'Invitations waiting to be used',
					columns: [
						'E-mail',
						'Role',
						'Invited by',
						'Link works until',
						...(admin ? [html`<span class="tc-visually-hidden">Cancel</span>`] : []),
					],
					rows: page.invites.map(
						(i) =>
							html`<tr>
								<td>${i.email}</td>
								<td>${i.role}</td>
								<td>${i.created_by}</td>
								<td>${when(i.expires_at)}</td>
								${
									admin
										? rowButton(
												`${ADMIN}/staff/invites/${i.id}/cancel`,
												csrf,
												'Cancel',
												`the invitation of ${i.email} (${i.id})`,
											)
										: ''
								}
							</tr>`,
					),
				})
			: html`<p>No invitations are waiting.</p>`;
		const sessions =
			page.sessions === undefined
				? ''
				: html`<h2>Signed in now</h2>
						${
							page.sessions.length
								? table({
										caption: `Open sessions, most recently active first${page.sessions.length === OPEN_SESSIONS_SHOWN ? ` (the first ${OPEN_SESSIONS_SHOWN})` : ''}`,
										columns: [
											'Person',
											'Sign-in',
											'Since',
											'Last active',
											'From',
											html`<span class="tc-visually-hidden">End</span>`,
										],
										rows: page.sessions.map(
											(s) =>
												html`<tr>
													<td>
														${s.name && s.name !== s.email ? html`${s.name}<br />` : ''}${s.email}
														${
															s.id === staff.session
																? html`<br /><span class="tc-muted">(this session)</span>`
																: ''
														}
													</td>
													<td>${SIGNIN_METHOD_NAMES[s.method]}</td>
													<td>${when(s.createdAt)}</td>
													<td>${when(s.lastSeenAt)}</td>
													<td>${s.ip}</td>
													${rowButton(
														`${ADMIN}/staff/sessions/${s.id}/end`,
														csrf,
														'End',
														`the session of ${s.email} (${s.id})`,
													)}
												</tr>`,
										),
									})
								: html`<p>Nobody is signed in.</p>`
						}
						<p class="tc-muted">
							Ending a session signs that browser out at once, on every replica. To keep someone
							out, also remove them from ${this.config.staffFile} (and their passkeys here).
						</p>`;
		return this.layout({
			title: 'Staff and passkeys',
			staff,
			csrf,
			body: html`${page.sent ?? ''}
				<p>
					Who may sign in, and as what, is decided by ${this.config.staffFile}. Here admins manage
					the passkeys of people without single sign-on. Removing a passkey signs its sessions out
					at once; cancelling an invitation makes its link open nothing.
					${
						admin
							? ''
							: 'Your role can read this page; admins invite people, cancel invitations and remove passkeys.'
					}
				</p>
				${sessions}
				<h2>Passkeys</h2>
				${passkeys}
				<h2>Open invitations</h2>
				${invites} ${admin ? this.inviteForm(csrf) : ''}`,
		});
	}

	/** The admin's form of a new invitation, and the same from a shell. */
	private inviteForm(csrf: string): Html {
		return html`<h2>Invite someone</h2>
			<form method="post" action="${ADMIN}/staff/invite" class="tc-form">
				<input type="hidden" name="csrf" value="${csrf}" />
				<p>
					<label for="invite-email">E-mail address</label>
					<input id="invite-email" name="email" type="email" required autocomplete="off" />
				</p>
				<p>
					<label for="invite-role">Role</label>
					<select id="invite-role" name="role">
						<option value="">As the staff file says</option>
						${STAFF_ROLES.map((r) => html`<option value="${r}">${r}</option>`)}
					</select>
				</p>
				<p><button type="submit" class="tc-button">Send the invitation</button></p>
			</form>
			<p class="tc-muted">
				The same from a shell:
				<code>npm run gate -- staff invite &lt;email&gt; --role approver</code>, and
				<code>npm run gate -- staff cancel-invite &lt;email&gt;</code>. The link works once, for 24
				hours; a new invitation is also how someone replaces a lost passkey.
			</p>`;
	}

	/** A refusal: what is wrong, the fields at fault, where to go next, and the reference that finds the log line. */
	refusal(
		refusal: { title: string; message: string; fields: readonly FieldProblem[] | undefined },
		requestId: string,
		staff: StaffSession | undefined,
	): string {
		const fields = refusal.fields?.length
			? html`<ul>
					${refusal.fields.map((f) => html`<li><strong>${f.field}</strong>: ${f.message}</li>`)}
				</ul>`
			: '';
		const back = staff
			? html`<a href="${ADMIN}/">Back to the console</a>`
			: html`<a href="${SIGNIN_PAGE}">Go to the sign-in page</a>`;
		return this.layout({
			title: refusal.title,
			staff,
			body: html`<p>${refusal.message}</p>
				${fields}
				<p>${back}</p>
				<p class="tc-muted">Reference: ${requestId}</p>`,
		});
	}

	/** The note on the staff page after an invitation was sent, with its link (shown this once). */
	sentInvite(invite: {
		email: string;
		role: StaffRole;
		link: string;
		expiresAt: Date;
		mail: MailOutcome | MailFailure;
	}): Html {
		return html`<div class="tc-notice" role="status">
			<p>
				Invitation made for <strong>${invite.email}</strong> as ${invite.role}, valid until
				${when(invite.expiresAt)}.
				${
					invite.mail.via === 'failed'
						? html`${notSent(invite.mail, 'the enrolment link')} Give them this link yourself:`
						: invite.mail.via === 'outbox'
							? "The e-mail is in the gate's outbox folder, not sent: the gate has no SMTP_URL. Give them this link yourself:"
							: 'It was e-mailed to them; if it does not arrive, give them this link yourself:'
				}
			</p>
			<p><code class="tc-break">${invite.link}</code></p>
		</div>`;
	}
}
