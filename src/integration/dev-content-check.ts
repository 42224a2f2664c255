import { join, sep } from 'node:path';
import type { AstroIntegration } from 'astro';
import { chooseContentDir } from '../lib/content/dir.ts';
import type { Problem } from '../lib/content/problems.ts';
import { formatReport, plainText } from '../lib/reporters/content.ts';
import { byCodeUnits } from '../lib/routing/order.ts';
import { devContentState } from './dev-content-middleware.ts';
import { runContentCheck } from './trust-center.ts';

/** Content files the check reads; a change to any of them re-runs it. */
const CONTENT_FILE = /\.(ya?ml|mdx?|json|svg)$/;
/** Editors write a file in several steps; one check after the last of them. */
const SETTLE_MS = 150;
/** How long a fix waits for the content layer to store it before the page is reloaded anyway. */
const STORE_WAIT_MS = 3000;

/**
 * The build's content check in `npm run dev`: every change to the content folder re-runs it. A problem
 * prints the build's own report in the terminal, opens it in the browser's error overlay and is thrown
 * for every page requested until it is fixed (so no page shows the old value as if nothing were wrong);
 * the fix reloads the page, without a restart. `startWarnings` are those the start printed.
 */
export function devContentCheck(root: string, startWarnings: Problem[]): AstroIntegration {
	return {
		name: 'trust-center:dev-content-check',
		hooks: {
			'astro:config:setup': ({ command, addMiddleware }) => {
				if (command === 'dev')
					addMiddleware({
						entrypoint: new URL('./dev-content-middleware.ts', import.meta.url),
						order: 'pre',
					});
			},
			'astro:server:setup': ({ server, logger }) => {
				const dir = join(root, chooseContentDir(root));
				const state = devContentState();
				let timer: NodeJS.Timeout | undefined;
				let reported: string | undefined;
				// The warnings the start printed are printed again only when they change.
				let warned = formatReport(startWarnings);
				// After a fix: until the content layer has stored it, pages would render the entries it still
				// holds, so page requests wait (in the middleware) until it has. Storing ends with Astro telling
				// each server environment "astro:content-changed", then reloading the browser; other reloads (a
				// module's HMR, a change while in error) can come before, so only that sequence counts. A fix
				// that leaves the store as it was has nothing to wait for: the page reloads after STORE_WAIT_MS.
				let stored: ((reload: boolean) => void) | undefined;
				let contentChanged = false;
				const hot = server.environments.client.hot;
				// hot.send is overloaded; the wrappers pass every call through unchanged.
				const watch = (channel: typeof hot, seen: (payload: unknown) => void): void => {
					const send = channel.send.bind(channel) as (...args: unknown[]) => void;
					channel.send = ((...args: unknown[]) => {
						seen(args[0]);
						send(...args);
					}) as typeof channel.send;
				};
				for (const [name, environment] of Object.entries(server.environments))
					if (name !== 'client')
						watch(environment.hot, (event) => {
							if (event === 'astro:content-changed') contentChanged = true;
						});
				watch(hot, (payload) => {
					if (!contentChanged || (payload as { type?: unknown })?.type !== 'full-reload') return;
					contentChanged = false;
					stored?.(false);
				});
				const check = () => {
					const { failure, warnings, failing } = runContentCheck(root);
					if (failure) {
						// The overlay opens the first file of the report at its line, in the report's order of
						// files (src/lib/reporters/content.ts).
						const [first] = failing.sort((a, b) => byCodeUnits(a.file, b.file));
						if (first)
							Object.assign(failure, {
								loc: { file: join(root, first.file), line: first.line ?? 1, column: 1 },
							});
						// Astro prints the stack of an error thrown while rendering; this one's is the check's, of no use to an author.
						failure.name = 'ContentError';
						Object.assign(failure, { title: 'The content has problems' });
						failure.stack = `${failure.name}: ${failure.message}`;
						// The same report twice in a row (a save without a change) is printed once.
						if (failure.message !== reported)
							logger.error(`${plainText(failure.message)}\n${failure.hint}`);
						reported = failure.message;
						state.failure = failure;
						hot.send({
							type: 'error',
							err: { ...failure, message: failure.message, stack: failure.stack ?? '' },
						});
						return;
					}
					const report = formatReport(warnings);
					if (report && report !== warned) logger.warn(`\n${plainText(report)}`);
					warned = report;
					if (reported === undefined) return;
					reported = undefined;
					logger.info('The content problems are fixed: reloading the page.');
					contentChanged = false;
					const fallback = setTimeout(() => stored?.(true), STORE_WAIT_MS);
					state.storing = new Promise((resolve) => {
						stored = (reload) => {
							clearTimeout(fallback);
							stored = undefined;
							state.storing = undefined;
							resolve();
							if (reload) hot.send({ type: 'full-reload', path: '*' });
						};
					});
					state.failure = undefined;
				};
				server.watcher.add(dir);
				server.watcher.on('all', (_event, path) => {
					if (!path.startsWith(dir + sep) || !CONTENT_FILE.test(path)) return;
					clearTimeout(timer);
					timer = setTimeout(check, SETTLE_MS);
				});
			},
		},
	};
}
