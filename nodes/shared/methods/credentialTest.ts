import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { CredentialConfigError } from '../transport/appCredentials';
import { callsApiConfig } from '../transport/graphSession';
import { GraphTokenProvider, TokenError } from '../transport/tokenProvider';

/**
 * The credential's Test button: acquires a real token with a fresh MSAL application (so that a cached token never
 * hides a wrong secret) and explains a failure in a sentence, never with the secret in it.
 */
export async function testGraphAppCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const config = callsApiConfig(credential.data ?? {});
		await new GraphTokenProvider(config).getToken();
		return { status: 'OK', message: 'Signed in to Microsoft Entra ID and received a Graph token' };
	} catch (error) {
		if (error instanceof CredentialConfigError || error instanceof TokenError) {
			return { status: 'Error', message: error.message };
		}
		return { status: 'Error', message: 'The sign-in failed for an unexpected reason' };
	}
}
