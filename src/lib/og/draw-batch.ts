// Draws a batch of OG images in its own process: node draw-batch.ts <job.json>. The job names the logo,
// the cache folder and the inputs; each image lands in the cache under its key. resvg's pixel buffers
// live outside the JS heap and are freed only when the process ends, so batches keep memory flat.
import { readFileSync } from 'node:fs';
import type { OgInput } from './card.ts';
import { cachedOg, loadOgAssets } from './render.ts';

interface Job {
	logoFile: string;
	cacheDir: string;
	inputs: OgInput[];
}
const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
const assets = loadOgAssets(job.logoFile, job.cacheDir);
for (const input of job.inputs) await cachedOg(input, assets, job.cacheDir);
