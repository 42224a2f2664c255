// npm run build [-- --force]: control status, public site, leak check, NDA whitepaper. Steps whose
// inputs did not change since they last succeeded are skipped, unless --force.
import { fileURLToPath } from 'node:url';
import { runBuild } from './lib/build-chain.ts';
import { unknownFlags } from './lib/flags.ts';

const wrong = unknownFlags('npm run build', process.argv.slice(2), ['--force']);
if (wrong) {
	console.error(wrong);
	process.exit(2);
}

process.exit(
	await runBuild(fileURLToPath(new URL('..', import.meta.url)), {
		force: process.argv.includes('--force'),
	}),
);
