import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

const customCloudOnly = { show: { cloud: ['custom'] } };
const certificateOnly = { show: { authentication: ['certificate'] } };

/**
 * A Microsoft Entra app signing in as itself (client credentials). Only fields: the token logic lives beside the node
 * (nodes/shared/transport/tokenProvider.ts), which also backs this credential's Test button.
 */
export class MicrosoftGraphAppApi implements ICredentialType {
	name = 'microsoftGraphAppApi';

	displayName = 'Microsoft Graph App API';

	icon: Icon = { light: 'file:../icons/teamsCall.svg', dark: 'file:../icons/teamsCall.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-teams-call/n8n-nodes-teams-call#credential';

	properties: INodeProperties[] = [
		{
			displayName: 'Cloud',
			name: 'cloud',
			type: 'options',
			options: [
				{ name: 'Global (Microsoft Graph)', value: 'global' },
				{ name: 'US Government L4 (GCC High)', value: 'usGov' },
				{ name: 'US Government L5 (DoD)', value: 'usGovDod' },
				{ name: 'China (21Vianet): No Calls API', value: 'china' },
				{ name: 'Custom (Proxy or Emulator)', value: 'custom' },
			],
			default: 'global',
			description: 'The Microsoft cloud your tenant lives in',
		},
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 00000000-0000-0000-0000-000000000000 or contoso.onmicrosoft.com',
			description: 'The directory (tenant) ID, or a verified domain of the tenant',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. 00000000-0000-0000-0000-000000000000',
			description: 'The application (client) ID of the app registration',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Client Secret', value: 'clientSecret' },
				{ name: 'Certificate', value: 'certificate' },
			],
			default: 'clientSecret',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['clientSecret'] } },
			description: 'The secret\'s Value (not its Secret ID), from Certificates & secrets',
		},
		{
			displayName: 'Certificate',
			name: 'certificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			displayOptions: certificateOnly,
			placeholder: 'e.g. -----BEGIN CERTIFICATE----- …',
			description:
				'Public certificate (PEM) uploaded to the app registration, optionally followed by its chain. Its SHA-256 thumbprint is computed, and it is sent as x5c.',
		},
		{
			displayName: 'Private Key',
			name: 'certificatePrivateKey',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			displayOptions: certificateOnly,
			placeholder: 'e.g. -----BEGIN PRIVATE KEY----- …',
			description: 'PEM private key of the certificate: PKCS#8 or PKCS#1, encrypted or not',
		},
		{
			displayName: 'Private Key Passphrase',
			name: 'certificatePassphrase',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: certificateOnly,
			description: 'Only for an encrypted private key',
		},
		{
			displayName: 'Certificate Thumbprint',
			name: 'certificateThumbprint',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: certificateOnly,
			placeholder: 'e.g. 3F2A…',
			description:
				'Hex SHA-256 (64 characters) or SHA-1 (40) thumbprint; colons and spaces are ignored. Only needed when no certificate is given.',
		},
		{
			displayName: 'Authority Host',
			name: 'authorityHost',
			type: 'string',
			default: '',
			displayOptions: customCloudOnly,
			placeholder: 'e.g. https://login.microsoftonline.com',
			description: 'HTTPS URL of the Microsoft Entra authority host (tokens are requested at {host}/{tenant})',
		},
		{
			displayName: 'Graph Base URL',
			name: 'graphBaseUrl',
			type: 'string',
			default: '',
			displayOptions: customCloudOnly,
			placeholder: 'e.g. https://graph.microsoft.com',
			description: 'HTTPS URL of the Graph host, without /v1.0. Access tokens are only ever sent here.',
		},
		{
			displayName: 'Notification OpenID Configuration URL',
			name: 'notificationOpenIdConfigUrl',
			type: 'string',
			default: '',
			displayOptions: customCloudOnly,
			placeholder: 'e.g. https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
			description:
				'HTTPS URL of the OpenID configuration whose keys sign call notifications (used by the Teams Call Trigger). Leave empty when no trigger uses this credential.',
		},
		{
			displayName: 'CA Certificate',
			name: 'caCertificate',
			type: 'string',
			typeOptions: { password: true, rows: 4 },
			default: '',
			displayOptions: customCloudOnly,
			placeholder: 'e.g. -----BEGIN CERTIFICATE----- …',
			description:
				'PEM of a certificate authority to trust in addition to the system\'s, for a TLS-inspecting proxy or a local emulator. TLS is always verified.',
		},
	];
}
