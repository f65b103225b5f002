/**
 * Process environment for running n8n-core in-process. Imported first by `engine.ts`, before
 * n8n-core is loaded: n8n's config classes read these variables when the DI container first builds
 * them (InstanceSettings reads N8N_USER_FOLDER and writes `<folder>/.n8n/config` with an encryption key).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function setDefault(name: string, value: string): void {
	if (process.env[name] === undefined) process.env[name] = value;
}

const createdUserFolder = process.env.N8N_USER_FOLDER === undefined ? mkdtempSync(join(tmpdir(), 'teams-call-n8n-')) : undefined;
if (createdUserFolder) process.env.N8N_USER_FOLDER = createdUserFolder;
setDefault('N8N_ENCRYPTION_KEY', 'test-encryption-key-not-secret');
setDefault('N8N_DIAGNOSTICS_ENABLED', 'false');
setDefault('N8N_VERSION_NOTIFICATIONS_ENABLED', 'false');
// n8n's ErrorReporter logs every node error with its stack (as the server does); keep test output readable.
// Run with N8N_LOG_LEVEL=debug to see the engine's own log lines.
setDefault('N8N_LOG_LEVEL', 'silent');
// Avoid the "permissions of the config file are too wide" warning on the temporary folder.
setDefault('N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS', 'false');

/** Removes the temporary user folder if this module created it. */
export function removeTemporaryUserFolder(): void {
	if (!createdUserFolder) return;
	rmSync(createdUserFolder, { recursive: true, force: true });
	if (process.env.N8N_USER_FOLDER === createdUserFolder) delete process.env.N8N_USER_FOLDER;
}
