import { OPERATION_PERMISSIONS, type OperationKey, type OperationPermission } from './operationPermissions';

/**
 * What an access token says about the app's application permissions (its `roles` claim: the permissions granted with
 * admin consent). The token is only read, never checked (Graph checks it) and never repeated: only role names leave.
 */

/** Larger than any access token Entra issues; a longer string is not read. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/** The `roles` of a JWT access token; undefined when the token cannot be read as one (an opaque token). */
export function rolesInToken(token: string): string[] | undefined {
	if (token.length > MAX_TOKEN_LENGTH) return undefined;
	const segments = token.split('.');
	if (segments.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(segments[1])) return undefined;
	let payload: unknown;
	try {
		payload = JSON.parse(Buffer.from(segments[1], 'base64url').toString('utf8'));
	} catch {
		return undefined;
	}
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
	const roles = (payload as { roles?: unknown }).roles;
	if (roles === undefined) return []; // a readable token without roles: nothing granted
	if (!Array.isArray(roles)) return undefined;
	return roles.filter((role): role is string => typeof role === 'string' && /^[\w.-]{1,100}$/.test(role));
}

/** Whether the roles hold any one of the permissions the operation accepts. */
export function isGranted(permission: OperationPermission, roles: readonly string[]): boolean {
	return permission.anyOf.some((role) => roles.includes(role));
}

/** "Calls.JoinGroupCall.All (or Calls.JoinGroupCallAsGuest.All)" */
export function permissionNames(permission: OperationPermission): string {
	const [least, ...others] = permission.anyOf;
	return others.length ? `${least} (or ${others.join(', or ')})` : least;
}

/** Whether the roles cover at least one operation of the package. */
export function grantsAnyOperation(roles: readonly string[]): boolean {
	return Object.values(OPERATION_PERMISSIONS).some((permission: OperationPermission) => isGranted(permission, roles));
}

/** The operations these roles do not cover, each once by its label. */
export function missingOperations(roles: readonly string[]): OperationPermission[] {
	const seen = new Set<string>();
	return Object.values(OPERATION_PERMISSIONS).filter((permission: OperationPermission) => {
		if (isGranted(permission, roles) || seen.has(permission.label)) return false;
		seen.add(permission.label);
		return true;
	});
}

/** "Granted: A, B. Missing for: Remove (Calls.JoinGroupCall.All), Invite (Calls.InitiateGroupCall.All)." */
export function grantSummary(roles: readonly string[]): string {
	const granted = roles.length ? `Granted: ${[...roles].sort().join(', ')}.` : 'Granted: no application permissions.';
	const missing = missingOperations(roles);
	if (missing.length === 0) return `${granted} Every operation of this package is covered.`;
	return `${granted} Missing for: ${missing.map((permission) => `${permission.label} (${permission.anyOf[0]})`).join(', ')}.`;
}

/**
 * For Graph's 403 to an operation: "This app has not been granted …" when the token's roles show the operation's
 * permission is missing; undefined when the token cannot be read or holds the permission (the cause is elsewhere).
 */
export function notGrantedHint(key: OperationKey, token: string): string | undefined {
	const roles = rolesInToken(token);
	if (!roles) return undefined;
	const permission: OperationPermission = OPERATION_PERMISSIONS[key];
	if (isGranted(permission, roles)) return undefined;
	return (
		`This app has not been granted ${permissionNames(permission)}: its access token carries ${roles.length ? roles.join(', ') : 'no application permissions'}. ` +
		'Add it in Entra ID > App registrations > API permissions (Microsoft Graph, application permission) and grant admin consent; a new token carries it.'
	);
}
