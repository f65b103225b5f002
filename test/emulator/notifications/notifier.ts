/**
 * Posts each call's notifications as the emulated Graph changes it (the state's events): the call's state, the roster
 * after joins, changes and removals, and operation outcomes. Only for calls that have a callbackUri.
 */
import type { EmulatorState } from '../state';
import type { NotificationCenter } from './center';

/** removedState.reason the emulator gives someone the app removed. */
export const REMOVED_BY_APP = 'removedByApplication';

export function notifyOnChanges(state: EmulatorState, center: NotificationCenter): void {
	const deliver = (callId: string, send: () => Promise<unknown>): void => {
		if (!center.callbackFor(callId)) return;
		send().catch(() => undefined);
	};
	state.events.on('callStateChanged', ({ call }) => {
		if (center.announcesItself(call.id)) return;
		deliver(call.id, () => center.callState(call.id, call.state, call.resultInfo));
	});
	state.events.on('rosterChanged', ({ call, changeType, participants }) => {
		deliver(call.id, () => (changeType === 'deleted' ? center.announceLeft(call.id, participants, REMOVED_BY_APP) : center.rosterAgain(call.id)));
	});
	state.events.on('operationFinished', ({ call, operation }) => {
		deliver(call.id, () => center.operation(call.id, operation));
	});
}
