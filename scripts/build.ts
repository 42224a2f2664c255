// npm run build: control status, public site, leak check, NDA whitepaper.
import { fileURLToPath } from 'node:url';
import { runBuild } from './lib/build-chain.ts';

process.exit(await runBuild(fileURLToPath(new URL('..', import.meta.url))));
