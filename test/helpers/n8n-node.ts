/** One of our nodes as n8n holds it in a workflow: parameters completed from the description's defaults. */
import {
	NodeHelpers,
	type INode,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

export function nodeOf(
	nodeType: INodeType,
	parameters: INodeParameters,
	extra: Partial<INode> = {},
): { node: INode; nodeTypes: INodeTypes } {
	const { description } = nodeType;
	const typeVersion = extra.typeVersion ?? 1;
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'node-1',
		name: description.displayName,
		type: `n8n-nodes-sip-caller.${description.name}`,
		typeVersion,
		position: [0, 0],
		parameters: NodeHelpers.getNodeParameters(
			description.properties,
			parameters,
			true,
			false,
			{ typeVersion },
			description,
		)!,
		...extra,
	};
	return { node, nodeTypes };
}
