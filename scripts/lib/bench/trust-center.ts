import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { DATA_CATEGORY_IDS } from '../../../src/data/data-categories.ts';
import { REGION_IDS } from '../../../src/data/regions.ts';
import { makeSite, ROOT } from '../site-copy.ts';
import { EXAMPLE_DIR, PUBLIC_SUBDIR } from '../../../src/lib/content/dir.ts';
import { addDays, markdownFile, pad, slugify, writeText, yamlText } from './files.ts';
import {
	aspect,
	countWords,
	docsBody,
	object,
	plainBody,
	policyBody,
	sentence,
	title,
	topic,
} from './prose.ts';
import { createRandom, type Random } from './random.ts';

/** Index pages the trust center always makes, with the path a bare Starlight twin gets. */
export const FIXED_PAGES = [
	{ title: 'Overview', path: 'index' },
	{ title: 'Frameworks', path: 'frameworks/index' },
	{ title: 'Policies', path: 'policies/index' },
	{ title: 'Subprocessors', path: 'subprocessors/index' },
	{ title: 'Documents', path: 'documents/index' },
	{ title: 'Updates', path: 'updates/index' },
	{ title: 'FAQ', path: 'faq/index' },
] as const;

/** The smallest page count that still leaves room for one page of each kind. */
export const MIN_PAGES = 20;

/** How many of each thing a synthetic trust center of `pages` pages holds. */
export interface SitePlan {
	/** Pages the build should report, 404 included. */
	pages: number;
	frameworks: number;
	policies: number;
	updates: number;
	/** Architecture pages under docs/security/, the overview page included. */
	docs: number;
	controls: number;
	domains: number;
	subprocessors: number;
	faq: number;
	documents: number;
}

/** A page whose Markdown a bare Starlight site should mirror to be a fair comparison. */
export interface MirrorPage {
	/** Path under src/content/docs without extension, e.g. `policies/access-control-0007`. */
	path: string;
	title: string;
	description: string;
	body: string;
}

/** What `generateTrustCenter` wrote. */
export interface GeneratedTrustCenter {
	plan: SitePlan;
	/** Folder to pass as `content` to makeSite. */
	contentDir: string;
	/** Folder to pass as `docs` to makeSite. */
	docsDir: string;
	/** Pages built from content collections or fixed routes, for the bare twin (docs pages are copied as they are). */
	mirror: MirrorPage[];
	/** Words in the Markdown bodies written: docs pages, framework/policy/update pages, and FAQ answers (all on one page). */
	words: { docs: number; pages: number; faq: number };
}

const SEED = 0x7c3a_91e5;

/**
 * The build's "now" (SOURCE_DATE_EPOCH), 2026-11-23. The generated dates are fixed, and freshness,
 * review and expiry checks compare them with now: pinning it keeps the same site valid, warning-free
 * and rendered identically on any day the benchmark runs.
 */
export const BUILD_EPOCH_SECONDS = Date.UTC(2026, 10, 23) / 1000;
const DOMAINS = [
	['GOV', 'Governance'],
	['AST', 'Asset management'],
	['ACC', 'Access control'],
	['CRY', 'Cryptography'],
	['PHY', 'Physical security'],
	['OPS', 'Operations security'],
	['NET', 'Communications security'],
	['DEV', 'Secure development'],
	['SUP', 'Supplier relationships'],
	['INC', 'Incident management'],
	['BCM', 'Business continuity'],
	['CMP', 'Compliance'],
] as const;
const CATALOG_ID = 'bench-controls';
const FRAMEWORKS = [
	{
		id: 'iso-27001',
		name: 'ISO/IEC 27001:2022',
		shortName: 'ISO 27001',
		kind: 'certification',
		status: 'certified',
	},
	{
		id: 'soc-2',
		name: 'SOC 2 Type II',
		shortName: 'SOC 2',
		kind: 'attestation',
		status: 'audited',
	},
	{
		id: 'iso-27701',
		name: 'ISO/IEC 27701:2019',
		shortName: 'ISO 27701',
		kind: 'certification',
		status: 'in-progress',
	},
	{
		id: 'gdpr',
		name: 'EU General Data Protection Regulation',
		shortName: 'GDPR',
		kind: 'regulation',
		status: 'compliant',
	},
] as const;
const ROLES = [
	'CISO',
	'VP Engineering',
	'Head of IT',
	'Data Protection Officer',
	'Head of People',
	'General Counsel',
	'SRE Lead',
];
const APPROVERS = ['Security Steering Group', 'Executive leadership team', 'Board of directors'];
const FAQ_CATEGORIES = [
	'Compliance',
	'Data protection',
	'Infrastructure',
	'Access and identity',
	'Incident response',
	'Vendors',
];
const PURPOSES = [
	'Cloud hosting',
	'Email delivery',
	'Customer support',
	'Error monitoring',
	'Product analytics',
	'Payment processing',
	'Identity and SSO',
	'Data warehousing',
	'Log management',
	'Translation',
	'E-signatures',
	'Document AI',
];
const NAME_PARTS = [
	[
		'Nimbus',
		'Harbour',
		'Keystone',
		'Ledger',
		'Quill',
		'Strata',
		'Vault',
		'Edge',
		'Page',
		'Fault',
		'Lingo',
		'Maple',
		'Rhein',
		'Bell',
		'Ink',
	],
	[
		'line',
		'light',
		'mere',
		'wire',
		'hawk',
		'bound',
		'base',
		'weave',
		'metric',
		'court',
		'grove',
		'field',
		'well',
		'cairn',
		'pay',
	],
	['Inc.', 'GmbH', 'Ltd', 'SAS', 'B.V.', 'Pty Ltd'],
] as const;
// Documents refer to a real example PDF; the fixture's is the fallback when the example content is absent.
const PDF_CANDIDATES = [
	`${EXAMPLE_DIR}/documents/files/soc3-report.pdf`,
	'test/fixtures/minimal/content/documents/files/mini-report.pdf',
];

/**
 * Splits `pages` over the kinds of content. Fixed pages, frameworks, policies (25%) and updates (10%)
 * are set first and docs take the rest, so the build reports exactly `pages` pages.
 */
export function planSite(pages: number): SitePlan {
	const frameworks = FRAMEWORKS.length;
	const policies = Math.max(1, Math.round(pages * 0.25));
	const updates = Math.max(1, Math.round(pages * 0.1));
	const fixed = FIXED_PAGES.length + 1; // + the 404 page
	return {
		pages,
		frameworks,
		policies,
		updates,
		docs: Math.max(1, pages - fixed - frameworks - policies - updates),
		controls: Math.max(DOMAINS.length, Math.round(pages / 2)),
		domains: DOMAINS.length,
		subprocessors: Math.max(1, Math.round(pages / 20)),
		faq: Math.max(1, Math.round(pages / 20)),
		documents: frameworks * 2,
	};
}

/**
 * Writes a complete, valid trust center (content/ and docs/) into `outDir`.
 * Every kind draws from its own seeded stream, so the same plan always gives the same files.
 */
export function generateTrustCenter(outDir: string, plan: SitePlan): GeneratedTrustCenter {
	const contentDir = join(outDir, 'content');
	const docsDir = join(outDir, 'docs');
	const stream = (salt: number) => createRandom(SEED ^ Math.imul(salt, 0x9e3779b1));
	const controls = writeCatalog(contentDir, plan, stream(1));
	writeControlStatus(contentDir, controls, stream(2));
	writeSiteSettings(contentDir);
	const documents = writeDocuments(contentDir);
	const frameworks = writeFrameworks(contentDir, documents, stream(3));
	const policies = writePolicies(contentDir, plan.policies, controls, stream(4));
	const updates = writeUpdates(contentDir, plan.updates, stream(5));
	const faqWords = writeFaq(contentDir, plan.faq, controls, stream(6));
	writeSubprocessors(contentDir, plan.subprocessors, stream(7));
	const docsWords = writeDocs(docsDir, plan.docs, stream(8));
	const fixed = fixedPages(stream(9));
	const mirror = [...fixed, ...frameworks, ...policies, ...updates];
	const mirrorWords = [...frameworks, ...policies, ...updates].reduce(
		(sum, p) => sum + countWords(p.body),
		0,
	);
	return {
		plan,
		contentDir,
		docsDir,
		mirror,
		words: { docs: docsWords, pages: mirrorWords, faq: faqWords },
	};
}

/** One catalog of `plan.controls` controls spread evenly over the domains; returns the control refs. */
function writeCatalog(contentDir: string, plan: SitePlan, rng: Random): string[] {
	const perDomain = new Map<string, number>();
	const ids: string[] = [];
	const controls = Array.from({ length: plan.controls }, (_, i) => {
		const [code, domain] = DOMAINS[i % DOMAINS.length]!;
		const n = (perDomain.get(code) ?? 0) + 1;
		perDomain.set(code, n);
		const id = `${code}-${pad(n, 3)}`;
		// Mappings point back at earlier controls only, so every reference already exists.
		const mappings = ids.length > 0 && rng.chance(0.3) ? [`${CATALOG_ID}:${rng.pick(ids)}`] : [];
		ids.push(id);
		return {
			id,
			title: `${topic(rng)}: ${object(rng)}`,
			domain,
			description: sentence(rng),
			mappings,
		};
	});
	writeText(
		contentDir,
		`catalogs/${CATALOG_ID}.yaml`,
		yamlText({ id: CATALOG_ID, name: 'Benchmark control set', unit: 'controls', controls }),
	);
	return ids.map((id) => `${CATALOG_ID}:${id}`);
}

/** A status for every control, mostly implemented, as a real GRC export would look. */
function writeControlStatus(contentDir: string, refs: string[], rng: Random): void {
	const controls = refs.map((ref) => ({
		catalog: CATALOG_ID,
		control: ref.slice(CATALOG_ID.length + 1),
		status: rng.weighted({
			implemented: 80,
			partial: 8,
			planned: 5,
			failing: 2,
			'not-applicable': 5,
		}),
		// Within 90 days of BUILD_EPOCH_SECONDS, so the snapshot is fresh as a nightly pull would keep it.
		evidenceDate: addDays('2026-09-01', rng.int(0, 80)),
		source: 'grc-export',
	}));
	const snapshot = {
		asOf: '2026-11-20T06:00:00Z',
		sources: [{ id: 'grc-export', kind: 'file', location: 'exports/bench-controls.csv' }],
		controls,
	};
	writeText(contentDir, 'control-status.json', `${JSON.stringify(snapshot, null, 2)}\n`);
}

function writeSiteSettings(contentDir: string): void {
	const site = {
		companyName: 'Bench Ledger',
		legalName: 'Bench Ledger, Inc.',
		tagline: 'A synthetic trust center generated to benchmark the build.',
		url: 'https://trust.bench.example',
		logo: { light: '/brand/logo-light.svg' },
		brandColor: '#0f5cc0',
		contacts: {
			security: 'security@bench.example',
			privacy: 'privacy@bench.example',
			dpo: { name: 'Data Protection Officer', email: 'dpo@bench.example' },
		},
		statusPageUrl: 'https://status.bench.example',
		securityTxt: { contact: ['mailto:security@bench.example'], expiresAfterDays: 180 },
	};
	writeText(contentDir, 'site.yaml', yamlText(site));
	// The example's logo stands in for the generated company's.
	mkdirSync(join(contentDir, PUBLIC_SUBDIR, 'brand'), { recursive: true });
	copyFileSync(
		join(ROOT, EXAMPLE_DIR, PUBLIC_SUBDIR, site.logo.light),
		join(contentDir, PUBLIC_SUBDIR, site.logo.light),
	);
}

/** A public certificate and an NDA report per framework, each with a real PDF beside it. Returns ids by framework. */
function writeDocuments(contentDir: string): Map<string, string[]> {
	const pdf = PDF_CANDIDATES.map((p) => join(ROOT, p)).find((p) => existsSync(p));
	if (!pdf) throw new Error(`No example PDF to copy: expected one of ${PDF_CANDIDATES.join(', ')}`);
	mkdirSync(join(contentDir, 'documents/files'), { recursive: true });
	const byFramework = new Map<string, string[]>();
	for (const f of FRAMEWORKS) {
		const docs = [
			{
				id: `${f.id}-certificate`,
				title: `${f.shortName} certificate`,
				kind: 'certificate',
				access: 'public',
			},
			{
				id: `${f.id}-report`,
				title: `${f.shortName} audit report (2026)`,
				kind: 'audit-report',
				access: 'nda',
			},
		];
		for (const d of docs) {
			// Each file's bytes differ (a PDF comment after the end): the leak check finds an NDA document by
			// its hash, so a public copy of the same bytes would be reported as a published NDA document.
			writeFileSync(
				join(contentDir, `documents/files/${d.id}.pdf`),
				Buffer.concat([readFileSync(pdf), Buffer.from(`\n% ${d.id}\n`)]),
			);
			const data = {
				...d,
				date: '2026-03-18',
				validUntil: '2028-12-31',
				description: `The ${d.title} for Bench Ledger.`,
				file: `files/${d.id}.pdf`,
			};
			writeText(contentDir, `documents/${d.id}.yaml`, yamlText(data));
		}
		byFramework.set(
			f.id,
			docs.map((d) => d.id),
		);
	}
	return byFramework;
}

function writeFrameworks(
	contentDir: string,
	documents: Map<string, string[]>,
	rng: Random,
): MirrorPage[] {
	return FRAMEWORKS.map((f, i) => {
		const summary = `${sentence(rng)} ${sentence(rng)}`;
		const body = `## What it covers\n\n${plainBody(rng, 120)}\n## How the audit runs\n\n${plainBody(rng, 120)}`;
		const data = {
			...f,
			auditor: 'Meridian Assurance Ltd',
			issued: '2026-03-18',
			expires: '2029-03-17',
			scope: sentence(rng),
			summary,
			documents: documents.get(f.id) ?? [],
			catalog: CATALOG_ID,
			order: i + 1,
		};
		writeText(contentDir, `frameworks/${f.id}.mdx`, markdownFile(data, body));
		return { path: `frameworks/${f.id}`, title: f.name, description: summary, body };
	});
}

function writePolicies(
	contentDir: string,
	count: number,
	refs: string[],
	rng: Random,
): MirrorPage[] {
	return Array.from({ length: count }, (_, i) => {
		const name = `${topic(rng)} policy ${aspect(rng)}`;
		const id = `${slugify(name)}-${pad(i + 1, 4)}`;
		const summary = `${sentence(rng)} ${sentence(rng)}`;
		const body = policyBody(rng, 300);
		const data = {
			id,
			title: name,
			version: `${rng.int(1, 4)}.${rng.int(0, 9)}`,
			state: rng.weighted({ approved: 90, draft: 7, retired: 3 }),
			owner: rng.pick(ROLES),
			approver: rng.pick(APPROVERS),
			effective: addDays('2025-01-01', rng.int(0, 500)),
			// Reviewed in 2026, so none is overdue at BUILD_EPOCH_SECONDS and the build prints no warnings.
			lastReviewed: addDays('2026-01-05', rng.int(0, 280)),
			reviewIntervalMonths: 12,
			classification: 'public',
			controls: rng.sample(refs, rng.int(2, 4)),
			summary,
		};
		writeText(contentDir, `policies/${id}.mdx`, markdownFile(data, body));
		return { path: `policies/${id}`, title: name, description: summary, body };
	});
}

function writeUpdates(contentDir: string, count: number, rng: Random): MirrorPage[] {
	const spanDays = 1050; // 2024-01-01 to late 2026, so the feeds hold a realistic spread of dates
	return Array.from({ length: count }, (_, i) => {
		const date = addDays('2024-01-01', Math.floor((i * spanDays) / count));
		const headline = `${rng.pick(['New', 'Updated', 'Reviewed', 'Stronger'])} ${topic(rng).toLowerCase()} ${aspect(rng)}`;
		const id = `${date}-${slugify(headline)}-${pad(i + 1, 4)}`;
		const summary = sentence(rng);
		const body = plainBody(rng, rng.int(120, 180));
		const kind = rng.weighted({
			general: 40,
			'policy-change': 25,
			certification: 15,
			'subprocessor-change': 15,
			incident: 5,
		});
		writeText(
			contentDir,
			`updates/${id}.mdx`,
			markdownFile({ title: headline, date, kind, summary }, body),
		);
		return { path: `updates/${id}`, title: headline, description: summary, body };
	});
}

/** FAQ entries render on one page, so they add words there but no pages. Returns the words written. */
function writeFaq(contentDir: string, count: number, refs: string[], rng: Random): number {
	let words = 0;
	for (let i = 0; i < count; i++) {
		const question = `How ${rng.pick(['often', 'quickly', 'carefully'])} does Bench Ledger handle ${object(rng)} ${aspect(rng)}?`;
		const body = plainBody(rng, rng.int(60, 110));
		words += countWords(body);
		const data = {
			question,
			category: rng.pick(FAQ_CATEGORIES),
			frameworks: rng.sample(
				FRAMEWORKS.map((f) => f.id),
				rng.int(0, 2),
			),
			controls: rng.sample(refs, rng.int(1, 2)),
			order: i + 1,
		};
		writeText(contentDir, `faq/faq-${pad(i + 1, 4)}.mdx`, markdownFile(data, body));
	}
	return words;
}

function writeSubprocessors(contentDir: string, count: number, rng: Random): void {
	for (let i = 0; i < count; i++) {
		const name = `${rng.pick(NAME_PARTS[0])}${rng.pick(NAME_PARTS[1])} ${rng.pick(NAME_PARTS[2])}`;
		const id = `${slugify(name.split(' ')[0]!)}-${pad(i + 1, 4)}`;
		const purpose = rng.pick(PURPOSES);
		const locations = rng.sample(REGION_IDS, rng.int(1, 2));
		const state = rng.weighted({ active: 85, planned: 8, removed: 7 });
		const effective = addDays('2021-01-01', rng.int(0, 2100));
		const data = {
			id,
			name,
			purpose,
			dataCategories: rng.sample(DATA_CATEGORY_IDS, rng.int(1, 3)),
			locations,
			// Data that stays in Europe needs no transfer mechanism; anything else needs one.
			transferMechanism: locations.every((l) => ['eu', 'uk', 'ch'].includes(l))
				? 'none-needed'
				: rng.pick(['scc', 'dpf', 'adequacy']),
			website: `https://${id}.example`,
			state,
			...(state === 'planned' ? { noticeDate: '2026-11-01' } : {}),
			effective: state === 'planned' ? '2026-12-15' : effective,
			...(state === 'removed' ? { removed: addDays(effective, rng.int(30, 300)) } : {}),
			// Each its own: two named alike under NDA could not be told apart on the public list.
			...(rng.chance(0.3) ? { publicDescriptor: `${purpose} provider ${i + 1}` } : {}),
		};
		writeText(contentDir, `subprocessors/${id}.yaml`, yamlText(data));
	}
}

/** The security overview plus `count - 1` pages in sections of 25. Returns the words written. */
function writeDocs(docsDir: string, count: number, rng: Random): number {
	const perSection = 25;
	const sections = Math.ceil((count - 1) / perSection);
	const width = Math.max(2, String(sections).length);
	let words = 0;
	const page = (path: string, heading: string) => {
		const body = docsBody(rng, 400);
		words += countWords(body);
		writeText(docsDir, path, markdownFile({ title: heading, description: sentence(rng) }, body));
	};
	page('security/index.mdx', 'Security architecture');
	for (let i = 0; i < count - 1; i++) {
		page(
			`security/section-${pad(Math.floor(i / perSection) + 1, width)}/page-${pad((i % perSection) + 1, 3)}.mdx`,
			title(rng),
		);
	}
	return words;
}

/** Stand-ins for the fixed index pages: they render collections, not Markdown, so a docs-sized body stands in. */
function fixedPages(rng: Random): MirrorPage[] {
	return FIXED_PAGES.map((p) => ({
		path: p.path,
		title: p.title,
		description: sentence(rng),
		body: docsBody(rng, 400),
	}));
}

/**
 * Generates the trust center `plan` describes into .tmp/, then a project copy named after `name` that
 * uses it: `site`, beside `source`. Both are for the caller to remove (removeSite) when done.
 */
export function generateSite(
	name: string,
	plan: SitePlan,
): { site: string; source: string; generated: GeneratedTrustCenter } {
	mkdirSync(join(ROOT, '.tmp'), { recursive: true });
	const source = mkdtempSync(join(ROOT, '.tmp', `${name}-source-`));
	const generated = generateTrustCenter(source, plan);
	const site = makeSite(name, { content: [generated.contentDir], docs: generated.docsDir });
	return { site, source, generated };
}
