import type { SiteSettings } from '../schemas/site.ts';
import { addDays } from './dates.ts';
import { absoluteUrl, FILES } from './routing/urls.ts';

/**
 * Renders `/.well-known/security.txt` per RFC 9116. Expires is computed from the build time; throws
 * when the result would already be expired, so a stale file is never published.
 */
export function renderSecurityTxt(site: SiteSettings, now: Date): string {
	const s = site.securityTxt;
	const expires = s.expires ?? addDays(now, s.expiresAfterDays);
	if (expires <= now) {
		throw new Error(
			`content/site.yaml: **securityTxt.expires**: security.txt would already be expired (${expires.toISOString()}). Set a future date, or remove \`expires\` and use \`expiresAfterDays\`.`,
		);
	}
	const lines = [
		...s.contact.map((c) => `Contact: ${c}`),
		`Expires: ${expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
		...(s.encryption ? [`Encryption: ${s.encryption}`] : []),
		...(s.acknowledgments ? [`Acknowledgments: ${s.acknowledgments}`] : []),
		`Preferred-Languages: ${(s.preferredLanguages ?? [site.language]).join(', ')}`,
		`Canonical: ${absoluteUrl(FILES.securityTxt, site.url)}`,
		...(s.policy ? [`Policy: ${s.policy}`] : []),
	];
	return `${lines.join('\n')}\n`;
}
