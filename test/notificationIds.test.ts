/** How the trigger reads a call's ID and a keypress: one spelling per call, one key per Graph tone name. */
import { callKey } from '../nodes/shared/notifications/callKey';
import { keyOfTone } from '../nodes/shared/notifications/tones';

describe('callKey', () => {
	it.each([
		['57DAB8B1894C409AB240BD8BEAE78896', '57dab8b1-894c-409a-b240-bd8beae78896'],
		['57dab8b1-894c-409a-b240-bd8beae78896', '57dab8b1-894c-409a-b240-bd8beae78896'],
		['57DAB8B1-894C-409A-B240-BD8BEAE78896', '57dab8b1-894c-409a-b240-bd8beae78896'],
		['57dab8b1894c409ab240bd8beae78896', '57dab8b1-894c-409a-b240-bd8beae78896'],
	])('writes the GUID %s as %s', (id, key) => {
		expect(callKey(id)).toBe(key);
	});

	it.each(['trigger-call-1', '57dab8b1-894c409a-b240-bd8beae78896', '57DAB8B1894C409AB240BD8BEAE7889', 'Demo-Call'])('keeps %s, which is no GUID in either form, as it is', (id) => {
		expect(callKey(id)).toBe(id);
	});
});

describe('keyOfTone', () => {
	it('maps every key of the CSDL tone enum to the key pressed, and keeps the rest as Graph wrote it', () => {
		const tones = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound', 'a', 'b', 'c', 'd', 'flash', 'Tone7', 'Pound'];
		expect(tones.map(keyOfTone)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D', 'flash', '7', '#']);
	});
});
