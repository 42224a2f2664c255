// Signing keys: every role sees them (id, fingerprint, where they come from, age, what they do); admins
// rotate (a new key signs, the old ones keep verifying) and retire a key that no longer signs, after a
// confirmation page that says what stops working. Keys set in GATE_SIGNING_KEYS are shown read-only,
// with how to rotate them there. Secrets are never shown: a fingerprint names each key.
import { Hono } from 'hono';
import type { Env } from '../../context.ts';
import { GateError } from '../../errors.ts';
import { roleAtLeast } from '../../lib/staff-roles.ts';
import { readBody } from '../../middleware/body.ts';
import { ADMIN } from '../../middleware/staff-session.ts';
import { keyAgeDays } from '../../services/dashboard.ts';
import {
	KEY_REFRESH_MS,
	listKeys,
	retirable,
	replacedAt,
	retireKey,
	rotateKey,
	type KeyListing,
} from '../../services/keys.ts';
import { identity } from '../../services/staff-sessions.ts';
import { listTable } from './filters.ts';
import { html, when } from './html.ts';
import type { ConsoleDeps } from './index.ts';

const KID = /^[A-Za-z0-9_-]{1,64}$/;
const STATE = { signs: 'signs new links', verifies: 'verifies only', retired: 'retired' } as const;
const refreshSeconds = KEY_REFRESH_MS / 1000;

/** A key id from the address, checked before it is looked up or put on a page. */
function kidParam(kid: string): string {
	if (!KID.test(kid))
		throw new GateError(
			404,
			'Unknown key',
			'There is no such signing key. Go back to the keys page.',
			'key-unknown',
		);
	return kid;
}

/** The keys page's routes. */
export function keyRoutes({ gate, pages, csrf, auth, admin }: ConsoleDeps): Hono<Env> {
	const routes = new Hono<Env>();

	routes.get(`${ADMIN}/keys/`, auth.require('viewer', 'see the signing keys'), async (c) => {
		const staff = c.var.staff;
		const token = csrf.issue(c);
		const keys = await listKeys(gate);
		const now = gate.now();
		const manage = gate.keyring.source === 'database' && roleAtLeast(staff.role, 'admin');
		const [rotated, retired] = ['rotated', 'retired'].map((name) => {
			const kid = c.req.query(name);
			return kid && KID.test(kid) && keys.some((k) => k.kid === kid) ? kid : undefined;
		});
		const notice = rotated
			? html`<p class="tc-notice" role="status">
					Key ${rotated} signs new links from now on; the older keys keep verifying. Other replicas
					sign with it within ${refreshSeconds} seconds.
				</p>`
			: retired
				? html`<p class="tc-notice" role="status">
						Key ${retired} is retired: what it signed no longer works.
					</p>`
				: '';
		const age = (k: KeyListing) => {
			const days = keyAgeDays(k.createdAt, now);
			if (days === undefined) return 'unknown';
			const due = k.state === 'signs' && days > admin.keyRotationDays;
			return html`${days}
			${days === 1 ? 'day' : 'days'}${
				due
					? html`<br /><strong>due for rotation</strong> (older than ${admin.keyRotationDays} days,
							GATE_KEY_ROTATION_DAYS)`
					: ''
			}`;
		};
		const row = (k: KeyListing) =>
			html`<tr>
				<td>
					${k.kid}<br /><span class="tc-muted">fingerprint <code>${k.fingerprint}</code></span>
				</td>
				<td>
					${k.createdAt ? when(k.createdAt) : 'unknown'}<br /><span class="tc-muted"
						>${k.source === 'environment' ? 'from GATE_SIGNING_KEYS' : `by ${k.createdBy ?? 'unknown'}`}</span
					>
				</td>
				<td>${age(k)}</td>
				<td>
					${STATE[k.state]}${
						k.retiredAt
							? html`<br /><span class="tc-muted"
										>${when(k.retiredAt)} by ${k.retiredBy ?? 'unknown'}</span
									>`
							: ''
					}
				</td>
				${
					manage
						? html`<td>
								${
									k.state === 'verifies'
										? html`<a href="${ADMIN}/keys/${k.kid}/retire"
												>Retire<span class="tc-visually-hidden"> key ${k.kid}</span></a
											>`
										: ''
								}
							</td>`
						: ''
				}
			</tr>`;
		const about =
			gate.keyring.source === 'environment'
				? html`<p>
						These keys come from <code>GATE_SIGNING_KEYS</code> and cannot be changed here. To
						rotate, put a new key first in <code>GATE_SIGNING_KEYS</code>, keep the old ones after
						it until the links they signed have expired, and restart every replica. Unset
						<code>GATE_SIGNING_KEYS</code> to keep the keys in the database and manage them here.
					</p>`
				: html`<p>
						The keys are kept in the gate’s database and shared by every replica. The newest signs
						new links; the older ones keep verifying until an admin retires them.
					</p>`;
		const rotate = manage
			? html`<h2>Rotate</h2>
					<form method="post" action="${ADMIN}/keys/rotate" class="tc-form">
						<input type="hidden" name="csrf" value="${token}" />
						<p>
							A new random key signs from now on (on other replicas within ${refreshSeconds}
							seconds). The current key keeps verifying, so no link already sent stops working.
						</p>
						<p><button type="submit" class="tc-button">Rotate now</button></p>
					</form>
					<p class="tc-muted">
						The same from a shell: <code>npm run gate -- keys rotate</code>, and
						<code>npm run gate -- keys retire &lt;kid&gt;</code>.
					</p>`
			: '';
		return c.html(
			pages.layout({
				title: 'Signing keys',
				staff,
				csrf: token,
				body: html`${notice}
					<p>
						Signing keys sign download links, grant pages, form tokens and the fingerprints hidden
						in watermarked copies. Secrets are never shown: each key is named by its fingerprint,
						the first 8 hex digits of the SHA-256 of its secret.
					</p>
					${about}
					${listTable({
						caption: 'Signing keys, the one that signs first',
						columns: ['Key', 'Made', 'Age', 'State', ...(manage ? ['Retire'] : [])],
						rows: keys.map(row),
						empty: 'There are no signing keys.',
					})}
					${rotate}`,
			}),
		);
	});

	routes.get(
		`${ADMIN}/keys/:kid/retire`,
		auth.require('admin', 'retire a signing key'),
		async (c) => {
			const keys = await listKeys(gate);
			const key = retirable(keys, kidParam(c.req.param('kid')));
			const successor = replacedAt(keys, key);
			const token = csrf.issue(c);
			return c.html(
				pages.layout({
					title: `Retire key ${key.kid}?`,
					staff: c.var.staff,
					csrf: token,
					body: html`<p>
							Key <strong>${key.kid}</strong> (fingerprint <code>${key.fingerprint}</code>) verifies
							only${successor ? html`; it stopped signing at ${when(successor)}` : ''}.
						</p>
						<p class="tc-notice tc-alert">
							Once retired it verifies nothing: download links, grant pages and form tokens it
							signed in the last two hours stop working, here at once and on other replicas within
							${refreshSeconds} seconds. Retiring cannot be undone.
						</p>
						<div class="tc-actions">
							<form method="post" action="${ADMIN}/keys/${key.kid}/retire">
								<input type="hidden" name="csrf" value="${token}" />
								<button type="submit" class="tc-button">Retire key ${key.kid}</button>
							</form>
							<a href="${ADMIN}/keys/">Keep it and go back to the keys</a>
						</div>`,
				}),
			);
		},
	);

	routes.post(
		`${ADMIN}/keys/rotate`,
		readBody,
		csrf.check,
		auth.require('admin', 'rotate the signing keys'),
		async (c) => {
			const made = await rotateKey(gate, identity(c.var.staff));
			return c.redirect(`${ADMIN}/keys/?rotated=${made.kid}`, 303);
		},
	);

	routes.post(
		`${ADMIN}/keys/:kid/retire`,
		readBody,
		csrf.check,
		auth.require('admin', 'retire a signing key'),
		async (c) => {
			const key = await retireKey(gate, kidParam(c.req.param('kid')), identity(c.var.staff));
			return c.redirect(`${ADMIN}/keys/?retired=${key.kid}`, 303);
		},
	);

	return routes;
}
