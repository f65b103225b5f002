/** Graph URLs: built from percent-encoded segments so that no id can change the path, and checked against the Graph origin. */

export class UnsafeUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsafeUrlError';
	}
}

/** An OData function as a path segment, e.g. `getPstnCalls(fromDateTime=…,toDateTime=…)`; its arguments are UTC date-times. */
export interface ODataFunctionCall {
	name: string;
	dateTimes: Record<string, string>;
}

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const UTC_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z$/;
const QUERY_NAME = /^\$?[A-Za-z][A-Za-z0-9]*$/;

function functionSegment(call: ODataFunctionCall): string {
	if (!FUNCTION_NAME.test(call.name)) throw new UnsafeUrlError(`"${call.name}" is not a function name`);
	const args = Object.entries(call.dateTimes).map(([name, value]) => {
		if (!FUNCTION_NAME.test(name) || !UTC_DATE_TIME.test(value)) throw new UnsafeUrlError(`"${name}=${value}" is not a date-time argument`);
		return `${name}=${value}`;
	});
	return `${call.name}(${args.join(',')})`;
}

/**
 * `{graphBaseUrl}/v1.0/seg/seg…?$name=value`: each segment percent-encoded (`.` and `..` refused: they cannot name a
 * resource), an OData function written as OData wants it; query names as Graph spells them (`$filter`), values
 * percent-encoded (spaces as %20).
 */
export function graphUrl(
	graphBaseUrl: string,
	segments: ReadonlyArray<string | ODataFunctionCall>,
	query?: Record<string, string>,
): string {
	const path = segments
		.map((segment) => {
			if (typeof segment !== 'string') return functionSegment(segment);
			if (segment === '' || segment === '.' || segment === '..') {
				throw new UnsafeUrlError(`"${segment}" cannot be used as an id in a Graph URL`);
			}
			return encodeURIComponent(segment);
		})
		.join('/');
	const pairs = Object.entries(query ?? {}).map(([name, value]) => {
		if (!QUERY_NAME.test(name)) throw new UnsafeUrlError(`"${name}" is not a query parameter name`);
		return `${name}=${encodeURIComponent(value)}`;
	});
	return `${graphBaseUrl}/v1.0/${path}${pairs.length ? `?${pairs.join('&')}` : ''}`;
}

/** A URL Graph handed back (Location, @odata.nextLink): accepted only on the configured Graph origin, over https. */
export function sameOriginUrl(candidate: string, graphBaseUrl: string, what: string): string {
	const url = URL.canParse(candidate, `${graphBaseUrl}/`) ? new URL(candidate, `${graphBaseUrl}/`) : undefined;
	if (!url) throw new UnsafeUrlError(`the ${what} URL returned by Graph is not a valid URL`);
	const graphOrigin = new URL(graphBaseUrl).origin;
	if (url.origin !== graphOrigin || url.protocol !== 'https:') {
		throw new UnsafeUrlError(
			`the ${what} URL returned by Graph points at ${url.origin}, not at the configured Graph host ${graphOrigin}; it was not requested, so that the access token stays with Graph`,
		);
	}
	return url.toString();
}
