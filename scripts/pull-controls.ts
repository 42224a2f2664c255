// npm run controls:pull: pull live control status from the sources in content/site.yaml.
// --if-configured: do nothing (successfully) when no sources are configured; `npm run build` uses it.
import { fileURLToPath } from 'node:url';
import { pullControls } from '../src/lib/pull/run.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifConfigured = process.argv.includes('--if-configured');
const outcome = await pullControls({ root });
if (outcome.status === 'not-configured') {
	console.log('No control sources are configured (controlStatus.sources in content/site.yaml); content/control-status.json is used as it is.');
	process.exit(ifConfigured ? 0 : 1);
}
if (outcome.status === 'failed') {
	console.error(outcome.message);
	process.exit(1);
}
