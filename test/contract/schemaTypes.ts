/**
 * Graph v1.0's own type definitions for calls, participants, operations and notifications (graph-v1.0-comms.schema.json,
 * extracted from Graph's CSDL: microsoftgraph/msgraph-metadata clean_v10_metadata/cleanMetadata.xml, MIT), read as a
 * lookup: types with their base, open or not, properties with their type references; enums; bound actions.
 */
import schema from './graph-v1.0-comms.schema.json';

export interface TypeDefinition {
	kind: 'entity' | 'complex';
	base?: string;
	open?: boolean;
	abstract?: boolean;
	properties: Record<string, string>;
	navigation?: Record<string, string>;
}

export interface ActionDefinition {
	name: string;
	boundTo: string;
	parameters: Record<string, string>;
	returns: string | null;
}

/** A property's or parameter's type as the schema writes it: `Collection(microsoft.graph.x)!`, `Edm.String`. */
export interface TypeReference {
	name: string;
	collection: boolean;
	/** `!`: the value may not be null (and an action parameter must be given). */
	nullable: boolean;
}

/**
 * Types Graph documents on its v1.0 pages that the extracted CSDL lacks. deltaParticipants: the roster notification of
 * large meetings, api-reference/v1.0/resources/deltaparticipants.md (sequenceNumber; relationship participants).
 */
const DOCUMENTED_ONLY: Record<string, TypeDefinition> = {
	'microsoft.graph.deltaParticipants': {
		kind: 'complex',
		properties: { sequenceNumber: 'Edm.Int64', participants: 'Collection(microsoft.graph.participant)' },
	},
};

const TYPES: Record<string, TypeDefinition> = { ...(schema.types as Record<string, TypeDefinition>), ...DOCUMENTED_ONLY };
const ENUMS = schema.enums as Record<string, string[]>;
const ACTIONS = schema.actions as ActionDefinition[];

export const SCHEMA_SOURCE = schema.source;

export function parseReference(reference: string): TypeReference {
	const nullable = !reference.endsWith('!');
	const bare = nullable ? reference : reference.slice(0, -1);
	const match = /^Collection\((.+)\)$/.exec(bare);
	return { name: match ? match[1] : bare, collection: match !== null, nullable };
}

export function typeNamed(name: string): TypeDefinition | undefined {
	return TYPES[name];
}

export function enumNamed(name: string): string[] | undefined {
	return ENUMS[name];
}

/** The type and its bases, most derived first. */
export function typeChain(name: string): string[] {
	const chain: string[] = [];
	for (let current: string | undefined = name; current && !chain.includes(current); current = TYPES[current]?.base) chain.push(current);
	return chain;
}

/** Whether `name` is `ancestor` or derives from it. */
export function derivesFrom(name: string, ancestor: string): boolean {
	return typeChain(name).includes(ancestor);
}

/** Every declared property of a type, its bases' included. */
export function propertiesOf(name: string): Record<string, string> {
	const properties: Record<string, string> = {};
	for (const type of typeChain(name).reverse()) Object.assign(properties, TYPES[type]?.properties ?? {});
	return properties;
}

/** Navigation properties (entities Graph returns only when `$expand` asks for them), of the type and its bases. */
export function navigationOf(name: string): Record<string, string> {
	const navigation: Record<string, string> = {};
	for (const type of typeChain(name).reverse()) Object.assign(navigation, TYPES[type]?.navigation ?? {});
	return navigation;
}

export function isOpen(name: string): boolean {
	return typeChain(name).some((type) => TYPES[type]?.open === true);
}

export function actionNamed(name: string, boundTo: string): ActionDefinition | undefined {
	return ACTIONS.find((action) => action.name === name && action.boundTo === boundTo);
}
