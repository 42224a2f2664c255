// npm start: build the trust center when dist/ is missing or stale, then serve it.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReason } from '../src/lib/build-freshness.ts';
import { serveStatic } from '../src/lib/static-server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env['PORT'] ?? 4321);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
	console.error(`PORT: expected a port number from 1 to 65535, received "${process.env['PORT']}". Unset PORT to use 4321.`);
	process.exit(1);
}

function build(): void {
	const reason = staleReason(root);
	if (!reason) {
		console.log('dist/ is up to date; serving it.');
		return;
	}
	console.log(`Building the trust center: ${reason}.`);
	// The same two steps as `npm run build`: pull live control status (when configured), then build.
	for (const args of [[join(root, 'scripts/pull-controls.ts'), '--if-configured'], [join(root, 'node_modules/astro/bin/astro.mjs'), 'build']]) {
		const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
		if (result.status !== 0) {
			console.error('The build failed; see the messages above. Nothing is served.');
			process.exit(result.status ?? 1);
		}
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

build();
serve();
