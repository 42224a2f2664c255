import { join, relative } from 'node:path';
import type { AstroIntegration } from 'astro';
import { AstroError } from 'astro/errors';
import {
	hasAccessGate,
	loadAccessConfig,
	NDA_FILE,
	RULES_FILE,
	STAFF_FILE,
} from '../gate/lib/access-config.ts';
import { loadContent, SITE_FILE, sourceReader } from '../lib/content/load.ts';
import { checkCrossReferences } from '../lib/content/cross-references.ts';
import { checkNdaLinks } from '../lib/nda/links.ts';
import { checkInternalLinks } from '../lib/content/links.ts';
import { htmlCommentsInMdx } from '../lib/content/mdx-body.ts';
import { misplacedNdaElements } from '../lib/nda/visibility.ts';
import { checkComponentProps } from '../lib/content/component-props.ts';
import { docsProblems, readSourcePages } from '../lib/content/source-pages.ts';
import { findPlaceholders } from '../lib/content/placeholders.ts';
import type { Problem } from '../lib/content/problems.ts';
import { formatContentFailure, formatReport } from '../lib/reporters/content.ts';
import type { TrustContent } from '../lib/content/load.ts';
import { buildTime } from '../lib/build-time.ts';
import { chooseContentDir } from '../lib/content/dir.ts';
import { labelProblems } from '../lib/words/check.ts';

/** How to act on the content report, printed by Astro under it. */
const CONTENT_HINT =
	'Each line names the file (and line), the field, what was expected and what was found, then how to fix it. Every field is described in src/schemas/.';

/**
 * Loads and checks all content before Astro starts, so the security team sees every problem in one
 * report instead of the first one only. Warnings are printed; with `strict: true` they fail too.
 * Throws an AstroError whose message is the whole grouped report.
 */
export function checkContent(
	root: string,
	now = buildTime(),
): { content: TrustContent; warnings: Problem[] } {
	const { content, warnings, failure } = runContentCheck(root, now);
	if (failure || !content) throw failure;
	return { content, warnings };
}

/**
 * The whole content check, without throwing: the content and its warnings, or the error that stops a
 * build (the grouped report) and the problems in it. `npm run dev` runs it on every change.
 */
export function runContentCheck(
	root: string,
	now = buildTime(),
): {
	content: TrustContent | undefined;
	warnings: Problem[];
	failure: AstroError | undefined;
	/** The problems that fail the build: the errors, and the warnings too in strict mode. */
	failing: Problem[];
} {
	const dir = chooseContentDir(root);
	// Every file is read and parsed once, whichever checks look at it.
	const read = sourceReader(root);
	const loaded = loadContent(root, dir, read);
	const { content, site } = loaded;
	const pages = readSourcePages(root, dir, read);
	// Every check runs whose files it reads are valid, so that one round of fixes meets every problem:
	// those that weigh entries against each other need every file valid; the rest, site.yaml at most.
	const all = [
		...loaded.problems,
		...docsProblems(root, dir, read),
		...pages.flatMap(misplacedNdaElements),
		...pages.flatMap(htmlCommentsInMdx),
		...(content ? checkCrossReferences(content, root, dir, now, read) : []),
		...(content ? checkNdaLinks(pages, content.faq, content.site.url) : []),
		...(site ? checkInternalLinks(pages, site.url) : []),
		...(content ? checkComponentProps(pages, content) : []),
		...accessProblems(root, dir),
		...(site ? findPlaceholders(root, dir, site, read) : []),
		...(site ? siteLabelProblems(root, dir, site, read) : []),
	];
	const strict = site?.strict ?? false;
	const failing = all.filter((p) => p.severity === 'error' || strict);
	if (content && failing.length === 0)
		return { content, warnings: all, failure: undefined, failing };
	const promoted = all.map((p) => (strict ? { ...p, severity: 'error' as const } : p));
	const strictIn =
		strict && failing.some((p) => p.severity === 'warning') ? `${dir}/site.yaml` : undefined;
	const failure = new AstroError(formatContentFailure(promoted, strictIn), CONTENT_HINT);
	return { content: undefined, warnings: all, failure, failing };
}

/** Problems in site.yaml's `labels`, with the line of each. */
function siteLabelProblems(
	root: string,
	dir: string,
	site: TrustContent['site'],
	read: ReturnType<typeof sourceReader>,
): Problem[] {
	const path = join(root, dir, SITE_FILE);
	const { parsed } = read(path);
	const lineOf = parsed.ok ? parsed.lineOf : () => undefined;
	return labelProblems(site.labels, site.language, relative(root, path), lineOf);
}

/** Problems in the NDA, the approval rules and the staff file, when the site has an access gate (the files the rest of the check does not read). */
function accessProblems(root: string, dir: string): Problem[] {
	if (!hasAccessGate(root, dir)) return [];
	const gateFiles = [NDA_FILE, RULES_FILE, STAFF_FILE];
	return loadAccessConfig(root, dir).problems.filter((p) =>
		gateFiles.some((f) => p.file.endsWith(f)),
	);
}

/** Prints which content is built when it is the example, and the content warnings, through Astro's logger. */
export function contentWarnings(warnings: Problem[], notice?: string): AstroIntegration {
	return {
		name: 'trust-center:content-warnings',
		hooks: {
			'astro:config:setup': ({ logger }) => {
				if (notice) logger.info(notice);
				if (warnings.length > 0) logger.warn(`\n${formatReport(warnings)}`);
			},
		},
	};
}
