import type { MiddlewareHandler } from 'astro';

/** What `npm run dev` knows about the content between two requests. */
interface DevContentState {
	/** The content check's report while the content has problems. */
	failure?: Error | undefined;
	/** While a fix is being stored by the content layer: settles once pages render the fixed content. */
	storing?: Promise<void> | undefined;
}

// The dev server's integration and this middleware are loaded by different module loaders (the config's
// and the page renderer's), so the state is kept on globalThis under a registered symbol.
const STATE = Symbol.for('trust-center.dev-content');

/** The state shared by the content check (which writes it) and this middleware (which reads it). */
export function devContentState(): DevContentState {
	const holder = globalThis as { [STATE]?: DevContentState };
	return (holder[STATE] ??= {});
}

/**
 * `npm run dev` only: while the content has problems, every page request throws the content report,
 * which Astro shows in its error overlay, instead of rendering the content as it was before the
 * mistake; right after a fix, a page request waits until the content layer has stored it.
 */
export const onRequest: MiddlewareHandler = async (context, next) => {
	const state = devContentState();
	if (state.failure) throw state.failure;
	if (state.storing && context.request.method === 'GET') {
		await state.storing;
		// This request was set up with the content as the store held it before the fix: the browser asks
		// again, and the new request renders the fixed content.
		return context.redirect(`${context.url.pathname}${context.url.search}`, 307);
	}
	return next();
};
