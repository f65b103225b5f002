/**
 * A grouped bar chart as a PNG, without a browser or a dependency: an RGBA raster, a 5×7 bitmap font (upper case,
 * digits and a little punctuation), and the PNG container (IHDR, one zlib IDAT, IEND, CRC-32) from node:zlib.
 * renderChart({ title, groups: [{ label, values: [seconds | undefined] }], series: [label] }) -> Buffer.
 */
import { deflateSync } from 'node:zlib';

// ---------------------------------------------------------------------------------------------------------------
// PNG

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

function crc32(bytes) {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
	const length = Buffer.alloc(4);
	length.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([length, typeAndData, crc]);
}

/** RGBA pixels (width × height × 4) to a PNG file. */
export function encodePng(width, height, rgba) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // colour type RGBA
	ihdr[10] = 0; // deflate
	ihdr[11] = 0; // adaptive filtering
	ihdr[12] = 0; // no interlace
	const raw = Buffer.alloc((width * 4 + 1) * height);
	for (let y = 0; y < height; y++) {
		raw[y * (width * 4 + 1)] = 0; // filter: none
		rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

// ---------------------------------------------------------------------------------------------------------------
// Raster and font

class Canvas {
	constructor(width, height, background = [255, 255, 255]) {
		this.width = width;
		this.height = height;
		this.pixels = Buffer.alloc(width * height * 4);
		this.rect(0, 0, width, height, background);
	}
	rect(x, y, w, h, [r, g, b]) {
		const x0 = Math.max(0, Math.round(x));
		const y0 = Math.max(0, Math.round(y));
		const x1 = Math.min(this.width, Math.round(x + w));
		const y1 = Math.min(this.height, Math.round(y + h));
		for (let yy = y0; yy < y1; yy++) {
			for (let xx = x0; xx < x1; xx++) {
				const i = (yy * this.width + xx) * 4;
				this.pixels[i] = r;
				this.pixels[i + 1] = g;
				this.pixels[i + 2] = b;
				this.pixels[i + 3] = 255;
			}
		}
	}
	/** Text in the 5×7 font, scale pixels per dot; returns the width drawn. */
	text(x, y, string, colour, scale = 2) {
		let cx = x;
		for (const ch of string) {
			const glyph = FONT[ch] ?? FONT['?'];
			for (let row = 0; row < 7; row++) {
				for (let col = 0; col < 5; col++) {
					if (glyph[row][col] === '#') this.rect(cx + col * scale, y + row * scale, scale, scale, colour);
				}
			}
			cx += 6 * scale;
		}
		return cx - x;
	}
	/** Vertical text (bottom to top). */
	textUp(x, y, string, colour, scale = 2) {
		let cy = y;
		for (const ch of string) {
			const glyph = FONT[ch] ?? FONT['?'];
			for (let row = 0; row < 7; row++) {
				for (let col = 0; col < 5; col++) {
					if (glyph[row][col] === '#') this.rect(x + row * scale, cy - col * scale - scale, scale, scale, colour);
				}
			}
			cy -= 6 * scale;
		}
	}
}

export const textWidth = (string, scale = 2) => string.length * 6 * scale;

const G = (rows) => rows.split('|');
const FONT = {
	' ': G('.....|.....|.....|.....|.....|.....|.....'),
	A: G('.###.|#...#|#...#|#####|#...#|#...#|#...#'),
	B: G('####.|#...#|#...#|####.|#...#|#...#|####.'),
	C: G('.###.|#...#|#....|#....|#....|#...#|.###.'),
	D: G('####.|#...#|#...#|#...#|#...#|#...#|####.'),
	E: G('#####|#....|#....|####.|#....|#....|#####'),
	F: G('#####|#....|#....|####.|#....|#....|#....'),
	G: G('.###.|#...#|#....|#.###|#...#|#...#|.####'),
	H: G('#...#|#...#|#...#|#####|#...#|#...#|#...#'),
	I: G('.###.|..#..|..#..|..#..|..#..|..#..|.###.'),
	J: G('..###|...#.|...#.|...#.|...#.|#..#.|.##..'),
	K: G('#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#'),
	L: G('#....|#....|#....|#....|#....|#....|#####'),
	M: G('#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#'),
	N: G('#...#|#...#|##..#|#.#.#|#..##|#...#|#...#'),
	O: G('.###.|#...#|#...#|#...#|#...#|#...#|.###.'),
	P: G('####.|#...#|#...#|####.|#....|#....|#....'),
	Q: G('.###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#'),
	R: G('####.|#...#|#...#|####.|#.#..|#..#.|#...#'),
	S: G('.####|#....|#....|.###.|....#|....#|####.'),
	T: G('#####|..#..|..#..|..#..|..#..|..#..|..#..'),
	U: G('#...#|#...#|#...#|#...#|#...#|#...#|.###.'),
	V: G('#...#|#...#|#...#|#...#|#...#|.#.#.|..#..'),
	W: G('#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.'),
	X: G('#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#'),
	Y: G('#...#|#...#|.#.#.|..#..|..#..|..#..|..#..'),
	Z: G('#####|....#|...#.|..#..|.#...|#....|#####'),
	0: G('.###.|#...#|#..##|#.#.#|##..#|#...#|.###.'),
	1: G('..#..|.##..|..#..|..#..|..#..|..#..|.###.'),
	2: G('.###.|#...#|....#|...#.|..#..|.#...|#####'),
	3: G('#####|...#.|..#..|...#.|....#|#...#|.###.'),
	4: G('...#.|..##.|.#.#.|#..#.|#####|...#.|...#.'),
	5: G('#####|#....|####.|....#|....#|#...#|.###.'),
	6: G('..##.|.#...|#....|####.|#...#|#...#|.###.'),
	7: G('#####|....#|...#.|..#..|.#...|.#...|.#...'),
	8: G('.###.|#...#|#...#|.###.|#...#|#...#|.###.'),
	9: G('.###.|#...#|#...#|.####|....#|...#.|.##..'),
	'.': G('.....|.....|.....|.....|.....|.##..|.##..'),
	',': G('.....|.....|.....|.....|.##..|..#..|.#...'),
	':': G('.....|.##..|.##..|.....|.##..|.##..|.....'),
	'-': G('.....|.....|.....|#####|.....|.....|.....'),
	'+': G('.....|..#..|..#..|#####|..#..|..#..|.....'),
	'/': G('.....|....#|...#.|..#..|.#...|#....|.....'),
	'(': G('...#.|..#..|.#...|.#...|.#...|..#..|...#.'),
	')': G('.#...|..#..|...#.|...#.|...#.|..#..|.#...'),
	'×': G('.....|#...#|.#.#.|..#..|.#.#.|#...#|.....'),
	'?': G('.###.|#...#|....#|...#.|..#..|.....|..#..'),
};

// ---------------------------------------------------------------------------------------------------------------
// The chart

export const COLOURS = [
	[31, 78, 140], // dark blue: this node, defaults
	[120, 170, 220], // light blue: maxConcurrency 1
	[30, 150, 140], // teal: maxConcurrency 20
	[230, 120, 30], // orange: HTTP Request defaults
	[235, 195, 40], // yellow: HTTP Request batching
	[130, 130, 130], // grey: SDK loop
];
const INK = [30, 30, 30];
const GRID = [225, 225, 225];

export function renderChart({ title, groups, series }) {
	const width = 1400;
	const legendRows = Math.ceil(series.length / 2);
	const height = 560 + legendRows * 26;
	const c = new Canvas(width, height);
	const left = 90;
	const right = width - 30;
	const top = 60;
	const bottom = 460;
	c.text(left, 18, title, INK, 2);

	const values = groups.flatMap((g) => g.values).filter((v) => typeof v === 'number' && v > 0);
	const minV = Math.min(0.1, ...values);
	const maxV = Math.max(1, ...values);
	const lo = Math.floor(Math.log10(minV));
	const hi = Math.ceil(Math.log10(maxV));
	const y = (v) => bottom - ((Math.log10(v) - lo) / (hi - lo)) * (bottom - top);

	// grid and axis labels: 1, 2, 5 × powers of ten
	for (let p = lo; p <= hi; p++) {
		for (const m of [1, 2, 5]) {
			const v = m * 10 ** p;
			if (Math.log10(v) > hi + 1e-9) continue;
			const yy = y(v);
			c.rect(left, yy, right - left, 1, m === 1 ? [200, 200, 200] : GRID);
			const label = v >= 1 ? String(v) : v.toFixed(-p);
			c.text(left - 10 - textWidth(label, 2), yy - 7, label, INK, 2);
		}
	}
	c.rect(left, top, 2, bottom - top, INK);
	c.rect(left, bottom, right - left, 2, INK);
	c.textUp(20, (top + bottom) / 2 + textWidth('SECONDS', 2) / 2, 'SECONDS', INK, 2);

	const groupWidth = (right - left) / groups.length;
	const barWidth = Math.min(34, (groupWidth - 40) / series.length);
	groups.forEach((group, gi) => {
		const gx = left + gi * groupWidth + (groupWidth - barWidth * series.length) / 2;
		group.values.forEach((v, si) => {
			const x = gx + si * barWidth;
			if (typeof v !== 'number' || !(v > 0)) return;
			const yy = y(Math.max(v, 10 ** lo));
			c.rect(x + 2, yy, barWidth - 4, bottom - yy, COLOURS[si % COLOURS.length]);
			const label = v >= 10 ? v.toFixed(0) : v.toFixed(1);
			const scale = 1;
			c.text(x + (barWidth - textWidth(label, scale)) / 2, yy - 10, label, INK, scale);
		});
		const label = group.label;
		const scale = textWidth(label, 2) > groupWidth - 10 ? 1 : 2;
		c.text(left + gi * groupWidth + (groupWidth - textWidth(label, scale)) / 2, bottom + 14, label, INK, scale);
	});

	// legend, two columns
	series.forEach((name, si) => {
		const col = si % 2;
		const row = Math.floor(si / 2);
		const x = left + col * ((right - left) / 2);
		const yy = 510 + row * 26;
		c.rect(x, yy, 18, 14, COLOURS[si % COLOURS.length]);
		c.text(x + 28, yy, name, INK, 2);
	});
	return encodePng(width, height, c.pixels);
}
