import { ProcessCache } from './processCache';

/**
 * The tenants of the calls this process's runs placed, per app: Join Meeting can place the app's call in the meeting's
 * tenant (the link's `Tid`, or Tenant ID), and the calling platform may then name that tenant in the call's
 * notification tokens. The trigger accepts a token's tenant when it is the credential's or one of these. Kept for the
 * process, bounded (least recently used dropped first).
 */
export const MAX_REMEMBERED_TENANTS = 1000;
const tenants = new ProcessCache<true>(MAX_REMEMBERED_TENANTS);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const keyOf = (clientId: string, tenantId: string) => `${clientId.toLowerCase()}\n${tenantId.toLowerCase()}`;

/** Remembers that the app placed a call in this tenant (a directory ID; a domain cannot be compared with a token's and is skipped). */
export function rememberCallTenant(clientId: string, tenantId: unknown): void {
	if (typeof tenantId === 'string' && GUID.test(tenantId)) tenants.set(keyOf(clientId, tenantId), true);
}

/** Whether the app placed a call in this tenant (in this process, and not yet forgotten). */
export function placedCallIn(clientId: string, tenantId: string): boolean {
	return tenants.peek(keyOf(clientId, tenantId)) === true;
}
