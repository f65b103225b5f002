import { get } from './get.operation';
import { getAll } from './getAll.operation';
import { startHoldMusic, stopHoldMusic } from './holdMusic.operation';
import { invite } from './invite.operation';
import { mute } from './mute.operation';
import { remove } from './remove.operation';
import type { Operation } from '../../shared/actions/types';

export type OperationName = 'invite' | 'remove' | 'get' | 'getAll' | 'mute' | 'startHoldMusic' | 'stopHoldMusic';

export const operations: Record<OperationName, Operation> = { invite, remove, get, getAll, mute, startHoldMusic, stopHoldMusic };
