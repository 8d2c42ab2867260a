/** The most spans open at once, e.g. requests fal held from each one's submit to its completion. */
export function mostAtOnce(spans: readonly { from: number; to: number }[]): number {
	const edges = spans.flatMap(({ from, to }) => [
		{ at: from, step: 1 },
		{ at: to, step: -1 },
	]);
	// An end at the same instant as a start frees its slot first.
	edges.sort((a, b) => a.at - b.at || a.step - b.step);
	let now = 0;
	let most = 0;
	for (const { step } of edges) most = Math.max(most, (now += step));
	return most;
}
