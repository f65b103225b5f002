import type { IDataObject } from 'n8n-workflow';

/**
 * Running the demo against a real tenant instead of the emulator: set these environment variables
 * (README, "Run the demo against your tenant").
 */
export interface RealTenant {
	credentials: IDataObject;
	/** The meeting the bot joins (its join link) and where Graph sends the call's events. */
	joinUrl: string;
	callbackUrl: string;
	userId?: string;
	phone?: string;
}

export function realTenantFromEnv(env: NodeJS.ProcessEnv = process.env): RealTenant | undefined {
	if (!env.TEAMS_CALL_CLIENT_ID) return undefined;
	const missing = ['TEAMS_CALL_TENANT_ID', 'TEAMS_CALL_CLIENT_SECRET', 'TEAMS_CALL_JOIN_URL', 'TEAMS_CALL_CALLBACK_URL'].filter((name) => !env[name]);
	if (missing.length) throw new Error(`To run against your tenant, also set ${missing.join(', ')}`);
	return {
		credentials: {
			cloud: env.TEAMS_CALL_CLOUD ?? 'global',
			tenantId: env.TEAMS_CALL_TENANT_ID,
			clientId: env.TEAMS_CALL_CLIENT_ID,
			authentication: 'clientSecret',
			clientSecret: env.TEAMS_CALL_CLIENT_SECRET,
		},
		joinUrl: String(env.TEAMS_CALL_JOIN_URL),
		callbackUrl: String(env.TEAMS_CALL_CALLBACK_URL),
		userId: env.TEAMS_CALL_INVITE_USER_ID,
		phone: env.TEAMS_CALL_INVITE_PHONE,
	};
}
