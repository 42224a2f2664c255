// A long-lived process that draws OG images one at a time: node draw-worker.ts <logo file> <cache folder>
// <site language>.
// The fonts and logo are loaded once. Each message is an input; the reply says whether the image was
// drawn or already cached, or why drawing failed. The young generation is collected after each image
// (collect.ts), which frees resvg's pixel buffers.
import type { OgInput } from './card.ts';
import { collectAfterImage } from './collect.ts';
import { cachedOg, loadOgAssets } from './render.ts';

/** A request from the pool: the image to draw, with the id to answer under. */
export interface DrawRequest {
	id: number;
	input: OgInput;
}

/** The answer to a DrawRequest. */
export type DrawReply = { id: number; drawn: boolean } | { id: number; error: string };

const [logoFile, cacheDir, language] = process.argv.slice(2) as [string, string, string];
const assets = loadOgAssets(logoFile, cacheDir, { language });

process.on('message', (request: DrawRequest) => {
	cachedOg(request.input, assets, cacheDir).then(
		({ drawn }) => reply({ id: request.id, drawn }),
		(error: unknown) =>
			reply({
				id: request.id,
				error: error instanceof Error ? (error.stack ?? error.message) : String(error),
			}),
	);
});

function reply(answer: DrawReply): void {
	collectAfterImage();
	process.send!(answer);
}
