import type { IDataObject, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';

import { inputError, requireWholeNumber } from '../../shared/actions/validation';
import { EmittedRecords } from '../../shared/callRecords/emittedRecords';
import { callRecordsRequest, RECORD_RETENTION_MS } from '../../shared/callRecords/requests';
import { allItems } from '../../shared/transport/pager';
import { graphClientFor } from '../../shared/transport/graphSession';

const HOUR_MS = 3600_000;
/**
 * How late a record may appear after its call ended: Graph states at most 150 minutes
 * (`concepts/includes/change-notifications-delivery-latency.md`); three hours leaves a margin.
 */
export const APPEARANCE_MARGIN_HOURS = 3;
const LONGEST_CALL_DEFAULT = 8;

export const pollOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Emit Updated Records',
			name: 'emitUpdates',
			type: 'boolean',
			default: false,
			description: 'Whether to emit a record again when Graph adds to it later (its version grows)',
		},
		{
			displayName: 'Longest Call (Hours)',
			name: 'longestCallHours',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 30, numberPrecision: 0 },
			default: LONGEST_CALL_DEFAULT,
			description: `A record carries its call's start but appears only after the call ends (up to 150 minutes later): each poll looks back this many hours plus ${APPEARANCE_MARGIN_HOURS}. Records of longer calls may be missed; a longer look-back reads more pages per poll.`,
		},
		{
			displayName: 'Look Back (Hours)',
			name: 'lookBackHours',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 720, numberPrecision: 0 },
			default: 0,
			description:
				'On the first poll after the trigger is first activated, also emit the records of calls that started in the last this many hours (0: only records that appear from then on). Graph keeps records for 30 days (720 hours).',
		},
	],
};

interface PollSettings {
	emitUpdates: boolean;
	windowMs: number;
	lookBackMs: number;
}

function settingsOf(n8n: IPollFunctions): PollSettings {
	const options = n8n.getNodeParameter('options', {}) as IDataObject;
	const node = n8n.getNode();
	const longest = requireWholeNumber(node, 0, 'Longest Call (Hours)', options.longestCallHours ?? LONGEST_CALL_DEFAULT, 1, 30);
	const lookBack = requireWholeNumber(node, 0, 'Look Back (Hours)', options.lookBackHours ?? 0, 0, 720);
	if (options.emitUpdates !== undefined && typeof options.emitUpdates !== 'boolean') {
		throw inputError(node, 0, 'Emit Updated Records', 'must be true or false');
	}
	return { emitUpdates: options.emitUpdates === true, windowMs: (longest + APPEARANCE_MARGIN_HOURS) * HOUR_MS, lookBackMs: lookBack * HOUR_MS };
}

function startOf(record: IDataObject): number {
	return Date.parse(String(record.startDateTime));
}

function versionOf(record: IDataObject): number {
	return typeof record.version === 'number' ? record.version : Number(record.version ?? 0);
}

/**
 * One poll: every record whose call started within the window (all pages), each new one emitted once (again when its
 * version grew, if asked), in start order. The first poll remembers what is there and emits only what Look Back asks
 * for. A manual run ("Fetch Test Event") shows the newest record and remembers nothing.
 */
export async function pollNewRecords(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = settingsOf(this);
	const memory = EmittedRecords.in(this.getWorkflowStaticData('node'));
	const manual = this.getMode() === 'manual';
	const first = memory.isNew;
	const now = Date.now();
	const reach = Math.max(settings.windowMs, first || manual ? settings.lookBackMs : 0);
	const fromMs = Math.max(now - reach, now - RECORD_RETENTION_MS + 60_000);
	const graph = await graphClientFor(this);

	const records = await allItems(graph, callRecordsRequest({ fromMs, toMs: now + 60_000 }, 0));
	records.sort((a, b) => startOf(a) - startOf(b) || String(a.id).localeCompare(String(b.id)));

	if (manual) return records.length ? [this.helpers.returnJsonArray([records[records.length - 1]])] : null;

	const emit: IDataObject[] = [];
	for (const record of records) {
		const id = String(record.id);
		const version = versionOf(record);
		const known = memory.versionOf(id);
		const fresh = first ? settings.lookBackMs > 0 && startOf(record) >= now - settings.lookBackMs : known === undefined;
		const grown = !first && settings.emitUpdates && known !== undefined && version > known;
		if (fresh || grown) emit.push(record);
		memory.remember(id, Math.max(version, known ?? 0), startOf(record));
	}
	memory.prune(now - Math.max(settings.windowMs, settings.lookBackMs));
	return emit.length ? [this.helpers.returnJsonArray(emit)] : null;
}
