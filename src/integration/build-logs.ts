import type { Rolldown } from 'vite';

/**
 * Drops one harmless bundler warning that Astro itself causes: it marks every MDX file's propagated
 * assets with a `"use astro:head-inject"` directive, and the bundler warns, once per MDX file and in a
 * dozen lines each, that the directive may not survive bundling (it is not meant to). Every other log
 * is passed on.
 */
export const onBuildLog: NonNullable<Rolldown.InputOptions['onLog']> = (level, log, handler) => {
	if (log.code === 'MODULE_LEVEL_DIRECTIVE' && log.message.includes('astro:head-inject')) return;
	handler(level, log);
};
