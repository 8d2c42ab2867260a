import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// End-to-end tests bind loopback ports and run real clients; two cores do best with few workers.
		maxWorkers: 2,
		// expect.poll waits for something that must happen; under a full suite on two cores one second
		// (vitest's default) is sometimes not enough. Waiting longer never lets a wrong result pass.
		expect: { poll: { timeout: 10_000 } },
		reporters: ['default', './test/support/summary-reporter.ts'],
	},
});
