/** Graph URLs: built from percent-encoded segments so that no id can change the path, and checked against the Graph origin. */

export class UnsafeUrlError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsafeUrlError';
	}
}

/** `{graphBaseUrl}/v1.0/seg/seg…`: each segment percent-encoded; `.` and `..` refused (they cannot name a resource). */
export function graphUrl(graphBaseUrl: string, segments: readonly string[], query?: Record<string, string>): string {
	const path = segments
		.map((segment) => {
			if (segment === '' || segment === '.' || segment === '..') {
				throw new UnsafeUrlError(`"${segment}" cannot be used as an id in a Graph URL`);
			}
			return encodeURIComponent(segment);
		})
		.join('/');
	const search = query && Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
	return `${graphBaseUrl}/v1.0/${path}${search}`;
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
