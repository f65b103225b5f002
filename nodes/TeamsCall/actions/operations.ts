import { create } from './create.operation';
import { get } from './get.operation';
import { hangUp } from './hangUp.operation';
import { join } from './join.operation';
import { keepAlive } from './keepAlive.operation';
import { playPrompt } from './playPrompt.operation';
import type { Operation } from '../../shared/actions/types';

export type CallOperationName = 'join' | 'create' | 'get' | 'hangUp' | 'keepAlive' | 'playPrompt';

export const operations: Record<CallOperationName, Operation> = { join, create, get, hangUp, keepAlive, playPrompt };
