/**
 * Jest's setupFilesAfterEnv (jest.config.js, jest.n8n1.config.js): a test during which the emulator took or produced a
 * body that does not match Graph's schema fails, naming each mismatch's path and rule; the file's counts are saved.
 */
import { checkCounts, failOnMismatches } from './contractLog';
import { saveContractCounts } from './contractRun';
import { replayedCount } from './replayCount';

afterEach(() => failOnMismatches('during this test'));

afterAll(() => {
	saveContractCounts(checkCounts(), replayedCount());
	failOnMismatches('after the last test of this file (a late answer or notification)');
});
