import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, makeSite, removeSite } from '../../scripts/lib/site-copy.ts';
import { runCommand } from '../../scripts/lib/run-command.ts';
import { walkFiles } from '../../src/lib/files.ts';
import { writeStarter } from '../../scripts/lib/init/starter.ts';

const PINNED_TIME = { SOURCE_DATE_EPOCH: String(Date.parse('2026-11-23T12:00:00Z') / 1000) };
const ANSWERS = [
	'--company',
	'Quokka Cloud',
	'--legal-name',
	'Quokka Cloud Pty Ltd',
	'--url',
	'https://trust.quokkacloud.io',
	'--security-email',
	'security@quokkacloud.io',
];
const sites: string[] = [];
afterAll(() => sites.forEach(removeSite));

/** A copy of the project laid out like a fresh clone: the example in examples/, no content/. */
function freshClone(name: string): string {
	const dir = makeSite(name);
	sites.push(dir);
	return dir;
}

/** Runs `npm run init` in `dir` with `args`, typing `input` (lines) when given. */
function init(dir: string, args: string[], input?: string) {
	if (input === undefined)
		return runCommand(process.execPath, ['scripts/init.ts', ...args], {
			cwd: dir,
			env: { ...process.env, NO_COLOR: '1' },
		});
	return new Promise<{ code: number; output: string }>((resolve) => {
		const child = spawn(process.execPath, ['scripts/init.ts', ...args], { cwd: dir });
		let output = '';
		child.stdout.on('data', (d) => (output += d));
		child.stderr.on('data', (d) => (output += d));
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
		child.stdin.end(input);
	});
}

/** The text of every page, feed and data file of a built site, by path. */
function builtTexts(dist: string): Map<string, string> {
	return new Map(
		walkFiles(dist, (name) => /\.(html|xml|txt|json|csv|svg|js)$/.test(name)).map((path) => [
			relative(dist, path),
			readFileSync(path, 'utf8'),
		]),
	);
}

describe('npm run init -- --yes in a fresh clone, then a build', () => {
	let site: string;
	let initOutput: string;
	let build: { code: number; output: string };

	beforeAll(async () => {
		site = freshClone('init');
		const ran = await init(site, ['--yes', ...ANSWERS]);
		initOutput = ran.output;
		if (ran.code !== 0) throw new Error(ran.output);
		build = await buildSite(site, [], PINNED_TIME);
		if (build.code !== 0) throw new Error(build.output);
	});

	it('writes a starter content/ with site settings, a framework, a policy and an architecture page', () => {
		expect(initOutput).toContain(
			'Wrote content/ for Quokka Cloud: site settings, one framework, one policy, one architecture page and a placeholder logo.',
		);
		expect(
			walkFiles(join(site, 'content'))
				.map((path) => relative(site, path))
				.sort(),
		).toEqual([
			'content/control-status.json',
			'content/docs/security/index.mdx',
			'content/frameworks/soc-2.mdx',
			'content/policies/information-security.mdx',
			'content/public/brand/logo-dark.svg',
			'content/public/brand/logo-light.svg',
			'content/public/favicon.svg',
			'content/site.yaml',
		]);
		const settings = readFileSync(join(site, 'content/site.yaml'), 'utf8');
		expect(settings).toContain('companyName: "Quokka Cloud"');
		expect(settings).toContain('legalName: "Quokka Cloud Pty Ltd"');
		expect(settings).toContain('url: "https://trust.quokkacloud.io"');
		expect(settings).toContain('brandColor: "#1d4ed8"');
		// Each kind's file points the team to the README section about it.
		expect(readFileSync(join(site, 'content/policies/information-security.mdx'), 'utf8')).toMatch(
			/README\.md, "A policy"/,
		);
	});

	it('builds a site that shows the new company and nothing of Kestrel Ledger', () => {
		const texts = builtTexts(join(site, 'dist'));
		expect(texts.get('index.html')).toContain('<title>Quokka Cloud');
		expect(texts.get('policies/information-security/index.html')).toContain(
			'Information Security Policy',
		);
		expect(texts.get('.well-known/security.txt')).toContain(
			'Contact: mailto:security@quokkacloud.io',
		);
		expect([...texts].filter(([, text]) => /kestrel/i.test(text)).map(([path]) => path)).toEqual(
			[],
		);
	});

	it("warns once about each of the starter's placeholders, naming file, line and field, and about nothing else", () => {
		const warnings = build.output.split('\n').filter((line) => /\bWARN\b|warning/i.test(line));
		expect(warnings).toEqual([
			expect.stringContaining('[WARN] [trust-center:content-warnings]'),
			'10 content warnings in 5 files:',
		]);
		expect(build.output).not.toContain('does not exist or is empty');
		const report = build.output.slice(build.output.indexOf('10 content warnings'));
		expect(report.split('\n').slice(1, 11).join('\n')).toMatchInlineSnapshot(`
			"  content/docs/security/index.mdx:12: the text is still a placeholder: "TODO: give an overview of how Quokka Cloud protects custo...". Write your own text in place of the TODO.
			  content/frameworks/soc-2.mdx:9: **scope**: still a placeholder: "TODO: what the audit covers, such as the platform and the...". Write your own text in place of the TODO.
			  content/frameworks/soc-2.mdx:10: **summary**: still a placeholder: "TODO: one sentence for the overview card.". Write your own text in place of the TODO.
			  content/frameworks/soc-2.mdx:17: the text is still a placeholder: "TODO: say where Quokka Cloud stands with SOC 2 and when c...". Write your own text in place of the TODO.
			  content/policies/information-security.mdx:7: **owner**: still a placeholder: "TODO: the role that owns this policy, such as Head of Sec...". Write your own text in place of the TODO.
			  content/policies/information-security.mdx:8: **approver**: still a placeholder: "TODO: who approves it, such as the leadership team". Write your own text in place of the TODO.
			  content/policies/information-security.mdx:28: the text is still a placeholder: "TODO: name the roles that own security, approve exception...". Write your own text in place of the TODO.
			  content/public/favicon.svg: still the starter's placeholder icon. Replace it with your own favicon.
			  content/site.yaml:13: **logo.light**: content/public/brand/logo-light.svg is still the starter's placeholder logo. Put your own logo in content/public/ and name it here.
			  content/site.yaml:13: **logo.dark**: content/public/brand/logo-dark.svg is still the starter's placeholder logo. Put your own logo in content/public/ and name it here."
		`);
	});

	it('leaves out the overview sections with nothing to show', () => {
		const index = readFileSync(join(site, 'dist/index.html'), 'utf8');
		expect(index).not.toMatch(/\b0 subprocessors?\b|\b0 regions?\b/);
		expect(index).not.toContain('Latest updates');
		// The gate is off, so nothing on the site offers updates by e-mail.
		expect(index).not.toContain('Stay informed');
		expect(index).not.toContain('tc-subscribe');
		// No policy's full text is NDA-only, so the policies page says nothing of the NDA edition.
		const policies = readFileSync(join(site, 'dist/policies/index.html'), 'utf8');
		expect(policies).toContain('Every policy has an owner, an approver and a review cycle.');
		expect(policies).not.toContain('NDA');
	});

	it('lists the sections of a policy under "On this page"', () => {
		const page = readFileSync(join(site, 'dist/policies/information-security/index.html'), 'utf8');
		const toc = /<starlight-toc[\s\S]*?<\/starlight-toc>/.exec(page)?.[0] ?? '';
		expect([...toc.matchAll(/<span[^>]*>([^<]+)<\/span>/g)].map((m) => m[1])).toEqual([
			'Overview',
			'1. Purpose',
			'2. Scope',
			'3. Roles and responsibilities',
			'4. Policy',
			'5. Exceptions',
			'6. Review',
		]);
	});

	it('is served by npm start without an access gate, which says once that the gate is off and why', async () => {
		const child = spawn(process.execPath, ['scripts/start.ts', '--no-build'], {
			cwd: site,
			env: { ...process.env, PORT: '0', GATE_DATA_DIR: join(site, '.gate-data') },
		});
		let output = '';
		child.stderr.on('data', (d) => (output += d));
		try {
			const url = await new Promise<string>((resolve, reject) => {
				child.stdout.on('data', (d) => {
					output += d;
					const found = /Trust center: (http:\/\/localhost:\d+)\//.exec(output);
					if (found) resolve(found[1]!);
				});
				child.on('exit', () => reject(new Error(`npm start stopped:\n${output}`)));
			});
			expect((await fetch(`${url}/healthz`)).status).toBe(200);
			expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', gate: 'off' });
			expect(await (await fetch(`${url}/`)).text()).toContain('<title>Quokka Cloud');
			expect(await (await fetch(`${url}/access/`)).text()).toContain(
				'href="mailto:security@quokkacloud.io',
			);
			// The access routes are not there at all.
			const post = await fetch(`${url}/access/request`, { method: 'POST' });
			expect(post.status).toBeGreaterThanOrEqual(400);
			const gateOff = output.split('\n').filter((line) => line.includes('The access gate is off'));
			expect(gateOff).toHaveLength(1);
			expect(JSON.parse(gateOff[0]!).msg).toBe(
				'The access gate is off: content/ has no nda.mdx and no access-rules.yaml, so the site is served alone and NDA documents are requested by e-mail to the security contact. Add both files to turn it on (README.md, "The access gate").',
			);
			expect(existsSync(join(site, '.gate-data/pglite'))).toBe(false);
		} finally {
			child.kill('SIGTERM');
		}
	});

	it('fails in strict mode while a placeholder is left', async () => {
		const settings = join(site, 'content/site.yaml');
		writeFileSync(
			settings,
			readFileSync(settings, 'utf8').replace('strict: false', 'strict: true'),
		);
		const { code, output } = await buildSite(site, [], PINNED_TIME);
		expect(code).not.toBe(0);
		expect(output).toContain('10 content errors in 5 files:');
		expect(output).toContain(
			'content/policies/information-security.mdx:7: owner: still a placeholder: "TODO: the role that owns this policy, such as Head of Sec...". Write your own text in place of the TODO.',
		);
		expect(output).toContain('(strict: true in content/site.yaml turns warnings into errors.)');
	});

	it('refuses to replace the content/ folder once it has been edited, and --force keeps the old one', async () => {
		const refused = await init(site, ['--yes', ...ANSWERS]);
		expect(refused.code).toBe(1);
		expect(refused.output.trim()).toBe(
			'content/ already holds your own files (content/site.yaml was changed since npm run init wrote it), so npm run init leaves it alone. Edit it directly, or run npm run init -- --force to replace it with a new starter (the old folder is kept under .cache/init/).',
		);
		const forced = await init(site, ['--yes', '--force', ...ANSWERS]);
		expect(forced.code).toBe(0);
		const [kept] = readdirSync(join(site, '.cache/init')).filter((n) => n.startsWith('replaced-'));
		expect(forced.output).toContain(`The content/ folder it replaced is in .cache/init/${kept}/.`);
		expect(readFileSync(join(site, '.cache/init', kept!, 'site.yaml'), 'utf8')).toContain(
			'strict: true',
		);
		expect(readFileSync(join(site, 'content/site.yaml'), 'utf8')).toContain('strict: false');
	});
});

describe('npm run init with bad answers or content of its own', () => {
	let site: string;
	beforeAll(() => {
		site = freshClone('init-refusals');
	});

	it('refuses answers the build would refuse, naming each flag, and writes nothing', async () => {
		const { code, output } = await init(site, [
			'--yes',
			'--company',
			'Quokka Cloud',
			'--url',
			'http://trust.quokkacloud.io',
			'--brand-color',
			'#ffd500',
			'--security-email',
			'security at quokkacloud.io',
			'--language',
			'english',
		]);
		expect(code).toBe(1);
		expect(output.trim()).toMatchInlineSnapshot(`
			"npm run init cannot write content/: fix these and run it again.
			  --url: expected an absolute URL starting with https://, received "http://trust.quokkacloud.io".
			  --brand-color: "#ffd500" has a contrast of 1.42:1 with the light background (#ffffff); WCAG AA needs at least 4.5:1 for text. Choose a darker colour.
			  --security-email: expected an e-mail address like security@example.com, received "security at quokkacloud.io".
			  --language: expected a language tag like "en", "de", "ja" or "pt-BR", received "english"."
		`);
		expect(existsSync(join(site, 'content'))).toBe(false);
	});

	it('asks for each answer, again after a wrong one, and takes the defaults on Enter', async () => {
		const { code, output } = await init(
			site,
			[],
			[
				'Quokka Cloud',
				'',
				'trust.quokkacloud.io',
				'https://trust.quokkacloud.io',
				'',
				'',
				'Japanese',
				'ja',
			].join('\n') + '\n',
		);
		expect(code).toBe(0);
		expect(output).toMatchInlineSnapshot(`
			"Making content/, your trust center's own folder. Press Enter to take the value in brackets.

			Company name, as customers know it: Legal name of the company [Quokka Cloud]: Address the trust center will be published at [https://trust.example.com]:   expected an absolute URL starting with https://, received "trust.quokkacloud.io".
			Address the trust center will be published at [https://trust.example.com]: Brand colour, as a hex code [#1d4ed8]: E-mail address for security questions and reports [security@quokkacloud.io]: Language the site is written in, as a tag like en, de or ja [en]:   expected a language tag like "en", "de", "ja" or "pt-BR", received "Japanese".
			Language the site is written in, as a tag like en, de or ja [en]: 
			Wrote content/ for Quokka Cloud: site settings, one framework, one policy, one architecture page and a placeholder logo.

			Next:
			  npm start        build and serve it on http://localhost:4321; the build lists every placeholder left (TODO)
			  npm run dev      preview while you edit content/ (start with site.yaml, then the TODOs)
			README.md, "Make it yours", says what to edit first, how to deploy, and how to take engine updates.
			"
		`);
		const settings = readFileSync(join(site, 'content/site.yaml'), 'utf8');
		expect(settings).toContain('legalName: "Quokka Cloud"');
		expect(settings).toContain('security: "security@quokkacloud.io"');
		expect(settings).toContain('language: "ja"');
	});

	it('names a wrong flag before asking anything, and a default that does not do as a default', async () => {
		const asked = await init(site, ['--url', 'http://trust.quokkacloud.io'], 'Quokka Cloud\n');
		expect(asked.code).toBe(1);
		expect(asked.output.trim()).toBe(
			'npm run init cannot write content/: fix these and run it again.\n  --url: expected an absolute URL starting with https://, received "http://trust.quokkacloud.io".',
		);
		const defaulted = await init(site, [
			'--yes',
			'--company',
			'Quokka',
			'--url',
			'https://10.0.0.5',
		]);
		expect(defaulted.code).toBe(1);
		expect(defaulted.output.trim()).toMatchInlineSnapshot(`
			"npm run init cannot write content/: fix these and run it again.
			  --security-email: not given, and its default, made from the answers before it, does not do: expected an e-mail address like security@example.com, received "security@10.0.0.5". Pass --security-email "…"."
		`);
	});

	it('changes nothing when writing the starter fails part-way', () => {
		const content = join(site, 'kept');
		mkdirSync(content);
		writeFileSync(join(content, 'site.yaml'), 'companyName: Kept\n');
		const files = new Map([
			['site.yaml', 'companyName: New\n'],
			['docs', 'a file'],
			['docs/security/index.mdx', 'cannot be written under a file'],
		]);
		expect(() => writeStarter(site, 'kept', files)).toThrow(/ENOTDIR|EEXIST/);
		expect(readdirSync(site).filter((name) => name.startsWith('kept'))).toEqual(['kept']);
		expect(readFileSync(join(content, 'site.yaml'), 'utf8')).toBe('companyName: Kept\n');
	});

	it('refuses while TRUST_CONTENT_DIR points the build at another folder', async () => {
		const { code, output } = await runCommand(
			process.execPath,
			['scripts/init.ts', '--yes', ...ANSWERS],
			{
				cwd: site,
				env: { ...process.env, NO_COLOR: '1', TRUST_CONTENT_DIR: 'examples/kestrel-ledger' },
			},
		);
		expect(code).toBe(1);
		expect(output.trim()).toBe(
			'TRUST_CONTENT_DIR is set to "examples/kestrel-ledger", so the build and the gate read that folder, not the content/ that npm run init writes. Unset TRUST_CONTENT_DIR and run npm run init again.',
		);
	});

	it('refuses a content/ folder it did not write', async () => {
		rmSync(join(site, '.cache/init'), { recursive: true });
		const { code, output } = await init(site, ['--yes', '--company', 'Other']);
		expect(code).toBe(1);
		expect(output).toContain(
			'content/ already holds your own files (npm run init did not write content/ on this machine), so npm run init leaves it alone.',
		);
	});
});
