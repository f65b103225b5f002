import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { TeamsCallParticipant } from '../nodes/TeamsCallParticipant/TeamsCallParticipant.node';
import { rolesInToken } from '../nodes/shared/permissions/grantedRoles';
import { OPERATION_PERMISSIONS } from '../nodes/shared/permissions/operationPermissions';
import { startEmulator, type Emulator } from './emulator';
import { credentialTestContext } from './helpers/engine';
import { runNode } from './helpers/testbed';

/** Every application permission the package's table names: an app holding them all lacks nothing. */
const ALL_ROLES = [...new Set(Object.values(OPERATION_PERMISSIONS).flatMap((permission) => permission.anyOf))];

let emulator: Emulator;

beforeAll(async () => {
	emulator = await startEmulator();
});
afterAll(async () => await emulator.close());
afterEach(() => emulator.configure({ tokenRoles: null }));

async function testButton() {
	return await new TeamsCallParticipant().methods.credentialTest.testGraphAppCredential.call(credentialTestContext(), {
		id: '1',
		name: 'Graph app',
		type: 'microsoftGraphAppApi',
		data: emulator.credentialData() as ICredentialDataDecryptedObject,
	});
}

/** Nothing of any token the emulator issued appears in the text (only role names may). */
function expectNoTokenIn(text: string | undefined): void {
	expect(emulator.issuedTokens().length).toBeGreaterThan(0);
	for (const token of emulator.issuedTokens()) {
		for (const segment of token.split('.')) expect(text ?? '').not.toContain(segment);
	}
}

describe("the credential test reads the token's roles", () => {
	it('says only that the sign-in works when the token cannot be read', async () => {
		expect(await testButton()).toEqual({ status: 'OK', message: 'Signed in to Microsoft Entra ID and received a Graph token' });
	});

	it('names what is granted and which operations miss their permission', async () => {
		emulator.configure({ tokenRoles: ['Calls.Initiate.All'] });
		const result = await testButton();
		expect(result.status).toBe('OK');
		expect(result.message).toMatch(/^Signed in to Microsoft Entra ID and received a Graph token\. Granted: Calls\.Initiate\.All\. Missing for: /);
		expect(result.message).toContain('Join Meeting (Calls.JoinGroupCall.All)');
		expect(result.message).toContain('Remove (Calls.JoinGroupCall.All)');
		expect(result.message).toContain('Invite (Calls.InitiateGroupCall.All)');
		expect(result.message).toContain('Record Response (Calls.AccessMedia.All)');
		// What Calls.Initiate.All covers is not listed as missing.
		expect(result.message).not.toMatch(/Hang Up|Keep Alive|Play Prompt|Create Call|Get Call/);
		expectNoTokenIn(result.message);
	});

	it('says when every operation is covered', async () => {
		emulator.configure({ tokenRoles: ALL_ROLES });
		expect(await testButton()).toEqual({
			status: 'OK',
			message: expect.stringMatching(/Granted: .*Calls\.JoinGroupCall\.All.*\. Every operation of this package is covered\.$/),
		});
	});

	it.each([
		['no roles at all', [], /Granted: no application permissions\. Missing for: Join Meeting \(Calls\.JoinGroupCall\.All\), /],
		['only roles no operation needs', ['User.Read.All'], /Granted: User\.Read\.All\. Missing for: Join Meeting/],
	])('fails (the editor shows only failures in words) when the token holds %s', async (_case, roles, message) => {
		emulator.configure({ tokenRoles: roles });
		const result = await testButton();
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Signed in to Microsoft Entra ID and received a Graph token, but the app holds no application permission that an operation needs\. /);
		expect(result.message).toMatch(message);
		expectNoTokenIn(result.message);
	});
});

describe('a 403 explained by the roles', () => {
	it("says which permission the app has not been granted, without the token", async () => {
		emulator.configure({ tokenRoles: ['Calls.Initiate.All', 'Calls.InitiateGroupCall.All'] });
		const call = emulator.addCall();
		const participantId = [...call.participants.keys()][0];
		const run = await runNode(emulator, { operation: 'remove', callId: call.id, participantId }, { credentials: emulator.credentialData({ tenantId: emulator.app.tenantDomain }) });
		expect(run.errorMessage).toMatch(/could not remove the participant \(HTTP 403, code 7504\)/);
		expect(run.errorDescription).toMatch(
			/^This app has not been granted Calls\.JoinGroupCall\.All \(or Calls\.JoinGroupCallAsGuest\.All\): its access token carries Calls\.Initiate\.All, Calls\.InitiateGroupCall\.All\./,
		);
		expect(call.participants.has(participantId)).toBe(true);
		expectNoTokenIn(`${run.errorMessage} ${run.errorDescription} ${JSON.stringify(run.result)}`);
	});

	it("keeps the operation's own advice when the roles hold the permission (another app's call)", async () => {
		emulator.configure({ tokenRoles: ['Calls.JoinGroupCall.All'] });
		const call = emulator.addCall({ ownerAppId: '11111111-2222-4333-8444-555555555555' });
		const run = await runNode(emulator, { operation: 'getAll', callId: call.id, returnAll: true }, { credentials: emulator.credentialData({ tenantId: emulator.app.tenantDomain.toUpperCase() }) });
		expect(run.errorMessage).toMatch(/HTTP 403, code 7504/);
		expect(run.errorDescription).not.toMatch(/has not been granted/);
		expect(run.errorDescription).toMatch(/Calls\.JoinGroupCall\.All/);
	});
});

describe('reading roles from a token', () => {
	const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;

	it.each([
		['an opaque token', 'emu.abcdef', undefined],
		['a payload that is not JSON', 'e30.bm90IGpzb24.c2ln', undefined],
		['roles that are not a list', jwt({ roles: 'Calls.Initiate.All' }), undefined],
		['a token without roles', jwt({ tid: 't' }), []],
		['roles among other claims, odd entries dropped', jwt({ roles: ['Calls.Initiate.All', 42, 'a b'] }), ['Calls.Initiate.All']],
	])('%s', (_case, token, roles) => {
		expect(rolesInToken(token)).toEqual(roles);
	});
});
