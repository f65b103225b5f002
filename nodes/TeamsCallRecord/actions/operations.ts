import type { Operation } from '../../shared/actions/types';
import { get } from './get.operation';
import { getAttendance } from './getAttendance.operation';
import { getMany } from './getMany.operation';
import { getDirectRoutingCalls, getPstnCalls } from './reports.operation';

export type OperationName = 'get' | 'getMany' | 'getAttendance' | 'getPstnCalls' | 'getDirectRoutingCalls';

export const operations: Record<OperationName, Operation> = { get, getMany, getAttendance, getPstnCalls, getDirectRoutingCalls };
