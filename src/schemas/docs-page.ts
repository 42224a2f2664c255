import { docsSchema } from '@astrojs/starlight/schema';
import { z } from 'zod';
import { visibility } from './fields.ts';

/**
 * Fields the trust center adds to Starlight's frontmatter for security architecture pages
 * (`content/docs/**`). Starlight's own fields (title, description, sidebar…) still apply.
 */
export const DocsPageFields = z.object({
	/** `nda` keeps the whole page out of the public site (no page, no search entry); it then appears only in the NDA whitepaper. Default `public`. */
	visibility,
});

/**
 * An architecture page's whole frontmatter: Starlight's fields and the trust center's. Astro's content
 * config applies it; the content check applies it too, strictly, so that a misspelt field
 * (`descripton:`) is named instead of dropped.
 */
export const docsPageSchema = docsSchema({ extend: DocsPageFields });

/** The schema as the content check applies it, outside Astro: an image is its path, and no field is unknown. */
export const strictDocsPageSchema = () =>
	docsPageSchema({ image: () => z.string() } as unknown as Parameters<
		typeof docsPageSchema
	>[0]).strict();
