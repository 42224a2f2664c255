import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		globalSetup: ['test/global-setup.ts'],
		testTimeout: 120_000,
		hookTimeout: 300_000,
		// Two cores: builds and browsers compete for them, so run test files two at a time at most.
		maxWorkers: 2,
	},
});
