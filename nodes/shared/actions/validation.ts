import type { INode } from 'n8n-workflow';

import { operationError } from '../transport/nodeErrors';

/** Checks on user input, made before any request. Each message names the parameter and the item. */

const SAFE_ID = /^[A-Za-z0-9_\-.:=+~@]+$/;
const E164 = /^\+[1-9]\d{6,14}$/;
export const MAX_CLIENT_CONTEXT = 256;
export const MAX_INVITEES = 5;

export function inputError(node: INode, itemIndex: number, parameter: string, problem: string, description?: string) {
	return operationError(node, `${parameter} (item ${itemIndex}): ${problem}`, { itemIndex, description });
}

function shown(value: string): string {
	return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

/** An ID used as a URL path segment: non-empty after trimming, not `.`/`..`, and only characters Graph IDs use. */
export function requireId(node: INode, itemIndex: number, parameter: string, value: unknown): string {
	if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
		throw inputError(node, itemIndex, parameter, `must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	const id = String(value ?? '').trim();
	if (!id) throw inputError(node, itemIndex, parameter, 'is empty', 'Give the ID, or map it from an earlier node with an expression.');
	if (id === '.' || id === '..') throw inputError(node, itemIndex, parameter, `${shown(id)} is not an ID`);
	if (!SAFE_ID.test(id)) {
		const bad = [...id].find((character) => !SAFE_ID.test(character)) ?? '';
		const what = /[\r\n]/.test(bad) ? 'a line break' : /\s/.test(bad) ? 'a space' : `the character ${JSON.stringify(bad)}`;
		throw inputError(
			node,
			itemIndex,
			parameter,
			`${shown(id)} contains ${what}; Graph IDs use only letters, digits and - _ . : = + ~ @`,
			'Check that the expression gives the bare ID (for example a GUID), not a URL or a display name.',
		);
	}
	return id;
}

export function requirePhoneNumber(node: INode, itemIndex: number, parameter: string, value: string): string {
	const phone = value.trim();
	if (!E164.test(phone)) {
		throw inputError(
			node,
			itemIndex,
			parameter,
			`${shown(phone)} is not a phone number in E.164 form (+, country code and number, 7 to 15 digits, e.g. +12065550100)`,
		);
	}
	return phone;
}

export function checkClientContext(node: INode, itemIndex: number, value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value !== 'string') throw inputError(node, itemIndex, 'Client Context', 'must be text');
	if (value.length > MAX_CLIENT_CONTEXT) {
		throw inputError(node, itemIndex, 'Client Context', `is ${value.length} characters long; Graph accepts at most ${MAX_CLIENT_CONTEXT}`);
	}
	return value;
}

/** A whole number within bounds (Limit, Wait Timeout): NaN or a fraction would silently change what the node does. */
export function requireWholeNumber(node: INode, itemIndex: number, parameter: string, value: unknown, min: number, max = Infinity): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
		const range = max === Infinity ? `of ${min} or more` : `from ${min} to ${max}`;
		throw inputError(node, itemIndex, parameter, `must be a whole number ${range} (got ${JSON.stringify(value) ?? String(value)})`);
	}
	return number;
}
