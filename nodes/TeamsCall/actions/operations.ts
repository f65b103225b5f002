import { create } from './call/create.operation';
import { get } from './call/get.operation';
import { hangUp } from './call/hangUp.operation';
import { join } from './call/join.operation';
import { keepAlive } from './call/keepAlive.operation';
import { answer } from './incoming/answer.operation';
import { redirect } from './incoming/redirect.operation';
import { reject } from './incoming/reject.operation';
import { cancelMediaProcessing } from './media/cancelMediaProcessing.operation';
import { downloadRecording } from './media/downloadRecording.operation';
import { playPrompt } from './media/playPrompt.operation';
import { recordResponse } from './media/recordResponse.operation';
import { sendDtmfTones } from './media/sendDtmfTones.operation';
import { subscribeToTone } from './media/subscribeToTone.operation';
import { transfer } from './transfer/transfer.operation';
import type { Operation } from '../../shared/actions/types';

/** The operations on incoming calls, transfers, tones and recordings (issue 17). */
export type ConversationOperationName =
	| 'answer'
	| 'reject'
	| 'redirect'
	| 'transfer'
	| 'subscribeToTone'
	| 'sendDtmfTones'
	| 'recordResponse'
	| 'cancelMediaProcessing'
	| 'downloadRecording';

export type CallOperationName = 'join' | 'create' | 'get' | 'hangUp' | 'keepAlive' | 'playPrompt' | ConversationOperationName;

export const operations: Record<CallOperationName, Operation> = {
	join,
	create,
	get,
	hangUp,
	keepAlive,
	playPrompt,
	answer,
	reject,
	redirect,
	transfer,
	subscribeToTone,
	sendDtmfTones,
	recordResponse,
	cancelMediaProcessing,
	downloadRecording,
};
