/** Sentences a no-code user can act on, for the Entra (AADSTS) errors a client-credentials sign-in meets. */

const EXPLANATIONS: Record<string, string> = {
	'7000215':
		'The client secret is wrong. In Entra ID > App registrations > your app > Certificates & secrets, copy the secret\'s Value (not its Secret ID) into the credential.',
	'7000222':
		'The client secret has expired. Create a new secret for the app in Entra ID (Certificates & secrets) and put its Value in the credential.',
	'700016':
		'No application with this Client ID exists in the tenant. Check the Application (client) ID and the Tenant ID, and that the app has been consented to in this tenant.',
	'90002':
		'The tenant was not found. Check the Directory (tenant) ID or domain, and that the credential\'s cloud matches the tenant\'s cloud.',
	'700027':
		'The certificate is not registered for this app, or the signature did not verify. Upload the certificate under Certificates & secrets in the app registration, and check the private key matches it.',
	'700024':
		'The client assertion is not valid at this time. Check the clock of the n8n server.',
	'7000112': 'The application is disabled in the tenant. Ask an administrator to enable it.',
	'700023': 'The client assertion audience is wrong: check the credential\'s cloud or authority host.',
	'1002012': 'The requested scope is not valid for this cloud: check the credential\'s cloud or Graph base URL.',
	'70011': 'The requested scope is not valid for this cloud: check the credential\'s cloud or Graph base URL.',
	'50126': 'The sign-in was refused: check the credential\'s fields.',
};

/** Finds an AADSTS code in an error description, e.g. "AADSTS7000215: Invalid client secret…" → "7000215". */
export function aadstsCode(text: string | undefined): string | undefined {
	return text ? /AADSTS(\d+)/.exec(text)?.[1] : undefined;
}

/** A one-line explanation for a token error; the first line of Entra's own text is kept for support tickets. */
export function explainEntraError(errorCode: string | undefined, description: string | undefined): string {
	const code = aadstsCode(description);
	const firstLine = (description ?? '').split(/\r?\n/)[0].trim();
	const known = code ? EXPLANATIONS[code] : undefined;
	if (known) return `${known} (AADSTS${code})`;
	if (firstLine) return `Microsoft Entra ID refused the sign-in: ${firstLine}`;
	return `Microsoft Entra ID refused the sign-in (${errorCode ?? 'unknown error'})`;
}
