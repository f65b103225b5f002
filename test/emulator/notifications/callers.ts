/**
 * People calling the bot, and pressing keys in a call. An incoming call is a call resource in state `incoming`,
 * announced by a `created` notification to the bot's calling webhook (call-answer.md); it ends unanswered after Graph's
 * 15 s. Keypresses reach the app only after it subscribed to the call's tones (call.toneSubscribed, set by
 * subscribeToTone): one `updated` call notification per key with toneInfo (call-subscribetotone.md).
 */
import { callResource } from '../callResource';
import { newGuid } from '../httpUtil';
import { botParticipant } from '../newCall';
import type { EmulatorState, ResultInfo } from '../state';
import type { EmulatedCall } from '../types';
import { type Delivery, type NotificationCenter, type PersonInit, personIdentity } from './center';
import { callUrl, type CommsNotification } from './payloads';

export interface IncomingCallInit {
	/** Who calls: a user (default), a guest, or a phone number (identityType `phone`, identityId in E.164). */
	from: PersonInit;
	/** The call's ID (default: a new GUID); e.g. 32 hex digits without dashes, as some documented notifications write it. */
	id?: string;
	/** The bot's calling webhook (default: the one set with setCallingWebhook). */
	webhookUrl?: string;
	/** Whom the call is for: the bot's app (default for people) or its application instance (default for a phone). */
	to?: 'application' | 'applicationInstance';
	/** An invitation to a group call: the notification carries a meeting's meetingInfo and chatInfo. */
	meeting?: boolean;
	/** incomingContext: who transferred the call to the bot, or on whose behalf it rings. */
	transferor?: PersonInit;
	onBehalfOf?: PersonInit;
	/** Unanswered this long, the call ends (default 15 000 ms, Graph's window). */
	answerWithinMs?: number;
}

/** Graph's window to answer, reject or redirect (call-answer.md). */
export const ANSWER_WINDOW_MS = 15_000;
/** How the emulator ends a call nobody answered (Graph documents no resultInfo for it). */
export const NOT_ANSWERED: ResultInfo = { code: 408, subcode: 0, message: 'The call was not answered in time.' };

/** A caller's key → Graph's tone name (CSDL microsoft.graph.tone). */
export function toneOfKey(key: string): string {
	if (/^[0-9]$/.test(key)) return `tone${key}`;
	const named: Record<string, string> = { '*': 'star', '#': 'pound', A: 'a', B: 'b', C: 'c', D: 'd' };
	const tone = named[key.toUpperCase()];
	if (!tone) throw new Error(`'${key}' is not a key: 0-9, *, #, A-D`);
	return tone;
}

function toneNotification(call: EmulatedCall, sequenceId: number, tone: string): CommsNotification {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'updated',
		resourceUrl: callUrl(call.id),
		resourceData: { '@odata.type': '#microsoft.graph.call', state: call.state, toneInfo: { '@odata.type': '#microsoft.graph.toneInfo', sequenceId, tone } },
	};
}

function incomingCallNotification(call: EmulatedCall): CommsNotification {
	return {
		'@odata.type': '#microsoft.graph.commsNotification',
		changeType: 'created',
		resourceUrl: callUrl(call.id),
		resourceData: { ...callResource(call), '@odata.id': callUrl(call.id) },
	};
}

export class Callers {
	private callingWebhook: string | undefined;
	/** The bot's application instance (a resource account with a phone number) that phone calls ring. */
	readonly applicationInstanceId = newGuid();

	constructor(
		private readonly state: EmulatorState,
		private readonly center: NotificationCenter,
	) {}

	/** Where incoming calls are announced: the Azure Bot's calling webhook. */
	setCallingWebhook(url: string): void {
		this.callingWebhook = url;
	}

	private target(to: IncomingCallInit['to'], from: PersonInit): Record<string, unknown> {
		const kind = to ?? (from.identityType === 'phone' ? 'applicationInstance' : 'application');
		const id = kind === 'application' ? this.state.app.clientId : this.applicationInstanceId;
		return {
			'@odata.type': '#microsoft.graph.invitationParticipantInfo',
			identity: { [kind]: { '@odata.type': '#microsoft.graph.identity', id, displayName: 'Teams Call bot' } },
		};
	}

	private meetingDetails(): Record<string, unknown> {
		const meeting = this.state.addMeeting();
		return {
			chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: meeting.threadId, messageId: meeting.messageId },
			meetingInfo: {
				'@odata.type': '#microsoft.graph.organizerMeetingInfo',
				organizer: { user: { '@odata.type': '#microsoft.graph.identity', id: meeting.organizerId, tenantId: meeting.tenantId } },
			},
		};
	}

	/** Someone calls the bot: the call is created `incoming` and announced to the calling webhook. */
	async place(init: IncomingCallInit): Promise<{ call: EmulatedCall; delivery: Delivery }> {
		const webhookUrl = init.webhookUrl ?? this.callingWebhook;
		if (!webhookUrl) throw new Error('no calling webhook: set one, or give webhookUrl');
		const tenantId = this.state.app.tenantId;
		const caller = this.state.newParticipant({ info: { identity: personIdentity(init.from, tenantId) } }, 0);
		const bot = botParticipant(this.state, this.state.app.clientId);
		const identityOf = (person: PersonInit | undefined) => (person ? personIdentity(person, tenantId) : undefined);
		const call: EmulatedCall = {
			id: init.id ?? newGuid(),
			state: 'incoming',
			tenantId,
			participants: new Map([caller, bot].map((participant) => [participant.id, participant])),
			callbackUri: webhookUrl,
			myParticipantId: bot.id,
			details: {
				direction: 'incoming',
				source: { '@odata.type': '#microsoft.graph.participantInfo', identity: caller.info.identity, participantId: caller.id, region: 'westeurope', languageId: 'en-US' },
				targets: [this.target(init.to, init.from)],
				incomingContext: {
					'@odata.type': '#microsoft.graph.incomingContext',
					sourceParticipantId: caller.id,
					...(init.transferor ? { transferor: identityOf(init.transferor) } : {}),
					...(init.onBehalfOf ? { onBehalfOf: identityOf(init.onBehalfOf) } : {}),
				},
				callChainId: newGuid(),
				...(init.meeting ? this.meetingDetails() : {}),
			},
		};
		this.state.calls.set(call.id, call);
		this.state.schedule(init.answerWithinMs ?? ANSWER_WINDOW_MS, () => {
			if (call.state === 'incoming') this.state.setCallState(call, 'terminated', NOT_ANSWERED);
		});
		const delivery = await this.center.notify(call.id, [incomingCallNotification(call)]);
		return { call, delivery };
	}

	/**
	 * The caller presses keys (e.g. `1`, `123#`): one tone notification each, in order, with rising sequenceIds; nothing
	 * is sent (heard: false) until the app subscribed to the call's tones.
	 */
	async press(callId: string, keys: string): Promise<{ heard: boolean; deliveries: Delivery[] }> {
		const call = this.state.calls.get(callId);
		if (!call || call.state === 'terminated') throw new Error(`no call ${callId} in progress`);
		const tones = [...keys].map(toneOfKey);
		if (!call.toneSubscribed) return { heard: false, deliveries: [] };
		const deliveries: Delivery[] = [];
		for (const tone of tones) {
			call.toneSequence = (call.toneSequence ?? 0) + 1;
			deliveries.push(await this.center.notify(call.id, [toneNotification(call, call.toneSequence, tone)]));
		}
		return { heard: true, deliveries };
	}
}
