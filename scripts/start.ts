// npm start: build the trust center when dist/ is missing or stale, then serve it.
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReason } from '../src/lib/build-freshness.ts';
import { serveStatic } from '../src/lib/static-server.ts';
import { runBuild } from './lib/build-chain.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env['PORT'] ?? 4321);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
	console.error(`PORT: expected a port number from 1 to 65535, received "${process.env['PORT']}". Unset PORT to use 4321.`);
	process.exit(1);
}

async function build(): Promise<void> {
	const reason = staleReason(root);
	if (!reason) {
		console.log('dist/ is up to date; serving it.');
		return;
	}
	console.log(`Building the trust center: ${reason}.`);
	const code = await runBuild(root);
	if (code !== 0) {
		console.error('The build failed; see the messages above. Nothing is served.');
		process.exit(code);
	}
}

function serve(): void {
	const dist = join(root, 'dist');
	const server = createServer((req, res) => serveStatic(dist, req, res));
	server.listen(port, () => console.log(`Trust center: http://localhost:${port}/`));
	const stop = () => server.close(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

await build();
serve();
