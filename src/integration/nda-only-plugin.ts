import type { MdastPluginDefinition } from 'satteri';
import { edition, type Edition } from '../lib/nda/edition.ts';
import { NDA_ELEMENT } from '../lib/nda/visibility.ts';

/**
 * Markdown plugin (Sätteri, Astro's Markdown processor): in the public edition, empties every
 * `<NdaOnly>` element before MDX compiles the page. The body then never reaches the HTML, the
 * page's table of contents, its compiled module, the search index or a feed; the element stays,
 * so its `public` fallback still shows. The NDA edition leaves it whole.
 */
export function ndaOnlyPlugin(current: Edition = edition()): MdastPluginDefinition {
	const empty = (
		node: { name?: string | null },
		ctx: { setProperty: (node: never, key: 'children', value: readonly never[]) => void },
	) => {
		if (current === 'public' && node.name === NDA_ELEMENT)
			ctx.setProperty(node as never, 'children', []);
	};
	return { name: 'trust-center-nda-only', mdxJsxFlowElement: empty, mdxJsxTextElement: empty };
}
