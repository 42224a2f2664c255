import type { SiteSettings } from '../../schemas/site.ts';

/**
 * The CSS that themes Starlight from the site settings: the brand colour (light theme links and
 * accents, buttons), the dark theme's brand colour when set, and the optional body font.
 */
export function brandCss(site: SiteSettings): string {
	const rules = [`:root{--tc-brand:${site.brandColor};}`];
	if (site.brandColorDark)
		rules.push(
			`:root[data-theme='dark']{--sl-color-accent:${site.brandColorDark};--sl-color-text-accent:${site.brandColorDark};}`,
		);
	if (site.font) {
		rules.push(
			`@font-face{font-family:"${site.font.family}";src:url("${site.font.file}") format("woff2");font-display:swap;}`,
		);
		rules.push(`:root{--sl-font:"${site.font.family}",var(--sl-font-system);}`);
	}
	return rules.join('');
}

/** `text` as a CSS string: each character but letters, digits, spaces and `.,&()'-` escaped, so none can end the string or the `<style>` element around it. */
export function cssString(text: string): string {
	return `"${[...text].map((c) => (/^[\p{L}\p{N} .,&()'-]$/u.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('')}"`;
}
