// npm run whitepaper: build the NDA edition and print it to private/whitepaper.pdf with a manifest.
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './lib/chromium.ts';
import { makeWhitepaper, StepError } from '../src/whitepaper/make.ts';
import { exitUnlessStartable } from './lib/flags.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
exitUnlessStartable(root, 'npm run whitepaper', []);
const browser = ensureChromium();
if (!browser.ok) {
	console.error(`\n!!! The whitepaper needs Chromium. ${browser.error}\n`);
	process.exit(1);
}
try {
	await makeWhitepaper(root, browser.path);
} catch (error) {
	console.error(error instanceof StepError ? `\n${error.message}` : error);
	process.exit(1);
}
