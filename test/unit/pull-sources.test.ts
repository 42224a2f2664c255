import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/site-copy.ts';
import { parseCsv } from '../../src/lib/pull/csv.ts';
import { checkMapping, closest, nist80053Id } from '../../src/lib/pull/mapping.ts';
import { mergeSources } from '../../src/lib/pull/merge.ts';
import type { SourceRecord } from '../../src/lib/pull/records.ts';
import { isoDay } from '../../src/lib/dates.ts';
import { ControlMappingSchema } from '../../src/schemas/control-mapping.ts';
import { parseContent } from '../../src/lib/content/problems.ts';
import { canonicalJson } from '../../src/lib/canonical-json.ts';
import { snapshotDigest } from '../../src/lib/pull/snapshot-file.ts';
import { readSource } from '../../src/lib/pull/sources.ts';
import { ControlSourceSchema } from '../../src/schemas/control-sources.ts';
import type { Catalog } from '../../src/schemas/catalog.ts';

// The fixture folder stands in for a content folder; messages name it content/.
const dir = join(ROOT, 'test/fixtures/pull');
const source = (raw: Record<string, unknown>) =>
	ControlSourceSchema.parse({ catalog: 'mini', ...raw });
const read = async (raw: Record<string, unknown>) =>
	(await readSource(source(raw), { path: dir, shown: 'content' })).records.map((r) => [
		r.externalId,
		r.status,
		r.evidenceDate?.toISOString().slice(0, 10) ?? 'undated',
	]);
const fields = { id: 'ref', status: 'result', evidenceDate: 'lastTested' };

describe('OSCAL sources', () => {
	it('reads assessment results: a later result replaces an earlier one, satisfied is implemented, not-satisfied is failing unless declared partial', async () => {
		expect(await read({ id: 'ar', kind: 'oscal', location: 'assessment-results.json' })).toEqual([
			['M.1', 'implemented', '2026-11-10'],
			['M.2', 'failing', '2026-11-12'],
			['M.4', 'partial', '2026-11-15'],
		]);
	});

	it('reads a system security plan: implementation-status per requirement, alternative counts as implemented', async () => {
		expect(await read({ id: 'ssp', kind: 'oscal', location: 'system-security-plan.json' })).toEqual(
			[
				['m.1', 'implemented', '2026-10-30'],
				['m.2', 'implemented', '2026-11-05'],
				['m.3', 'not-applicable', '2026-11-05'],
				['m.4', 'planned', '2026-11-05'],
			],
		);
	});

	it('names the source, the file and the reason when the document is not OSCAL', async () => {
		await expect(
			read({ id: 'wrong', kind: 'oscal', location: 'export.json' }),
		).rejects.toThrowErrorMatchingInlineSnapshot(
			`[SourceError: source "wrong" (content/export.json): expected an OSCAL document with a top-level "system-security-plan" or "assessment-results", received top-level keys: data. Point location at an OSCAL system security plan or assessment results (JSON or YAML).]`,
		);
	});
});

describe('file exports', () => {
	it('reads CSV with a column mapping and a status map', async () => {
		expect(
			await read({
				id: 'csv',
				kind: 'file',
				path: 'export.csv',
				fields: { id: 'Ref', status: 'State', evidenceDate: 'Evidence date' },
				statusMap: { Passing: 'implemented', 'In progress': 'partial' },
			}),
		).toEqual([
			['M.1', 'implemented', '2026-11-01'],
			['M.2', 'partial', '2026-11-02'],
			['EXT-9', 'implemented', '2026-11-03'],
		]);
	});

	it('reads JSON with an items path and nested fields, understanding our own status words in any case', async () => {
		expect(
			await read({
				id: 'json',
				kind: 'file',
				path: 'export.json',
				itemsPath: 'data.controls',
				fields: { id: 'control.ref', status: 'result', evidenceDate: 'lastTested' },
			}),
		).toEqual([
			['M.1', 'implemented', '2026-11-01'],
			['M.4', 'not-applicable', '2026-10-01'],
		]);
	});

	it('reads YAML', async () => {
		expect(await read({ id: 'yaml', kind: 'file', path: 'export.yaml', fields })).toEqual([
			['M.2', 'failing', '2026-11-04'],
			['M.3', 'planned', '2026-11-05'],
		]);
	});

	it('rejects the whole source, listing every bad record, when a status or date does not fit', async () => {
		await expect(
			read({
				id: 'csv',
				kind: 'file',
				path: 'export.csv',
				fields: { id: 'Ref', status: 'State', evidenceDate: 'Name' },
			}),
		).rejects.toThrowErrorMatchingInlineSnapshot(
			`[SourceError: source "csv" (content/export.csv): 3 invalid records: row 2 (M.1): status "Passing" in field "State" is not one of implemented, partial, planned, failing, not-applicable; add it to statusMap; row 3 (M.2): status "In progress" in field "State" is not one of implemented, partial, planned, failing, not-applicable; add it to statusMap; row 4 (EXT-9): status "Passing" in field "State" is not one of implemented, partial, planned, failing, not-applicable; add it to statusMap]`,
		);
	});

	it('rejects the whole source, naming each record without an id or a real ISO date', async () => {
		await expect(
			read({ id: 'yaml', kind: 'file', path: 'export-broken.yaml', fields }),
		).rejects.toThrowErrorMatchingInlineSnapshot(
			`[SourceError: source "yaml" (content/export-broken.yaml): 4 invalid records: record 2: expected an id in field "ref", received nothing; record 3 (M.3): expected an ISO 8601 date such as "2026-11-20" in field "lastTested", received "03/11/2026"; record 4 (M.4): expected an ISO 8601 date such as "2026-11-20" in field "lastTested", received "2026-02-30"; record 5 (M.5): expected an ISO 8601 date such as "2026-11-20" in field "lastTested", received nothing (only a planned or not-applicable row may leave it empty; this one is implemented)]`,
		);
	});

	it('names the missing file', async () => {
		await expect(
			read({ id: 'gone', kind: 'file', path: 'nope.csv', fields }),
		).rejects.toThrowErrorMatchingInlineSnapshot(
			`[SourceError: source "gone" (content/nope.csv): file not found; check the path (it is relative to content/)]`,
		);
	});

	it('parses quoted CSV fields with commas, doubled quotes and line breaks', () => {
		expect(parseCsv('a,b\r\n"x, ""y""","multi\nline"\r\n')).toEqual({
			columns: ['a', 'b'],
			rows: [{ a: 'x, "y"', b: 'multi\nline' }],
		});
		expect(() => parseCsv('a\n"open')).toThrow('unterminated quoted field');
	});
});

describe('exports that would empty the snapshot or misread it', () => {
	const scratch = mkdtempSync(join(tmpdir(), 'pull-export-'));
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));
	const csvFields = { id: 'Ref', status: 'State', evidenceDate: 'Evidence date' };
	/** How reading a source from the scratch content folder fails, or 'no error'. */
	const failure = (raw: Record<string, unknown>) =>
		readSource(source(raw), { path: scratch, shown: 'content' }).then(
			() => 'no error',
			(e: Error) => `${e.name}: ${e.message}`,
		);
	/** Writes `content` as `name` in the scratch content folder and returns how reading it as a file source fails. */
	const refusal = (name: string, content: string | Buffer, extra: Record<string, unknown> = {}) => {
		writeFileSync(join(scratch, name), content);
		return failure({ id: 'grc-export', kind: 'file', path: name, fields: csvFields, ...extra });
	};

	it('refuses an empty file, a CSV with only its header row, and an empty JSON list', async () => {
		expect(await refusal('empty.csv', '')).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/empty.csv): gave no records, and reading it as empty would drop every control it reports from the snapshot. Check the export (an empty file, a header row only, or the wrong itemsPath)"`,
		);
		expect(await refusal('header-only.csv', 'Ref,State,Evidence date\r\n')).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/header-only.csv): gave no records, and reading it as empty would drop every control it reports from the snapshot. Check the export (an empty file, a header row only, or the wrong itemsPath)"`,
		);
		expect(await refusal('empty.json', '[]')).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/empty.json): gave no records, and reading it as empty would drop every control it reports from the snapshot. Check the export (an empty file, a header row only, or the wrong itemsPath)"`,
		);
	});

	it('names a configured column the CSV header lacks, listing the columns it has', async () => {
		expect(
			await refusal('renamed.csv', 'Ref,Result,Evidence date\nM.1,implemented,2026-11-01\n'),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/renamed.csv): the header row has no column "State" (fields.status); its columns are "Ref", "Result", "Evidence date". Set fields in site.yaml to the export’s column names."`,
		);
	});

	it('refuses a header that names a column the pull reads twice, and not one it does not read', async () => {
		expect(
			await refusal(
				'twice.csv',
				'Ref,State,Owner,State,Evidence date\nM.1,implemented,Security team,open,2026-11-01\n',
			),
		).toBe(
			'SourceError: source "grc-export" (content/twice.csv): the header row names the column "State" (fields.status) 2 times, in columns 2 and 4, and the pull cannot tell which one is meant. Rename the others in the export, or export only the one.',
		);
		expect(
			await refusal(
				'notes-twice.csv',
				'Ref,State,Notes,Notes,Evidence date\nM.1,implemented,a,b,2026-11-01\n',
			),
		).toBe('no error');
	});

	it('says when a CSV looks semicolon- or tab-separated', async () => {
		expect(
			await refusal('semicolons.csv', 'Ref;State;Evidence date\nM.1;implemented;2026-11-01\n'),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/semicolons.csv): the header row has no column "Ref" (fields.id), "State" (fields.status), "Evidence date" (fields.evidenceDate); its columns are "Ref;State;Evidence date". The header is one column, so the file looks semicolon-separated: export it comma-separated."`,
		);
		expect(
			await refusal('tabs.csv', 'Ref\tState\tEvidence date\nM.1\timplemented\t2026-11-01\n'),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/tabs.csv): the header row has no column "Ref" (fields.id), "State" (fields.status), "Evidence date" (fields.evidenceDate); its columns are "Ref\\tState\\tEvidence date". The header is one column, so the file looks tab-separated: export it comma-separated."`,
		);
	});

	it('refuses UTF-16 text, saying to save it as UTF-8', async () => {
		const text = 'Ref,State,Evidence date\r\nM.1,implemented,2026-11-01\r\n';
		expect(
			await refusal(
				'unicode.csv',
				Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
			),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/unicode.csv): is UTF-16 text (it starts with a UTF-16 byte order mark), and the pull reads UTF-8 only; save or export it as UTF-8 (in Excel: "CSV UTF-8")"`,
		);
		expect(
			await refusal(
				'unicode-be.csv',
				Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
			),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/unicode-be.csv): is UTF-16 text (it starts with a UTF-16 byte order mark), and the pull reads UTF-8 only; save or export it as UTF-8 (in Excel: "CSV UTF-8")"`,
		);
	});

	it('refuses text in another encoding (Excel\'s plain "CSV"), naming the first byte that is not UTF-8', async () => {
		expect(
			await refusal(
				'cp1252.csv',
				Buffer.from('Ref,State,Evidence date\r\nM.1,implemented,2026-11-01,Müller\r\n', 'latin1'),
			),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/cp1252.csv): is not UTF-8 (byte 0xfc on line 2 after "emented,2026-11-01,M"), and the pull reads UTF-8 only; save or export it as UTF-8 (in Excel: "CSV UTF-8")"`,
		);
	});

	it('reads a status word that objects inherit (toString) as a word it does not know', async () => {
		expect(
			await refusal('to-string.csv', 'Ref,State,Evidence date\nM.1,toString,2026-11-01\n', {
				statusMap: { Passing: 'implemented' },
			}),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/to-string.csv): 1 invalid record: row 2 (M.1): status "toString" in field "State" is not one of implemented, partial, planned, failing, not-applicable; add it to statusMap"`,
		);
	});

	it('refuses evidence dated later than tomorrow, naming each control and date', async () => {
		expect(
			await refusal(
				'future.csv',
				'Ref,State,Evidence date\nM.1,implemented,2099-12-31\nM.2,implemented,2026-11-01\nM.3,failing,2100-01-01T00:00:00Z\n',
			),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/future.csv): evidence dated in the future, which would never go stale: control "M.1" on 2099-12-31, control "M.3" on 2100-01-01. Fix the dates in the source"`,
		);
		const at = (now: string) =>
			readSource(
				source({ id: 'grc-export', kind: 'file', path: 'future.csv', fields: csvFields }),
				{ path: scratch, shown: 'content' },
				{ now: new Date(now) },
			).then(
				() => 'read',
				(e: Error) => e.message,
			);
		writeFileSync(
			join(scratch, 'future.csv'),
			'Ref,State,Evidence date\nM.1,implemented,2026-11-02\n',
		);
		expect(await at('2026-11-01T00:00:00Z')).toBe('read');
		expect(await at('2026-10-31T23:59:59Z')).toContain('control "M.1" on 2026-11-02');
	});

	it('refuses a file over the limit for one source before reading it, and an OSCAL file over its maxBytes', async () => {
		writeFileSync(join(scratch, 'huge.csv'), '');
		truncateSync(join(scratch, 'huge.csv'), 50_000_001); // sparse: nothing is written
		expect(
			await failure({ id: 'grc-export', kind: 'file', path: 'huge.csv', fields: csvFields }),
		).toMatchInlineSnapshot(
			`"SourceError: source "grc-export" (content/huge.csv): the file is 50000001 bytes, over the limit of 50000000 bytes for one source; export only the controls, or split the export over several sources"`,
		);
		writeFileSync(join(scratch, 'plan.json'), JSON.stringify({ padding: 'x'.repeat(2000) }));
		expect(
			await failure({ id: 'ssp', kind: 'oscal', location: 'plan.json', maxBytes: 1000 }),
		).toMatchInlineSnapshot(
			`"SourceError: source "ssp" (content/plan.json): the file is 2014 bytes, over the limit of 1000 bytes for one source; if it really is that large, raise maxBytes for it in site.yaml"`,
		);
	});

	it('reads a planned or not-applicable row without an evidence date as undated, and refuses an empty date on any other status', async () => {
		const csv = (name: string, text: string) => {
			writeFileSync(join(scratch, name), text);
			const raw = {
				id: 'grc',
				kind: 'file',
				path: name,
				fields: { id: 'Control ID', status: 'Status', evidenceDate: 'Last evidence' },
				statusMap: { 'Not applicable': 'not-applicable' },
			};
			return readSource(source(raw), { path: scratch, shown: 'content' }).then((r) =>
				r.records.map((x) => [
					x.externalId,
					x.status,
					x.evidenceDate ? isoDay(x.evidenceDate) : 'undated',
				]),
			);
		};
		expect(
			await csv(
				'undated.csv',
				'Control ID,Status,Last evidence\nA.5.1,Implemented,2026-11-20\nA.5.2,Not applicable,\nA.5.3,Planned, \n',
			),
		).toEqual([
			['A.5.1', 'implemented', '2026-11-20'],
			['A.5.2', 'not-applicable', 'undated'],
			['A.5.3', 'planned', 'undated'],
		]);
		await expect(
			csv(
				'undated-implemented.csv',
				'Control ID,Status,Last evidence\nA.5.1,Implemented,\nA.5.2,Planned,soon\n',
			),
		).rejects.toThrowErrorMatchingInlineSnapshot(
			`[SourceError: source "grc" (content/undated-implemented.csv): 2 invalid records: row 2 (A.5.1): expected an ISO 8601 date such as "2026-11-20" in field "Last evidence", received "" (only a planned or not-applicable row may leave it empty; this one is implemented); row 3 (A.5.2): expected an ISO 8601 date such as "2026-11-20" in field "Last evidence", received "soon"]`,
		);
	});

	it('still reads a UTF-8 CSV with a byte order mark', async () => {
		const text = '\uFEFFRef,State,Evidence date\r\nM.1,implemented,2026-11-01\r\n';
		expect(await refusal('bom.csv', text)).toBe('no error');
	});
});

const control = (id: string) => ({ id, title: id, domain: 'D', description: id, mappings: [] });
const mini: Catalog = {
	id: 'mini',
	name: 'Mini',
	unit: 'controls',
	controls: ['M.1', 'M.2', 'M.3', 'M.4'].map(control),
};
const other: Catalog = { id: 'other', name: 'Other', unit: 'controls', controls: [control('O.1')] };
const record = (
	externalId: string,
	status: 'implemented' | 'failing' | 'not-applicable',
	day: string,
) => ({
	externalId,
	status,
	evidenceDate: new Date(`${day}T00:00:00Z`),
});

describe('merging sources', () => {
	/** What reading the file source `id` gave: these records. */
	const read = (id: string, records: SourceRecord[]) => ({
		source: source({ id, kind: 'file', path: `${id}.csv`, fields }),
		location: `${id}.csv`,
		detail: '',
		notReported: [],
		records,
	});
	const first = read('first', [
		record('m.1', 'implemented', '2026-11-01'),
		record('EXT-9', 'implemented', '2026-11-01'),
		record('nope', 'failing', '2026-11-01'),
	]);
	const second = read('second', [
		record('M.1', 'failing', '2026-11-02'),
		record('M.2', 'failing', '2026-11-02'),
	]);
	const mapping = {
		all: { 'EXT-9': ['mini:M.3', 'other:O.1'] },
		bySource: { second: { 'M.2': ['mini:M.4'] } },
	};
	const merged = mergeSources(
		[first, second],
		[mini, other],
		mapping,
		new Date('2026-11-23T05:00:00.123Z'),
	);

	it('lets the first source in precedence order win, matching catalog ids case-insensitively', () => {
		expect(merged.snapshot.controls.find((c) => c.control === 'M.1')).toMatchObject({
			status: 'implemented',
			source: 'first',
		});
	});

	it('maps external ids through the mapping file, per source first, to one or several controls', () => {
		expect(merged.snapshot.controls.map((c) => `${c.catalog}:${c.control}=${c.source}`)).toEqual([
			'mini:M.1=first',
			'mini:M.3=first',
			'mini:M.4=second',
			'other:O.1=first',
		]);
	});

	it('lists unknown ids per source, and catalog controls no source covers', () => {
		expect(merged.perSource).toEqual([
			{ id: 'first', fetched: 3, mapped: 2, superseded: 0, unknown: ['nope'], notReported: [] },
			{ id: 'second', fetched: 2, mapped: 1, superseded: 1, unknown: [], notReported: [] },
		]);
		expect(merged.uncovered).toEqual(['mini:M.2']);
		expect(merged.snapshot.asOf).toBe('2026-11-23T05:00:00Z');
	});

	it('counts as mapped only the records that decided a control, and lists each disagreement with the source that wins', () => {
		expect(merged.snapshot.sources.map((s) => `${s.id} ${s.fetched} ${s.mapped}`)).toEqual([
			'first 3 2',
			'second 2 1',
		]);
		expect(merged.disagreements).toEqual([
			{
				control: 'mini:M.1',
				winner: { source: 'first', status: 'implemented' },
				other: { source: 'second', status: 'failing' },
			},
		]);
		const agreeing = mergeSources(
			[first, { ...second, records: [record('M.1', 'implemented', '2026-11-02')] }],
			[mini, other],
			mapping,
			new Date('2026-11-23T05:00:00Z'),
		);
		expect(agreeing.disagreements).toEqual([]);
		expect(agreeing.perSource[1]).toMatchObject({ mapped: 0, superseded: 1 });
	});

	it('combines one source’s records for one control conservatively: the worst status, the oldest evidence', () => {
		const export_ = read('export', [
			record('M.1', 'implemented', '2026-11-05'),
			record('M.1', 'failing', '2026-11-03'),
			record('M.1', 'implemented', '2026-11-01'),
			record('M.2', 'implemented', '2026-11-04'),
			record('EXT-2', 'not-applicable', '2026-11-02'),
		]);
		const later = { ...second, records: [record('M.1', 'implemented', '2026-11-20')] };
		const result = mergeSources(
			[export_, later],
			[mini],
			{ all: { 'EXT-2': ['mini:M.2'] }, bySource: {} },
			new Date('2026-11-23T05:00:00Z'),
		);
		expect(
			result.snapshot.controls.map(
				(c) => `${c.control} ${c.status} ${c.evidenceDate.toISOString().slice(0, 10)} ${c.source}`,
			),
		).toEqual(['M.1 failing 2026-11-01 export', 'M.2 implemented 2026-11-02 export']);
	});

	it('dates a planned or not-applicable control whose records give no date by the pull’s day, or keeps the date the last snapshot gave it with that status from that source', () => {
		const undated = (externalId: string, status: 'planned' | 'not-applicable') => ({
			externalId,
			status,
			evidenceDate: undefined,
		});
		const export_ = read('export', [
			undated('M.1', 'planned'),
			undated('M.2', 'planned'),
			undated('M.3', 'not-applicable'),
			undated('M.4', 'not-applicable'),
			record('M.4', 'implemented', '2026-10-01'),
		]);
		const earlier = [
			{ catalog: 'mini', control: 'M.1', status: 'planned' as const, source: 'export' },
			{ catalog: 'mini', control: 'M.2', status: 'planned' as const, source: 'other' },
			{ catalog: 'mini', control: 'M.3', status: 'implemented' as const, source: 'export' },
		].map((e) => ({ ...e, evidenceDate: new Date('2026-06-01T00:00:00Z') }));
		const result = mergeSources(
			[export_],
			[mini],
			{ all: {}, bySource: {} },
			new Date('2026-11-23T05:00:00Z'),
			earlier,
		);
		expect(
			result.snapshot.controls.map(
				(c) => `${c.control} ${c.status} ${c.evidenceDate.toISOString().slice(0, 10)}`,
			),
		).toEqual([
			'M.1 planned 2026-06-01',
			'M.2 planned 2026-11-23',
			'M.3 not-applicable 2026-11-23',
			'M.4 implemented 2026-10-01',
		]);
	});

	it('gives a control named without a status no entry, so a later source may report it, and counts those per source', () => {
		const plan = {
			source: source({ id: 'plan', kind: 'oscal', location: 'plan.json' }),
			location: 'content/plan.json',
			detail: '',
			notReported: ['M.2', 'M.3'],
			records: [record('M.1', 'implemented', '2026-11-01')],
		};
		const later = {
			source: source({ id: 'later', kind: 'file', path: 'y.csv', fields }),
			location: 'b',
			detail: '',
			notReported: [],
			records: [record('M.2', 'failing', '2026-11-02')],
		};
		const result = mergeSources(
			[plan, later],
			[mini],
			{ all: {}, bySource: {} },
			new Date('2026-11-23T05:00:00Z'),
		);
		expect(result.snapshot.controls.map((c) => `${c.control} ${c.status} ${c.source}`)).toEqual([
			'M.1 implemented plan',
			'M.2 failing later',
		]);
		expect(result.uncovered).toEqual(['mini:M.3', 'mini:M.4']);
		expect(result.snapshot.sources).toEqual([
			{
				id: 'plan',
				kind: 'oscal',
				location: 'content/plan.json',
				fetched: 1,
				mapped: 1,
				notReported: 2,
			},
			{ id: 'later', kind: 'file', location: 'b', fetched: 1, mapped: 1 },
		]);
		expect(result.perSource.map((s) => s.notReported)).toEqual([['M.2', 'M.3'], []]);
	});
});

describe('the mapping file', () => {
	it('says what a target is written as when it is a number or a list of numbers, and what a section is', () => {
		const said = (raw: unknown) =>
			parseContent(ControlMappingSchema, raw, 'content/control-mapping.yaml').problems.map(
				(p) => `${p.field}: ${p.message}`,
			);
		expect(said({ all: { 'A.5.1': 5 } })).toEqual([
			'all.A.5.1: expected a control reference like "iso27001-2022:A.5.15" or a list of them, like [iso27001-2022:A.5.15, soc2-2017:CC6.1], received number 5',
		]);
		expect(said({ all: { 'A.5.1': [5] } })[0]).toMatch(
			/^all\.A\.5\.1: expected a control reference like/,
		);
		expect(said({ all: 5 })).toEqual([
			'all: expected a mapping of keys to values (key: value lines), received number 5',
		]);
	});

	const catalogs = [
		{ id: 'mini', file: 'content/catalogs/mini.yaml', controls: ['M.1', 'M.2', 'CC6.1', 'CC6.2'] },
		{ id: 'other', file: 'content/catalogs/other.yaml', controls: ['O.1'] },
	];
	const problems = (raw: unknown) =>
		checkMapping('content/control-mapping.yaml', ControlMappingSchema.parse(raw), catalogs, [
			'first',
			'second',
		]).map((p) => `${p.file}: ${p.field}: ${p.message}. ${p.hint}`);

	it('names the file, key and target of every target in no catalog, with the closest control id', () => {
		expect(
			problems({
				all: {
					'CTRL-1': ['other:O.1', 'mini:CC6.9'],
					'CTRL-2': 'mini:CC6.l',
					'CTRL-3': 'mini:Z.99',
					'CTRL-4': 'minii:M.1',
					'CTRL-5': 'soc2:M.1',
				},
				sources: { second: { 'EXT-1': 'mini:m.2' } },
			}),
		).toMatchInlineSnapshot(`
			[
			  "content/control-mapping.yaml: all.CTRL-1[1]: unknown control "CC6.9" in catalog "mini", in the target "mini:CC6.9" of "CTRL-1". Did you mean "mini:CC6.1"? The controls are in content/catalogs/mini.yaml.",
			  "content/control-mapping.yaml: all.CTRL-2: unknown control "CC6.l" in catalog "mini", in the target "mini:CC6.l" of "CTRL-2". Did you mean "mini:CC6.1"? The controls are in content/catalogs/mini.yaml.",
			  "content/control-mapping.yaml: all.CTRL-3: unknown control "Z.99" in catalog "mini", in the target "mini:Z.99" of "CTRL-3". Map "CTRL-3" to a control of content/catalogs/mini.yaml.",
			  "content/control-mapping.yaml: all.CTRL-4: unknown catalog "minii" in the target "minii:M.1" of "CTRL-4"; known catalogs: "mini", "other". Did you mean "mini:M.1"?",
			  "content/control-mapping.yaml: all.CTRL-5: unknown catalog "soc2" in the target "soc2:M.1" of "CTRL-5"; known catalogs: "mini", "other". Use one of those catalogs.",
			]
		`);
	});

	it('refuses a section for a source that is not configured, and keys that differ only in case', () => {
		expect(
			problems({
				all: { 'AC-2': 'mini:M.1', 'ac-2': 'mini:M.2' },
				sources: { secnd: { X: 'mini:M.1' } },
			}),
		).toMatchInlineSnapshot(`
			[
			  "content/control-mapping.yaml: all.ac-2: "ac-2" and "AC-2" are the same id: source ids match mapping keys case-insensitively. Keep one of them, with every target it should map to.",
			  "content/control-mapping.yaml: sources.secnd: no source "secnd" is configured (controlStatus.sources in site.yaml has "first", "second"), so these mappings would never apply. Did you mean "second"?",
			]
		`);
	});

	it('suggests only a close id, preferring the one that shares the longest start', () => {
		expect(closest('CC6.9', ['CC5.9', 'CC6.1', 'CC6.2'])).toBe('CC6.1');
		expect(closest('cc6.1', ['CC6.1'])).toBe('CC6.1');
		expect(closest('A.9.9.9', ['CC6.1'])).toBeUndefined();
	});

	it('matches mapping keys case-insensitively, as catalog ids are', () => {
		const result = mergeSources(
			[
				{
					source: source({ id: 'first', kind: 'file', path: 'x.csv', fields }),
					location: 'x.csv',
					detail: '',
					notReported: [],
					records: [record('ctrl-1', 'failing', '2026-11-01')],
				},
			],
			[mini, other],
			{ all: { 'CTRL-1': ['other:O.1'] }, bySource: {} },
			new Date('2026-11-23T05:00:00Z'),
		);
		expect(result.snapshot.controls.map((c) => `${c.catalog}:${c.control} ${c.status}`)).toEqual([
			'other:O.1 failing',
		]);
		expect(result.perSource[0]!.unknown).toEqual([]);
	});
});

describe('NIST SP 800-53 ids as tools spell them', () => {
	it('reads enhancements in parentheses and zero-padded numbers as the catalog spells them', () => {
		const ids = [
			'AC-2(1)',
			'AC-2 (1)',
			'ac-02',
			'AC-02(01)',
			'ac-02.01',
			'ac-2',
			'A.5.15',
			'ac-2a',
		];
		expect(ids.map(nist80053Id)).toEqual([
			'ac-2.1',
			'ac-2.1',
			'ac-2',
			'ac-2.1',
			'ac-2.1',
			'ac-2',
			undefined,
			undefined,
		]);
	});

	it('maps such an id to the catalog control only when it matches none as it is', () => {
		const nist: Catalog = {
			id: 'nist',
			name: 'NIST',
			unit: 'controls',
			controls: ['ac-2', 'ac-2.1', 'ac-02x'].map(control),
		};
		const result = mergeSources(
			[
				{
					source: source({ id: 'grc', kind: 'file', catalog: 'nist', path: 'x.csv', fields }),
					location: 'x.csv',
					detail: '',
					notReported: [],
					records: [
						record('AC-2(1)', 'implemented', '2026-11-01'),
						record('ac-02', 'failing', '2026-11-01'),
						record('AC-02X', 'implemented', '2026-11-01'),
						record('ac-3(1)', 'implemented', '2026-11-01'),
					],
				},
			],
			[nist],
			{ all: {}, bySource: {} },
			new Date('2026-11-23T05:00:00Z'),
		);
		expect(result.snapshot.controls.map((c) => `${c.control} ${c.status}`)).toEqual([
			'ac-2 failing',
			'ac-2.1 implemented',
			'ac-02x implemented',
		]);
		expect(result.perSource[0]!.unknown).toEqual(['ac-3(1)']);
	});
});

describe('the snapshot digest', () => {
	it('is the SHA-256 of canonical JSON: key order and the digest field do not change it, content does', () => {
		expect(canonicalJson({ b: [1, { d: 2, c: 'x' }], a: null })).toBe(
			'{"a":null,"b":[1,{"c":"x","d":2}]}',
		);
		const a = snapshotDigest({ asOf: 'x', controls: [{ a: 1, b: 2 }] });
		expect(snapshotDigest({ controls: [{ b: 2, a: 1 }], asOf: 'x', digest: 'ignored' })).toBe(a);
		expect(snapshotDigest({ asOf: 'y', controls: [{ a: 1, b: 2 }] })).not.toBe(a);
		expect(a).toMatch(/^[0-9a-f]{64}$/);
	});
});
