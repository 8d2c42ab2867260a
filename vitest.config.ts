import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// End-to-end tests bind loopback ports and run real clients; two cores do best with few workers.
		maxWorkers: 2,
		reporters: ['default', './test/support/summary-reporter.ts'],
	},
});
