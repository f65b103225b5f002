/** Jest's globalSetup: the runtime line (announceRuntime.ts) and the schema check's run directory (contractRun.ts). */
import announceRuntime from './announceRuntime';
import { startContractRun } from '../contract/contractRun';

export default function globalSetup(globalConfig: unknown, project: Parameters<typeof announceRuntime>[1]): void {
	announceRuntime(globalConfig, project);
	startContractRun();
}
