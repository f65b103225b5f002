import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `n8n import:workflow` keeps a workflow's `id`. n8n 1.x treats an ID longer than 16 characters (its own IDs' length) as
 * no workflow's ID: it saves no static data for it (a Teams Call Trigger's memory is lost at every restart) and links
 * no execution to it (`isWorkflowIdValid` in n8n 1.123's utils.js: `id.length <= 16`; 2.x allows 21). So every
 * example's ID is one n8n itself could have made.
 */
const dir = join(__dirname, '..', 'examples');
const examples = readdirSync(dir)
	.filter((file) => file.endsWith('.workflow.json'))
	.map((file) => ({ file, id: (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { id?: unknown }).id }));

it.each(examples)('$file has an ID that n8n 1.x and 2.x both accept (1 to 16 letters and digits)', ({ id }) => {
	expect(id).toMatch(/^[A-Za-z0-9]{1,16}$/);
});

it('the examples have different IDs (an import would replace one with another)', () => {
	expect(examples.length).toBeGreaterThan(10);
	expect(new Set(examples.map((example) => example.id)).size).toBe(examples.length);
});
