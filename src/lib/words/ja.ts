// The trust center's own words in Japanese. A label missing here shows in English.
import type { Dictionary } from './words.ts';
import { COMMON } from './ja/common.ts';
import { COMPONENTS } from './ja/components.ts';
import { GATE } from './ja/gate.ts';
import { MAIL } from './ja/mail.ts';
import { PAGES } from './ja/pages.ts';
import { WHITEPAPER } from './ja/whitepaper.ts';

/** Every Japanese text, by key. */
export const JA: Dictionary = {
	...COMMON,
	...COMPONENTS,
	...PAGES,
	...WHITEPAPER,
	...GATE,
	...MAIL,
};
