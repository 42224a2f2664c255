// npm run controls:pull: pull live control status from the sources in the content folder's site.yaml.
// --if-configured: do nothing (successfully) when no sources are configured; `npm run build` uses it.
// Exit codes: 0 written or unchanged; 1 failed (nothing written); 3 (KEPT_EXIT_CODE) a source failed
// and the last good snapshot was kept, so that a CI step goes red while the build chain goes on.
import { fileURLToPath } from 'node:url';
import { KEPT_EXIT_CODE, pullControls } from '../src/lib/pull/run.ts';
import { chooseContentDir } from '../src/lib/content/dir.ts';
import { runContentCheck } from '../src/integration/trust-center.ts';
import { formatProblem, formatReport, plainText } from '../src/lib/reporters/content.ts';
import { exitUnlessStartable } from './lib/flags.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
exitUnlessStartable(root, 'npm run controls:pull', ['--if-configured']);
const ifConfigured = process.argv.includes('--if-configured');
const outcome = await pullControls({ root });
if (outcome.status === 'not-configured') {
	const dir = chooseContentDir(root);
	console.log(
		`No control sources are configured (controlStatus.sources in ${dir}/site.yaml); ${dir}/control-status.json is used as it is.`,
	);
	process.exit(ifConfigured ? 0 : 1);
}
if (outcome.status === 'content-invalid') {
	// The report a build gives, of every file: the pull reads only the settings, the catalogs and the
	// mapping, and naming their problems alone would hide the rest until the next try. The mapping file,
	// which only the pull reads, adds its own.
	const { failure, failing } = runContentCheck(root);
	const shown = new Set(failing.map(formatProblem));
	const more = outcome.problems.filter((p) => !shown.has(formatProblem(p)));
	const report = failure
		? [failure.message, ...(more.length ? [formatReport(more)] : [])].join('\n\n')
		: outcome.message;
	console.error(plainText(report));
	process.exit(1);
}
if (outcome.status === 'failed') {
	console.error(plainText(outcome.message));
	process.exit(1);
}
if (outcome.status === 'kept') {
	console.error(
		`Control status was NOT refreshed: the snapshot as of ${outcome.asOf} was kept (exit code ${KEPT_EXIT_CODE}).`,
	);
	process.exit(KEPT_EXIT_CODE);
}
