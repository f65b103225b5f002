import type { INode } from 'n8n-workflow';

import { inputError } from '../../../shared/actions/validation';

/** Keys as people type them (`123#`) and Graph's tone names (`tone1`, `tone2`, `tone3`, `pound`). */

const TONE_OF_KEY: Record<string, string> = {
	...Object.fromEntries([...'0123456789'].map((digit) => [digit, `tone${digit}`])),
	'*': 'star',
	'#': 'pound',
	A: 'a',
	B: 'b',
	C: 'c',
	D: 'd',
};

export const KEYS = '0–9, *, #, A–D';

/** `123#` → ['tone1', 'tone2', 'tone3', 'pound']; spaces and dashes between keys are ignored, a–d read as A–D. */
export function tonesOf(node: INode, itemIndex: number, parameter: string, value: unknown): string[] {
	if (typeof value !== 'string' && typeof value !== 'number') {
		throw inputError(node, itemIndex, parameter, `must be text such as 123#, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	const keys = [...String(value).replace(/[\s-]+/g, '').toUpperCase()];
	if (!keys.length) throw inputError(node, itemIndex, parameter, `is empty; give the keys to press, e.g. 123# (${KEYS})`);
	const bad = keys.find((key) => !Object.hasOwn(TONE_OF_KEY, key));
	if (bad !== undefined) throw inputError(node, itemIndex, parameter, `${JSON.stringify(bad)} is not a key; use only ${KEYS}`);
	return keys.map((key) => TONE_OF_KEY[key]);
}

/** Stop Tones of recordResponse: the keys as typed (Graph's example sends key characters), each checked. */
export function stopKeysOf(node: INode, itemIndex: number, parameter: string, value: unknown): string[] {
	if (value === undefined || value === null || value === '') return [];
	tonesOf(node, itemIndex, parameter, value);
	return [...String(value).replace(/[\s-]+/g, '').toUpperCase()];
}
