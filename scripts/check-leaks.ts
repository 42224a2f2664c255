// npm run check:leaks [folder]: proves that no NDA-only text or file is in the public build (dist/ by
// default; a folder is taken as it is when absolute, else from the project root).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLeaks } from './lib/leak-check.ts';
import { exitUnlessStartable } from './lib/flags.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
if (args.length > 1 || args[0]?.startsWith('-')) {
	console.error(
		`npm run check:leaks takes one folder to check, dist/ when none is given, not ${args.map((a) => JSON.stringify(a)).join(' ')}. Example: npm run check:leaks -- dist.next`,
	);
	process.exit(2);
}
exitUnlessStartable(root, 'npm run check:leaks', undefined);
const result = checkLeaks(root, resolve(root, args[0] ?? 'dist'));
if (!result.ok) {
	console.error(result.message);
	process.exit(1);
}
console.log(result.message);
