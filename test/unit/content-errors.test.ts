import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContent } from '../../src/integration/trust-center.ts';
import { parseSource, sourceReader } from '../../src/lib/content/load.ts';
import { snapshotDigest } from '../../src/lib/pull/snapshot-file.ts';
import { formatProblem, plainText } from '../../src/lib/reporters/content.ts';
import { fixtureContent, makeSite, removeSite, ROOT } from '../../scripts/lib/site-copy.ts';
import { EXAMPLE_DIR } from '../../src/lib/content/dir.ts';
import { checkInternalLinks } from '../../src/lib/content/links.ts';
import { htmlCommentsInMdx } from '../../src/lib/content/mdx-body.ts';
import type { SourcePage } from '../../src/lib/content/source-pages.ts';
import { sourcePage } from '../helpers/source-page.ts';
import { EXAMPLE_COMPANY } from '../../src/lib/content/placeholders.ts';

const NOW = new Date('2026-11-23T12:00:00Z');
const sites: string[] = [];
function site(fixture: string): string {
	const dir = makeSite(`unit-${fixture}`, { content: fixtureContent(fixture) });
	sites.push(dir);
	return dir;
}
afterAll(() => sites.forEach(removeSite));

/** A copy of the example site, removed after the tests. */
function exampleSite(name: string): string {
	const dir = makeSite(name);
	sites.push(dir);
	return dir;
}

/** What the content check of the site in `dir` reports when it fails, as plain text; '' when it passes. */
function failureOf(dir: string): string {
	try {
		checkContent(dir, NOW);
	} catch (error) {
		return plainText((error as Error).message);
	}
	return '';
}

function report(fixture: string): string {
	try {
		checkContent(site(fixture), NOW);
	} catch (error) {
		return (error as Error).message;
	}
	throw new Error(`expected ${fixture} to fail`);
}

describe('content checks', () => {
	it('accepts the minimal fixture with no warnings', () => {
		const { content, warnings } = checkContent(site('minimal'), NOW);
		expect(warnings).toEqual([]);
		expect(content.policies.map((p) => p.data.id)).toEqual(['access']);
	});

	it('accepts the example company and warns only about the overdue clean-desk review', () => {
		const example = makeSite('unit-example');
		sites.push(example);
		const { warnings } = checkContent(example, NOW);
		expect(warnings.map((w) => `${w.file} ${w.field}`)).toEqual([
			'examples/kestrel-ledger/policies/clean-desk.mdx lastReviewed',
		]);
		expect(warnings[0]!.message).toContain('owner: Workplace Operations Lead');
	});

	it('reports every field problem of every file at once, with file, line, field, expected and received', () => {
		expect(report('broken-fields')).toMatchInlineSnapshot(`
			"The trust center content has problems. Fix them and build again.

			9 content errors in 5 files:
			  content/frameworks/mini-cert.mdx:8: **auditr**: unknown field. Check the spelling against the schema in src/schemas/, or remove it.
			  content/policies/access.mdx:4: **version**: expected a version like "2.1", received "one".
			  content/policies/access.mdx:5: **state**: expected one of "draft" | "approved" | "retired", received "active".
			  content/site.yaml:5: **language**: expected a language tag like "en", "de", "ja" or "pt-BR", received "Japanese".
			  content/site.yaml:8: **brandColor**: expected a six-digit hex colour like "#1d4ed8", received "blue".
			  content/site.yaml:10: **contacts.security**: expected an e-mail address like security@example.com, received "not-an-email".
			  content/subprocessors/host.yaml:5: **locations[1]**: expected one of "eu" | "uk" | "us" | "ca" | "ch" | "au" | "jp" | "sg" | "in" | "global", received "apac". Add "apac" to src/data/regions.ts or fix the value.
			  content/updates/2026-11-01-hello.mdx:2: **title**: is required: expected a string, received nothing. Add \`title:\` to the file.
			  content/updates/2026-11-01-hello.mdx:2: **date**: expected a real calendar date like 2026-01-31, received "2026-13-45"."
		`);
	});

	it("gives that same report from npm run build's first step, the pull, not its settings' problems alone", () => {
		const dir = site('broken-fields');
		const pull = spawnSync(
			process.execPath,
			[join(dir, 'scripts/pull-controls.ts'), '--if-configured'],
			{
				encoding: 'utf8',
				env: { ...process.env, SOURCE_DATE_EPOCH: String(NOW.getTime() / 1000) },
			},
		);
		expect(pull.status).toBe(1);
		expect(pull.stderr).toBe(`${plainText(report('broken-fields'))}\n`);
	});

	it('adds the problems of the mapping file, which only the pull reads, to that report', () => {
		const dir = site('minimal');
		const settings = readFileSync(join(dir, 'content/site.yaml'), 'utf8');
		writeFileSync(
			join(dir, 'content/site.yaml'),
			`${settings}\ncontrolStatus:\n  mappingFile: control-mapping.yaml\n  sources:\n    - { id: grc, kind: file, catalog: mini, path: exports/x.csv, fields: { id: id, status: status, evidenceDate: date } }\n`,
		);
		writeFileSync(join(dir, 'content/control-mapping.yaml'), 'all: [not, a, map]\n');
		const policy = join(dir, 'content/policies/access.mdx');
		writeFileSync(policy, readFileSync(policy, 'utf8').replace(/^state: .*$/m, 'state: active'));
		const pull = spawnSync(
			process.execPath,
			[join(dir, 'scripts/pull-controls.ts'), '--if-configured'],
			{ encoding: 'utf8' },
		);
		expect(pull.status).toBe(1);
		expect(pull.stderr).toContain(
			'content/policies/access.mdx:5: state: expected one of "draft" | "approved" | "retired", received "active".',
		);
		expect(pull.stderr).toMatch(/content\/control-mapping\.yaml:1: all: /);
	});

	it('reports every broken reference, duplicate id and missing file at once', () => {
		expect(report('broken-references')).toMatchInlineSnapshot(`
			"The trust center content has problems. Fix them and build again.

			11 content errors in 7 files:
			  content/control-status.json:38: **controls[4]**: unknown control "M.7" in catalog "mini". Check the id against content/catalogs/mini.yaml.
			  content/control-status.json:43: **controls[4].source**: unknown source "ghost"; known sources: "manual". Add it to \`sources\` or fix the id.
			  content/documents/mini-report.yaml:7: **file**: file not found: content/documents/files/gone.pdf. Put the file there, or fix the path (it is relative to the documents folder).
			  content/faq/encryption.mdx: duplicate FAQ entry: its file name makes the same address, /faq/#encryption, as content/faq/encryption.md, so only one of them would be published. Rename one of the files: names that differ only in case, spaces or punctuation make one address.
			  content/faq/encryption.mdx:4: **frameworks[0]**: unknown framework "soc-9"; known frameworks: "mini-cert". Use one of those, or add content/frameworks/soc-9.mdx.
			  content/frameworks/mini-cert.mdx:8: **catalog**: unknown catalog "nope"; known catalogs: "mini". Use one of those, or add content/catalogs/nope.yaml.
			  content/frameworks/mini-cert.mdx:9: **documents[0]**: unknown document "missing-doc". Use the id of a file in content/documents/, or remove it.
			  content/policies/access.mdx:10: **controls[0]**: unknown control "M.9" in catalog "mini". Check the id against content/catalogs/mini.yaml.
			  content/policies/access.mdx:10: **controls[1]**: unknown catalog "other" in "other:X.1"; known catalogs: "mini". Use one of those, or add content/catalogs/other.yaml.
			  content/subprocessors/host.yaml:1: **id**: duplicate subprocessor id "host", already used by content/subprocessors/dup.yaml. Give one of them a different id.
			  content/updates/2026-11-01-hello.mdx: duplicate update: its file name makes the same address, /updates/2026-11-01-hello/, as content/updates/2026-11-01 hello.mdx, so only one of them would be published. Rename one of the files: names that differ only in case, spaces or punctuation make one address."
		`);
	});

	it('turns overdue reviews and expired documents into errors naming the owner in strict mode', () => {
		expect(report('strict-warnings')).toMatchInlineSnapshot(`
			"The trust center content has problems. Fix them and build again.

			3 content errors in 3 files:
			  content/documents/mini-report.yaml:6: **validUntil**: "Mini report" expired on 2025-01-01; owner: Compliance lead. Replace the file with the current one and update the dates.
			  content/frameworks/lapsed-cert.mdx:7: **expires**: the Lapsed Certification certificate or report expired on 2026-11-22. The site shows it as Expired until then: upload the renewed one and update the dates, or change the status.
			  content/policies/access.mdx:9: **lastReviewed**: review overdue since 2025-01-01 (last reviewed 2024-01-01, every 12 months); owner: CISO. Ask the owner to review it, then update lastReviewed.

			(strict: true in content/site.yaml turns warnings into errors.)"
		`);
	});
	it('checks the NDA and the approval rules of the access gate, with lines', () => {
		expect(report('broken-access'))
			.toBe(`The trust center content has problems. Fix them and build again.

6 content errors in 2 files:
  content/access-rules.yaml:2: **grant.days**: expected a number of at least 1, received number 0.
  content/access-rules.yaml:6: **rules[0].domains[1]**: expected a domain like "fabrikam.com" or "*.fabrikam.com", received "fabrikam".
  content/access-rules.yaml:10: **rules[1].decision**: expected one of "approve" | "review" | "deny", received "allow".
  content/access-rules.yaml:15: **rules[2].nda**: expected one of "required" | "waived", received "skip".
  content/nda.mdx:3: **version**: expected a short version like "3.1", received "3.1 final".
  content/nda.mdx:4: **effective**: expected a real calendar date like 2026-01-31, received "2026-02-30".`);
	});

	it('names unknown documents, free-mail domains in approve and NDA-waiving rules, and a waiver on a deny rule', () => {
		expect(report('broken-access-rules'))
			.toBe(`The trust center content has problems. Fix them and build again.

4 content errors in 1 file:
  content/access-rules.yaml:6: **rules[0].documents[1]**: unknown document "mini-report-2". Use one of: whitepaper, mini-report.
  content/access-rules.yaml:4: **rules[0].domains[0]**: "gmail.com" is a free-mail domain, and free-mail requests always go to review. Remove it from this rule, or from freeMail if it is really a company domain.
  content/access-rules.yaml:10: **rules[1].nda**: a deny rule refuses every request, so "nda: waived" would never apply. Remove "nda: waived" from this rule, or change its decision to approve or review.
  content/access-rules.yaml:12: **rules[2].domains[1]**: "gmail.com" is a free-mail domain, where anyone can get an address, so the NDA is never waived for it. Remove it from this rule, or from freeMail if it is really an organisation's own domain.`);
	});
	it("checks the console's staff file, with lines", () => {
		expect(report('broken-staff'))
			.toBe(`The trust center content has problems. Fix them and build again.

4 content errors in 1 file:
  content/staff.yaml:3: **people[1].email**: expected an e-mail address like security@example.com, received "not-an-address".
  content/staff.yaml:4: **people[2].role**: expected one of "viewer" | "approver" | "admin", received "owner". viewer reads everything, approver also approves, denies and revokes, admin also manages passkeys, keys and subscribers.
  content/staff.yaml:6: **domains[0].domain**: expected a domain like "fabrikam.com" or "*.fabrikam.com", received "minimal".
  content/staff.yaml:8: **groups[0].members**: unknown field. Check the spelling against the schema in src/schemas/, or remove it.`);
	});
	it('names people and groups listed twice in the staff file, and free-mail domains', () => {
		expect(report('broken-staff-entries'))
			.toBe(`The trust center content has problems. Fix them and build again.

3 content errors in 1 file:
  content/staff.yaml:3: **people[1]**: e-mail address "lea.lindqvist@minimal.example" is listed twice, first as people[0]. Keep one entry, with the role it should have.
  content/staff.yaml:8: **groups[1]**: group "trust-approvers" is listed twice, first as groups[0]. Keep one entry, with the role it should have.
  content/staff.yaml:5: **domains[0].domain**: "gmail.com" is a free-mail domain: anyone can get an address there and sign in as viewer. List the people by e-mail under people: instead.`);
	});
	it('names the line of a mistake in control-status.json, and what JSON does not allow', () => {
		const checked = (edit: (json: string) => string) => {
			const root = site('minimal');
			const path = join(root, 'content/control-status.json');
			writeFileSync(path, edit(readFileSync(path, 'utf8')));
			try {
				checkContent(root, NOW);
			} catch (error) {
				return (error as Error).message.split('\n').slice(3).join('\n');
			}
			throw new Error('expected the check to fail');
		};
		expect(checked((json) => json.replace('"status": "partial"', '"status": "halfway"')))
			.toMatchInlineSnapshot(`
				"  content/control-status.json:8: **controls[3].status**: expected one of "implemented" | "partial" | "planned" | "failing" | "not-applicable", received "halfway"."
			`);
		expect(
			checked((json) =>
				json.replace('"asOf": "2026-11-20T06:00:00Z",', '"asOf": "2026-11-20T06:00:00Z"'),
			),
		).toMatchInlineSnapshot(
			`"  content/control-status.json:3: is not valid JSON: Missing , between flow map items. Fix the syntax on that line (quotes, commas, brackets)."`,
		);
		expect(
			checked((json) => json.replace('"source": "manual" }\n  ]', '"source": "manual" },\n  ]')),
		).toMatchInlineSnapshot(
			`"  content/control-status.json:8: is not valid JSON: a comma before a closing "]" or "}". Remove that comma: JSON allows none after the last item."`,
		);
	});

	it('refuses a snapshot edited after the pull, whose digest no longer matches its content', () => {
		const failing = (root: string) => {
			try {
				checkContent(root, NOW);
			} catch (error) {
				return (error as Error).message.split('\n').slice(3).join('\n');
			}
			throw new Error('expected the check to fail');
		};
		const path = (root: string) => join(root, 'content/control-status.json');
		// Kept by hand (no sources): the fix is to drop the digest.
		const byHand = site('minimal');
		const pulled = JSON.parse(readFileSync(path(byHand), 'utf8'));
		const digest = snapshotDigest(pulled);
		pulled.controls[3].status = 'implemented';
		writeFileSync(path(byHand), JSON.stringify({ ...pulled, digest }, null, 2));
		expect(failing(byHand)).toBe(
			`  content/control-status.json: **digest**: the file was edited after the pull: its content's SHA-256 is ${snapshotDigest(pulled)}, not the ${digest} it records, so the published digest would vouch for figures the pull never produced. If you keep this file by hand (no controlStatus.sources), remove \`digest\`: the site then says the digest is not recorded.`,
		);
		// With sources: the pull alone writes the file, so a missing digest is a hand edit too.
		const withSources = site('minimal');
		const settings = readFileSync(join(withSources, 'content/site.yaml'), 'utf8');
		writeFileSync(
			join(withSources, 'content/site.yaml'),
			`${settings}\ncontrolStatus:\n  sources:\n    - { id: grc, kind: file, catalog: mini, path: exports/x.csv, fields: { id: id, status: status, evidenceDate: date } }\n`,
		);
		expect(failing(withSources)).toBe(
			'  content/control-status.json: **digest**: missing, though controlStatus.sources is set: the pull always writes one, so this file was written or edited by hand. Run `npm run controls:pull` to write it from the sources again; with controlStatus.sources set, only the pull writes this file.',
		);
	});

	it('says to pull again when a pulled snapshot names a control the catalog no longer has', () => {
		const root = site('minimal');
		const settings = readFileSync(join(root, 'content/site.yaml'), 'utf8');
		writeFileSync(
			join(root, 'content/site.yaml'),
			`${settings}\ncontrolStatus:\n  sources:\n    - { id: grc, kind: file, catalog: mini, path: exports/x.csv, fields: { id: id, status: status, evidenceDate: date } }\n`,
		);
		const path = join(root, 'content/control-status.json');
		const pulled = JSON.parse(readFileSync(path, 'utf8'));
		pulled.controls[0].control = 'M.99';
		writeFileSync(path, JSON.stringify({ ...pulled, digest: snapshotDigest(pulled) }, null, 2));
		let message = '';
		try {
			checkContent(root, NOW);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain(
			'content/control-status.json:10: **controls[0]**: unknown control "M.99" in catalog "mini". The catalog changed since the pull that wrote this file: run npm run controls:pull (if it keeps the last snapshot, fix the source it names first).',
		);
	});

	it('accepts a snapshot whose digest matches, and one kept by hand without a digest', () => {
		const root = site('minimal');
		const path = join(root, 'content/control-status.json');
		const data = JSON.parse(readFileSync(path, 'utf8'));
		writeFileSync(path, JSON.stringify({ ...data, digest: snapshotDigest(data) }));
		expect(checkContent(root, NOW).warnings).toEqual([]);
		expect(checkContent(site('minimal'), NOW).warnings).toEqual([]);
	});

	it('fails on a framework whose own share of stale controls is over the limit, beside a large fresh one, to one decimal place', () => {
		const root = site('minimal');
		const ids = Array.from({ length: 40 }, (_, i) => `B.${i + 1}`);
		writeFileSync(
			join(root, 'content/catalogs/big.yaml'),
			`id: big\nname: Big catalog\nunit: big controls\ncontrols:\n${ids.map((id) => `  - { id: ${id}, title: T ${id}, domain: D, description: d }`).join('\n')}\n`,
		);
		const cert = readFileSync(join(root, 'content/frameworks/mini-cert.mdx'), 'utf8');
		writeFileSync(
			join(root, 'content/frameworks/big-cert.mdx'),
			cert
				.replace('id: mini-cert', 'id: big-cert')
				.replace('name: Mini Certification', 'name: Big Certification')
				.replace('catalog: mini', 'catalog: big'),
		);
		const path = join(root, 'content/control-status.json');
		const data = JSON.parse(readFileSync(path, 'utf8'));
		data.controls = [
			...data.controls.map((c: { evidenceDate: string }) => ({ ...c, evidenceDate: '2025-01-01' })),
			...ids.map((control) => ({
				catalog: 'big',
				control,
				status: 'implemented',
				evidenceDate: '2026-11-01',
				source: 'manual',
			})),
		];
		writeFileSync(path, JSON.stringify(data));
		// 3 stale of 43 applicable in all (7.0%) would pass a gate over every catalog together.
		expect(
			(() => {
				try {
					checkContent(root, NOW);
				} catch (error) {
					return (error as Error).message.split('\n').slice(2).join('\n');
				}
				throw new Error('expected the check to fail');
			})(),
		).toBe(
			"1 content error in 1 file:\n  content/control-status.json:1: **controls**: Mini Certification: 3 of 3 applicable mini controls (100.0%) have evidence older than their max age (90 days by default) on 2026-11-23; the limit is 10.0% of a framework's applicable controls (controlStatus.maxStaleShare in content/site.yaml). Pull fresh evidence with `npm run controls:pull`, or raise the limit.",
		);
	});

	it('refuses brand colours under WCAG AA and a missing font file, naming each setting', () => {
		expect(report('broken-brand'))
			.toBe(`The trust center content has problems. Fix them and build again.

3 content errors in 1 file:
  content/site.yaml:9: **font.file**: file not found: content/public/fonts/missing.woff2. Put the font under content/public/, or fix the path.
  content/site.yaml: **brandColor**: "#7fb2ff" has a contrast of 2.16:1 with the light background (#ffffff); WCAG AA needs at least 4.5:1 for text. Choose a darker colour.
  content/site.yaml: **brandColorDark**: "#3a3f4b" has a contrast of 1.68:1 with the dark background (#17181c); WCAG AA needs at least 4.5:1 for text. Choose a lighter colour, or remove brandColorDark to use the default.`);
	});
});

describe("links between the team's pages", () => {
	const page = sourcePage;
	const site = [
		page({
			file: 'content/policies/access-control.mdx',
			kind: 'policy',
			url: '/policies/access-control/',
		}),
		page({ file: 'content/docs/security/network.mdx', url: '/security/network/' }),
		page({ file: 'content/docs/security/vault.mdx', url: '/security/vault/', ndaPage: true }),
		page({ file: 'content/faq/uptime.mdx', kind: 'faq', url: '/faq/#uptime' }),
		page({ file: 'content/frameworks/soc-2.mdx', kind: 'framework', url: '/frameworks/soc-2/' }),
	];
	const problems = (body: string, from: Partial<SourcePage> = {}) =>
		checkInternalLinks([page({ body, ...from }), ...site], 'https://trust.example.com');

	it('fails a link to a page the site does not have, with its line and the closest page', () => {
		expect(problems('Intro.\n\nSee [the policy](/policies/acess-control/).')).toEqual([
			{
				severity: 'error',
				file: 'content/docs/security/a.mdx',
				field: 'body',
				line: 7,
				message: 'links to /policies/acess-control/, which is no page of the site',
				hint: "Did you mean /policies/access-control/? A policy's page is /policies/<its id>/.",
			},
		]);
		// Relative, absolute on the site's own address, in an href, to a missing FAQ entry or framework.
		expect(
			[
				'[x](../netwrk/)',
				'[x](https://trust.example.com/security/networks)',
				'<a href="/updates/2026-launch/">x</a>',
				'[x](/faq/#uptme)',
				'[x][soc]\n\n[soc]: /frameworks/soc2/',
			].map((body) => problems(body).map((p) => p.message)),
		).toEqual(
			[
				'/security/netwrk/',
				'/security/networks/',
				'/updates/2026-launch/',
				'/faq/#uptme',
				'/frameworks/soc2/',
			].map((url) => [`links to ${url}, which is no page of the site`]),
		);
		expect(problems('[x](/frameworks/soc2/)')[0]?.hint).toBe(
			"Did you mean /frameworks/soc-2/? A framework's page is /frameworks/<its id>/.",
		);
		expect(problems('[x](/updates/launch/)')[0]?.hint).toBe(
			"An update's page is /updates/<its file name without .md or .mdx>/.",
		);
	});

	it('passes links to pages the site has, NDA-only ones included, and leaves the rest unchecked', () => {
		expect(
			problems(
				[
					'[a](/policies/access-control/) [b](/policies/access-control#scope) [c](../network/)',
					'[d](/faq/#uptime) [e](/faq/) [f](/policies/) [g](/) [h](/security/vault/)',
					// Files beside a page, other sections and files, other sites, mail.
					'![diagram](./diagram.png) [i](/subprocessors/) [j](/updates.xml) [k](/documents/soc-2.pdf)',
					'[l](https://elsewhere.example/policies/nope/) [m](mailto:security@trust.example.com)',
					// Shown as code, not linked.
					'```md\n[n](/policies/nope/)\n```',
				].join('\n'),
			),
		).toEqual([]);
	});

	it('reports a misspelt link in the example as the build would, with file and line', () => {
		const dir = exampleSite('unit-example-links');
		const file = join(dir, EXAMPLE_DIR, 'docs/security/network.mdx');
		writeFileSync(
			file,
			readFileSync(file, 'utf8').replace(
				'](/security/identity-and-access/)',
				'](/security/identity-and-acess/)',
			),
		);
		const message = failureOf(dir);
		expect(message.split('\n').filter((line) => line.includes('no page'))).toEqual([
			`  ${EXAMPLE_DIR}/docs/security/network.mdx:42: body: links to /security/identity-and-acess/, which is no page of the site. Did you mean /security/identity-and-access/? An architecture page's address is its path under docs/: docs/security/network.mdx is /security/network/.`,
		]);
	});
});

describe('one round of fixes', () => {
	it('reports a misspelt link and a mistake in the staff file beside a file that fails its schema, which stops only the checks weighing entries against each other', () => {
		const dir = exampleSite('unit-example-one-round');
		const edit = (file: string, from: string, to: string) => {
			const path = join(dir, EXAMPLE_DIR, file);
			const text = readFileSync(path, 'utf8');
			expect(text).toContain(from);
			writeFileSync(path, text.replace(from, to));
		};
		edit('policies/access-control.mdx', 'version: "3.2"', 'version: "three"');
		edit(
			'docs/security/network.mdx',
			'](/security/identity-and-access/)',
			'](/security/identity/)',
		);
		edit('staff.yaml', 'role: approver', 'role: approvr');
		const message = failureOf(dir);
		const fields = [...message.matchAll(/^ {2}(\S+?):(?:\d+:)? (\S+):/gm)].map(
			([, file, field]) => `${file} ${field}`,
		);
		expect(fields).toEqual([
			`${EXAMPLE_DIR}/docs/security/network.mdx body`,
			`${EXAMPLE_DIR}/policies/access-control.mdx version`,
			`${EXAMPLE_DIR}/staff.yaml people[1].role`,
		]);
	});
});

describe('YAML as people write it', () => {
	const problem = (yaml: string, frontmatter = false) => {
		const parsed = parseSource(yaml, 'content/x.yaml', frontmatter);
		return parsed.ok ? parsed.warnings : [parsed.problem];
	};
	const said = (yaml: string) =>
		problem(yaml).map((p) => `${p.line}: ${p.field ? `${p.field}: ` : ''}${p.message}. ${p.hint}`);

	it('says what the commonest syntax errors mean, and how to write the line', () => {
		expect(said('title: Policy: Clean desk\n')).toEqual([
			'1: is not valid YAML: a value that holds ": " is read as one more key. Put the value in quotes: title: "Policy: Clean desk"',
		]);
		expect(said("summary: ok\ntitle: 'Kestrel's clean desk'\n")).toEqual([
			`2: is not valid YAML: the value ends at the second single quote, and text follows it. Write an apostrophe inside single quotes twice (''), or put the value in double quotes: title: "Kestrel's clean desk"`,
		]);
		expect(said('title: "Clean" desk policy\n')).toEqual([
			`1: is not valid YAML: the value ends at the second double quote, and text follows it. Put the whole value in single quotes: title: '"Clean" desk policy'`,
		]);
		expect(said('owner: @security\n')).toEqual([
			'1: is not valid YAML: a value cannot start with @ unless it is in quotes. Put the value in quotes: owner: "@security"',
		]);
		expect(said('people:\n\t- name: Ada\n')).toEqual([
			'2: is not valid YAML: a tab indents this line. Indent with spaces: YAML does not allow tabs (most editors can convert them, e.g. "Convert indentation to spaces").',
		]);
		expect(said('name: Pagerhawk\n---\n')).toEqual([
			'2: is not valid YAML: a "---" line starts a second document. Remove the "---" line: a YAML file holds one document (only .md and .mdx files put theirs between two "---" lines).',
		]);
		expect(said('people:\n  - name: Ada\n    role: approver\n    role: admin\n')).toEqual([
			'4: is not valid YAML: "role" is set twice in one mapping. Keep one of the two lines.',
		]);
		// Anything else keeps the parser's own words, with the general hint.
		expect(said('a: [1, 2\n')).toEqual([
			'2: is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]. Fix the syntax on that line (indentation, quotes, colons).',
		]);
	});

	it('warns of text after " #" that YAML drops as a comment, in frontmatter too, but not of comments', () => {
		expect(
			said(
				'title: Clean desk #1\nowner: Security # the CISO\nbrandColor: #1d4ed8\nmaxDays: 90 #default\nregions:\n  - eu #2\n# a note\n#another\nnote: "ticket #4"\n',
			),
		).toEqual([
			'1: title: is read as "Clean desk": YAML takes " #1" for a comment and drops it. To keep it, put the value in quotes: title: "Clean desk #1". If it is a comment, put a space after the "#".',
			'3: brandColor: is empty: YAML takes "#1d4ed8" for a comment. To keep it, put the value in quotes: brandColor: "#1d4ed8". If it is a comment, put a space after the "#".',
			'6: regions[0]: is read as "eu": YAML takes " #2" for a comment and drops it. To keep it, put the value in quotes: - "eu #2". If it is a comment, put a space after the "#".',
		]);
		const [warning] = problem('---\ntitle: Backups #2\n---\nBody #3\n', true);
		expect(warning).toMatchObject({ severity: 'warning', field: 'title', line: 2 });
	});

	it('reports the warning with the entry’s file, and the build goes on', () => {
		const dir = exampleSite('unit-example-comment');
		const path = join(dir, EXAMPLE_DIR, 'policies/clean-desk.mdx');
		const text = readFileSync(path, 'utf8');
		expect(text).toMatch(/^title: Clean Desk and Clear Screen Policy$/m);
		writeFileSync(path, text.replace(/^title: .*$/m, 'title: Clean desk #2'));
		const { warnings } = checkContent(dir, NOW);
		expect(warnings.map((w) => formatProblem(w)).map(plainText)).toContain(
			`${EXAMPLE_DIR}/policies/clean-desk.mdx:3: title: is read as "Clean desk": YAML takes " #2" for a comment and drops it. To keep it, put the value in quotes: title: "Clean desk #2". If it is a comment, put a space after the "#".`,
		);
	});
});

describe('JSON as people write it by hand', () => {
	const said = (value: string) => {
		const text = `{\n  "asOf": "2026-11-01",\n  "controls": {\n    "A.5.1": {\n      "status": ${value}\n    }\n  }\n}\n`;
		const parsed = parseSource(text, 'content/control-status.json', false);
		return parsed.ok
			? 'accepted'
			: `${parsed.problem.line}: ${parsed.problem.message}. ${parsed.problem.hint}`;
	};

	it('names the line and says how JSON writes what V8 stops at without a position', () => {
		expect(said("'implemented'")).toBe(
			`5: is not valid JSON: text in single quotes. Write text in double quotes: "implemented", not 'implemented'.`,
		);
		expect(said('True')).toBe(
			'5: is not valid JSON: true, false or null written with capitals. Write true, false and null in lower case.',
		);
		expect(said('NaN')).toBe(
			'5: is not valid JSON: a number JSON has no way to write (NaN, Infinity). Write a number, or null.',
		);
		expect(said('undefined')).toBe(
			'5: is not valid JSON: undefined, which JSON does not have. Write null, or leave the field out.',
		);
	});

	it('calls a comma before a closing brace what it is, at the comma’s line', () => {
		expect(said('"implemented",')).toBe(
			'5: is not valid JSON: a comma before a closing "]" or "}". Remove that comma: JSON allows none after the last item.',
		);
	});
});

describe('entries the build would leave out', () => {
	it('reports an entry whose extension is in other letter case, or .markdown, and leaves drafts and other files alone', () => {
		const dir = exampleSite('unit-example-unread');
		const content = join(dir, EXAMPLE_DIR);
		writeFileSync(join(content, 'subprocessors/pagerhawk.YAML'), 'name: Pagerhawk\n');
		writeFileSync(join(content, 'policies/travel.markdown'), '---\ntitle: Travel\n---\n');
		writeFileSync(join(content, 'docs/security/Vault.MDX'), '---\ntitle: Vault\n---\n');
		writeFileSync(join(content, 'subprocessors/_draft.YAML'), 'name: Draft\n');
		writeFileSync(join(content, 'subprocessors/notes.txt'), 'notes\n');
		const message = failureOf(dir);
		const lines = message.split('\n').filter((l) => l.includes('is not read'));
		expect(lines).toEqual([
			`  ${EXAMPLE_DIR}/docs/security/Vault.MDX: is not read: only .mdx and .md files (in lower case) are entries in ${EXAMPLE_DIR}/docs/. Rename it to Vault.mdx, or start its name with "_" to keep it as a draft.`,
			`  ${EXAMPLE_DIR}/policies/travel.markdown: is not read: only .mdx and .md files (in lower case) are entries in ${EXAMPLE_DIR}/policies/. Rename it to travel.md, or start its name with "_" to keep it as a draft.`,
			`  ${EXAMPLE_DIR}/subprocessors/pagerhawk.YAML: is not read: only .yaml and .yml files (in lower case) are entries in ${EXAMPLE_DIR}/subprocessors/. Rename it to pagerhawk.yaml, or start its name with "_" to keep it as a draft.`,
		]);
	});
});

describe('HTML comments in MDX pages', () => {
	it('are errors at their line outside code, and left alone in code and in Markdown pages', () => {
		const body = [
			'Intro.',
			'<!-- TODO: ask legal -->',
			'Shown as code: `<!-- x -->`.',
			'```html',
			'<!-- in a fence -->',
			'```',
			'Text <!-- inline --> text.',
		].join('\n');
		expect(htmlCommentsInMdx(sourcePage({ body })).map((p) => [p.line, p.field])).toEqual([
			[6, 'body'],
			[11, 'body'],
		]);
		expect(htmlCommentsInMdx(sourcePage({ body, file: 'content/docs/security/a.md' }))).toEqual([]);
	});

	it('fail the content check with the file, line and how to write the comment', () => {
		const dir = exampleSite('unit-example-html-comment');
		const path = join(dir, EXAMPLE_DIR, 'policies/clean-desk.mdx');
		writeFileSync(path, `${readFileSync(path, 'utf8')}\n<!-- TODO: ask legal -->\n`);
		const lines = readFileSync(path, 'utf8').split('\n').length - 1;
		const message = failureOf(dir);
		expect(message).toContain(
			`${EXAMPLE_DIR}/policies/clean-desk.mdx:${lines}: body: has an HTML comment (<!-- … -->), which an MDX page cannot hold. Write the comment as {/* … */}, which MDX leaves out of the page, or remove it.`,
		);
	});
});

describe('folders and files in each other’s place', () => {
	it('reports a folder where a file goes and a file where a folder goes, instead of stopping at the first', () => {
		const dir = exampleSite('unit-example-swapped');
		const content = join(dir, EXAMPLE_DIR);
		rmSync(join(content, 'staff.yaml'));
		mkdirSync(join(content, 'staff.yaml'));
		for (const folder of ['faq', 'docs']) {
			rmSync(join(content, folder), { recursive: true });
			writeFileSync(join(content, folder), 'notes\n');
		}
		const message = failureOf(dir);
		expect(message).toContain(
			`${EXAMPLE_DIR}/staff.yaml: is a folder, where a file is expected. Rename or remove the folder ${EXAMPLE_DIR}/staff.yaml/, and write ${EXAMPLE_DIR}/staff.yaml as a file (see README.md).`,
		);
		for (const folder of ['faq', 'docs'])
			expect(message).toContain(
				`${EXAMPLE_DIR}/${folder}: is a file, where a folder of that name holds the entries. Rename or remove the file ${EXAMPLE_DIR}/${folder}, and put the entries in a folder ${EXAMPLE_DIR}/${folder}/ (see README.md).`,
			);
	});

	it('reports a file it cannot read (here a socket) with the system’s reason', async () => {
		const root = site('minimal');
		const path = join(root, 'content/site.yaml');
		rmSync(path);
		const server = createServer().listen(path);
		await once(server, 'listening');
		try {
			const { parsed } = sourceReader(root)(path);
			expect(parsed.ok || parsed.problem).toEqual({
				severity: 'error',
				file: 'content/site.yaml',
				field: '',
				message: expect.stringMatching(/^cannot be read \(ENXIO: .*site\.yaml'\)$/),
				hint: 'Check that content/site.yaml is a file you can read (its owner and permissions).',
			});
		} finally {
			server.close();
		}
	});
});

describe('sourceReader', () => {
	it('reads and parses a file once however often it is asked, and a new reader sees an edit', () => {
		const root = site('minimal');
		const path = join(root, 'content/site.yaml');
		const read = sourceReader(root);
		const first = read(path);
		expect(first.parsed.ok && (first.parsed.value as { legalName: string }).legalName).toBeTruthy();
		expect(read(path)).toBe(first);
		writeFileSync(path, first.text.replace(/^legalName: .*$/m, 'legalName: Edited Ltd'));
		expect(read(path)).toBe(first);
		const again = sourceReader(root)(path);
		expect(again.parsed.ok && again.parsed.value).toMatchObject({ legalName: 'Edited Ltd' });
	});
});

describe("the example company's text in the team's own content", () => {
	it('is a placeholder warning, in a field and in the text, naming file, line and field', () => {
		const dir = site('minimal');
		writeFileSync(
			join(dir, 'content/policies/copied.mdx'),
			readFileSync(join(dir, 'content/policies/access.mdx'), 'utf8')
				.replace('id: access', 'id: copied')
				.replace('owner: CISO', 'owner: privacy@KestrelLedger.example')
				.replace('Access needs approval.', 'Everyone at Kestrel\nLedger signs this policy.'),
		);
		const { warnings } = checkContent(dir, NOW);
		expect(
			warnings
				.filter((w) => w.file === 'content/policies/copied.mdx')
				.map((w) => plainText(formatProblem(w))),
		).toEqual([
			'content/policies/copied.mdx:6: owner: "privacy@KestrelLedger.example" names Kestrel Ledger (kestrelledger.example), the example company. It was copied from examples/kestrel-ledger/: write your own company\'s text in its place.',
			'content/policies/copied.mdx:14: the text names Kestrel Ledger (kestrelledger.example), the example company: "Everyone at Kestrel". It was copied from examples/kestrel-ledger/: write your own company\'s text in its place.',
		]);
	});

	it("names the example's own company and domain, so the two cannot drift apart", () => {
		const example = readFileSync(join(ROOT, EXAMPLE_DIR, 'site.yaml'), 'utf8');
		expect(example).toContain(`companyName: ${EXAMPLE_COMPANY.name}\n`);
		expect(example).toContain(`@${EXAMPLE_COMPANY.domain}`);
	});
});

describe("a planned subprocessor and customers' time to object", () => {
	it('warns when it starts before that time ends, or is still planned after it ended', () => {
		const dir = site('minimal');
		const planned = (id: string, noticeDate: string, effective: string) =>
			writeFileSync(
				join(dir, `content/subprocessors/${id}.yaml`),
				`id: ${id}\nname: ${id} Ltd\npurpose: Analytics\ndataCategories: [customer-content]\nlocations: [eu]\ntransferMechanism: none-needed\nstate: planned\nnoticeDate: ${noticeDate}\neffective: ${effective}\n`,
			);
		// NOW is 2026-11-23; objectionDays is 30 by default.
		planned('early', '2026-11-10', '2026-12-01');
		planned('lapsed', '2026-09-01', '2026-10-15');
		planned('fine', '2026-11-10', '2026-12-10');
		const { warnings } = checkContent(dir, NOW);
		expect(
			warnings
				.filter((w) => w.file.startsWith('content/subprocessors/'))
				.map((w) => plainText(formatProblem(w))),
		).toEqual([
			"content/subprocessors/early.yaml:9: effective: early Ltd starts on 2026-12-01, before customers' time to object ends on 2026-12-10 (noticeDate 2026-11-10 plus subscriptions.objectionDays, 30 days). Move effective to that day or later, or shorten objectionDays in site.yaml if your agreements allow it.",
			"content/subprocessors/lapsed.yaml:7: state: lapsed Ltd is still planned, but customers' time to object ended on 2026-10-01. Set state: active once it processes data; if it was announced again, set noticeDate to that day.",
		]);
	});
});

describe('the subprocessors a notice announces', () => {
	it('are entries of the list, each named once, and only a subprocessor-change notice names them', () => {
		const dir = site('minimal');
		const notice = (file: string, kind: string, ids: string) =>
			writeFileSync(
				join(dir, `content/updates/${file}.mdx`),
				`---\ntitle: Notice\ndate: 2026-11-20\nkind: ${kind}\nsummary: A change.\nsubprocessors:\n${ids}---\n\nText.\n`,
			);
		notice('2026-11-20-ok', 'subprocessor-change', '  - host\n');
		notice('2026-11-21-wrong', 'subprocessor-change', '  - host\n  - hots\n  - host\n');
		notice('2026-11-22-kind', 'general', '  - host\n');
		expect(() => checkContent(dir, NOW)).toThrow();
		try {
			checkContent(dir, NOW);
		} catch (error) {
			expect(plainText((error as Error).message)).toMatchInlineSnapshot(`
				"The trust center content has problems. Fix them and build again.

				3 content errors in 2 files:
				  content/updates/2026-11-21-wrong.mdx:8: subprocessors[1]: unknown subprocessor "hots"; known subprocessors: "host". Use the id of an entry in subprocessors/.
				  content/updates/2026-11-21-wrong.mdx:9: subprocessors[2]: "host" is listed twice. List each subprocessor once.
				  content/updates/2026-11-22-kind.mdx:7: subprocessors: an update of kind general announces no subprocessors: only subprocessor-change notices go to subscribers of subprocessor changes. Set kind: subprocessor-change, or remove subprocessors."
			`);
		}
	});
});
