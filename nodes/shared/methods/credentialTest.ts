import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';

import { grantsAnyOperation, grantSummary, rolesInToken } from '../permissions/grantedRoles';
import { CredentialConfigError } from '../transport/appCredentials';
import { callsApiConfig } from '../transport/graphSession';
import { GraphTokenProvider, TokenError } from '../transport/tokenProvider';

/**
 * The credential's Test button: acquires a real token with a fresh MSAL application (so that a cached token never
 * hides a wrong secret) and explains a failure in a sentence, never with the secret in it. When the token reads as a
 * JWT, its roles tell which application permissions are granted and which operations lack theirs. n8n's editor shows
 * a successful test as "Connection tested successfully" alone, so an app granted nothing any operation needs fails the
 * test (its message is then shown); a partly granted app passes, and a 403 names the missing permission when it bites.
 */
export async function testGraphAppCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	try {
		const config = callsApiConfig(credential.data ?? {});
		const roles = rolesInToken(await new GraphTokenProvider(config).getToken());
		const signedIn = 'Signed in to Microsoft Entra ID and received a Graph token';
		if (!roles) return { status: 'OK', message: signedIn };
		if (!grantsAnyOperation(roles)) {
			return { status: 'Error', message: `${signedIn}, but the app holds no application permission that an operation needs. ${grantSummary(roles)}` };
		}
		return { status: 'OK', message: `${signedIn}. ${grantSummary(roles)}` };
	} catch (error) {
		if (error instanceof CredentialConfigError || error instanceof TokenError) {
			return { status: 'Error', message: error.message };
		}
		return { status: 'Error', message: 'The sign-in failed for an unexpected reason' };
	}
}
