import { defineConfig } from 'vitest/config';

const shared = { testTimeout: 120_000, hookTimeout: 300_000 };

export default defineConfig({
	test: {
		globalSetup: ['test/global-setup.ts'],
		projects: [
			{
				test: {
					...shared,
					name: 'site',
					include: ['test/**/*.test.ts'],
					exclude: ['test/audit/lighthouse.test.ts'],
					// Two cores: builds and browsers compete for them, so run test files two at a time at most.
					maxWorkers: 2,
					sequence: { groupOrder: 0 },
				},
			},
			{
				// Lighthouse measures timing, so it runs alone, after everything else has finished.
				test: {
					...shared,
					name: 'lighthouse',
					include: ['test/audit/lighthouse.test.ts'],
					maxWorkers: 1,
					sequence: { groupOrder: 1 },
				},
			},
		],
	},
});
