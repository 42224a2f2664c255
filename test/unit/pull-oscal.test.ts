import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { isoDay } from '../../src/lib/dates.ts';
import { controlOfTarget, OscalError, readOscal } from '../../src/lib/pull/oscal.ts';
import { combineStatuses } from '../../src/lib/pull/records.ts';
import { readSource } from '../../src/lib/pull/sources.ts';
import { ControlSourceSchema } from '../../src/schemas/control-sources.ts';

// The fixture folders stand in for a content folder; messages name it content/.
const REAL = join(ROOT, 'test/fixtures/oscal');
const oscalSource = (location: string) =>
	ControlSourceSchema.parse({ id: 'plan', kind: 'oscal', catalog: 'nist', location });

/** What the pull reads from a document: one line per record, the ids named without a status, and the format. */
async function pull(location: string, root = REAL) {
	const result = await readSource(oscalSource(location), { path: root, shown: 'content' });
	return {
		records: result.records.map((r) => `${r.externalId} ${r.status} ${isoDay(r.evidenceDate!)}`),
		notReported: result.notReported,
		detail: result.detail,
	};
}
async function tally(location: string) {
	const { records, notReported } = await pull(location);
	const counts: Record<string, number> = {};
	for (const line of records) counts[line.split(' ')[1]!] = (counts[line.split(' ')[1]!] ?? 0) + 1;
	return { ...counts, 'not reported': notReported.length };
}

describe('real system security plans', () => {
	it('reads NIST’s OSCAL 1.1.2 example, whose status is set per component', async () => {
		expect(await pull('nist/ifa_ssp-example.json')).toEqual({
			records: ['ac-6.1 implemented 2024-03-01'],
			notReported: [],
			detail: 'OSCAL system security plan, JSON',
		});
	});

	it('reads the same plan written as YAML', async () => {
		expect(await pull('nist/ifa_ssp-example.yaml')).toEqual({
			records: ['ac-6.1 implemented 2024-03-01'],
			notReported: [],
			detail: 'OSCAL system security plan, YAML',
		});
	});

	it('fails a real plan that names its controls but states no status for any, naming how many and how to set it', async () => {
		const failure = (location: string) =>
			pull(location).then(
				() => 'no error',
				(e: Error) => e.message,
			);
		expect(await failure('nist/ssp-example.json')).toMatchInlineSnapshot(
			`"source "plan" (content/nist/ssp-example.json): names 1 control (au-1) but states no implementation-status for any of them, so the snapshot would lose every status it holds for them. In the tool that writes the plan, set implementation-status for each implemented requirement: on the requirement's by-components (or its statements' by-components), or as an implementation-status prop on the requirement."`,
		);
		expect(await failure('lula/valid-generated-ssp.yaml')).toMatchInlineSnapshot(
			`"source "plan" (content/lula/valid-generated-ssp.yaml): names 3 controls (ac-1, ac-2, ac-3) but states no implementation-status for any of them, so the snapshot would lose every status it holds for them. In the tool that writes the plan, set implementation-status for each implemented requirement: on the requirement's by-components (or its statements' by-components), or as an implementation-status prop on the requirement."`,
		);
		expect(await failure('trestle/leveraging_ssp.json')).toMatchInlineSnapshot(
			`"source "plan" (content/trestle/leveraging_ssp.json): names 1 control (ac-2) but states no implementation-status for any of them, so the snapshot would lose every status it holds for them. In the tool that writes the plan, set implementation-status for each implemented requirement: on the requirement's by-components (or its statements' by-components), or as an implementation-status prop on the requirement."`,
		);
	});

	it('combines components conservatively: statement-level components all implemented, one planned beside one implemented is partial', async () => {
		expect(await pull('trestle/leveraged_ssp.json')).toEqual({
			records: ['ac-1 implemented 2021-06-08', 'ac-2.1 partial 2021-06-08'],
			notReported: ['ac-2'],
			detail: 'OSCAL system security plan, JSON',
		});
	});

	it('reads FedRAMP’s implementation-status prop', async () => {
		expect(await tally('fedramp/rev5-FedRAMP-SSP-OSCAL-Template.json')).toEqual({
			planned: 19,
			implemented: 1,
			'not reported': 0,
		});
		expect((await pull('fedramp/rev5-FedRAMP-SSP-OSCAL-Template.json')).records).toContain(
			'si-8 implemented 2024-09-24',
		);
	});

	it('combines repeated FedRAMP props in YAML: planned, partial and not-applicable make partial', async () => {
		expect(await tally('fedramp/rev4-FedRAMP-SSP-OSCAL-Template.yaml')).toEqual({
			planned: 17,
			partial: 1,
			implemented: 1,
			'not reported': 0,
		});
		expect((await pull('fedramp/rev4-FedRAMP-SSP-OSCAL-Template.yaml')).records).toContain(
			'ac-2 partial 2024-09-24',
		);
	});
});

describe('real assessment results', () => {
	it('reads NIST’s example, mapping the objective ac-6.1_obj back to its control, dated by its observation', async () => {
		expect(await pull('nist/ifa_assessment-results-example.json')).toEqual({
			records: ['ac-6.1 failing 2023-06-02'],
			notReported: [],
			detail: 'OSCAL assessment results, JSON',
		});
		expect(await pull('nist/ifa_assessment-results-example.yaml')).toEqual({
			records: ['ac-6.1 failing 2023-06-02'],
			notReported: [],
			detail: 'OSCAL assessment results, YAML',
		});
	});

	it('reads FedRAMP’s SAR: statement and objective targets, declared partial, and the newest of three results', async () => {
		expect(await pull('fedramp/rev5-FedRAMP-SAR-OSCAL-Template.json')).toEqual({
			records: [
				'ac-1 implemented 2023-05-10',
				'au-1 failing 2023-05-10',
				'ra-5 failing 2023-05-10',
				'cm-2.1 failing 2023-05-10',
				'at-2 partial 2023-05-10',
				'ca-8.1 failing 2023-05-10',
			],
			// Reviewed in the older results, which have no findings.
			notReported: ['ac-2'],
			detail: 'OSCAL assessment results, JSON',
		});
	});

	it('reads Lula’s results by date, not by position: its newest run comes first and fails both controls', async () => {
		expect(await pull('lula/valid-assessment-results-multi.yaml')).toEqual({
			records: ['ID-1 failing 2024-10-15', 'ID-2 failing 2024-10-15'],
			notReported: [],
			detail: 'OSCAL assessment results, YAML',
		});
	});
});

describe('combining statuses', () => {
	it('follows the documented table', () => {
		const cases: [string[], string | undefined][] = [
			[[], undefined],
			[['implemented'], 'implemented'],
			[['implemented', 'implemented'], 'implemented'],
			[['planned', 'planned'], 'planned'],
			[['implemented', 'planned'], 'partial'],
			[['implemented', 'partial'], 'partial'],
			[['partial', 'planned'], 'partial'],
			[['not-applicable'], 'not-applicable'],
			[['not-applicable', 'implemented'], 'implemented'],
			[['not-applicable', 'planned'], 'planned'],
			[['implemented', 'failing', 'not-applicable'], 'failing'],
		];
		expect(cases.map(([statuses]) => combineStatuses(statuses as never))).toEqual(
			cases.map(([, expected]) => expected),
		);
	});

	it('maps statement and objective ids back to their control', () => {
		const ids = [
			'ac-2',
			'ac-2_smt.a',
			'ac-2_obj.1',
			'ac-6.1_obj',
			'ac-1_obj.a-1',
			'ac-2_stmt.a',
			'ac-1.a.1_obj.1',
			'at-2.c_obj.2',
			'cm-2.1_smt.c',
			'ID-1',
			'A.5.15_obj',
			'PR.AC-1_smt',
		];
		expect(ids.map(controlOfTarget)).toEqual([
			'ac-2',
			'ac-2',
			'ac-2',
			'ac-6.1',
			'ac-1',
			'ac-2',
			'ac-1',
			'at-2',
			'cm-2.1',
			'ID-1',
			'A.5.15',
			'PR.AC-1',
		]);
	});
});

describe('documents that are truly invalid', () => {
	const dir = mkdtempSync(join(tmpdir(), 'oscal-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));
	let n = 0;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the changes reach deep into real documents to break one field
	type AnyDocument = any;
	/** Writes `text` (or a real document changed by `change`) into a scratch content folder and returns the pull's error. */
	async function refusal(
		name: string,
		content: string | { from: string; change: (doc: AnyDocument) => void },
	) {
		let text = typeof content === 'string' ? content : '';
		if (typeof content !== 'string') {
			const doc = parseYaml(readFileSync(join(REAL, content.from), 'utf8'));
			content.change(doc);
			text = name.endsWith('.yaml') ? toYaml(doc) : JSON.stringify(doc);
		}
		const file = `${n++}-${name}`;
		writeFileSync(join(dir, file), text);
		return readSource(oscalSource(file), { path: dir, shown: 'content' }).then(
			() => 'no error',
			(e: Error) => e.message.replace(file, name),
		);
	}
	const SSP = 'nist/ifa_ssp-example.json';
	const AR = 'nist/ifa_assessment-results-example.json';

	it('names the file, the syntax error and the format', async () => {
		expect(await refusal('plan.json', '{"system-security-plan": {')).toMatchInlineSnapshot(
			`"source "plan" (content/plan.json): cannot be parsed as JSON: Expected property name or '}' in JSON at position 26 (line 1 column 27). Fix the syntax, or check that location points at an OSCAL document."`,
		);
		expect(
			await refusal('plan.yaml', 'system-security-plan:\n  metadata: [\n'),
		).toMatchInlineSnapshot(
			`"source "plan" (content/plan.yaml): cannot be parsed as YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1. Fix the syntax, or check that location points at an OSCAL document."`,
		);
	});

	it('says how to read OSCAL XML and other OSCAL models', async () => {
		expect(
			await refusal('plan.xml', '<?xml version="1.0"?><system-security-plan/>'),
		).toMatchInlineSnapshot(
			`"source "plan" (content/plan.xml): is XML, and the pull reads OSCAL as JSON or YAML only. Convert it (NIST’s oscal-cli has a "convert" command) and point location at the converted file."`,
		);
		expect(
			await refusal('saved.json', '<html lang="en"><head><title>Sign in</title></head></html>'),
		).toMatchInlineSnapshot(
			`"source "plan" (content/saved.json): received HTML, probably a sign-in page, not an OSCAL document. The pull sends no credentials for an OSCAL URL: point location at a URL that serves the JSON or YAML itself without signing in, or download it in CI (the secret from an environment variable) and point location at the file."`,
		);
		expect(await refusal('catalog.json', '{"catalog": {"uuid": "x"}}')).toMatchInlineSnapshot(
			`"source "plan" (content/catalog.json): is an OSCAL catalog, which states no control status. Point location at an OSCAL system security plan or assessment results."`,
		);
		expect(await refusal('export.json', '{"data": []}')).toMatchInlineSnapshot(
			`"source "plan" (content/export.json): expected an OSCAL document with a top-level "system-security-plan" or "assessment-results", received top-level keys: data. Point location at an OSCAL system security plan or assessment results (JSON or YAML)."`,
		);
	});

	it('names the JSON path, what was expected and the fix in a plan', async () => {
		expect(
			await refusal('no-requirements.json', {
				from: SSP,
				change: (d) => delete d['system-security-plan']['control-implementation'],
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/no-requirements.json): system-security-plan.control-implementation.implemented-requirements: expected a list of implemented requirements, received nothing. An OSCAL system security plan lists at least one; check that location points at the whole plan."`,
		);
		expect(
			await refusal('no-control-id.json', {
				from: SSP,
				change: (d) =>
					delete d['system-security-plan']['control-implementation']['implemented-requirements'][0][
						'control-id'
					],
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/no-control-id.json): system-security-plan.control-implementation.implemented-requirements[0].control-id: expected a control id such as "ac-2", received nothing. Every implemented requirement names the control it implements."`,
		);
		expect(
			await refusal('bad-state.json', {
				from: SSP,
				change: (d) =>
					(d['system-security-plan']['control-implementation']['implemented-requirements'][0][
						'by-components'
					][0]['implementation-status'].state = 'done'),
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/bad-state.json): system-security-plan.control-implementation.implemented-requirements[0].by-components[0].implementation-status.state: expected one of implemented, partial, planned, alternative, not-applicable, received "done". Use one of OSCAL’s implementation states there, in the tool that wrote the document."`,
		);
		expect(
			await refusal('bad-prop.yaml', {
				from: 'fedramp/rev4-FedRAMP-SSP-OSCAL-Template.yaml',
				change: (d) =>
					(d['system-security-plan']['control-implementation'][
						'implemented-requirements'
					][2].props[1].value = 'in progress'),
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/bad-prop.yaml): system-security-plan.control-implementation.implemented-requirements[2].props[1].value: expected one of implemented, partial, planned, alternative, not-applicable, received "in progress". Use one of OSCAL’s implementation states there, in the tool that wrote the document."`,
		);
		expect(
			await refusal('no-date.json', {
				from: SSP,
				change: (d) => delete d['system-security-plan'].metadata['last-modified'],
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/no-date.json): system-security-plan.metadata.last-modified: expected an ISO 8601 date-time such as "2026-11-20T06:00:00Z", received nothing. OSCAL requires it, and the pull dates each status by it unless the requirement has a last-assessed prop."`,
		);
		expect(
			await refusal('bad-assessed.json', {
				from: SSP,
				change: (d) =>
					(d['system-security-plan']['control-implementation'][
						'implemented-requirements'
					][0].props = [{ name: 'last-assessed', value: 'last week' }]),
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/bad-assessed.json): system-security-plan.control-implementation.implemented-requirements[0].props[0].value: expected an ISO 8601 date such as "2026-11-20", received "last week". Fix the last-assessed prop, or remove it to date the status by metadata.last-modified."`,
		);
	});

	it('names the JSON path, what was expected and the fix in assessment results', async () => {
		expect(
			await refusal('no-results.json', {
				from: AR,
				change: (d) => (d['assessment-results'].results = []),
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/no-results.json): assessment-results.results: expected a list of results, received an empty list. OSCAL assessment results hold at least one result; check that location points at the whole document."`,
		);
		expect(
			await refusal('no-start.json', {
				from: AR,
				change: (d) => delete d['assessment-results'].results[0].start,
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/no-start.json): assessment-results.results[0].start: expected an ISO 8601 date-time such as "2026-11-20T06:00:00Z", received nothing. OSCAL requires a start on every result, and the pull dates findings by it when they cite no dated observation."`,
		);
		expect(
			await refusal('no-target.json', {
				from: AR,
				change: (d) => delete d['assessment-results'].results[0].findings[0].target['target-id'],
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/no-target.json): assessment-results.results[0].findings[0].target.target-id: expected the id of the control, statement or objective assessed, such as "ac-2_obj.1", received nothing. OSCAL requires one on every finding."`,
		);
		expect(
			await refusal('bad-finding.json', {
				from: AR,
				change: (d) =>
					(d['assessment-results'].results[0].findings[0].target.status.state = 'pass'),
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/bad-finding.json): assessment-results.results[0].findings[0].target.status.state: expected "satisfied" or "not-satisfied", received "pass". OSCAL allows only these two."`,
		);
	});

	it('fails assessment results without findings, naming the controls only reviewed or observed, and how to add findings', async () => {
		expect(
			await refusal('observations-only.json', {
				from: AR,
				change: (d) => delete d['assessment-results'].results[0].findings,
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/observations-only.json): names 1 control (ac-6.1) in reviewed-controls but has no finding for any of them (observations alone state no status), so the snapshot would lose every status it holds for them. In the tool that writes the results, add a finding for each control assessed, its target status satisfied or not-satisfied."`,
		);
		expect(
			await refusal('nothing.json', {
				from: AR,
				change: (d) => {
					delete d['assessment-results'].results[0].findings;
					delete d['assessment-results'].results[0]['reviewed-controls'];
				},
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/nothing.json): has no findings, so it states no status for any control, and the snapshot would lose every status this source gave. In the tool that writes the results, add a finding for each control assessed, its target status satisfied or not-satisfied."`,
		);
	});

	it('reads names that objects inherit (toString, constructor) as the plain strings they are', async () => {
		expect(await refusal('to-string.json', '{"toString": {}}')).toMatchInlineSnapshot(
			`"source "plan" (content/to-string.json): expected an OSCAL document with a top-level "system-security-plan" or "assessment-results", received top-level keys: toString. Point location at an OSCAL system security plan or assessment results (JSON or YAML)."`,
		);
		expect(
			await refusal('constructor-state.json', {
				from: SSP,
				change: (d) =>
					(d['system-security-plan']['control-implementation']['implemented-requirements'][0][
						'by-components'
					][0]['implementation-status'].state = 'constructor'),
			}),
		).toMatchInlineSnapshot(
			`"source "plan" (content/constructor-state.json): system-security-plan.control-implementation.implemented-requirements[0].by-components[0].implementation-status.state: expected one of implemented, partial, planned, alternative, not-applicable, received "constructor". Use one of OSCAL’s implementation states there, in the tool that wrote the document."`,
		);
	});

	it('lets an observation or a citation whose uuid is not a string date nothing, instead of crashing', async () => {
		// The result ends a month after its observations, so the date says which one dated the finding.
		const read = async (name: string, change: (doc: AnyDocument) => void) => {
			const changed = (d: AnyDocument) => {
				d['assessment-results'].results[0].end = '2023-07-06T00:00:00Z';
				change(d);
			};
			expect(await refusal(name, { from: AR, change: changed })).toBe('no error');
			return (await pull(`${n - 1}-${name}`, dir)).records;
		};
		expect(await read('later-end.json', () => {})).toEqual(['ac-6.1 failing 2023-06-02']);
		expect(
			await read('uuid-object.json', (d) =>
				d['assessment-results'].results[0].observations.forEach(
					(o: AnyDocument) => (o.uuid = { toString: 1 }),
				),
			),
		).toEqual(['ac-6.1 failing 2023-07-06']);
		expect(
			await read('citation-object.json', (d) =>
				d['assessment-results'].results[0].findings[0]['related-observations'].forEach(
					(o: AnyDocument) => (o['observation-uuid'] = { toString: 1 }),
				),
			),
		).toEqual(['ac-6.1 failing 2023-07-06']);
	});

	it('combines results dated alike conservatively, whatever their order in the file: a not-satisfied finding wins', async () => {
		const read = async (name: string, satisfiedFirst: boolean) => {
			const change = (d: AnyDocument) => {
				const results = d['assessment-results'].results;
				const other = structuredClone(results[0]);
				other.uuid = '11111111-2222-4333-8444-555555555555';
				other.findings[0].target.status.state = 'satisfied';
				if (satisfiedFirst) results.unshift(other);
				else results.push(other);
			};
			expect(await refusal(name, { from: AR, change })).toBe('no error');
			return (await pull(`${n - 1}-${name}`, dir)).records;
		};
		expect(await read('tie-satisfied-last.json', false)).toEqual(['ac-6.1 failing 2023-06-02']);
		expect(await read('tie-satisfied-first.json', true)).toEqual(['ac-6.1 failing 2023-06-02']);
	});

	it('never fails any other way, whatever value any field of a real document holds', () => {
		const outcomes = new Set<string>();
		for (const file of [SSP, AR, 'lula/valid-assessment-results-multi.yaml']) {
			const original = parseYaml(readFileSync(join(REAL, file), 'utf8'));
			for (const path of paths(original)) {
				for (const value of [
					undefined,
					null,
					0,
					'x',
					[],
					{},
					[null],
					'2026-13-45',
					{ toString: 1 },
					'constructor',
				]) {
					const doc = structuredClone(original);
					const parent = path.slice(0, -1).reduce((node, key) => node[key], doc);
					parent[path.at(-1)!] = value;
					try {
						readOscal(doc);
						outcomes.add('read');
					} catch (error) {
						if (!(error instanceof OscalError))
							throw new Error(
								`${file} with ${path.join('.')} = ${JSON.stringify(value)}: ${(error as Error).stack}`,
								{ cause: error },
							);
						outcomes.add('refused');
					}
				}
			}
		}
		expect([...outcomes].sort()).toEqual(['read', 'refused']);
	});
});

/** Every path to a value inside `node`, as keys and indexes. */
function paths(node: unknown, prefix: (string | number)[] = []): (string | number)[][] {
	if (node === null || typeof node !== 'object') return [];
	const entries: [string | number, unknown][] = Array.isArray(node)
		? node.map((v, i) => [i, v])
		: Object.entries(node);
	return entries.flatMap(([key, value]) => [[...prefix, key], ...paths(value, [...prefix, key])]);
}
