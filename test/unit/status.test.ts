import { ENGLISH } from '../../src/lib/words/words.ts';
import { describe, expect, it } from 'vitest';
import {
	controlStates,
	countCatalog,
	headline,
	headlineNotes,
	implementedPercent,
	reportingSources,
} from '../../src/lib/status/counts.ts';
import { chartLabel, domainLabel } from '../../src/lib/status/charts.ts';
import { statusDocument } from '../../src/lib/status/status-json.ts';
import { FrameworkSchema } from '../../src/schemas/framework.ts';
import type { Catalog } from '../../src/schemas/catalog.ts';
import type { ControlStatusSnapshot } from '../../src/schemas/control-status.ts';

const control = (id: string, domain: string) => ({
	id,
	title: id,
	domain,
	description: id,
	mappings: [],
});
const catalog: Catalog = {
	id: 'cat',
	name: 'Cat',
	unit: 'controls',
	controls: [
		control('1', 'A'),
		control('2', 'A'),
		control('3', 'A'),
		control('4', 'B'),
		control('5', 'B'),
		control('6', 'B'),
		control('7', 'B'),
	],
};
const entry = (
	c: string,
	status: ControlStatusSnapshot['controls'][number]['status'],
	cat = 'cat',
) => ({ catalog: cat, control: c, status, evidenceDate: new Date('2026-11-01'), source: 'manual' });
const snapshot: ControlStatusSnapshot = {
	asOf: '2026-11-20T00:00:00Z',
	sources: [{ id: 'manual', kind: 'manual' }],
	controls: [
		entry('1', 'implemented'),
		entry('2', 'not-applicable'),
		entry('3', 'failing'),
		entry('4', 'implemented'),
		entry('5', 'partial'),
		entry('6', 'planned'),
		entry('1', 'failing', 'other'),
	],
};

const fresh = { now: new Date('2026-11-20T00:00:00Z'), maxEvidenceAgeDays: 90 };

describe('control counts', () => {
	const counts = countCatalog(catalog, snapshot, fresh);

	it('leaves not-applicable controls out of the denominator and counts them apart', () => {
		expect(counts).toMatchObject({
			total: 7,
			applicable: 6,
			notApplicable: 1,
			implemented: 2,
			partial: 1,
			planned: 1,
			failing: 1,
		});
		expect(headline(counts, ENGLISH)).toBe(
			'2 of 6 implemented · 1 not applicable · 1 failing · 1 not reported',
		);
	});

	it('names failing, stale and not-reported controls in the headline, in a fixed order, only when there are any', () => {
		const none = { ...counts, notApplicable: 0, failing: 0, stale: 0, unknown: 0 };
		expect(headlineNotes(none, ENGLISH)).toEqual([]);
		expect(headline(none, ENGLISH)).toBe('2 of 6 implemented');
		expect(
			headlineNotes({ ...none, unknown: 2, stale: 6, failing: 1, notApplicable: 4 }, ENGLISH),
		).toEqual(['4 not applicable', '1 failing', '6 stale', '2 not reported']);
	});

	it('counts a control with no reported status as applicable and unknown, never as implemented', () => {
		expect(counts.unknown).toBe(1);
	});

	it('ignores statuses of other catalogs that share control ids', () => {
		expect(counts.failing).toBe(1);
	});

	it('breaks the counts down by domain in catalog order', () => {
		expect(
			counts.domains.map((d) => [d.domain, d.implemented, d.applicable, d.notApplicable]),
		).toEqual([
			['A', 1, 2, 1],
			['B', 1, 4, 0],
		]);
	});

	it('omits the not-applicable clause when there are none, and rounds the percentage down', () => {
		const b = counts.domains[1]!;
		expect(headline(b, ENGLISH)).toBe('1 of 4 implemented · 1 not reported');
		expect(implementedPercent({ ...b, implemented: 2, applicable: 3 })).toBe(66);
		expect(implementedPercent({ ...b, applicable: 0 })).toBe(0);
	});
});

describe('evidence freshness', () => {
	const later = { now: new Date('2027-02-15T00:00:00Z'), maxEvidenceAgeDays: 90 };

	it('counts applicable controls with evidence older than the max age as stale, apart from their status', () => {
		const counts = countCatalog(catalog, snapshot, later);
		expect(counts).toMatchObject({
			implemented: 0,
			partial: 0,
			planned: 0,
			failing: 1,
			stale: 4,
			notApplicable: 1,
			unknown: 1,
			applicable: 6,
		});
		expect(headline(counts, ENGLISH)).toBe(
			'0 of 6 implemented · 1 not applicable · 1 failing · 4 stale · 1 not reported',
		);
	});

	it('keeps a failing control failing however old its evidence: a known failure never turns into "stale"', () => {
		const states = controlStates(catalog, snapshot, later);
		expect(states.find((c) => c.id === '3')).toMatchObject({
			status: 'failing',
			reported: 'failing',
		});
	});

	it('adds up in every row: implemented + partial + planned + failing + stale + not reported = applicable', () => {
		for (const now of [fresh, later]) {
			const counts = countCatalog(catalog, snapshot, now);
			for (const c of [counts, ...counts.domains])
				expect(c.implemented + c.partial + c.planned + c.failing + c.stale + c.unknown).toBe(
					c.applicable,
				);
		}
	});

	it('keeps the reported status and evidence date of a stale control', () => {
		const first = controlStates(catalog, snapshot, later)[0]!;
		expect(first).toMatchObject({
			id: '1',
			status: 'stale',
			reported: 'implemented',
			source: 'manual',
		});
	});

	it('lets a catalog control override the max age', () => {
		const longLived = {
			...catalog,
			controls: catalog.controls.map((c) => (c.id === '1' ? { ...c, maxEvidenceAgeDays: 365 } : c)),
		};
		expect(controlStates(longLived, snapshot, later)[0]!.status).toBe('implemented');
	});

	it('is not stale at exactly the max age, and stale a millisecond later', () => {
		// Control 1's evidence is dated 2026-11-01T00:00:00Z; 90 days later is 2027-01-30T00:00:00Z.
		const at = (iso: string) =>
			controlStates(catalog, snapshot, { now: new Date(iso), maxEvidenceAgeDays: 90 })[0]!.status;
		expect(at('2027-01-30T00:00:00.000Z')).toBe('implemented');
		expect(at('2027-01-30T00:00:00.001Z')).toBe('stale');
	});
});

describe('what the surfaces say beside the counts', () => {
	it('publishes in /status.json when and against what max age stale evidence was judged', () => {
		const framework = FrameworkSchema.parse({
			id: 'cat-cert',
			name: 'Cat',
			kind: 'certification',
			status: 'certified',
			scope: 's',
			summary: 's',
			catalog: 'cat',
		});
		const later = { now: new Date('2027-02-15T00:00:00Z'), maxEvidenceAgeDays: 90 };
		const doc = statusDocument(
			[{ framework, counts: countCatalog(catalog, snapshot, later), unit: 'controls' }],
			snapshot,
			later,
			ENGLISH,
		);
		expect(doc).toMatchObject({
			asOf: '2026-11-20T00:00:00Z',
			evaluatedAt: '2027-02-15T00:00:00.000Z',
			maxEvidenceAgeDays: 90,
			digest: null,
		});
		expect(doc.frameworks[0]!.headline).toBe(
			'0 of 6 implemented · 1 not applicable · 1 failing · 4 stale · 1 not reported',
		);
	});

	it('says "expired" in /status.json for a certificate past its expires date, as the pages and badge do', () => {
		const framework = FrameworkSchema.parse({
			id: 'cat-cert',
			name: 'Cat',
			kind: 'certification',
			status: 'certified',
			expires: '2027-02-14',
			scope: 's',
			summary: 's',
		});
		const status = (now: string) =>
			statusDocument(
				[{ framework, counts: undefined, unit: 'controls' }],
				snapshot,
				{ now: new Date(now), maxEvidenceAgeDays: 90 },
				ENGLISH,
			).frameworks[0]!.status;
		// Valid until 14 February means all of that day.
		expect(status('2027-02-14T23:59:59.999Z')).toBe('certified');
		expect(status('2027-02-15T00:00:00Z')).toBe('expired');
	});

	it('describes a domain where nothing applies as not applicable, in a whole sentence', () => {
		const none = {
			domain: 'Physical',
			total: 2,
			applicable: 0,
			implemented: 0,
			partial: 0,
			planned: 0,
			failing: 0,
			notApplicable: 2,
			unknown: 0,
			stale: 0,
		};
		expect(chartLabel(none, 'controls', ENGLISH)).toBe('No applicable controls; 2 not applicable');
		expect(domainLabel(none, ENGLISH)).toBe('Physical not applicable');
		const a = countCatalog(catalog, snapshot, fresh).domains[0]!;
		expect(chartLabel(a, 'controls', ENGLISH)).toBe(
			'Implemented 1, Failing 1 of 2 applicable controls; 1 not applicable',
		);
		expect(domainLabel(a, ENGLISH)).toBe('A 1 of 2');
	});

	it('names as sources only those that reported a control of the catalog, or none', () => {
		const twoSources = {
			...snapshot,
			sources: [...snapshot.sources, { id: 'other-tool', kind: 'file' }],
			controls: [...snapshot.controls, { ...entry('1', 'failing', 'other'), source: 'other-tool' }],
		};
		expect(reportingSources(controlStates(catalog, twoSources, fresh))).toEqual(['manual']);
		expect(reportingSources(controlStates(catalog, { ...snapshot, controls: [] }, fresh))).toEqual(
			[],
		);
	});
});
