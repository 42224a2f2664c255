// The one shared set-up step for everything that needs a browser: the tests, Lighthouse and the whitepaper.
import { ensureChromium } from './lib/chromium.ts';

const result = ensureChromium();
if (!result.ok) {
	console.error(`\n!!! ${result.error}\n`);
	process.exit(1);
}
console.log(`Chromium: ${result.path}`);
