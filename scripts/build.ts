// npm run build [-- --force]: control status, public site, leak check, NDA whitepaper. Steps whose
// inputs did not change since they last succeeded are skipped, unless --force.
import { fileURLToPath } from 'node:url';
import { runBuild } from './lib/build-chain.ts';
import { exitUnlessStartable } from './lib/flags.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
exitUnlessStartable(root, 'npm run build', ['--force']);

process.exit(
	await runBuild(root, {
		force: process.argv.includes('--force'),
	}),
);
