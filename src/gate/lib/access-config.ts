import { ENGLISH, siteWords, type Words } from '../../lib/words/words.ts';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { AccessRulesSchema, type AccessRules } from '../../schemas/access-rules.ts';
import { NdaSchema, type Nda } from '../../schemas/nda.ts';
import { SiteSettingsSchema, type SiteSettings } from '../../schemas/site.ts';
import { StaffSchema, type Staff } from '../../schemas/staff.ts';
import { checkRules } from './access-rules.ts';
import { checkStaff } from './staff-roles.ts';
import {
	COLLECTIONS,
	fieldLine,
	readCollection,
	readEntry,
	SITE_FILE,
	sourceReader,
} from '../../lib/content/load.ts';
import { chooseContentDir } from '../../lib/content/dir.ts';
import type { Problem } from '../../lib/content/problems.ts';
import { WHITEPAPER_ID, WHITEPAPER_PDF, whitepaperTitle } from '../../whitepaper/paths.ts';

export const NDA_FILE = 'nda.mdx';
export const RULES_FILE = 'access-rules.yaml';
export const STAFF_FILE = 'staff.yaml';

/** A document the gate can grant: the whitepaper, or a `documents/` entry of the content folder with `access: nda`. */
export interface GateDocument {
	id: string;
	title: string;
	/** Absolute path of the PDF the gate watermarks and serves. */
	path: string;
}

/** The NDA as requesters see and accept it. */
export interface NdaText {
	data: Nda;
	/** SHA-256 (hex) of the whole file, frontmatter included: what a requester's acceptance refers to. */
	sha256: string;
	/** Path relative to the project root. */
	file: string;
}

/** Everything the gate needs from the content folder. */
export interface AccessConfig {
	site: SiteSettings;
	/** The site's words, in its language with the team's labels: what requesters and subscribers read. */
	words: Words;
	nda: NdaText;
	rules: AccessRules;
	rulesFile: string;
	documents: GateDocument[];
	/** Who may sign in to the console; undefined when the content folder has no staff file (then nobody can). */
	staff: Staff | undefined;
	/** The staff file's path relative to the project root, for messages. */
	staffFile: string;
	/** Every document (public or NDA) with a `validUntil`: the console warns once that day has passed. */
	dated: DatedDocument[];
}

/** A document that is current until a day, and its file, for the console's warning. */
export interface DatedDocument {
	id: string;
	title: string;
	validUntil: Date;
	/** Who keeps it current (the document's `owner`). */
	owner: string;
	/** Its YAML file, relative to the project root. */
	file: string;
}

/** Reads the NDA, its hash, and its frontmatter. */
export function readNda(
	root: string,
	contentDir: string,
	problems: Problem[],
): NdaText | undefined {
	const path = join(root, contentDir, NDA_FILE);
	const entry = readEntry(root, path, NdaSchema, problems);
	if (!entry) return undefined;
	return {
		data: entry.data,
		sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
		file: entry.file,
	};
}

/**
 * Loads the site settings, the NDA, the approval rules and the grantable documents, checking the rules
 * against the documents. Never throws for bad content: every problem is returned.
 */
export function loadAccessConfig(
	root: string,
	contentDir = chooseContentDir(root),
): { config: AccessConfig | undefined; problems: Problem[] } {
	const problems: Problem[] = [];
	const read = sourceReader(root);
	const base = join(root, contentDir);
	const site = readEntry(root, join(base, SITE_FILE), SiteSettingsSchema, problems, read);
	const nda = readNda(root, contentDir, problems);
	const rulesPath = join(base, RULES_FILE);
	const rules = readEntry(root, rulesPath, AccessRulesSchema, problems, read);
	const staffPath = join(base, STAFF_FILE);
	const staff = existsSync(staffPath)
		? readEntry(root, staffPath, StaffSchema, problems, read)
		: undefined;
	const entries = readCollection(root, contentDir, 'documents', problems);
	const words = site ? siteWords(site.data) : ENGLISH;
	const documents: GateDocument[] = [
		{
			id: WHITEPAPER_ID,
			title: whitepaperTitle(site?.data.companyName ?? 'Security', words, 'document'),
			path: join(root, WHITEPAPER_PDF),
		},
		...entries
			.filter((e) => e.data.access === 'nda')
			.map((e) => ({
				id: e.data.id,
				title: e.data.title,
				path: join(base, COLLECTIONS.documents.dir, e.data.file),
			})),
	];
	// The checks of rules and staff weigh entries against each other; each problem gets its field's line.
	const withLine = (p: Problem): Problem =>
		p.line === undefined ? { ...p, line: fieldLine(root, p.file, p.field, read) } : p;
	if (rules)
		problems.push(
			...checkRules(
				rules.data,
				rules.file,
				documents.map((d) => d.id),
			).map(withLine),
		);
	if (staff)
		problems.push(...checkStaff(staff.data, staff.file, rules?.data.freeMail ?? []).map(withLine));
	const ok = site && nda && rules && !problems.some((p) => p.severity === 'error');
	return {
		config: ok
			? {
					site: site.data,
					words,
					nda,
					rules: rules.data,
					rulesFile: rules.file,
					documents,
					staff: staff?.data,
					staffFile: relative(root, staffPath),
					dated: entries.flatMap((e) =>
						e.data.validUntil
							? [
									{
										id: e.data.id,
										title: e.data.title,
										validUntil: e.data.validUntil,
										owner: e.data.owner,
										file: e.file,
									},
								]
							: [],
					),
				}
			: undefined,
		problems,
	};
}

/**
 * Whether this content folder has an access gate: an NDA or approval rules (then both must be there and
 * valid). With neither, the gate is off: `npm start` serves the site alone and NDA documents are asked
 * for by e-mail to the security contact.
 */
export function hasAccessGate(root: string, contentDir = chooseContentDir(root)): boolean {
	return [NDA_FILE, RULES_FILE].some((file) => existsSync(join(root, contentDir, file)));
}

/** Why the gate is off, for the one line `npm start` prints. */
export function gateOffReason(contentDir: string): string {
	return `The access gate is off: ${contentDir}/ has no ${NDA_FILE} and no ${RULES_FILE}, so the site is served alone and NDA documents are requested by e-mail to the security contact. Add both files to turn it on (README.md, "The access gate").`;
}
