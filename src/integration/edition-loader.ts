import type { Loader, LoaderContext } from 'astro/loaders';
import { edition, type Edition } from '../lib/nda/edition.ts';
import { isNdaPage } from '../lib/nda/visibility.ts';

type Store = LoaderContext['store'];

/**
 * Wraps a content loader so the public edition never stores an entry whose frontmatter says
 * `visibility: nda`: no page, search entry, feed item or list row can then be made from it. The
 * store itself is wrapped, so entries that dev mode reloads on file changes are filtered too.
 */
export function editionLoader(inner: Loader, current: Edition = edition()): Loader {
	if (current === 'nda') return inner;
	return {
		...inner,
		name: `${inner.name}-public-edition`,
		load: async (context) => {
			await inner.load({ ...context, store: publicOnly(context.store) });
			// Entries kept unchanged from a cached store are never set again: drop any NDA one left.
			for (const entry of context.store.values())
				if (isNdaPage(entry.data)) context.store.delete(entry.id);
		},
	};
}

function publicOnly(store: Store): Store {
	return new Proxy(store, {
		get(target, property) {
			if (property === 'set') {
				return (entry: Parameters<Store['set']>[0]) => {
					if (isNdaPage(entry.data)) {
						target.delete(entry.id);
						return false;
					}
					return target.set(entry);
				};
			}
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}

/**
 * Wraps the architecture pages' loader so the NDA edition stores each page as a draft: Starlight makes
 * no page of its own for a draft in a production build, while the print page, which reads the
 * collection itself, still prints every one. The NDA edition is only printed, so it then renders the
 * print page instead of a second copy of the site.
 */
export function unroutedInNdaEdition(inner: Loader, current: Edition = edition()): Loader {
	if (current !== 'nda') return inner;
	return {
		...inner,
		name: `${inner.name}-print-only`,
		load: (context) => inner.load({ ...context, store: asDrafts(context.store) }),
	};
}

function asDrafts(store: Store): Store {
	return new Proxy(store, {
		get(target, property) {
			if (property === 'set')
				return (entry: Parameters<Store['set']>[0]) =>
					target.set({ ...entry, data: { ...entry.data, draft: true } });
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function'
				? (value as (...args: unknown[]) => unknown).bind(target)
				: value;
		},
	});
}
