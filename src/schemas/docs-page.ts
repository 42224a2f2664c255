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
