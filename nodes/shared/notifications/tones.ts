/** The key a caller pressed, for Graph's tone names (CSDL microsoft.graph.tone: tone0–tone9, star, pound, a–d, flash). */
const KEYS: Record<string, string> = {
	star: '*',
	pound: '#',
	a: 'A',
	b: 'B',
	c: 'C',
	d: 'D',
};

/**
 * `tone1` → `1`, `star` → `*`, `pound` → `#`, `a` → `A`; any other value (`flash`, a hook flash, or a name Graph adds
 * later) is kept as Graph wrote it. Graph's enum names are compared case-insensitively.
 */
export function keyOfTone(tone: string): string {
	const name = tone.toLowerCase();
	const digit = /^tone([0-9])$/.exec(name);
	if (digit) return digit[1];
	return KEYS[name] ?? tone;
}
