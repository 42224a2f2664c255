// npm run controls:pull: pull live control status from the sources in the content folder's site.yaml.
// --if-configured: do nothing (successfully) when no sources are configured; `npm run build` uses it.
import { fileURLToPath } from 'node:url';
import { pullControls } from '../src/lib/pull/run.ts';
import { chooseContentDir } from '../src/lib/content/dir.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ifConfigured = process.argv.includes('--if-configured');
const outcome = await pullControls({ root });
if (outcome.status === 'not-configured') {
	const dir = chooseContentDir(root);
	console.log(
		`No control sources are configured (controlStatus.sources in ${dir}/site.yaml); ${dir}/control-status.json is used as it is.`,
	);
	process.exit(ifConfigured ? 0 : 1);
}
if (outcome.status === 'failed') {
	console.error(outcome.message);
	process.exit(1);
}
