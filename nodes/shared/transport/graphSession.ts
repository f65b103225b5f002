import {
	type ICredentialDataDecryptedObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	NodeOperationError,
} from 'n8n-workflow';

import { CredentialConfigError, type GraphAppConfig, parseGraphAppCredentials } from './appCredentials';
import { CHINA_CALLS_UNSUPPORTED } from './clouds';
import { GraphClient, type GraphClientOptions } from './graphClient';
import { tokenProviderFor } from './tokenProvider';

export const CREDENTIAL_TYPE = 'microsoftGraphAppApi';

/** Validates credential data for the calls API; throws CredentialConfigError naming the field. */
export function callsApiConfig(data: ICredentialDataDecryptedObject): GraphAppConfig {
	const config = parseGraphAppCredentials(data);
	if (!config.callsApi) throw new CredentialConfigError('cloud', CHINA_CALLS_UNSUPPORTED);
	return config;
}

function checkedConfig(data: ICredentialDataDecryptedObject): { config: GraphAppConfig } | { problem: string } {
	try {
		return { config: callsApiConfig(data) };
	} catch (error) {
		return { problem: error instanceof CredentialConfigError ? error.message : 'The credential could not be read' };
	}
}

/** One Graph client for the whole run: the credential is read and checked once, its MSAL application reused. */
export async function graphClientFor(
	context: IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions,
	options?: GraphClientOptions,
): Promise<GraphClient> {
	const data = await context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
	const checked = checkedConfig(data);
	if ('problem' in checked) {
		throw new NodeOperationError(context.getNode(), checked.problem, {
			description: 'Open the Microsoft Graph App API credential and correct it.',
		});
	}
	const { config } = checked;
	return new GraphClient(context.getNode(), config, tokenProviderFor(config), options);
}
