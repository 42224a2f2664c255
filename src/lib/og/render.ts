// Draws OG images with satori (to SVG) and resvg (to pixels), cached on disk by a hash of their inputs.
// resvg's cost grows with the pixels it fills, and most of a card is the same on every card of a site:
// that frame is drawn once per process, and each card lays out and rasterises only its band of text,
// at the band's own size, then blends it onto a copy of the frame and encodes the result.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { canonicalJson } from '../canonical-json.ts';
import {
	BAND_ROOM,
	BAND_TOP,
	frameInput,
	ogBand,
	ogCard,
	type OgInput,
	type OgNode,
} from './card.ts';
import { blendOver, encodePng, scanlinesOf, type Scanlines } from './raster.ts';
import { OG_HEIGHT, OG_WIDTH } from './size.ts';
import { woffToSfnt } from './woff.ts';
import {
	CJK_TEXT,
	cjkFaceName,
	cjkRegion,
	DEFAULT_FONT_DIR,
	findFonts,
	fontStamp,
	NOTO_CJK,
	readCollectionFace,
} from '../system-fonts.ts';

/** Bump when the card's design or encoding changes, so cached images are drawn again. */
const DESIGN_VERSION = 4;
/**
 * zlib level of the PNGs. Measured by `npm run bench:og` on the cards of a generated site: level 3
 * takes a third of level 6's time for files a third larger, still smaller than resvg's own PNGs.
 */
const PNG_LEVEL = 3;
const RESVG_OPTIONS = { font: { loadSystemFonts: false } };
const FONTS_DIR = new URL('../../fonts/', import.meta.url);

/** A font as satori takes it. */
interface OgFont {
	name: string;
	data: Buffer;
	weight: 400 | 700;
	style: 'normal';
}

/** Fonts and logo shared by every image of a build, loaded once. */
export interface OgAssets {
	fonts: Array<
		OgFont & {
			/** Which part of the font's character set the file holds. */
			subset: (typeof INTER_SUBSETS)[number];
		}
	>;
	/**
	 * Noto Sans CJK (fonts-noto-cjk), for the Chinese, Japanese and Korean text Inter has no glyphs for:
	 * its collections found, by weight, and the site's language, which picks the regional face. Undefined
	 * when none is installed; then such text draws as boxes (ogImages warns).
	 */
	cjk:
		| {
				files: Partial<Record<400 | 700, string>>;
				language: string;
				/** The files' paths, sizes and times: part of the cache key of an image with CJK text. */
				stamp: string;
		  }
		| undefined;
	/** The folder searched for Noto Sans CJK. */
	fontDir: string;
	/** Whether the SVG logo writes CJK text, which the CJK collections draw. */
	cjkInLogo: boolean;
	/** Data URI of the logo. */
	logo: string;
	/** Hash of fonts, logo and design version: part of every cache key. */
	digest: string;
}

/**
 * The parts of Inter bundled in src/fonts/ (from @fontsource/inter), in the order satori looks for a
 * glyph: Western European letters first, then the rest of Latin (Polish, Czech, Turkish…), Cyrillic,
 * Greek and Vietnamese.
 */
const INTER_SUBSETS = [
	'latin',
	'latin-ext',
	'cyrillic',
	'cyrillic-ext',
	'greek',
	'greek-ext',
	'vietnamese',
] as const;

/**
 * Loads the bundled Inter fonts and the logo (an SVG or PNG file), and finds Noto Sans CJK under
 * `fontDir` (read only when an image has CJK text); `cacheDir` keeps the fonts unpacked to TTF for resvg.
 */
export function loadOgAssets(
	logoFile: string,
	cacheDir: string,
	{ language = 'en', fontDir = DEFAULT_FONT_DIR }: { language?: string; fontDir?: string } = {},
): OgAssets {
	const fonts = INTER_SUBSETS.flatMap((subset) =>
		([400, 700] as const).map((weight) => ({
			// One name per part: satori looks for a missing glyph in the other fonts by name, not within one.
			name: subset === 'latin' ? 'Inter' : `Inter ${subset}`,
			data: readFileSync(new URL(`inter-${subset}-${weight}-normal.woff`, FONTS_DIR)),
			weight,
			style: 'normal' as const,
			subset,
		})),
	);
	mkdirSync(cacheDir, { recursive: true });
	const fontFiles = fonts.map((f) => {
		const file = join(cacheDir, `inter-${f.subset}-${f.weight}.ttf`);
		if (!existsSync(file)) writeFileSync(file, woffToSfnt(f.data));
		return file;
	});
	const found = findFonts(fontDir, Object.values(NOTO_CJK.files));
	const cjkFiles = Object.fromEntries(
		([400, 700] as const).flatMap((weight) => {
			const path = found.get(NOTO_CJK.files[weight]);
			return path ? [[weight, path]] : [];
		}),
	) as Partial<Record<400 | 700, string>>;
	const cjk =
		Object.keys(cjkFiles).length > 0
			? { files: cjkFiles, language, stamp: Object.values(cjkFiles).map(fontStamp).join(' ') }
			: undefined;
	const logoBytes = readFileSync(logoFile);
	// A CJK company name written in an SVG logo is drawn with the CJK collections (resvg reads them whole).
	const cjkInLogo = logoFile.endsWith('.svg') && CJK_TEXT.test(logoBytes.toString('utf8'));
	const logoFonts = cjkInLogo ? [...fontFiles, ...Object.values(cjkFiles)] : fontFiles;
	// An SVG logo is rasterised here, at the top level, where resvg has the fonts for any text in it.
	const logoPng = logoFile.endsWith('.svg')
		? new Resvg(logoBytes, {
				fitTo: { mode: 'height', value: 128 },
				font: { loadSystemFonts: false, fontFiles: logoFonts, defaultFontFamily: 'Inter' },
			})
				.render()
				.asPng()
		: logoBytes;
	const hash = createHash('sha256').update(String(DESIGN_VERSION));
	for (const f of fonts) hash.update(f.data);
	hash.update(logoBytes);
	if (cjkInLogo) hash.update(cjk?.stamp ?? 'no cjk');
	return {
		fonts,
		cjk,
		cjkInLogo,
		fontDir,
		logo: `data:image/png;base64,${logoPng.toString('base64')}`,
		digest: hash.digest('hex'),
	};
}

/** The cache key of one image. */
export function ogKey(input: OgInput, assets: OgAssets): string {
	const text = canonicalJson(input);
	const hash = createHash('sha256').update(assets.digest).update(text);
	const cjk = cjkPart(text, assets);
	if (cjk) hash.update(cjk);
	return hash.digest('hex');
}

/**
 * What an image with CJK text depends on beyond its text: which face draws it (picked from the whole
 * card's text, frame and band alike) and from which files; '' for an image without.
 */
function cjkPart(text: string, assets: OgAssets): string {
	if (!CJK_TEXT.test(text)) return '';
	return assets.cjk
		? ` cjk ${cjkRegion(assets.cjk.language, text)} ${assets.cjk.stamp}`
		: ' no cjk';
}

/**
 * satori, imported when the first image is drawn: the build's own process computes the images' keys
 * (loadOgAssets, ogKey) but draws none, and importing satori there cost 0.2 s of every build's start.
 */
let satoriModule: Promise<typeof import('satori')> | undefined;

/** Inter and a face of Noto Sans CJK, by region and files: one array each, so satori parses the 16 MB face once. */
const withCjk = new Map<string, OgFont[]>();

/**
 * The fonts for an image whose text is `text`: Inter, and when the text has CJK characters and Noto Sans
 * CJK is installed, the face for the site's language (both weights; one stands in for a missing other).
 */
function fontsFor(text: string, assets: OgAssets): OgFont[] {
	if (!assets.cjk || !CJK_TEXT.test(text)) return assets.fonts;
	const region = cjkRegion(assets.cjk.language, text);
	const { files } = assets.cjk;
	const key = `${region} ${files[400]} ${files[700]}`;
	let fonts = withCjk.get(key);
	if (!fonts) {
		fonts = [
			...assets.fonts,
			...([400, 700] as const).map((weight) => {
				const file = files[weight] ?? files[weight === 400 ? 700 : 400]!;
				const face = cjkFaceName(region, file === files[700] ? 700 : 400);
				let data: Buffer;
				try {
					data = readCollectionFace(file, face);
				} catch (error) {
					throw new Error(
						`Noto Sans CJK (${file}) could not be read: ${(error as Error).message}. Reinstall it: apt-get install --reinstall ${NOTO_CJK.debianPackage}.`,
						{ cause: error },
					);
				}
				return {
					name: 'Noto Sans CJK',
					data,
					weight,
					style: 'normal' as const,
				};
			}),
		];
		withCjk.set(key, fonts);
	}
	return fonts;
}

/**
 * The warning for images whose text has CJK characters while Noto Sans CJK is not installed, naming the
 * first pages; undefined when there are none, or the font is there.
 */
export function missingCjkFont(
	pages: ReadonlyArray<readonly [page: string, input: OgInput]>,
	assets: OgAssets,
): string | undefined {
	if (assets.cjk) return undefined;
	const cjk = pages.filter(([, input]) => CJK_TEXT.test(canonicalJson(input))).map(([p]) => p);
	const named = cjk.slice(0, 3).join(', ') + (cjk.length > 3 ? ` and ${cjk.length - 3} more` : '');
	const what = [
		...(assets.cjkInLogo ? ['the logo'] : []),
		...(cjk.length > 0 ? [`${cjk.length} page${cjk.length === 1 ? '' : 's'} (${named})`] : []),
	];
	if (what.length === 0) return undefined;
	const one = what.length === 1 && cjk.length <= 1;
	return `OG images: ${what.join(' and ')} ${one ? 'has' : 'have'} Chinese, Japanese or Korean text, which Inter has no glyphs for, and Noto Sans CJK (${NOTO_CJK.files[400]}) is not installed under ${assets.fontDir}: their link previews show boxes in its place. Install it (apt-get install ${NOTO_CJK.debianPackage}) and build again with npm run build -- --force.`;
}

const rasterise = async (node: OgNode, fonts: OgFont[], height?: number) => {
	const { default: satori } = await (satoriModule ??= import('satori'));
	return new Resvg(
		await satori(node as Parameters<typeof satori>[0], {
			width: OG_WIDTH,
			...(height ? { height } : {}),
			fonts,
		}),
		RESVG_OPTIONS,
	);
};

/** The last frame drawn in this process, with what it was drawn from (one per site, so one per build). */
let frame: { key: string; scanlines: Scanlines } | undefined;

/** The frame of `input`'s card, drawn with `fonts`, the card's own (fontsFor its `text`). */
async function frameFor(
	input: OgInput,
	text: string,
	fonts: OgFont[],
	assets: OgAssets,
): Promise<Scanlines> {
	const key = `${assets.digest} ${canonicalJson(frameInput(input))} ${cjkPart(text, assets)}`;
	if (frame?.key !== key) {
		const card = await rasterise(ogCard(input, assets.logo, false), fonts, OG_HEIGHT);
		frame = { key, scanlines: scanlinesOf(card.render()) };
	}
	return frame.scanlines;
}

/**
 * Draws one image to PNG bytes: the page's band over its site's frame, rasterised only where the band
 * has ink (resvg's box around what it draws, widened to whole pixels and one more, so that the crop
 * moves nothing by a fraction of a pixel). A band too tall for the room above the footer pushes the
 * whole card about, so that card is drawn whole, as the design lays it out.
 */
export async function drawOg(input: OgInput, assets: OgAssets): Promise<Buffer> {
	// Band and frame (a CJK company name) take the face the whole card's text picks, as the key says.
	const text = canonicalJson(input);
	const fonts = fontsFor(text, assets);
	const band = await rasterise(ogBand(input), fonts);
	if (band.height > BAND_ROOM) return drawWholeOg(input, assets);
	const { width, height, data } = await frameFor(input, text, fonts, assets);
	const card = { width, height, data: Buffer.from(data) };
	const ink = band.innerBBox();
	if (ink) {
		const left = Math.max(0, Math.floor(ink.x) - 1);
		const top = Math.max(0, Math.floor(ink.y) - 1);
		const right = Math.min(band.width, Math.ceil(ink.x + ink.width) + 1);
		const bottom = Math.min(band.height, Math.ceil(ink.y + ink.height) + 1);
		Object.assign(ink, { x: left, y: top, width: right - left, height: bottom - top });
		band.cropByBBox(ink);
		blendOver(card, band.render(), left, BAND_TOP + top);
	}
	return encodePng(card, PNG_LEVEL);
}

/** Draws one image to PNG bytes as one picture, frame and band together (resvg encodes it, with alpha). */
export async function drawWholeOg(input: OgInput, assets: OgAssets): Promise<Buffer> {
	return (
		await rasterise(ogCard(input, assets.logo), fontsFor(canonicalJson(input), assets), OG_HEIGHT)
	)
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
