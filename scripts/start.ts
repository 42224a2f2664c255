// npm start: build the trust center when dist/ is missing or stale, then serve it with the access gate
// on one port. SIGTERM and SIGINT stop it gracefully: requests in flight finish first.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildUnchecked, staleReason, UNCHECKED } from './lib/build-freshness.ts';
import { jsonLog } from '../src/gate/log.ts';
import { hasAccessGate } from '../src/gate/lib/access-config.ts';
import { GateStartError, startGate, startSite } from '../src/gate/server.ts';
import { runBuild } from './lib/build-chain.ts';
import { exitUnlessStartable } from './lib/flags.ts';
import { exampleNotice } from '../src/lib/content/dir.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function build(): Promise<void> {
	const reason = staleReason(root);
	if (!reason) {
		// A build prints the notice itself; a start without one says it here.
		const notice = exampleNotice(root);
		if (notice) console.log(notice);
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

exitUnlessStartable(root, 'npm start', ['--no-build']);
if (!process.argv.includes('--no-build')) await build();
else if (buildUnchecked(root)) {
	console.error(
		`Not serving dist/: ${UNCHECKED}. Run npm run build, or npm start without --no-build.`,
	);
	process.exit(1);
}
try {
	// Without an NDA and approval rules the access gate is off: the site is served alone (startSite says so).
	const gated = hasAccessGate(root)
		? await startGate(root, join(root, 'dist'), process.env)
		: undefined;
	const running = gated ?? (await startSite(root, join(root, 'dist'), process.env));
	const port = new URL(running.url).port;
	jsonLog(
		'info',
		gated
			? `Trust center and access gate: http://localhost:${port}/ (database: ${gated.gate.db.kind})`
			: `Trust center: http://localhost:${port}/`,
	);
	const stop = (signal: string) => {
		jsonLog('info', `${signal}: finishing requests in flight, then stopping`);
		void running.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', () => stop('SIGTERM'));
	process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
	if (!(error instanceof GateStartError)) throw error;
	console.error(error.message);
	process.exit(1);
}
