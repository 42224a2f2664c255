import type { Random } from './random.ts';

// Filler that reads like a real trust center. Lorem ipsum would make Pagefind's index and the
// Markdown pipeline unrealistically cheap: few distinct words, no punctuation variety.

const SUBJECTS = [
	'The security team',
	'Each service owner',
	'The platform team',
	'The on-call engineer',
	'The identity provider',
	'The access broker',
	'Every production workload',
	'The data protection officer',
	'The vulnerability management programme',
	'Our incident commander',
	'The change advisory board',
	'Internal audit',
	'The key management service',
	'Each engineering manager',
	'The Security Steering Group',
	'Our logging pipeline',
	'The backup service',
	'Every new supplier',
	'The CI/CD pipeline',
	'The support organisation',
] as const;

const VERBS = [
	'reviews',
	'rotates',
	'encrypts',
	'monitors',
	'records',
	'approves',
	'tests',
	'restricts',
	'documents',
	're-certifies',
	'scans',
	'verifies',
	'isolates',
	'classifies',
	'escalates',
	'retains',
	'revokes',
	'signs',
	'backs up',
	'reports on',
] as const;

const OBJECTS = [
	'production credentials',
	'customer data at rest',
	'privileged access requests',
	'infrastructure-as-code changes',
	'container images',
	'audit logs',
	'third-party integrations',
	'database snapshots',
	'service-to-service traffic',
	'encryption keys',
	'security exceptions',
	'endpoint configurations',
	'open-source dependencies',
	'firewall rules',
	'support sessions',
	'tenant boundaries',
	'build artefacts',
	'risk register entries',
	'disaster recovery runbooks',
	'personal data exports',
] as const;

const QUALIFIERS = [
	'every quarter',
	'within 24 hours',
	'before each release',
	'at least once a year',
	'as part of onboarding',
	'whenever a role changes',
	'with a second approver',
	'against the CIS benchmarks',
	'in both hosting regions',
	'using hardware-backed keys',
	'through a ticketed workflow',
	'before changes reach production',
	'with tamper-evident storage',
	'according to the data classification',
	'under the supervision of the CISO',
	'for at least 13 months',
	'with automated alerting',
	'after every significant change',
	'within the agreed service levels',
	'in line with ISO/IEC 27001',
] as const;

const CLAUSES = [
	'so that no single person can make an unreviewed change',
	'which keeps the blast radius of a compromised credential small',
	'and findings are tracked to closure in the risk register',
	'because customers rely on us to keep their ledgers intact',
	'and deviations page the on-call engineer',
	'so that evidence is ready for the next audit',
	'and the results are shared with the Security Steering Group',
	'which lets us prove who did what, and when',
	'and exceptions expire after six months at most',
	'so that recovery does not depend on any single region',
] as const;

const TOPICS = [
	'Access control',
	'Encryption',
	'Network security',
	'Logging and monitoring',
	'Incident response',
	'Business continuity',
	'Secure development',
	'Vulnerability management',
	'Vendor risk',
	'Data retention',
	'Endpoint security',
	'Identity management',
	'Change management',
	'Physical security',
	'Privacy engineering',
	'Backup and recovery',
	'Threat modelling',
	'Security awareness',
	'Key management',
	'Tenant isolation',
] as const;

const ASPECTS = [
	'in the ingestion tier',
	'for the payments platform',
	'for support tooling',
	'across hosting regions',
	'for corporate SaaS',
	'in the data warehouse',
	'for the public API',
	'in CI/CD pipelines',
	'for mobile clients',
	'for internal services',
	'for contractors',
	'during on-call',
] as const;

const HEADINGS = [
	'Purpose',
	'Scope',
	'How it works',
	'Roles and responsibilities',
	'Controls in place',
	'Monitoring and evidence',
	'Exceptions',
	'Review and testing',
	'What customers can expect',
	'Related requirements',
	'Design principles',
	'Operational practice',
] as const;

/** Counts words the way a reader would: runs of letters or digits, ignoring Markdown punctuation. */
export function countWords(text: string): number {
	return text.match(/[A-Za-z0-9][A-Za-z0-9'/.-]*/g)?.length ?? 0;
}

/** One sentence of security prose. */
export function sentence(rng: Random): string {
	const core = `${rng.pick(SUBJECTS)} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}`;
	return rng.chance(0.4) ? `${core}, ${rng.pick(CLAUSES)}.` : `${core}.`;
}

/** Paragraphs totalling at least `words` words, each three to six sentences long. */
export function paragraphs(rng: Random, words: number): string[] {
	const out: string[] = [];
	let total = 0;
	while (total < words) {
		const sentences = Array.from({ length: rng.int(3, 6) }, () => sentence(rng));
		// Trims the last paragraph so word counts track the target instead of overshooting by a paragraph.
		while (sentences.length > 1 && total + countWords(sentences.join(' ')) > words + 15)
			sentences.pop();
		const text = sentences.join(' ');
		out.push(text);
		total += countWords(text);
	}
	return out;
}

/** A plausible page title, e.g. "Encryption for the public API". */
export function title(rng: Random): string {
	return `${topic(rng)} ${aspect(rng)}`;
}

/** A topic name such as "Key management", for policy and control titles. */
export function topic(rng: Random): string {
	return rng.pick(TOPICS);
}

/** Where a topic applies, e.g. "for the public API". */
export function aspect(rng: Random): string {
	return rng.pick(ASPECTS);
}

/** A noun phrase such as "encryption keys", for questions and control titles. */
export function object(rng: Random): string {
	return rng.pick(OBJECTS);
}

/** A Markdown bullet list of short requirements. */
export function bulletList(rng: Random, items: number): string {
	return Array.from(
		{ length: items },
		() =>
			`- **${rng.pick(TOPICS)}:** ${lowerFirst(rng.pick(SUBJECTS))} ${rng.pick(VERBS)} ${rng.pick(OBJECTS)} ${rng.pick(QUALIFIERS)}.`,
	).join('\n');
}

function lowerFirst(text: string): string {
	return text.charAt(0).toLowerCase() + text.slice(1);
}

/** A small Markdown table: what, how often, who owns it. */
export function table(rng: Random, rows: number): string {
	const lines = ['| Area | Frequency | Owner |', '| --- | --- | --- |'];
	for (let i = 0; i < rows; i++)
		lines.push(
			`| ${rng.pick(OBJECTS)} | ${rng.pick(QUALIFIERS)} | ${rng.pick(SUBJECTS).replace(/^(The|Each|Our|Every) /, '')} |`,
		);
	return lines.join('\n');
}

/**
 * A docs-style Markdown body of about `words` words: an intro, two or three `##` sections (one with a
 * `###`), a bullet list and a table. Plain Markdown with no component imports, so the same body
 * costs the same to render in the trust center and in bare Starlight.
 */
export function docsBody(rng: Random, words: number): string {
	const list = bulletList(rng, rng.int(4, 6));
	const grid = table(rng, rng.int(3, 5));
	const budget = Math.max(40, words - countWords(list) - countWords(grid));
	const [intro, ...rest] = paragraphs(rng, budget);
	const headings = rng.sample(HEADINGS, 3);
	const third = Math.max(1, Math.ceil(rest.length / 3));
	const parts = [
		intro ?? '',
		`## ${headings[0]}`,
		...rest.slice(0, third),
		list,
		`## ${headings[1]}`,
		...rest.slice(third, 2 * third),
		`### ${rng.pick(TOPICS)} in practice`,
		grid,
		`## ${headings[2]}`,
		...rest.slice(2 * third),
	];
	return `${parts.filter((p) => p !== '').join('\n\n')}\n`;
}

/** A policy-style body of about `words` words with numbered `##` sections. */
export function policyBody(rng: Random, words: number): string {
	const sections = rng.int(2, 3);
	const per = Math.ceil(words / sections);
	const headings = rng.sample(HEADINGS, sections);
	return `${headings.map((h, i) => `## ${i + 1}. ${h}\n\n${paragraphs(rng, per).join('\n\n')}`).join('\n\n')}\n`;
}

/** A short body of plain paragraphs (updates, FAQ answers, framework pages). */
export function plainBody(rng: Random, words: number): string {
	return `${paragraphs(rng, words).join('\n\n')}\n`;
}
