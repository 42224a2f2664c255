// The leak check's steps: load the sources, collect NDA-only texts and files, scan the build, report.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { buildTime } from '../../src/lib/build-time.ts';
import { loadContent, readEntry } from '../../src/lib/content/load.ts';
import { STAFF_FILE } from '../../src/gate/lib/access-config.ts';
import { StaffSchema } from '../../src/schemas/staff.ts';
import type { Problem } from '../../src/lib/content/problems.ts';
import { chooseContentDir } from '../../src/lib/content/dir.ts';
import {
	collectSecrets,
	findLeaks,
	findPrivateFiles,
	staffSecrets,
} from '../../src/lib/nda/leaks.ts';
import { isNdaDocument } from '../../src/lib/nda/visibility.ts';
import { formatReport } from '../../src/lib/reporters/content.ts';
import { formatLeaks } from '../../src/lib/reporters/leaks.ts';
import { readSourcePages } from '../../src/lib/content/source-pages.ts';
import { WHITEPAPER_MANIFEST, WHITEPAPER_PDF } from '../../src/whitepaper/paths.ts';

/** The folder checked as messages name it: from the project root when inside it, else as it is. */
const shown = (root: string, dist: string) => {
	const path = relative(root, dist);
	return path === '' || path.startsWith('..') || isAbsolute(path) ? dist : path;
};

/** Checks the public build in `dist` against the sources in `root`. Never throws for bad content. */
export function checkLeaks(
	root: string,
	dist: string,
): { ok: true; message: string } | { ok: false; message: string } {
	const started = performance.now();
	if (!existsSync(join(dist, 'index.html')))
		return {
			ok: false,
			message: `Leak check: ${shown(root, dist)}/ holds no build (index.html is missing). Run npm run build first.`,
		};
	const dir = chooseContentDir(root);
	const { content, problems } = loadContent(root, dir);
	if (!content)
		return {
			ok: false,
			message: `Leak check: the content does not load, so NDA-only texts cannot be collected.\n\n${formatReport(problems)}`,
		};
	const { secrets, alsoPublic } = collectSecrets(content, readSourcePages(root, dir), {
		now: buildTime(),
		maxEvidenceAgeDays: content.site.controlStatus.maxEvidenceAgeDays,
	});
	const staffPath = join(root, dir, STAFF_FILE);
	const staffProblems: Problem[] = [];
	const staff = existsSync(staffPath)
		? readEntry(root, staffPath, StaffSchema, staffProblems)
		: undefined;
	if (staffProblems.length > 0)
		return {
			ok: false,
			message: `Leak check: ${STAFF_FILE} does not load, so its e-mail addresses cannot be checked.\n\n${formatReport(staffProblems)}`,
		};
	if (staff) secrets.push(...staffSecrets(staff));
	const privateFiles = [
		...content.documents
			.filter((d) => isNdaDocument(d.data))
			.map((d) => join(dir, 'documents', d.data.file)),
		WHITEPAPER_PDF,
		WHITEPAPER_MANIFEST,
	];
	const { leaks, filesScanned } = findLeaks(root, dist, secrets);
	const copies = findPrivateFiles(root, dist, privateFiles);
	const sources = new Set(secrets.map((s) => s.source.replace(/:\d+ \(/, ' (')));
	const took = `${((performance.now() - started) / 1000).toFixed(2)} s`;
	if (leaks.length > 0 || copies.length > 0)
		return { ok: false, message: formatLeaks(leaks, copies) };
	return {
		ok: true,
		message:
			`Leak check passed: none of ${secrets.length} NDA-only texts from ${sources.size} sources, and none of ${privateFiles.length} private files, is in the ${filesScanned} text files of ${shown(root, dist)}/ (Pagefind index decompressed) (${took}).` +
			(alsoPublic.length > 0
				? `\n${alsoPublic.length} NDA-only text(s) are also written in public content, so they are public:\n${alsoPublic.map((s) => `  "${s.excerpt}" (${s.source})`).join('\n')}`
				: ''),
	};
}
