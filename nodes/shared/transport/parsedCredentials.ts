import { createHash } from 'node:crypto';

import { ProcessCache } from '../processCache';
import { CredentialConfigError, type GraphAppConfig, type GraphAppCredentialData, parseGraphAppCredentials } from './appCredentials';

/** A credential's parsed configuration, or why it cannot be used (the field's problem, never its value). */
export type ParsedCredential = { config: GraphAppConfig } | { problem: string };

/** Credential versions whose parsing this process keeps. */
export const MAX_CACHED_PARSED_CREDENTIALS = 64;
const parsed = new ProcessCache<ParsedCredential>(MAX_CACHED_PARSED_CREDENTIALS);

/** A hash of every field (the secret and key included, never kept in clear here): each edit of the credential is a new version. */
function versionOf(data: GraphAppCredentialData): string {
	const fields = Object.entries(data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/**
 * The credential parsed once per version for the process: a webhook that every request reaches (refused ones
 * included) must not decrypt a private key each time.
 */
export function parsedCredentialFor(data: GraphAppCredentialData): ParsedCredential {
	return parsed.getOrCreate(versionOf(data), () => {
		try {
			return { config: parseGraphAppCredentials(data) };
		} catch (error) {
			return { problem: error instanceof CredentialConfigError ? error.message : 'the credential could not be read' };
		}
	});
}
