// Input the content check must refuse with a clear message instead of crashing, garbling or
// publishing it: each test writes a few files over the minimal fixture and pins what the check says.
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/integration/trust-center.ts';
import { formatProblem } from '../../src/lib/reporters/content.ts';
import { siteLocale } from '../../src/lib/language.ts';
import {
	bundledTranslations,
	installedPagefindTranslations,
	languageWords,
	nearestTag,
	packageDir,
	starlightDictionaries,
} from '../../src/integration/site-language.ts';
import { checkAnswer } from '../../scripts/lib/init/answers.ts';
import { EN } from '../../src/lib/words/en.ts';
import { FIXTURE_DOCS, fixtureContent } from '../../scripts/lib/site-copy.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** The minimal fixture with `files` (paths relative to the project root) written over it; null removes one. */
function siteWith(files: Record<string, string | Uint8Array | null>): string {
	const root = mkdtempSync(join(tmpdir(), 'content-input-'));
	roots.push(root);
	cpSync(fixtureContent('minimal')[0]!, join(root, 'content'), { recursive: true });
	cpSync(FIXTURE_DOCS, join(root, 'content/docs'), { recursive: true });
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		if (text === null) rmSync(join(root, path));
		else writeFileSync(join(root, path), text);
	}
	return root;
}

/** What the check reports for the minimal fixture with `files` written over it: one line per failing problem. */
function check(files: Record<string, string | Uint8Array | null>): string[] {
	return runContentCheck(siteWith(files), NOW).failing.map(formatProblem).sort();
}

const UPDATE = 'content/updates/2026-11-01-hello.mdx';
const update = (frontmatter: string) =>
	`---\ntitle: Hello\ndate: 2026-11-01\nkind: general\n${frontmatter}---\n\nHello.\n`;

describe('YAML aliases', () => {
	it('reads a value starting with "*" as an alias and asks for quotes, instead of crashing', () => {
		expect(check({ [UPDATE]: update('summary: *Important*\n') })).toEqual([
			'content/updates/2026-11-01-hello.mdx:5: "*Important*" is read as a YAML alias, a reference to an anchor "&Important*" that the file does not set. Put the value in quotes: summary: "*Important*"',
		]);
		expect(check({ 'content/subprocessors/host.yaml': 'id: host\nname: *nope\n' })).toEqual([
			'content/subprocessors/host.yaml:2: "*nope" is read as a YAML alias, a reference to an anchor "&nope" that the file does not set. Put the value in quotes: name: "*nope"',
		]);
	});

	it('refuses aliases that expand too far, naming the first', () => {
		const bomb = [
			'id: host',
			'a: &a [x, x, x, x, x, x, x, x, x, x]',
			'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
			'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
			'name: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
		].join('\n');
		expect(check({ 'content/subprocessors/host.yaml': bomb })).toEqual([
			'content/subprocessors/host.yaml:3: repeats YAML anchors through aliases (*name) too many times to be read (Excessive alias count indicates a resource exhaustion attack). Write the values out instead of repeating them through anchors and aliases.',
		]);
	});
});

describe('text encodings', () => {
	it('refuses a file that is not UTF-8, naming the line and the byte, instead of garbling it', () => {
		const latin1 = Buffer.from('id: host\nname: M\xfcller Hosting\n', 'latin1');
		expect(check({ 'content/subprocessors/host.yaml': latin1 })).toEqual([
			'content/subprocessors/host.yaml:2: is not UTF-8 (byte 0xfc after "name: M"). Save the file as UTF-8 (in most editors: "Save with encoding", then UTF-8).',
		]);
	});

	it('reads past a byte-order mark in Markdown and JSON, as Astro does', () => {
		const bom = '\uFEFF';
		expect(
			check({
				[UPDATE]: `${bom}${update('summary: The first update.\n')}`,
				'content/control-status.json': `${bom}${readFileSync(join(fixtureContent('minimal')[0]!, 'control-status.json'), 'utf8')}`,
			}),
		).toEqual([]);
	});

	it('refuses an architecture page that is not UTF-8, which the build would report as a missing file', () => {
		const page = Buffer.concat([
			Buffer.from('---\ntitle: Overview\n---\n\nCaf'),
			Buffer.from([0xe8]),
			Buffer.from(' menu.\n'),
		]);
		expect(check({ 'content/docs/security/index.mdx': page })).toEqual([
			'content/docs/security/index.mdx:5: is not UTF-8 (byte 0xe8 after "Caf"). Save the file as UTF-8 (in most editors: "Save with encoding", then UTF-8).',
		]);
	});
});

describe('frontmatter', () => {
	it('tells a frontmatter that is never closed or empty from a missing one', () => {
		expect(
			check({
				[UPDATE]: '---\ntitle: Hello\ndate: 2026-11-01\n\nHello.\n',
				'content/faq/encryption.mdx': '---\n---\n\nYes.\n',
				'content/policies/access.mdx': 'Access is reviewed.\n',
			}),
		).toEqual([
			'content/faq/encryption.mdx:2: the frontmatter between the two "---" lines is empty. Write the fields between them; README.md has a worked example of each kind.',
			'content/policies/access.mdx:1: expected frontmatter between two "---" lines at the top of the file, received none. Start the file with ---, the fields, and ---.',
			'content/updates/2026-11-01-hello.mdx:1: the frontmatter that starts on line 1 is never closed: expected a second "---" line after the fields. Add a line with only --- after the last field.',
		]);
	});
});

describe('<NdaOnly> outside an MDX body', () => {
	it('is refused in a .md body, with its line, where Markdown would publish it as written', () => {
		expect(
			check({
				'content/faq/encryption.mdx': null,
				'content/faq/encryption.md': [
					'---',
					'question: Do you encrypt data?',
					'category: Data protection',
					'---',
					'',
					'Yes. Write `<NdaOnly>` only in .mdx files.',
					'',
					'```mdx',
					'<NdaOnly>Shown as code.</NdaOnly>',
					'```',
					'',
					'<NdaOnly public="Under NDA.">HSM in rack 4.</NdaOnly>',
				].join('\n'),
			}),
		).toEqual([
			"content/faq/encryption.md:12: <NdaOnly> works only in .mdx files: in a .md file it is published as written, its NDA-only text included. Rename the file to .mdx, with import { NdaOnly } from '@trust/mdx'; at the top of its body.",
		]);
	});

	it('is refused in an .mdx body that does not import it, at its first use', () => {
		const faq = (imports: string) =>
			[
				'---',
				'question: Do you encrypt data?',
				'category: Data protection',
				'---',
				imports,
				'Yes. `<NdaOnly>` in code is no use.',
				'',
				'<NdaOnly public="Under NDA.">HSM in rack 4.</NdaOnly>',
				'<NdaOnly>And rack 5.</NdaOnly>',
			].join('\n');
		expect(check({ 'content/faq/encryption.mdx': faq('') })).toEqual([
			"content/faq/encryption.mdx:8: <NdaOnly> is used but not imported, and MDX cannot build the page without it. Add import { NdaOnly } from '@trust/mdx'; at the top of the body, below the frontmatter.",
		]);
		expect(
			check({
				'content/faq/encryption.mdx': faq("import { Checklist, NdaOnly } from '@trust/mdx';\n"),
			}),
		).toEqual([]);
		// An import without a semicolon, of something else, does not import it.
		expect(
			check({
				'content/faq/encryption.mdx': faq("import { Checklist } from '@trust/mdx'\n"),
			}),
		).toHaveLength(1);
		expect(
			check({
				'content/faq/encryption.mdx': faq(
					"import {\n  Checklist,\n  NdaOnly,\n} from '@trust/mdx'\n",
				),
			}),
		).toEqual([]);
	});

	it('is refused in a frontmatter value, naming the field', () => {
		expect(
			check({ [UPDATE]: update('summary: <NdaOnly>The HSM is in rack 4.</NdaOnly>\n') }),
		).toEqual([
			'content/updates/2026-11-01-hello.mdx: **summary**: <NdaOnly> works only in the body of an .mdx file: a frontmatter value is published as written. Move the NDA-only text into the body, inside <NdaOnly>, or leave it out.',
		]);
	});
});

describe('document files', () => {
	const DOCUMENT = 'content/documents/mini-report.yaml';
	const document = (file: string) =>
		`id: mini-report\ntitle: Mini report\nkind: audit-report\naccess: public\ndate: 2026-01-01\ndescription: The fixture's audit report.\nfile: ${file}\n`;

	it('must be inside the documents folder: no "..", "\\" or absolute path', () => {
		expect(
			['../../data/gate.env', '/etc/passwd.txt', 'files\\mini-report.pdf'].map((file) =>
				check({ [DOCUMENT]: document(file) }),
			),
		).toEqual([
			[
				'content/documents/mini-report.yaml:7: **file**: expected a path inside the documents folder, like "files/report.pdf" (no "..", "\\" or leading "/"), received "../../data/gate.env".',
			],
			[
				'content/documents/mini-report.yaml:7: **file**: expected a path inside the documents folder, like "files/report.pdf" (no "..", "\\" or leading "/"), received "/etc/passwd.txt".',
			],
			[
				'content/documents/mini-report.yaml:7: **file**: expected a path inside the documents folder, like "files/report.pdf" (no "..", "\\" or leading "/"), received "files\\\\mini-report.pdf".',
			],
		]);
	});

	it('is a PDF when the document is for NDA readers, whose copies are watermarked; a public one may be any file', () => {
		const docx = 'PK\u0003\u0004 a Word document';
		expect(
			check({
				[DOCUMENT]: document('files/mini-report.docx').replace('access: public', 'access: nda'),
				'content/documents/files/mini-report.docx': docx,
			}),
		).toEqual([
			'content/documents/mini-report.yaml:7: **file**: content/documents/files/mini-report.docx is not a PDF file (it does not start with "%PDF-"), and an NDA document is watermarked for each reader, which the gate does to PDF files only. Export the document as PDF, put that file in the documents folder and name it here.',
		]);
		expect(
			check({
				[DOCUMENT]: document('files/mini-report.docx'),
				'content/documents/files/mini-report.docx': docx,
			}),
		).toEqual([]);
	});

	it('may not be a symbolic link to a file outside the documents folder', () => {
		const root = siteWith({
			[DOCUMENT]: document('files/linked.pdf'),
			'data/gate.env': 'SECRET=1',
		});
		symlinkSync(join(root, 'data/gate.env'), join(root, 'content/documents/files/linked.pdf'));
		expect(runContentCheck(root, NOW).failing.map(formatProblem)).toEqual([
			'content/documents/mini-report.yaml:7: **file**: content/documents/files/linked.pdf is a link to data/gate.env, outside content/documents/. Put the file itself in content/documents/: documents are published and served from there only.',
		]);
	});
});

describe('the site url', () => {
	it('is refused with a path, query or fragment, by the check and by npm run init', () => {
		const site = readFileSync(join(fixtureContent('minimal')[0]!, 'site.yaml'), 'utf8');
		expect(
			check({
				'content/site.yaml': site.replace(
					'url: https://trust.fixture.example',
					'url: https://fixture.example/trust/',
				),
			}),
		).toEqual([
			'content/site.yaml:4: **url**: the trust center is served at the root of its host, like https://trust.example.com; received "https://fixture.example/trust/". Remove the path, query or fragment (links, security.txt and the sitemap would leave them out).',
		]);
		expect(
			['https://trust.acme.example/', 'https://acme.example/?x=1', 'https://acme.example/#a'].map(
				(url) => checkAnswer('url', url),
			),
		).toEqual([
			undefined,
			'the trust center is served at the root of its host, like https://trust.example.com; received "https://acme.example/?x=1". Remove the path, query or fragment (links, security.txt and the sitemap would leave them out).',
			'the trust center is served at the root of its host, like https://trust.example.com; received "https://acme.example/#a". Remove the path, query or fragment (links, security.txt and the sitemap would leave them out).',
		]);
	});
});

describe('the site language', () => {
	const site = () => readFileSync(join(fixtureContent('minimal')[0]!, 'site.yaml'), 'utf8');
	const language = (tag: string) =>
		runContentCheck(siteWith({ 'content/site.yaml': `${site()}language: ${tag}\n` }), NOW).content
			?.site.language;

	it('is English unless set, and a tag in any case is taken in its canonical form', () => {
		expect(runContentCheck(siteWith({}), NOW).content?.site.language).toBe('en');
		expect(language('EN-us')).toBe('en-US');
		expect(language('zh-hans')).toBe('zh-Hans');
		expect(language('iw')).toBe('he');
		// Extensions and private use say nothing about the language: they are left out, never a crash.
		expect(language('ja-JP-u-ca-japanese')).toBe('ja-JP');
		expect(language('de-x-formal')).toBe('de');
		expect(checkAnswer('language', 'de-u-co-phonebk')).toBeUndefined();
	});

	it('refuses a name, a malformed tag and a tag that names no language', () => {
		for (const tag of ['Deutsch', 'en_US', 'xx', 'x-private'])
			expect(check({ 'content/site.yaml': `${site()}language: ${tag}\n` })).toEqual([
				`content/site.yaml:18: **language**: expected a language tag like "en", "de", "ja" or "pt-BR", received "${tag}".`,
			]);
	});

	it('gives Starlight the name of the language in itself, and its direction', () => {
		expect(['en', 'ja', 'de-CH', 'ar', 'he', 'fa'].map(siteLocale)).toEqual([
			{ lang: 'en', label: 'English', dir: 'ltr' },
			{ lang: 'ja', label: '日本語', dir: 'ltr' },
			{ lang: 'de-CH', label: 'Schweizer Hochdeutsch', dir: 'ltr' },
			{ lang: 'ar', label: 'العربية', dir: 'rtl' },
			{ lang: 'he', label: 'עברית', dir: 'rtl' },
			{ lang: 'fa', label: 'فارسی', dir: 'rtl' },
		]);
	});
});

describe("the site's own labels", () => {
	const site = () => readFileSync(join(fixtureContent('minimal')[0]!, 'site.yaml'), 'utf8');
	const withLabels = (yaml: string, language = 'en') =>
		siteWith({ 'content/site.yaml': `${site()}language: ${language}\nlabels:\n${yaml}` });
	const problems = (yaml: string, language = 'en') => {
		const { warnings, failing } = runContentCheck(withLabels(yaml, language), NOW);
		return [...new Set([...failing, ...warnings])].map(formatProblem).sort();
	};

	it('refuses an unknown key, naming the closest one', () => {
		expect(problems('  section.subprocesors: Sub-processors\n  nothing.like.it: x\n')).toEqual([
			'content/site.yaml:20: **labels.section.subprocesors**: unknown label "section.subprocesors". Did you mean "section.subprocessors"? The keys and their English texts are in src/lib/words/en/ (e.g. `section.subprocessors`); a region or data category added in src/data/ takes its words from there.',
			'content/site.yaml:21: **labels.nothing.like.it**: unknown label "nothing.like.it". The keys and their English texts are in src/lib/words/en/ (e.g. `section.subprocessors`); a region or data category added in src/data/ takes its words from there.',
		]);
	});

	it('refuses a placeholder the English text does not have, and warns about one left out', () => {
		expect(
			problems(
				'  overview.title: "{compnay} Trust Portal"\n  feed.title: News\n  overview.subprocessorFiles: " Also as <jsn>JSON</jsn>, <csv>CSV</csv> and in the <feed>feed</feed>."\n',
			),
		).toEqual([
			'content/site.yaml:20: **labels.overview.title**: leaves out {company} of the English text "{company} Trust Center": it is not shown. Put each placeholder where it belongs in the sentence.',
			'content/site.yaml:20: **labels.overview.title**: {compnay} is not in the English text "{company} Trust Center", so it would show as typed. Use only {company}, spelled as in English.',
			'content/site.yaml:21: **labels.feed.title**: leaves out {company} of the English text "{company} trust center updates": it is not shown. Put each placeholder where it belongs in the sentence.',
			'content/site.yaml:22: **labels.overview.subprocessorFiles**: <jsn> is not in the English text " The list is also available as <json>JSON</json> and <csv...", so it would show as typed. Use only <csv>, <feed>, <json>, spelled as in English.',
			'content/site.yaml:22: **labels.overview.subprocessorFiles**: leaves out <json> of the English text " The list is also available as <json>JSON</json> and <csv...": it is not shown. Put each placeholder where it belongs in the sentence.',
		]);
	});

	it("checks plural forms against the language's own", () => {
		expect(
			problems(
				'  subprocessors.weUse:\n    one: "We work with one subprocessor"\n    few: "{count} of them"\n  subprocessors.planned:\n    one: "One change is announced."\n  section.faq:\n    other: FAQ\n',
			),
		).toEqual([
			'content/site.yaml:21: **labels.subprocessors.weUse**: the plural forms have no "other", the form every number falls back to. Add `other:` with the text for any number.',
			'content/site.yaml:22: **labels.subprocessors.weUse.few**: "few" is not a plural form of en, which has "one", "other". Use the forms Unicode gives the language (CLDR plural rules), or give one text for every number.',
			'content/site.yaml:24: **labels.subprocessors.planned**: the plural forms have no "other", the form every number falls back to. Add `other:` with the text for any number.',
			'content/site.yaml:26: **labels.section.faq**: expected one text ("FAQ" in English), received a map of plural forms. Write the text on the same line as the key.',
		]);
		// Polish has "few" and "many"; a form may name its number in words.
		expect(
			problems(
				'  subprocessors.weUse:\n    one: "Jeden podwykonawca"\n    few: "{count} podwykonawcy"\n    many: "{count} podwykonawców"\n    other: "{count} podwykonawcy"\n',
				'pl',
			),
		).toEqual([
			`content/site.yaml:20: **labels**: ${Object.keys(EN).length - 1} of the trust center's ${Object.keys(EN).length} own labels have no Polish (pl) text, so they show in English. Give them under \`labels:\`, by the keys of src/lib/words/en/; src/lib/words/ja/ is a complete example.`,
		]);
	});

	it('refuses markup and a mark left open: the words are text', () => {
		expect(
			problems(
				'  notFound.tagline: "Gone <img src=x onerror=alert(1)>"\n  overview.subprocessorFiles: " As <json>JSON, <csv>CSV</csv> or the <feed>feed</feed>."\n',
			),
		).toEqual([
			'content/site.yaml:20: **labels.notFound.tagline**: has a "<" that starts no <name>…</name> mark, or a mark that is not closed: it would show as typed. The words are text, not HTML: write marks as in the English text, each closed, and no other tags.',
			'content/site.yaml:21: **labels.overview.subprocessorFiles**: has a "<" that starts no <name>…</name> mark, or a mark that is not closed: it would show as typed. The words are text, not HTML: write marks as in the English text, each closed, and no other tags.',
		]);
	});

	it('refuses a label that is neither a text nor a map of texts', () => {
		expect(
			check({
				'content/site.yaml': `${site()}labels:\n  section.faq: 12\n  section.updates: ""\n`,
			}),
		).toEqual([
			'content/site.yaml:19: **labels.section.faq**: expected a text, or a map of plural forms like { one: "…", other: "…" }, received number 12.',
			'content/site.yaml:20: **labels.section.updates**: expected a text, received an empty one; remove the label to keep the words the trust center ships.',
		]);
	});

	it('counts no label as untranslated in English or in Japanese, which the trust center ships', () => {
		expect(problems('  section.faq: Questions\n')).toEqual([]);
		expect(problems('  section.faq: 質問\n', 'ja')).toEqual([]);
	});
});

describe('numbers where text is expected', () => {
	it('ask for quotes, as YAML has already dropped digits such as the 0 of 1.10', () => {
		expect(
			check({
				'content/subprocessors/host.yaml': readFileSync(
					join(fixtureContent('minimal')[0]!, 'subprocessors/host.yaml'),
					'utf8',
				).replace('id: host', 'id: 1.10'),
			}),
		).toEqual([
			'content/subprocessors/host.yaml:1: **id**: expected a string, received number 1.1. Write it in quotes, like "1.10": without them, YAML reads a value like 1.10 as a number and drops digits.',
		]);
	});
});

describe('values left out or of the wrong kind', () => {
	const HOST = 'content/subprocessors/host.yaml';
	const host = () =>
		readFileSync(join(fixtureContent('minimal')[0]!, 'subprocessors/host.yaml'), 'utf8');
	const site = () => readFileSync(join(fixtureContent('minimal')[0]!, 'site.yaml'), 'utf8');

	it('say "no value" for a key with nothing after it, and how to write one, a list or a value', () => {
		expect(
			check({
				[HOST]: host()
					.replace('locations: [eu]', 'locations:')
					.replace('purpose: Cloud hosting', 'purpose:'),
			}),
		).toEqual([
			'content/subprocessors/host.yaml:3: **purpose**: expected a string, received no value. Write a value after `purpose:`.',
			'content/subprocessors/host.yaml:5: **locations**: expected a list, received no value. Write the items under `locations:`, each on its own "- " line, or `locations: []` for none.',
		]);
	});

	it('ask for a whole number where a fraction was written', () => {
		expect(
			check({
				'content/site.yaml': site().replace('expiresAfterDays: 90', 'expiresAfterDays: 90.5'),
			}),
		).toEqual([
			'content/site.yaml:17: **securityTxt.expiresAfterDays**: expected a whole number, received number 90.5.',
		]);
	});

	it('name a missing key of a JSON file as JSON writes it', () => {
		expect(check({ 'content/control-status.json': 'null\n' })).toContain(
			'content/control-status.json:1: **controls**: is required: expected a list, received nothing. Add "controls" to the file.',
		);
	});
});

describe('ids and subprocessor dates', () => {
	const HOST = 'content/subprocessors/host.yaml';
	const host = (edit: (yaml: string) => string) => ({
		[HOST]: edit(
			readFileSync(join(fixtureContent('minimal')[0]!, 'subprocessors/host.yaml'), 'utf8'),
		),
	});

	it('refuses an id too long to name a page or file', () => {
		expect(check(host((yaml) => yaml.replace('id: host', `id: ${'a'.repeat(300)}`)))).toEqual([
			"content/subprocessors/host.yaml:1: **id**: expected an id of at most 100 characters, received 300 characters: it names the page's web address and files. Shorten it.",
		]);
	});

	it('refuses a removal before the start, and a removal date on an entry still in use', () => {
		expect(check(host((yaml) => `${yaml}state: removed\nremoved: 2024-12-31\n`))).toEqual([
			'content/subprocessors/host.yaml:9: **removed**: 2024-12-31 is before effective (2025-01-01): processing stops after it starts. Fix one of the two dates.',
		]);
		expect(check(host((yaml) => `${yaml}removed: 2026-06-30\n`))).toEqual([
			'content/subprocessors/host.yaml:8: **removed**: is set, but state is "active", so the date is shown nowhere. Set state: removed once processing has stopped, or remove the date.',
		]);
	});
});

describe('architecture pages outside docs/security/', () => {
	const page = '---\ntitle: A page\ndescription: Where it is.\n---\n\nText.\n';
	it('are refused, naming the page they would be and the page of the site already there', () => {
		expect(
			check({
				'content/docs/faq.mdx': page,
				'content/docs/index.mdx': page,
				'content/docs/about/team.md': page,
				'content/docs/security/More Keys.mdx': page,
			}),
		).toEqual([
			'content/docs/about/team.md: is outside content/docs/security/, where architecture pages live: it would be the page /about/team/, outside the Security architecture section. Move it into content/docs/security/.',
			"content/docs/faq.mdx: is outside content/docs/security/, where architecture pages live: it would be the page /faq/, outside the Security architecture section, where the site's own FAQ page is. Move it into content/docs/security/.",
			"content/docs/index.mdx: is outside content/docs/security/, where architecture pages live: it would be the page /, outside the Security architecture section, where the site's overview is. Move it into content/docs/security/.",
		]);
	});
});

describe('architecture page frontmatter', () => {
	it("is checked against Starlight's fields and ours, naming a misspelt field Astro would drop", () => {
		expect(
			check({
				'content/docs/security/keys.mdx':
					'---\ntitle: Keys\ndescripton: How keys are kept.\nsidebar:\n  order: first\nvisibility: secret\n---\n\nText.\n',
				'content/docs/security/untitled.md': '---\ndescription: No title.\n---\n\nText.\n',
			}),
		).toEqual([
			"content/docs/security/keys.mdx:3: **descripton**: unknown field. Check the spelling: an architecture page takes Starlight's fields (title, description, sidebar, tableOfContents, …) and visibility (src/schemas/docs-page.ts); or remove it.",
			'content/docs/security/keys.mdx:5: **sidebar.order**: expected a number, received "first".',
			'content/docs/security/keys.mdx:6: **visibility**: expected "public" or "nda", received "secret".',
			'content/docs/security/untitled.md:2: **title**: is required: expected a string, received nothing. Add `title:` to the file.',
		]);
	});
});

describe('subprocessors named only under NDA', () => {
	const hidden = (id: string, descriptor: string) =>
		`id: ${id}\nname: ${id} Inc.\npublicDescriptor: ${descriptor}\npurpose: Hosting\ndataCategories: [customer-content]\nlocations: [eu]\ntransferMechanism: none-needed\neffective: 2025-01-01\n`;
	it('need a descriptor of their own, since the public list names them by it', () => {
		expect(
			check({
				'content/subprocessors/rheinfeld.yaml': hidden('rheinfeld', 'EU cloud hosting provider'),
				'content/subprocessors/vaultmere.yaml': hidden('vaultmere', 'EU cloud-hosting provider'),
				'content/subprocessors/other.yaml': hidden('other', 'Host'),
			}),
		).toEqual([
			'content/subprocessors/other.yaml:3: **publicDescriptor**: the public list would name it "host", as it names content/subprocessors/host.yaml, so the two could not be told apart. Give the one named only under NDA a more specific publicDescriptor, e.g. "EU cloud hosting provider (backups)".',
			'content/subprocessors/vaultmere.yaml:3: **publicDescriptor**: the public list would name it "eu-cloud-hosting-provider", as it names content/subprocessors/rheinfeld.yaml, so the two could not be told apart. Give the one named only under NDA a more specific publicDescriptor, e.g. "EU cloud hosting provider (backups)".',
		]);
	});
});

describe('MDX components that name content', () => {
	it('are checked before any page renders, inside <NdaOnly> too', () => {
		const page = [
			'---',
			'title: Keys',
			'---',
			"import { ControlCoverage, NdaOnly, SubprocessorTable } from '@trust/mdx';",
			'',
			'<ControlCoverage framework="mini-cert" />',
			'`<ControlCoverage framework="shown-as-code" />`',
			'<NdaOnly>',
			"<ControlCoverage framework='soc-9' />",
			'</NdaOnly>',
			'<SubprocessorTable purpose="Cloud hosting" />',
			'<SubprocessorTable purpose="Hosting" filters />',
		].join('\n');
		const root = siteWith({ 'content/docs/security/keys.mdx': page });
		expect(runContentCheck(root, NOW).failing.map(formatProblem)).toEqual([
			'content/docs/security/keys.mdx:9: <ControlCoverage framework="soc-9">: expected the id of a framework with a catalog, one of "mini-cert". Fix the framework prop. A framework has a catalog when its `catalog` field names a file in content/catalogs/.',
		]);
		expect(
			runContentCheck(root, NOW)
				.warnings.filter((w) => w.severity === 'warning')
				.map(formatProblem),
		).toEqual([
			'content/docs/security/keys.mdx:12: <SubprocessorTable purpose="Hosting"> shows no subprocessor: none has that purpose; the purposes are "Cloud hosting". Write the purpose exactly as a subprocessor file has it, or leave purpose out to show them all.',
		]);
	});
});

describe('FAQ categories', () => {
	it('warns when two spellings of a category make one section of the FAQ page', () => {
		const faq = (category: string) =>
			`---\nquestion: Do you refund?\ncategory: ${category}\n---\n\nYes.\n`;
		const warnings = (files: Record<string, string>) =>
			runContentCheck(siteWith(files), NOW)
				.warnings.filter((w) => w.field === 'category')
				.map(formatProblem);
		expect(
			warnings({
				'content/faq/a.md': faq('"Data & privacy"'),
				'content/faq/b.md': faq('Data privacy'),
				'content/faq/c.md': faq('"Data & privacy"'),
			}),
		).toEqual([
			'content/faq/b.md:3: **category**: category "Data privacy" makes one section of the FAQ page with "Data & privacy" in content/faq/a.md, which is shown under one of the two spellings. Write the category the same way in every entry.',
		]);
	});
});

describe('entries in folders', () => {
	const faq = (question: string) => `---\nquestion: ${question}\ncategory: Billing\n---\n\nYes.\n`;
	it('are named by their path below the collection, as Astro names them, so two refunds.md in two folders are two entries', () => {
		expect(
			check({
				'content/faq/billing/refunds.md': faq('Do you refund unused months?'),
				'content/faq/security/refunds.md': faq('Do you refund after a breach?'),
			}),
		).toEqual([]);
		expect(
			check({
				'content/faq/billing/refunds.md': faq('Do you refund unused months?'),
				'content/faq/billing/Refunds.mdx': faq('Do you refund unused months, again?'),
			}),
		).toEqual([
			'content/faq/billing/refunds.md: duplicate FAQ entry: its file name makes the same address, /faq/#billing/refunds, as content/faq/billing/Refunds.mdx, so only one of them would be published. Rename one of the files: names that differ only in case, spaces or punctuation make one address.',
		]);
	});
});

describe("Starlight's and the search box's words", () => {
	const pagefind = installedPagefindTranslations();

	it("are read from Pagefind's own translations, and found for a language as Pagefind would", () => {
		expect(pagefind.size).toBeGreaterThan(40);
		expect(pagefind.get('ja')?.['many_results']).toBe('[SEARCH_TERM]の[COUNT]件の検索結果');
		expect(
			['ja', 'zh', 'zh-Hans', 'zh-Hant', 'zh-TW', 'pt-BR', 'de-CH', 'is'].map((tag) =>
				nearestTag(tag, pagefind.keys()),
			),
		).toEqual(['ja', 'zh-cn', 'zh-cn', 'zh-tw', 'zh-tw', 'pt', 'de', undefined]);
	});

	it('take only plain object literals from the bundle, never running its code', () => {
		const source = [
			'// ../translations/xx.json',
			'var strings1 = {',
			'  placeholder: "Suche",',
			'  count: 3',
			'};',
			'// ../translations/yy.json',
			'var strings2 = {',
			'  placeholder: globalThis.process.exit(1)',
			'};',
		].join('\n');
		expect([...bundledTranslations(source)]).toEqual([['xx', { placeholder: 'Suche' }]]);
		expect(bundledTranslations('export {}').size).toBe(0);
	});

	it("never show Starlight's keys: a language it ships under another tag, or not at all, gets its nearest words, else English", async () => {
		const { createTranslationSystem } = (await import(
			pathToFileURL(join(packageDir('@astrojs/starlight'), 'dist/utils/createTranslationSystem.js'))
				.href
		)) as {
			createTranslationSystem: (
				config: unknown,
				user: object,
				plugins: object,
			) => Promise<(lang: string) => (key: string) => string>;
		};
		const starlight = await starlightDictionaries();
		const words = async (language: string) => {
			const config = { defaultLocale: { lang: language, label: language, dir: 'ltr' } };
			const injected = languageWords(language, starlight, pagefind);
			const t = (await createTranslationSystem(config, {}, { [language]: injected }))(language);
			return [t('search.label'), t('tableOfContents.onThisPage'), t('pagefind.search_label')];
		};
		expect(await words('ja')).toEqual(['検索', '目次', 'このサイトを検索']);
		expect(await words('zh-Hant')).toEqual(['搜尋', '本頁內容', '站內搜尋']);
		expect(await words('zh-Hans')).toEqual(['搜索', '本页内容', '站内搜索']);
		expect(await words('de-CH')).toEqual(['Suchen', 'Auf dieser Seite', 'Suche diese Seite']);
		// Hong Kong and Cantonese read Traditional characters, where Starlight alone would give Simplified.
		for (const language of ['zh-HK', 'yue'])
			expect(await words(language)).toEqual(['搜尋', '本頁內容', '站內搜尋']);
		// English of a region Starlight does not strip (a three-digit area code).
		expect(await words('en-150')).toEqual(['Search', 'On this page', 'pagefind.search_label']);
		// Urdu and Bulgarian: English words, and the search box keeps its own English (no pagefind.* key).
		for (const language of ['ur', 'bg'])
			expect(await words(language)).toEqual(['Search', 'On this page', 'pagefind.search_label']);
		// Where Starlight finds its own words, only the search box's are added.
		expect(
			Object.keys(languageWords('ja', starlight, pagefind)).every((k) => k.startsWith('pagefind.')),
		).toBe(true);
		expect(languageWords('en-GB', starlight, pagefind)).toEqual({});
	});
});
