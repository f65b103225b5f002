/**
 * Properties that values of open types may carry beyond the CSDL's declarations: only these, each with where Graph
 * itself writes it (pages under microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/). Anything else on an
 * open type is reported. Keyed by the declaring (or a base) type and the property name.
 */
export interface AllowedExtra {
	/** The value's type reference, checked like a declared property's. */
	type: string;
	source: string;
}

const DOCS = 'microsoft-graph-docs-contrib api-reference/v1.0/';
const IDENTITY = 'microsoft.graph.identity';
const EXTRAS: Record<string, Record<string, AllowedExtra>> = {
	'microsoft.graph.identity': {
		tenantId: { type: 'Edm.String', source: `${DOCS}api/participant-invite.md (identity.user.tenantId); declared on communicationsUserIdentity` },
		identityProvider: { type: 'Edm.String', source: `${DOCS}api/participant-invite.md (identity.user.identityProvider: "AAD")` },
	},
	'microsoft.graph.identitySet': {
		// Graph's pages put communicationsIdentitySet's members on a plain identitySet (no @odata.type naming the derived set).
		phone: { type: IDENTITY, source: `${DOCS}api/participant-invite.md (response: "phone": null); application-post-calls.md (PSTN target)` },
		guest: { type: IDENTITY, source: `${DOCS}resources/communicationsidentityset.md (declared there; pages write it on identitySet)` },
		applicationInstance: { type: IDENTITY, source: `${DOCS}api/application-post-calls.md (source.identity.applicationInstance)` },
	},
	'microsoft.graph.organizerMeetingInfo': {
		allowConversationWithoutHost: { type: 'Edm.Boolean', source: `${DOCS}resources/organizermeetinginfo.md; application-post-calls.md (join a scheduled meeting)` },
	},
	'microsoft.graph.invitationParticipantInfo': {
		id: { type: 'Edm.String', source: `${DOCS}api/participant-invite.md (response participants: "id": null)` },
		endpointType: { type: 'microsoft.graph.endpointType', source: `${DOCS}api/participant-invite.md (response participants: "endpointType": null)` },
	},
	'microsoft.graph.commsNotification': {
		// Typed by the resource it names (see notificationContract.ts): a call, a participant list or delta, an operation.
		resourceData: { type: 'Edm.Untyped', source: `${DOCS}resources/commsnotification.md; every notification on the call pages` },
		resource: { type: 'Edm.String', source: `${DOCS}api/participant-invite.md (notifications carry "resource": "/app/calls/…" beside resourceUrl)` },
	},
};

/** The allowed extra named `property` on a value of type `typeName` (or of one of its bases), if any. */
export function allowedExtra(chain: string[], property: string): AllowedExtra | undefined {
	for (const type of chain) {
		const extra = EXTRAS[type]?.[property];
		if (extra) return extra;
	}
	return undefined;
}
