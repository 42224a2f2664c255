import type { Loader, LoaderContext } from 'astro/loaders';

/** What the glob loader says when a kind has no folder or no files yet: normal for a new trust center. */
const NOTHING_YET = [/^The base directory ".*" does not exist\.$/, /^No files found matching /];
/**
 * What the glob loader says when `npm run dev` reloads a file that fails its schema: zod's own text,
 * without line or fix. The content check (dev-content-check.ts) reports the same problem in full.
 */
const SCHEMA_FAILURE = /^Failed to reload .*data does not match collection schema/s;
/** An id no content file can have (ids are slugs), used only to create the empty collection. */
const EMPTY_MARKER = '\0empty';

/**
 * Wraps a content loader so a kind with no files yet (no updates, no FAQ…) is an empty collection
 * rather than a missing one. Astro keeps a collection only once an entry was stored in it, and
 * getCollection() on a missing one warns "does not exist or is empty" on every page that asks; an
 * entry stored and removed again leaves the collection there, empty. The loader's own "does not
 * exist" and "No files found" warnings are dropped too: having none of a kind is not a mistake; so is
 * its zod-worded schema error on a reload in dev, which the content check reports in full instead.
 */
export function alwaysLoaded(inner: Loader): Loader {
	return {
		...inner,
		load: async (context) => {
			await inner.load({ ...context, logger: withoutNothingYet(context.logger) });
			if (context.store.keys().length === 0) {
				context.store.set({ id: EMPTY_MARKER, data: {} });
				context.store.delete(EMPTY_MARKER);
			}
		},
	};
}

type Logger = LoaderContext['logger'];

function withoutNothingYet(logger: Logger): Logger {
	return new Proxy(logger, {
		get(target, property) {
			if (property === 'warn')
				return (message: string) => {
					if (!NOTHING_YET.some((pattern) => pattern.test(message))) target.warn(message);
				};
			if (property === 'error')
				return (message: string) => {
					if (!SCHEMA_FAILURE.test(message)) target.error(message);
				};
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}
