import type { IDataObject } from 'n8n-workflow';

import { flatIdentity, identityOf } from '../actions/identity';

/**
 * A call record flattened: what it was, when, how long, who organized it and (when known: Get counts them, Graph's
 * list carries no participants) how many took part. Nothing else of the record is kept: no sessions, no legacy fields.
 */
export function simplifyCallRecord(record: IDataObject, participantCount?: number): IDataObject {
	const start = Date.parse(String(record.startDateTime));
	const end = Date.parse(String(record.endDateTime));
	const organizer = record.organizer_v2 as IDataObject | null | undefined;
	return {
		id: record.id ?? null,
		type: record.type ?? null,
		modalities: record.modalities ?? [],
		startDateTime: record.startDateTime ?? null,
		endDateTime: record.endDateTime ?? null,
		durationSeconds: Number.isFinite(start) && Number.isFinite(end) ? Math.round((end - start) / 1000) : null,
		organizer: organizer ? flatIdentity(identityOf(organizer.identity)) : null,
		...(participantCount === undefined ? {} : { participantCount }),
		version: record.version ?? null,
	};
}
