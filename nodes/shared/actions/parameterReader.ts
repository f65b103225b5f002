import * as n8nWorkflow from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

/** `={{ $json.a.b }}`, `={{ $json["a b"][0] }}`: an expression that only reads the item's own JSON. */
const ITEM_PATH_EXPRESSION = /^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\d+\]|\["[^"\\]*"\]|\['[^'\\]*'\])+)\s*\}\}$/;
const PATH_SEGMENT = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\["([^"\\]*)"\]|\['([^'\\]*)'\]/g;

type Accessor = (json: IDataObject) => unknown;

/**
 * Whether n8n's expression sandbox reads this name like any other (it refuses `caller`, `constructor`, `binding`, …).
 * The list is n8n's own (n8n-workflow `isSafeObjectProperty`, in the n8n that runs the node); an n8n-workflow too old
 * to have it answers "no" for every name, so that every expression goes to n8n.
 */
function readsLikeAnyName(key: string): boolean {
	const isSafe = (n8nWorkflow as { isSafeObjectProperty?: (name: string) => boolean }).isSafeObjectProperty;
	return typeof isSafe === 'function' && isSafe(key);
}

/** Compiles `$json…` into a walk over the item's JSON, or undefined when the text is anything else. */
function compileItemPath(raw: unknown): Accessor | undefined {
	if (typeof raw !== 'string') return undefined;
	const match = ITEM_PATH_EXPRESSION.exec(raw);
	if (!match) return undefined;
	const keys = [...match[1].matchAll(PATH_SEGMENT)].map((segment) => segment[1] ?? segment[2] ?? segment[3] ?? segment[4]);
	// A name n8n treats specially is left to n8n, which answers it (with its own error).
	if (!keys.every(readsLikeAnyName)) return undefined;
	return (json) => {
		let value: unknown = json;
		for (const key of keys) {
			if (value === null || typeof value !== 'object') return undefined;
			value = (value as Record<string, unknown>)[key];
		}
		return value;
	};
}

function rawExpressionOf(raw: unknown): unknown {
	// A resource locator keeps its expression in `value`.
	return raw && typeof raw === 'object' && (raw as IDataObject).__rl === true ? (raw as IDataObject).value : raw;
}

/**
 * Reads an item's parameters once per run's worth of setup. n8n 2.x evaluates every expression in an isolate,
 * about 0.7 ms each; an expression that only reads `$json.path` is answered from the item directly when the value
 * there is plain text or a number, which is exactly what n8n would return. Anything else goes through
 * getNodeParameter, so n8n's semantics (errors included) are untouched.
 */
export class ParameterReader {
	/** The node, read once (n8n copies it on every getNode()). */
	readonly node: INode;
	private readonly items: INodeExecutionData[];
	private readonly accessors = new Map<string, Accessor | undefined>();

	constructor(private readonly n8n: IExecuteFunctions) {
		this.node = n8n.getNode();
		this.items = n8n.getInputData();
	}

	value(name: string, itemIndex: number, fallback: unknown = ''): unknown {
		if (!this.accessors.has(name)) this.accessors.set(name, compileItemPath(rawExpressionOf(this.node.parameters[name])));
		const accessor = this.accessors.get(name);
		const json = this.items[itemIndex]?.json;
		if (accessor && json) {
			const value = accessor(json);
			if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
		}
		return this.n8n.getNodeParameter(name, itemIndex, fallback, { extractValue: true });
	}
}
