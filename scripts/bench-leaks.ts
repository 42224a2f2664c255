/**
 * npm run bench:leaks -- [--pages N]: how long the leak check takes on a synthetic trust center of
 * N pages (2,000 by default). Generates and builds the site, then runs the check three times.
 */
import { join } from 'node:path';
import { checkLeaks } from './lib/leak-check.ts';
import { pagesArgument } from './lib/bench/cli.ts';
import { generateSite, planSite, BUILD_EPOCH_SECONDS } from './lib/bench/trust-center.ts';
import { buildSite, removeSite } from './lib/site-copy.ts';

const parsed = pagesArgument(process.argv.slice(2), 2000);
if (!parsed.ok) {
	console.error(`bench:leaks: ${parsed.error}`);
	process.exit(1);
}
const { pages } = parsed;
const { site, source } = generateSite('bench-leaks', planSite(pages));
try {
	console.log(`Building a synthetic trust center of ${pages} pages…`);
	const { code, output } = await buildSite(site, [], {
		SOURCE_DATE_EPOCH: String(BUILD_EPOCH_SECONDS),
	});
	if (code !== 0) throw new Error(output);
	const times: number[] = [];
	let message = '';
	for (let run = 0; run < 3; run++) {
		const start = performance.now();
		const result = checkLeaks(site, join(site, 'dist'));
		times.push(performance.now() - start);
		message = result.ok
			? result.message.split('\n')[0]!
			: result.message.split('\n').slice(0, 12).join('\n');
	}
	times.sort((a, b) => a - b);
	console.log(message);
	console.log(
		`check:leaks on ${pages} pages: median ${(times[1]! / 1000).toFixed(2)} s (runs: ${times.map((t) => (t / 1000).toFixed(2)).join(', ')} s)`,
	);
} finally {
	for (const dir of [site, source]) removeSite(dir);
}
