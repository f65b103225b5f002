/** How many documented examples this test file replayed (counted by the docs replay, summed at the end of the run). */
let replayed = 0;

export function countReplayed(): void {
	replayed++;
}

export function replayedCount(): number {
	return replayed;
}
