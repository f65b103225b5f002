/**
 * Checks a JSON value against a type of Graph's schema (schemaTypes.ts). Each mismatch names the JSON path and the rule:
 * - closed-type-property: a property a closed type does not declare;
 * - open-type-extra: a property an open type does not declare and openTypeExtras.ts does not allow;
 * - value-type: a value of the wrong JSON kind (string, integer, boolean, object, collection);
 * - not-nullable: null where the type is marked `!`;
 * - enum-member: not a member of the enum (compared case-insensitively: Graph writes "Running" and "running");
 * - odata-type: `@odata.type` naming an unknown type, or one that is not the declared type or derived from it;
 * - abstract-type: a value of an abstract type without `@odata.type` naming a concrete one;
 * - required-parameter / unknown-parameter: an action's body lacks a `!` parameter or has one the action does not take;
 * - missing-property (only for whole resources, i.e. answers): a `!` property left out;
 * - no-contract: an emulated route that routeContracts.ts does not map to the schema yet.
 */
import { allowedExtra } from './openTypeExtras';
import { actionNamed, derivesFrom, enumNamed, isOpen, parseReference, navigationOf, propertiesOf, typeChain, typeNamed, type TypeReference } from './schemaTypes';

export type Rule =
	| 'closed-type-property'
	| 'open-type-extra'
	| 'value-type'
	| 'not-nullable'
	| 'enum-member'
	| 'odata-type'
	| 'abstract-type'
	| 'required-parameter'
	| 'unknown-parameter'
	| 'missing-property'
	| 'no-contract';

export interface Violation {
	path: string;
	rule: Rule;
	message: string;
}

const GUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const INTEGER_RANGE: Record<string, number> = { 'Edm.Int32': 2 ** 31, 'Edm.Int64': Number.MAX_SAFE_INTEGER };

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
	return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function memberPath(path: string, name: string): string {
	return /^[A-Za-z_][\w]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function primitiveProblem(name: string, value: unknown): string | undefined {
	switch (name) {
		case 'Edm.Untyped':
			return undefined;
		case 'Edm.String':
		case 'Edm.Duration':
		case 'Edm.Stream':
			return typeof value === 'string' ? undefined : `must be a string, got ${kindOf(value)}`;
		case 'Edm.Guid':
			return typeof value === 'string' && GUID.test(value) ? undefined : `must be a GUID string, got ${JSON.stringify(value)}`;
		case 'Edm.DateTimeOffset':
			return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : `must be a date-time string, got ${JSON.stringify(value)}`;
		case 'Edm.Boolean':
			return typeof value === 'boolean' ? undefined : `must be a boolean, got ${kindOf(value)}`;
		case 'Edm.Int32':
		case 'Edm.Int64': {
			// Int64 may be written as a string of digits (OData's IEEE754Compatible form; deltaParticipants' page does).
			const number = name === 'Edm.Int64' && typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
			return typeof number === 'number' && Number.isInteger(number) && Math.abs(number) < INTEGER_RANGE[name] ? undefined : `must be an ${name} integer, got ${JSON.stringify(value)}`;
		}
		case 'Edm.Double':
			return typeof value === 'number' ? undefined : `must be a number, got ${kindOf(value)}`;
		case 'Edm.Decimal':
			// JSON writes a decimal as a number, or as a string of digits in OData's IEEE754Compatible form.
			return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) ? undefined : `must be a decimal number, got ${JSON.stringify(value)}`;
		default:
			return `has the unknown primitive type ${name}`;
	}
}

class Checker {
	readonly violations: Violation[] = [];

	/** `whole`: values are whole resources (an answer), not parts (a notification's resourceData, a request). */
	constructor(private readonly whole = false) {}

	report(path: string, rule: Rule, message: string): void {
		this.violations.push({ path, rule, message });
	}

	reference(value: unknown, reference: TypeReference, path: string): void {
		if (value === null) {
			if (!reference.nullable) this.report(path, 'not-nullable', `may not be null (${reference.name}${reference.collection ? ' collection' : ''})`);
			return;
		}
		if (reference.collection) {
			if (!Array.isArray(value)) {
				this.report(path, 'value-type', `must be a collection of ${reference.name}, got ${kindOf(value)}`);
				return;
			}
			value.forEach((entry, index) => this.single(entry, reference.name, `${path}[${index}]`, false));
			return;
		}
		this.single(value, reference.name, path, reference.nullable);
	}

	single(value: unknown, name: string, path: string, nullable: boolean): void {
		if (value === null) {
			if (!nullable) this.report(path, 'not-nullable', `may not be null (${name})`);
			return;
		}
		if (name.startsWith('Edm.')) {
			const problem = primitiveProblem(name, value);
			if (problem) this.report(path, 'value-type', problem);
			return;
		}
		const members = enumNamed(name);
		if (members) {
			if (typeof value !== 'string') this.report(path, 'value-type', `must be a ${name} member (a string), got ${kindOf(value)}`);
			else if (!members.some((member) => member.toLowerCase() === value.toLowerCase())) {
				this.report(path, 'enum-member', `"${value}" is not one of ${name}: ${members.join(', ')}`);
			}
			return;
		}
		if (!typeNamed(name)) {
			this.report(path, 'odata-type', `is declared with the unknown type ${name}`);
			return;
		}
		if (!isRecord(value)) {
			this.report(path, 'value-type', `must be an object (${name}), got ${kindOf(value)}`);
			return;
		}
		this.structured(value, this.actualType(value, name, path), path);
	}

	/** The declared type, or the derived one `@odata.type` names. */
	actualType(value: Record<string, unknown>, declared: string, path: string): string {
		const annotation = value['@odata.type'];
		if (annotation === undefined) {
			if (typeNamed(declared)?.abstract) this.report(path, 'abstract-type', `${declared} is abstract: @odata.type must name a concrete type derived from it`);
			return declared;
		}
		const named = typeof annotation === 'string' ? annotation.replace(/^#/, '') : '';
		if (!typeNamed(named)) {
			this.report(memberPath(path, '@odata.type'), 'odata-type', `${JSON.stringify(annotation)} is not a type of the schema (declared: ${declared})`);
			return declared;
		}
		if (!derivesFrom(named, declared)) {
			this.report(memberPath(path, '@odata.type'), 'odata-type', `${named} is neither ${declared} nor derived from it`);
			return declared;
		}
		if (typeNamed(named)?.abstract) this.report(memberPath(path, '@odata.type'), 'abstract-type', `${named} is abstract`);
		return named;
	}

	structured(value: Record<string, unknown>, type: string, path: string): void {
		const declared = propertiesOf(type);
		const expandable = navigationOf(type);
		const chain = typeChain(type);
		if (this.whole) {
			for (const [property, reference] of Object.entries(declared)) {
				if (reference.endsWith('!') && !(property in value)) this.report(memberPath(path, property), 'missing-property', `${type} requires "${property}" (${reference})`);
			}
		}
		for (const [property, propertyValue] of Object.entries(value)) {
			if (property.startsWith('@') || property.includes('@')) continue; // annotations: @odata.type, @odata.context, x@odata.type
			const where = memberPath(path, property);
			const reference = declared[property] ?? expandable[property];
			if (reference !== undefined) {
				this.reference(propertyValue, parseReference(reference), where);
				continue;
			}
			if (!isOpen(type)) {
				this.report(where, 'closed-type-property', `${type} is closed and declares no property "${property}"`);
				continue;
			}
			const extra = allowedExtra(chain, property);
			if (!extra) {
				this.report(where, 'open-type-extra', `${type} is open but "${property}" is not declared nor on the allow-list (openTypeExtras.ts)`);
				continue;
			}
			this.reference(propertyValue, { ...parseReference(extra.type), nullable: true }, where);
		}
	}
}

/**
 * Mismatches of `value` against a type reference of the schema (e.g. `microsoft.graph.call`,
 * `Collection(microsoft.graph.participant)`); with `whole` (an answer), `!` properties must be present too.
 */
export function checkValue(value: unknown, reference: string, path = '$', whole = false): Violation[] {
	const checker = new Checker(whole);
	checker.reference(value, parseReference(reference), path);
	return checker.violations;
}

/** Mismatches of an action's request body against the action's parameters (bound to `boundTo`). */
export function checkActionBody(action: string, boundTo: string, body: unknown, path = '$'): Violation[] {
	const definition = actionNamed(action, boundTo);
	if (!definition) throw new Error(`The schema has no action ${action} bound to ${boundTo}`);
	const checker = new Checker();
	const fields = body === undefined ? {} : body;
	if (!isRecord(fields)) {
		checker.report(path, 'value-type', `${action}'s body must be an object, got ${kindOf(fields)}`);
		return checker.violations;
	}
	for (const [name, reference] of Object.entries(definition.parameters)) {
		if (reference.endsWith('!') && (fields[name] === undefined || fields[name] === null)) {
			checker.report(memberPath(path, name), 'required-parameter', `${action} requires the parameter "${name}" (${reference})`);
		}
	}
	for (const [name, value] of Object.entries(fields)) {
		if (name.startsWith('@')) continue;
		const reference = definition.parameters[name];
		if (reference === undefined) checker.report(memberPath(path, name), 'unknown-parameter', `${action} takes no parameter "${name}" (it takes: ${Object.keys(definition.parameters).join(', ') || 'none'})`);
		else if (value !== undefined && !(value === null && reference.endsWith('!'))) checker.reference(value, parseReference(reference), memberPath(path, name));
	}
	return checker.violations;
}

export function describeViolation(violation: Violation): string {
	return `${violation.path}: [${violation.rule}] ${violation.message}`;
}
