const DASHED_GUID = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

/**
 * One spelling per call, for remembering and comparing calls: Graph writes the same call's GUID with dashes or as 32 hex
 * digits without them, in either case (call-answer.md and call-subscribetotone.md show 57DAB8B1894C409AB240BD8BEAE78896
 * and 57dab8b1-894c-409a-b240-bd8beae78896). A GUID becomes lower case with dashes; any other ID stays as it is.
 */
export function callKey(callId: string): string {
	const parts = DASHED_GUID.exec(callId);
	if (!parts) return callId;
	const dashes = callId.split('-').length - 1;
	if (dashes !== 0 && dashes !== 4) return callId;
	return parts.slice(1).join('-').toLowerCase();
}
