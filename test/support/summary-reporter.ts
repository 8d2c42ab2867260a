import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the closing `N passed, M failed` line that CI reads. A test file that fails to load has
 * no test cases, so it counts as one failure rather than vanishing from the count.
 */
export default class SummaryReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
		let passed = 0;
		let failed = unhandledErrors.length;
		for (const module of testModules) {
			let cases = 0;
			for (const test of module.children.allTests()) {
				cases += 1;
				const state = test.result().state;
				if (state === 'passed') passed += 1;
				else if (state === 'failed') failed += 1;
			}
			if (cases === 0 || module.errors().length > 0) failed += Math.max(1, module.errors().length);
		}
		process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
	}
}
