/**
 * PEM text as users paste it: a single-line password field can turn the line breaks into spaces. Each
 * BEGIN/END block is rebuilt with its base64 body wrapped at 64 characters; blocks with headers (legacy
 * encrypted PKCS#1: "Proc-Type: …") are left as they are.
 */
export function normalisePem(text: string): string {
	return text.replace(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g, (block, label: string, body: string) => {
		if (body.includes(':')) return block;
		const base64 = body.replace(/\s+/g, '');
		const lines = base64.match(/.{1,64}/g) ?? [];
		return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`;
	});
}
