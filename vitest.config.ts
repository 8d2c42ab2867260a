import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		testTimeout: 30_000,
		hookTimeout: 30_000,
		// End-to-end tests bind loopback ports and run real clients; two cores do best with few workers.
		maxWorkers: 2,
		// expect.poll waits for something that must happen; under a full suite on two cores one second
		// (vitest's default) is sometimes not enough. Waiting longer never lets a wrong result pass.
		expect: { poll: { timeout: 10_000 } },
		reporters: ['default', './test/support/summary-reporter.ts'],
		projects: [
			{ extends: true, test: { name: 'bot', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, 'test/playground/**'] } },
			// The playground's tests run a browser beside a bot; run beside the rest they starved its timing tests
			// (a depth-map zip check bound to 1 s took 3 s), so they run after everything else, by themselves.
			{ extends: true, test: { name: 'playground', include: ['test/playground/**/*.test.ts'], sequence: { groupOrder: 1 } } },
		],
	},
});
