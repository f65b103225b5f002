import type { IDataObject } from 'n8n-workflow';

import type { GraphClient, GraphRequest } from './graphClient';

/** A GET of a Graph collection, first page; later pages are the `@odata.nextLink`s Graph hands back (same origin only). */
export interface PagedRequest extends Omit<GraphRequest, 'method' | 'idempotent' | 'body'> {
	/**
	 * Where the first page keeps its items and its next link when they are not `value` / `@odata.nextLink`: an
	 * expanded collection inside an entity (`sessions`, `sessions@odata.nextLink`). Later pages are plain collections.
	 */
	firstPage?: { itemsKey: string; nextLinkKey: string };
}

export interface Page {
	items: IDataObject[];
	/** The whole answer (the first page of an expansion holds the entity itself). */
	body: IDataObject;
}

function itemsOf(body: IDataObject, key: string): IDataObject[] {
	const items = body[key];
	return Array.isArray(items) ? (items as IDataObject[]) : [];
}

function linkOf(body: IDataObject, key: string): string | undefined {
	const link = body[key];
	return typeof link === 'string' && link ? link : undefined;
}

/**
 * Every page of a collection, one request per page, in Graph's order; stops when Graph gives no next link or when
 * the caller stops asking (a Limit reached): no page is requested that is not used.
 */
export async function* graphPages(graph: GraphClient, request: PagedRequest): AsyncGenerator<Page> {
	const { firstPage, ...first } = request;
	let itemsKey = firstPage?.itemsKey ?? 'value';
	let nextLinkKey = firstPage?.nextLinkKey ?? '@odata.nextLink';
	let next: GraphRequest | undefined = { ...first, method: 'GET', idempotent: true };
	while (next) {
		const response = await graph.request(next);
		const body = response.body ?? {};
		yield { items: itemsOf(body, itemsKey), body };
		const link = linkOf(body, nextLinkKey);
		next = link
			? { action: request.action, itemIndex: request.itemIndex, method: 'GET', idempotent: true, path: { url: link, what: 'next page (@odata.nextLink)' } }
			: undefined;
		itemsKey = 'value';
		nextLinkKey = '@odata.nextLink';
	}
}

/**
 * All items of a collection (every page), or the first `limit`; with `map`, each page's items mapped as the page
 * comes, so that no raw item is kept beside what is returned.
 */
export async function allItems(
	graph: GraphClient,
	request: PagedRequest,
	limit = Infinity,
	map: (item: IDataObject) => IDataObject = (item) => item,
): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	if (limit <= 0) return items;
	for await (const page of graphPages(graph, request)) {
		for (const item of page.items) {
			if (items.length >= limit) return items;
			items.push(map(item));
		}
	}
	return items;
}
