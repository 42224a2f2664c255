// The trust center's own words in English: every label a page, image or the whitepaper shows, by key.
// English is the fallback for every language; the site's `labels:` in site.yaml may replace any of them.
import { COMMON } from './en/common.ts';
import { COMPONENTS } from './en/components.ts';
import { GATE } from './en/gate.ts';
import { MAIL } from './en/mail.ts';
import { PAGES } from './en/pages.ts';
import { WHITEPAPER } from './en/whitepaper.ts';

export type { Text } from './text.ts';

/** Every English text, by key. */
export const EN = { ...COMMON, ...COMPONENTS, ...PAGES, ...WHITEPAPER, ...GATE, ...MAIL } as const;
