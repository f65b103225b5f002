import type { IWebhookFunctions } from 'n8n-workflow';

import { ProcessCache } from '../processCache';
import type { GraphAppCredentialData } from '../transport/appCredentials';
import { CREDENTIAL_TYPE } from '../transport/graphSession';
import { type ParsedCredential, parsedCredentialFor } from '../transport/parsedCredentials';

/**
 * The credential the trigger verifies notifications with, read once for many notifications.
 *
 * Outside an execution (a webhook), n8n 2.x reads a credential through an expression isolate of its own, built for
 * that one read (its default expression engine, `vm`): tens of milliseconds of CPU before the 202 of every
 * notification, and more on a busy machine, where an incoming call has 15 s to be answered (bench (f)). So this process
 * keeps the last read of each credential (by its n8n ID) and verifies with it while it is recent:
 * - read less than REREAD_AFTER_MS ago: used as it is;
 * - older, up to MAX_AGE_MS: used for this notification, and read again in the background, after the 202;
 * - older than that (an idle trigger), never read, or its last read failed: read before verifying.
 * An edit of the credential therefore reaches verification within REREAD_AFTER_MS of a busy trigger's traffic, and at
 * once for a trigger idle for MAX_AGE_MS. What is kept is what parsedCredentialFor keeps anyway (bounded, per process).
 */
export const REREAD_AFTER_MS = 10_000;
export const MAX_AGE_MS = 60_000;
/** Credentials whose last read this process keeps. */
export const MAX_KEPT_CREDENTIALS = 64;

interface KeptRead {
	parsed: ParsedCredential;
	readAt: number;
	rereading: boolean;
}

const kept = new ProcessCache<KeptRead>(MAX_KEPT_CREDENTIALS);
/** Reads in progress, by credential ID: notifications that arrive together (after an idle minute) share one read. */
const reading = new Map<string, Promise<ParsedCredential>>();

async function read(this: IWebhookFunctions): Promise<ParsedCredential> {
	return await this.getCredentials(CREDENTIAL_TYPE).then(
		(data) => parsedCredentialFor(data as GraphAppCredentialData),
		() => ({ problem: 'the credential could not be read' }),
	);
}

function keep(id: string, parsed: ParsedCredential, readAt: number): void {
	// A credential that cannot be used is read again with the next notification: it may have been fixed.
	if ('config' in parsed) kept.set(id, { parsed, readAt, rereading: false });
	else kept.delete(id);
}

export interface TriggerCredential {
	parsed: ParsedCredential;
	/** Starts the background read when one is due (see above): call it once the notification is answered. */
	rereadIfDue(): void;
}

const NOTHING_DUE = () => undefined;

/** The trigger's credential, parsed: from this process's last read while it is recent (see above), else read now. */
export async function triggerCredential(this: IWebhookFunctions, now = Date.now()): Promise<TriggerCredential> {
	const id = this.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
	if (!id) return { parsed: await read.call(this), rereadIfDue: NOTHING_DUE };
	const entry = kept.peek(id);
	if (entry && now - entry.readAt < MAX_AGE_MS) {
		if (now - entry.readAt < REREAD_AFTER_MS || entry.rereading) return { parsed: entry.parsed, rereadIfDue: NOTHING_DUE };
		entry.rereading = true;
		const rereadIfDue = () => {
			const startedAt = Date.now();
			read.call(this).then(
				(parsed) => keep(id, parsed, startedAt),
				() => kept.delete(id),
			);
		};
		return { parsed: entry.parsed, rereadIfDue };
	}
	let pending = reading.get(id);
	if (!pending) {
		pending = read.call(this).then((parsed) => {
			keep(id, parsed, now);
			reading.delete(id);
			return parsed;
		});
		reading.set(id, pending);
	}
	return { parsed: await pending, rereadIfDue: NOTHING_DUE };
}

