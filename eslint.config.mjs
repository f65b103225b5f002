import communityNodes from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import jsoncParser from 'jsonc-eslint-parser';
import tseslint from 'typescript-eslint';

const n8nBase = (name) => n8nNodesBase.configs[name].rules;
const typescript = { parser: tseslint.parser, parserOptions: { project: './tsconfig.json', sourceType: 'module' } };
const code = ['credentials/**/*.ts', 'nodes/**/*.ts'];

export default [
	{ ignores: ['dist/**', 'build/**', 'node_modules/**', 'test/**', 'demo/**', 'bench/**', 'examples/**', '*.js', '*.mjs'] },
	{
		files: ['package.json'],
		languageOptions: { parser: jsoncParser },
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nBase('community'),
	},
	{ files: code, languageOptions: typescript, plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nBase('credentials'),
			// Only for credentials inside n8n's main repository; community packages give a URL, as
			// @n8n/community-nodes/credential-documentation-url requires.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nBase('nodes'),
			// Superseded by @n8n/community-nodes/node-connection-type-literal, which asks for NodeConnectionTypes.Main.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	{ ...communityNodes.configs.recommended, files: code, languageOptions: typescript },
	{
		...communityNodes.configs.recommended,
		files: ['package.json'],
		languageOptions: { parser: tseslint.parser },
		rules: {
			...communityNodes.configs.recommended.rules,
			// By design: @azure/msal-node and axios are runtime dependencies (README: not for n8n's verified list).
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['nodes/shared/transport/**/*.ts'],
		rules: {
			// The transport is where the two runtime dependencies (msal-node, axios) and the https/tls agent they need live.
			'@n8n/community-nodes/no-restricted-imports': 'off',
		},
	},
	{
		files: ['nodes/shared/transport/proxy.ts'],
		rules: {
			// The HTTP stack honours HTTPS_PROXY / NO_PROXY, which only process.env holds.
			'@n8n/community-nodes/no-restricted-globals': 'off',
		},
	},
	{
		files: ['nodes/TeamsCall/TeamsCall.node.ts', 'nodes/TeamsCallParticipant/TeamsCallParticipant.node.ts'],
		rules: {
			// Each node is one resource (a call, a call's participant), as the package's two nodes split them; a Resource
			// parameter with a single choice would only add a click.
			'@n8n/community-nodes/resource-operation-pattern': 'off',
		},
	},
];
