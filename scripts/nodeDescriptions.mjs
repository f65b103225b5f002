/**
 * What the editor should show for a node, read from its built description (dist/): its operations, and which
 * parameters are visible for given values (n8n's displayOptions: show / hide, on the node's top-level parameters).
 */

/** The options of the node's Operation parameter ([] when it has none). */
export function operationsOf(description) {
	const operation = description.properties.find((p) => p.name === 'operation' && p.type === 'options');
	return operation?.options ?? [];
}

function matches(condition, value) {
	return Array.isArray(condition) ? condition.some((allowed) => allowed === value) : condition === value;
}

/** Whether a parameter's displayOptions let it show for these values (unset values take their defaults). */
function shown(property, values, typeVersion) {
	const { show, hide } = property.displayOptions ?? {};
	const valueOf = (name) => (name === '@version' ? typeVersion : values[name]);
	if (show && !Object.entries(show).every(([name, condition]) => matches(condition, valueOf(name)))) return false;
	if (hide && Object.entries(hide).some(([name, condition]) => matches(condition, valueOf(name)))) return false;
	return true;
}

/** The top-level parameters visible for `values` (the others at their defaults), in description order. */
export function visibleProperties(description, values) {
	const typeVersion = Array.isArray(description.version) ? Math.max(...description.version) : description.version ?? 1;
	const all = { ...Object.fromEntries(description.properties.map((p) => [p.name, p.default])), ...values };
	// Defaults of parameters that are not shown do not count: settle visibility, then the values of what shows.
	let visible = description.properties;
	for (let round = 0; round < 5; round++) {
		const current = Object.fromEntries(visible.map((p) => [p.name, all[p.name]]));
		const next = description.properties.filter((p) => shown(p, current, typeVersion));
		if (next.length === visible.length && next.every((p, i) => p === visible[i])) break;
		visible = next;
	}
	return visible;
}
