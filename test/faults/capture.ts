/**
 * Imported first by every fault suite, before n8n is loaded. n8n's own logger then writes at debug level (errors
 * with their stacks, …) as a production server might, to a file that the leak check reads; everything written to
 * the console, stdout or stderr from here on is captured for the leak check too (and kept out of the test output).
 * (n8n's console transport binds console.log once per process, so a file is the reliable way to see its lines.)
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { leakWatch } from './leaks';

process.env.N8N_LOG_LEVEL ??= 'debug';
process.env.N8N_LOG_OUTPUT ??= 'file';
process.env.N8N_LOG_FILE_LOCATION ??= join(tmpdir(), `teams-call-faults-${process.pid}.log`);
leakWatch.start();
leakWatch.addFile('n8n log file', process.env.N8N_LOG_FILE_LOCATION);
