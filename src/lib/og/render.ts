// Draws OG images with satori (to SVG) and resvg (to PNG), cached on disk by a hash of their inputs.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import satori from 'satori';
import { canonicalJson } from '../canonical-json.ts';
import { ogCard, type OgInput } from './card.ts';
import { OG_HEIGHT, OG_WIDTH } from './size.ts';
import { woffToSfnt } from './woff.ts';

/** Bump when the card's design changes, so cached images are drawn again. */
const DESIGN_VERSION = 1;
const FONTS_DIR = new URL('../../fonts/', import.meta.url);

/** Fonts and logo shared by every image of a build, loaded once. */
export interface OgAssets {
	fonts: Array<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }>;
	/** Data URI of the logo. */
	logo: string;
	/** Hash of fonts, logo and design version: part of every cache key. */
	digest: string;
}

/** Loads the bundled Inter fonts and the logo (an SVG or PNG file); `cacheDir` keeps the fonts unpacked to TTF for resvg. */
export function loadOgAssets(logoFile: string, cacheDir: string): OgAssets {
	const fonts = ([400, 700] as const).map((weight) => ({
		name: 'Inter',
		data: readFileSync(new URL(`inter-latin-${weight}-normal.woff`, FONTS_DIR)),
		weight,
		style: 'normal' as const,
	}));
	mkdirSync(cacheDir, { recursive: true });
	const fontFiles = fonts.map((f) => {
		const file = join(cacheDir, `inter-${f.weight}.ttf`);
		if (!existsSync(file)) writeFileSync(file, woffToSfnt(f.data));
		return file;
	});
	const logoBytes = readFileSync(logoFile);
	// An SVG logo is rasterised here, at the top level, where resvg has the fonts for any text in it.
	const logoPng = logoFile.endsWith('.svg')
		? new Resvg(logoBytes, {
				fitTo: { mode: 'height', value: 128 },
				font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Inter' },
			})
				.render()
				.asPng()
		: logoBytes;
	const hash = createHash('sha256').update(String(DESIGN_VERSION));
	for (const f of fonts) hash.update(f.data);
	hash.update(logoBytes);
	return {
		fonts,
		logo: `data:image/png;base64,${logoPng.toString('base64')}`,
		digest: hash.digest('hex'),
	};
}

/** The cache key of one image. */
export function ogKey(input: OgInput, assets: OgAssets): string {
	return createHash('sha256').update(assets.digest).update(canonicalJson(input)).digest('hex');
}

/** Draws one image to PNG bytes. */
export async function drawOg(input: OgInput, assets: OgAssets): Promise<Buffer> {
	const svg = await satori(ogCard(input, assets.logo) as Parameters<typeof satori>[0], {
		width: OG_WIDTH,
		height: OG_HEIGHT,
		fonts: assets.fonts,
	});
	return new Resvg(svg, {
		fitTo: { mode: 'width', value: OG_WIDTH },
		font: { loadSystemFonts: false },
	})
		.render()
		.asPng();
}

/** Returns the PNG for `input` from `cacheDir`, drawing and storing it only when missing. */
export async function cachedOg(
	input: OgInput,
	assets: OgAssets,
	cacheDir: string,
): Promise<{ png: Buffer; drawn: boolean }> {
	const file = join(cacheDir, `${ogKey(input, assets)}.png`);
	if (existsSync(file)) return { png: readFileSync(file), drawn: false };
	const png = await drawOg(input, assets);
	mkdirSync(cacheDir, { recursive: true });
	const temp = `${file}.${process.pid}.tmp`;
	writeFileSync(temp, png);
	renameSync(temp, file);
	return { png, drawn: true };
}
