// npm start: build the trust center when dist/ is missing or stale, then serve it with the access gate
// on one port. SIGTERM and SIGINT stop it gracefully: requests in flight finish first.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staleReason } from './lib/build-freshness.ts';
import { jsonLog } from '../src/gate/log.ts';
import { GateStartError, startGate } from '../src/gate/server.ts';
import { runBuild } from './lib/build-chain.ts';
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

if (!process.argv.includes('--no-build')) await build();
try {
	const gate = await startGate(root, join(root, 'dist'), process.env);
	jsonLog(
		'info',
		`Trust center and access gate: http://localhost:${new URL(gate.url).port}/ (database: ${gate.gate.db.kind})`,
	);
	const stop = (signal: string) => {
		jsonLog('info', `${signal}: finishing requests in flight, then stopping`);
		void gate.close().then(() => process.exit(0));
	};
	process.once('SIGTERM', () => stop('SIGTERM'));
	process.once('SIGINT', () => stop('SIGINT'));
} catch (error) {
	if (!(error instanceof GateStartError)) throw error;
	console.error(error.message);
	process.exit(1);
}
