/**
 * A commsNotifications body checked against the schema: the envelope, each commsNotification, and its resourceData by
 * the resource it names (Graph's CSDL leaves resourceData untyped): the call; the participants (a list of participants,
 * or a deltaParticipants); an operation (a commsOperation or a type derived from it).
 */
import { checkValue, type Violation } from './checkValue';

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema type of a notification's resourceData, from the resource URL (`/communications/calls/{id}/…` or `/app/calls/{id}/…`). */
export function resourceDataType(resourceUrl: string, resourceData: unknown): string | undefined {
	const rest = /\/calls\/[^/?#]+(.*)$/.exec(resourceUrl)?.[1] ?? '';
	if (rest === '' || rest === '/') return 'microsoft.graph.call';
	if (/^\/participants\/?$/.test(rest)) return Array.isArray(resourceData) ? 'Collection(microsoft.graph.participant)' : 'microsoft.graph.deltaParticipants';
	if (/^\/operations\/[^/]+$/.test(rest)) return 'microsoft.graph.commsOperation';
	return undefined;
}

export function checkNotifications(body: unknown, path = '$'): Violation[] {
	const violations = checkValue(body, 'microsoft.graph.commsNotifications', path);
	const value = isRecord(body) && Array.isArray(body.value) ? body.value : [];
	value.forEach((entry, index) => {
		if (!isRecord(entry) || typeof entry.resourceUrl !== 'string' || entry.resourceData === undefined) return;
		const type = resourceDataType(entry.resourceUrl, entry.resourceData);
		const where = `${path}.value[${index}].resourceData`;
		if (type === undefined) {
			violations.push({ path: `${path}.value[${index}].resourceUrl`, rule: 'value-type', message: `names no resource this package reads: ${entry.resourceUrl}` });
			return;
		}
		violations.push(...checkValue(entry.resourceData, type, where));
	});
	return violations;
}
