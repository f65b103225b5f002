/** Jest's globalTeardown: the schema check's one-line summary of the run. */
import { finishContractRun } from '../contract/contractRun';

export default function globalTeardown(): void {
	const line = finishContractRun();
	if (line) process.stdout.write(`\n${line}\n`);
}
