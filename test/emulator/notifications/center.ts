/**
 * The emulated calling platform's side of notifications: builds commsNotifications for what happens in a call, signs
 * them (or forges them) and POSTs them to the call's callbackUri; remembers every delivery so that one can be sent again.
 */
import { randomUUID } from 'node:crypto';

import type { EmulatorState } from '../state';
import type { CallState, EmulatedCall, EmulatedParticipant } from '../types';
import {
	callStateNotification,
	type CommsNotification,
	commsNotifications,
	deltaNotification,
	leftNotification,
	operationNotification,
	type ResultInfo,
	rosterNotification,
	skypeFormatBody,
} from './payloads';
import { NotificationSigner } from './signer';
import { recordCheck } from '../../contract/contractLog';
import { checkNotifications } from '../../contract/notificationContract';
import { authorizationFor, type ForgeryKind } from './tokens';

export type IdentityType = 'user' | 'guest' | 'phone' | 'application';

export interface PersonInit {
	displayName: string;
	/** The identity's id (a user's object id, a phone number …); a new GUID when absent. */
	identityId?: string;
	identityType?: IdentityType;
	tenantId?: string;
}

export interface Delivery {
	id: number;
	callId: string;
	/** Date.now() just before the POST left. */
	sentAt: number;
	/** 'valid', a forgery kind, or 'skype' (old format). */
	kind: ForgeryKind | 'valid' | 'skype';
	/** The callback's HTTP status (0 when it could not be reached). */
	status: number;
	/** Date.now() when the answer's status line arrived (0 when none did). */
	answeredAt: number;
	/** Whether the POST is over (answered or failed). */
	settled: boolean;
	body: unknown;
	/** Participants this delivery announced as joined (for latency figures). */
	joinedIds: string[];
}

/** A person's identity set as Graph writes it (a phone number has no tenant). */
export function personIdentity(person: PersonInit, tenantId: string): Record<string, unknown> {
	const type = person.identityType ?? 'user';
	return {
		[type]: {
			'@odata.type': '#microsoft.graph.identity',
			id: person.identityId ?? randomUUID(),
			displayName: person.displayName,
			...(type === 'phone' ? {} : { tenantId: person.tenantId ?? tenantId }),
		},
	};
}

const TERMINATED: ResultInfo = { code: 200, subcode: 5001, message: 'The call ended.' };

export class NotificationCenter {
	readonly signer = new NotificationSigner();
	readonly deliveries: Delivery[] = [];
	/** GETs of the OpenID configuration and of the keys (JWKS) the platform server received. */
	keyRequests = 0;
	/** When set, the OpenID configuration and keys are answered with this status instead (an outage of the key endpoint). */
	keysFailWith?: number;
	private readonly callbacks = new Map<string, string>();
	private sequence = 0;
	/** Calls whose end() sends the termination itself (so that a state listener does not send it twice). */
	private readonly endingHere = new Set<string>();

	constructor(private readonly state: EmulatorState) {}

	/** Where notifications of a call go: the callbackUri it was created with, or one set here. */
	callbackFor(callId: string): string | undefined {
		const call = this.state.calls.get(callId) as (EmulatedCall & { callbackUri?: string }) | undefined;
		return this.callbacks.get(callId) ?? call?.callbackUri;
	}

	setCallback(callId: string, callbackUri: string): void {
		this.callbacks.set(callId, callbackUri);
	}

	jwks(): unknown {
		return this.signer.jwks();
	}

	rotateKey(keepPrevious = false): string {
		return this.signer.rotate(keepPrevious);
	}

	private call(callId: string): EmulatedCall {
		const call = this.state.calls.get(callId);
		if (!call) throw new Error(`no call ${callId}`);
		return call;
	}

	private roster(call: EmulatedCall): EmulatedParticipant[] {
		return [...call.participants.values()].filter((p) => p.joined !== false);
	}

	/** POSTs a body to the call's callbackUri with a token of the given kind; records and returns the delivery. */
	async post(callId: string, body: unknown, kind: Delivery['kind'] = 'valid', joinedIds: string[] = []): Promise<Delivery> {
		const callbackUri = this.callbackFor(callId);
		if (!callbackUri) throw new Error(`call ${callId} has no callbackUri`);
		// A meeting of another tenant: the platform names that tenant in the token.
		const tenantId = this.state.calls.get(callId)?.notificationTenantId ?? this.state.app.tenantId;
		const authorization = authorizationFor(kind === 'skype' ? 'valid' : kind, this.signer, { clientId: this.state.app.clientId, tenantId });
		const delivery: Delivery = { id: this.deliveries.length + 1, callId, sentAt: Date.now(), kind, status: 0, answeredAt: 0, settled: false, body, joinedIds };
		this.deliveries.push(delivery);
		try {
			const response = await fetch(callbackUri, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
				body: JSON.stringify(body),
				signal: AbortSignal.timeout(15_000),
			});
			delivery.status = response.status;
			delivery.answeredAt = Date.now();
			await response.arrayBuffer();
		} catch {
			delivery.status = 0;
		} finally {
			delivery.settled = true;
		}
		return delivery;
	}

	private send(callId: string, notifications: CommsNotification[], joinedIds: string[] = []): Promise<Delivery> {
		const body = commsNotifications(...notifications);
		recordCheck('notification', checkNotifications(body), notifications.map((entry) => `${entry.changeType} ${entry.resourceUrl}`).join(', '));
		return this.post(callId, body, 'valid', joinedIds);
	}

	private addPeople(call: EmulatedCall, people: PersonInit[], lobby: boolean): EmulatedParticipant[] {
		return people.map((person, index) => {
			const participant = this.state.newParticipant({ info: { identity: personIdentity(person, this.state.app.tenantId) }, isInLobby: lobby }, index);
			call.participants.set(participant.id, participant);
			return participant;
		});
	}

	/** People join (or wait in the lobby): one roster notification with everyone in the call. */
	async join(callId: string, people: PersonInit[], options: { lobby?: boolean } = {}): Promise<{ participants: EmulatedParticipant[]; delivery: Delivery }> {
		const call = this.call(callId);
		const participants = this.addPeople(call, people, options.lobby ?? false);
		const delivery = await this.send(callId, [rosterNotification(callId, this.roster(call))], participants.map((p) => p.id));
		return { participants, delivery };
	}

	/** People join at the same moment: one deltaParticipants notification each, all sent at once. */
	async joinAtOnce(callId: string, people: PersonInit[]): Promise<{ participants: EmulatedParticipant[]; deliveries: Delivery[] }> {
		const participants = this.addPeople(this.call(callId), people, false);
		const deliveries = await Promise.all(
			participants.map((participant) => this.send(callId, [deltaNotification(callId, [participant], ++this.sequence)], [participant.id])),
		);
		return { participants, deliveries };
	}

	/** People waiting in the lobby are let in: the roster again, with isInLobby false for them. */
	admit(callId: string, participantIds: string[]): Promise<Delivery> {
		const call = this.call(callId);
		for (const id of participantIds) {
			const participant = call.participants.get(id);
			if (participant) participant.isInLobby = false;
		}
		return this.send(callId, [rosterNotification(callId, this.roster(call))], participantIds);
	}

	/** People leave (or were removed): a `deleted` notification naming them with removedState. */
	leave(callId: string, participants: EmulatedParticipant[], reason = 'LeftByUser'): Promise<Delivery> {
		const call = this.call(callId);
		for (const participant of participants) call.participants.delete(participant.id);
		return this.announceLeft(callId, participants, reason);
	}

	/** Tells the callback that people already gone from the call left. */
	announceLeft(callId: string, participants: EmulatedParticipant[], reason: string): Promise<Delivery> {
		return this.send(callId, [leftNotification(callId, participants, reason)]);
	}

	/** The current roster, unchanged, sent again (as Graph may). */
	rosterAgain(callId: string): Promise<Delivery> {
		return this.send(callId, [rosterNotification(callId, this.roster(this.call(callId)))]);
	}

	callState(callId: string, state: CallState, resultInfo?: ResultInfo): Promise<Delivery> {
		return this.send(callId, [callStateNotification(callId, state, resultInfo)]);
	}

	/** The call ends: its state becomes terminated and a `deleted` call notification goes out. */
	end(callId: string, resultInfo: ResultInfo = TERMINATED): Promise<Delivery> {
		this.endingHere.add(callId);
		this.state.endCall(callId);
		return this.callState(callId, 'terminated', resultInfo);
	}

	/** Whether a state change of this call is announced by this center's own method (end), not by a listener. */
	announcesItself(callId: string): boolean {
		return this.endingHere.has(callId);
	}

	operation(callId: string, operation: Record<string, unknown>): Promise<Delivery> {
		return this.send(callId, [operationNotification(callId, operation)]);
	}

	/** Notifications built elsewhere (notifications/callers.ts: an incoming call, a keypress), sent like every other. */
	notify(callId: string, notifications: CommsNotification[]): Promise<Delivery> {
		return this.send(callId, notifications);
	}

	/** A delivery sent again with the same body and a fresh token (the last one by default). */
	resend(deliveryId?: number): Promise<Delivery> {
		const original = deliveryId === undefined ? this.deliveries.at(-1) : this.deliveries.find((d) => d.id === deliveryId);
		if (!original) throw new Error(`no delivery ${deliveryId ?? '(none yet)'}`);
		return this.post(original.callId, original.body, original.kind, original.joinedIds);
	}

	/**
	 * A forged notification: a stranger "joins" (a roster that would get someone removed if believed), under a token
	 * broken in the given way. The call's participants are not changed.
	 */
	forge(callId: string, kind: ForgeryKind): Promise<Delivery> {
		const call = this.call(callId);
		const intruder = this.state.newParticipant(
			{ info: { identity: { user: { id: randomUUID(), displayName: `Forged (${kind})`, tenantId: this.state.app.tenantId } } } },
			0,
		);
		return this.post(callId, commsNotifications(rosterNotification(callId, [...this.roster(call), intruder])), kind);
	}

	skypeFormat(callId: string): Promise<Delivery> {
		return this.post(callId, skypeFormatBody(callId), 'skype');
	}
}
