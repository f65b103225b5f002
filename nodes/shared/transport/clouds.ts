/** The Microsoft clouds the credential can point at, and where Graph and Entra live in each. */

export type CloudName = 'global' | 'usGov' | 'usGovDod' | 'china' | 'custom';

export interface CloudEndpoints {
	graphBaseUrl: string;
	authorityHost: string;
	/** Whether the cloud offers Graph's cloud communications (calls) API. */
	callsApi: boolean;
}

export const NAMED_CLOUDS: Record<Exclude<CloudName, 'custom'>, CloudEndpoints> = {
	global: {
		graphBaseUrl: 'https://graph.microsoft.com',
		authorityHost: 'https://login.microsoftonline.com',
		callsApi: true,
	},
	usGov: {
		graphBaseUrl: 'https://graph.microsoft.us',
		authorityHost: 'https://login.microsoftonline.us',
		callsApi: true,
	},
	usGovDod: {
		graphBaseUrl: 'https://dod-graph.microsoft.us',
		authorityHost: 'https://login.microsoftonline.us',
		callsApi: true,
	},
	china: {
		graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
		authorityHost: 'https://login.chinacloudapi.cn',
		callsApi: false,
	},
};

/** Authority hosts MSAL knows by itself; any other host gets explicit metadata so MSAL makes no discovery request. */
export const MICROSOFT_AUTHORITY_HOSTS = new Set(
	Object.values(NAMED_CLOUDS).map((cloud) => new URL(cloud.authorityHost).host),
);

export const CHINA_CALLS_UNSUPPORTED =
	'Microsoft Graph in China (21Vianet) does not offer the cloud communications (calls) API, so call participants cannot be managed there. Use a credential for the global or a US Government cloud.';

/** Where the Teams calling platform publishes the keys that sign its call notifications (every named cloud). */
export const CALLING_PLATFORM_OPENID_CONFIG = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';
