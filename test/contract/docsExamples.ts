/**
 * The docs replay set (test/contract/docs/*.json): requests, responses and notifications copied from Graph's API pages
 * (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0/api/), each file naming its page and commit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { CallEvent } from '../../nodes/shared/notifications/callEvents';

interface BaseExample {
	name: string;
	/** The page the example is on (filled in from its file). */
	page: string;
}

export type DocsExample = BaseExample &
	(
		| { kind: 'request'; route: string; body?: unknown }
		| { kind: 'response'; route: string; body: unknown }
		/** `events`: what a reader of the page expects the trigger to fire; `pending`: why it does not (yet). */
		| { kind: 'notification'; body: unknown; events: CallEvent[]; pending?: string }
	);

interface DocsPage {
	page: string;
	repository: string;
	commit: string;
	examples: Array<Omit<DocsExample, 'page'>>;
}

export const DOCS_DIR = join(__dirname, 'docs');

export function docsExamples(): DocsExample[] {
	return readdirSync(DOCS_DIR)
		.filter((name) => name.endsWith('.json'))
		.sort()
		.flatMap((name) => {
			const page = JSON.parse(readFileSync(join(DOCS_DIR, name), 'utf8')) as DocsPage;
			return page.examples.map((example) => ({ ...example, page: `${page.repository} ${page.page}@${page.commit.slice(0, 8)}` }) as DocsExample);
		});
}

export function examplesOf<K extends DocsExample['kind']>(kind: K): Array<Extract<DocsExample, { kind: K }>> {
	return docsExamples().filter((example): example is Extract<DocsExample, { kind: K }> => example.kind === kind);
}
