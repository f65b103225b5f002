import { create } from './call/create.operation';
import { get } from './call/get.operation';
import { hangUp } from './call/hangUp.operation';
import { join } from './call/join.operation';
import { keepAlive } from './call/keepAlive.operation';
import { playPrompt } from './media/playPrompt.operation';
import type { Operation } from '../../shared/actions/types';

export type CallOperationName = 'join' | 'create' | 'get' | 'hangUp' | 'keepAlive' | 'playPrompt';

export const operations: Record<CallOperationName, Operation> = { join, create, get, hangUp, keepAlive, playPrompt };
