import type { IDataObject } from 'n8n-workflow';

import { requireRange } from '../../shared/callRecords/dateTimes';
import { type ReportKind, reportRows } from '../../shared/callRecords/requests';
import { optionsCollection } from '../../shared/descriptions/common';
import type { Operation, OperationContext } from '../../shared/actions/types';
import { dateTimeField } from './fields';

/** getPstnCalls / getDirectRoutingCalls over any range: split into ranges Graph allows, every page followed. */
function reportOperation(kind: ReportKind, bounds: { from: string; to: string }): Operation {
	return {
		description: [
			dateTimeField(kind, 'fromDateTime', 'From', bounds.from),
			dateTimeField(kind, 'toDateTime', 'To', bounds.to),
			optionsCollection(kind),
		],

		async execute({ n8n, params, graph }: OperationContext, itemIndex: number): Promise<IDataObject[]> {
			const { fromMs, toMs } = requireRange(
				params.node,
				itemIndex,
				['From', params.value('fromDateTime', itemIndex)],
				['To', params.value('toDateTime', itemIndex)],
				n8n.getTimezone(),
			);
			const rows: IDataObject[] = [];
			for await (const page of reportRows(graph, kind, fromMs, toMs, itemIndex)) rows.push(...page);
			return rows;
		},
	};
}

export const getPstnCalls = reportOperation('getPstnCalls', {
	from: 'Calls that started at or after this time. A range longer than the 90 days Graph allows is read in parts.',
	to: 'Calls that started at or before this time (Graph counts this bound in)',
});

export const getDirectRoutingCalls = reportOperation('getDirectRoutingCalls', {
	from: 'Calls that started at or after this time. A long range is read in parts of 90 days.',
	to: 'Calls that started before this time (Graph leaves this bound out)',
});
