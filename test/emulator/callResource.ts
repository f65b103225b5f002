/** A call as Graph returns it (GET /communications/calls/{id}, and the answer to creating one). */
import type { EmulatedCall } from './types';

export function callResource(call: EmulatedCall): Record<string, unknown> {
	return {
		'@odata.type': '#microsoft.graph.call',
		id: call.id,
		state: call.state,
		direction: 'outgoing',
		callbackUri: call.callbackUri ?? 'https://bot.contoso.example/api/calls',
		requestedModalities: ['audio'],
		mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
		myParticipantId: call.myParticipantId ?? null,
		resultInfo: call.resultInfo ?? null,
		callChainId: call.id,
		chatInfo: null,
		meetingInfo: null,
		...call.details,
		tenantId: call.tenantId,
	};
}
