// Opaque pictures kept as PNG scanlines, so that a card is composited in place and encoded without a
// copy: per row, the filter byte 0 ("none", which compresses text on white best) then R, G, B per pixel.
import { crc32, deflateSync } from 'node:zlib';

/** An opaque RGB picture as the rows of an unfiltered PNG. */
export interface Scanlines {
	width: number;
	height: number;
	/** `height` rows of 1 + 3 × `width` bytes. */
	data: Buffer;
}

/** Pixels as resvg renders them: RGBA, the colour premultiplied by alpha. */
export interface Premultiplied {
	width: number;
	height: number;
	pixels: Buffer;
}

/** The scanlines of an opaque picture from resvg's pixels (its alpha is dropped: every pixel is opaque). */
export function scanlinesOf({ width, height, pixels }: Premultiplied): Scanlines {
	const stride = 1 + 3 * width;
	const data = Buffer.alloc(stride * height);
	for (let y = 0; y < height; y++)
		for (let x = 0, from = y * width * 4, to = y * stride + 1; x < width; x++, from += 4, to += 3) {
			data[to] = pixels[from]!;
			data[to + 1] = pixels[from + 1]!;
			data[to + 2] = pixels[from + 2]!;
		}
	return { width, height, data };
}

/**
 * Draws `over` onto `target` (source-over), its top-left corner at column `left`, row `top`. `over` may
 * be resvg's rendered image, whose fields are getters into native memory: each is read once.
 */
export function blendOver(target: Scanlines, over: Premultiplied, left: number, top: number): void {
	const { width, height, pixels } = over;
	if (left < 0 || top < 0 || left + width > target.width || top + height > target.height)
		throw new RangeError(
			`a ${width}×${height} picture at (${left}, ${top}) does not fit in ${target.width}×${target.height}`,
		);
	const { data } = target;
	const stride = 1 + 3 * target.width;
	for (let y = 0; y < height; y++) {
		let to = (top + y) * stride + 1 + 3 * left;
		for (let x = 0, from = y * width * 4; x < width; x++, from += 4, to += 3) {
			const alpha = pixels[from + 3]!;
			if (alpha === 0) continue;
			const rest = 255 - alpha;
			data[to] = pixels[from]! + (((data[to]! * rest + 127) / 255) | 0);
			data[to + 1] = pixels[from + 1]! + (((data[to + 1]! * rest + 127) / 255) | 0);
			data[to + 2] = pixels[from + 2]! + (((data[to + 2]! * rest + 127) / 255) | 0);
		}
	}
}

function chunk(type: string, body: Buffer): Buffer {
	const out = Buffer.alloc(12 + body.length);
	out.writeUInt32BE(body.length, 0);
	out.write(type, 4, 'latin1');
	body.copy(out, 8);
	out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
	return out;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A truecolour PNG (8 bits per channel, no alpha) of `image`, deflated at zlib `level`. */
export function encodePng(image: Scanlines, level: number): Buffer {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(image.width, 0);
	header.writeUInt32BE(image.height, 4);
	header[8] = 8; // bits per channel
	header[9] = 2; // colour type: RGB
	return Buffer.concat([
		SIGNATURE,
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(image.data, { level })),
		chunk('IEND', Buffer.alloc(0)),
	]);
}
