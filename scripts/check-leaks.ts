// npm run check:leaks [dir]: proves that no NDA-only text or file is in the public build (dist/ by default).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkLeaks } from './lib/leak-check.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const result = checkLeaks(root, join(root, process.argv[2] ?? 'dist'));
if (!result.ok) {
	console.error(result.message);
	process.exit(1);
}
console.log(result.message);
