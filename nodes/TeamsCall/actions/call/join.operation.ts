import type { IDataObject, INode } from 'n8n-workflow';

import { inputError } from '../../../shared/actions/validation';
import type { Operation, OperationContext } from '../../../shared/actions/types';
import { callbackUrlField, callOptions, newCall, placeCall } from './callSetup';
import { JOIN_MEETING } from '../hints';
import { ACCEPTED_LINKS, type JoinLink, JoinLinkError, meetingIdProblem, parseJoinLink, passcodeProblem } from './joinLink';

const show = (joinBy?: string) => ({ show: joinBy ? { operation: ['join'], joinBy: [joinBy] } : { operation: ['join'] } });
const TENANT = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$/i;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

function linkOf(node: INode, itemIndex: number, value: unknown): JoinLink {
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw inputError(node, itemIndex, 'Join URL', `must be text, got ${Array.isArray(value) ? 'a list' : typeof value}`);
	}
	try {
		return parseJoinLink(String(value ?? ''));
	} catch (error) {
		const problem = error instanceof JoinLinkError ? error.message : 'could not be read';
		throw inputError(node, itemIndex, 'Join URL', `${problem}. Accepted: ${ACCEPTED_LINKS}`);
	}
}

function checkedMeetingId(node: INode, itemIndex: number, value: unknown): string {
	const raw = text(value);
	if (!raw) throw inputError(node, itemIndex, 'Meeting ID', 'is empty; give the meeting ID from the invitation, e.g. 123 456 789 012');
	const problem = meetingIdProblem(raw.replace(/\s+/g, ''));
	if (problem) throw inputError(node, itemIndex, 'Meeting ID', `${JSON.stringify(raw.slice(0, 60))} ${problem}`);
	return raw.replace(/\s+/g, '');
}

function checkedPasscode(node: INode, itemIndex: number, value: unknown): string | null {
	const raw = text(value);
	if (!raw) return null;
	const problem = passcodeProblem(raw);
	if (problem) throw inputError(node, itemIndex, 'Passcode', problem);
	return raw;
}

function tenantOf({ params, graph }: OperationContext, itemIndex: number, fromLink?: string): string {
	const given = text(params.value('tenantId', itemIndex));
	if (given && !TENANT.test(given)) {
		throw inputError(params.node, itemIndex, 'Tenant ID', `${JSON.stringify(given.slice(0, 60))} is not a tenant ID (a GUID) or domain`);
	}
	return given || fromLink || graph.config.tenantId;
}

/** Graph's meeting part of the body: organizer + chat from a classic link, or the meeting ID and passcode. */
function meetingParts(link: JoinLink, allowConversationWithoutHost: boolean): IDataObject {
	if (link.form === 'short') {
		return {
			meetingInfo: { '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo', joinMeetingId: link.joinMeetingId, passcode: link.passcode },
		};
	}
	return {
		chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: link.threadId, messageId: link.messageId },
		meetingInfo: {
			'@odata.type': '#microsoft.graph.organizerMeetingInfo',
			organizer: {
				'@odata.type': '#microsoft.graph.identitySet',
				user: { '@odata.type': '#microsoft.graph.identity', id: link.organizerId, tenantId: link.tenantId },
			},
			allowConversationWithoutHost,
		},
	};
}

/** POST /communications/calls with service-hosted media: the app joins a meeting by its link, or by its ID and passcode. */
export const join: Operation = {
	sendsOnce: true,
	description: [
		{
			displayName: 'Join By',
			name: 'joinBy',
			type: 'options',
			options: [
				{ name: 'Link', value: 'link', description: 'The meeting\'s join link, as in the invitation' },
				{ name: 'Meeting ID', value: 'meetingId', description: 'The meeting ID and passcode shown in the invitation' },
			],
			default: 'link',
			displayOptions: show(),
		},
		{
			displayName: 'Join URL',
			name: 'joinUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://teams.microsoft.com/meet/123456789012?p=aBc123',
			description: 'The "Join the meeting now" link: a /l/meetup-join/… link or a short /meet/… link (also as Teams web or a Teams chat shows it)',
			displayOptions: show('link'),
		},
		{
			displayName: 'Meeting ID',
			name: 'joinMeetingId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 123 456 789 012',
			description: 'The meeting ID from the invitation ("Meeting ID: …"); spaces are ignored',
			displayOptions: show('meetingId'),
		},
		{
			displayName: 'Passcode',
			name: 'passcode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'e.g. aBc123',
			description: 'The passcode from the invitation, if the meeting has one',
			displayOptions: show('meetingId'),
		},
		callbackUrlField('join'),
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47',
			description:
				'The tenant the meeting belongs to. Left empty: the tenant in the link, or else the credential\'s tenant.',
			displayOptions: show(),
		},
		callOptions('join', [
			{
				displayName: 'Allow Conversation Without Host',
				name: 'allowConversationWithoutHost',
				type: 'boolean',
				default: true,
				description: 'Whether the app may stay in the meeting when the organizer is not there (links with an organizer only)',
			},
		]),
	],

	async execute(context: OperationContext, itemIndex: number): Promise<IDataObject> {
		const { params } = context;
		const { node } = params;
		const byLink = params.value('joinBy', itemIndex, 'link') !== 'meetingId';
		const link: JoinLink = byLink
			? linkOf(node, itemIndex, params.value('joinUrl', itemIndex))
			: {
					form: 'short',
					joinMeetingId: checkedMeetingId(node, itemIndex, params.value('joinMeetingId', itemIndex)),
					passcode: checkedPasscode(node, itemIndex, params.value('passcode', itemIndex)),
				};
		const { body, options, waitSeconds } = newCall(context, itemIndex);
		const tenantId = tenantOf(context, itemIndex, link.form === 'classic' ? link.tenantId : undefined);
		const joinBody = { ...body, ...meetingParts(link, options.allowConversationWithoutHost !== false), tenantId };
		return await placeCall(context, itemIndex, joinBody, JOIN_MEETING, waitSeconds);
	},
};
