import type { ControlStatusValue } from '../../schemas/control-status.ts';
import { parseDate, type SourceRecord } from './records.ts';

type Json = Record<string, unknown>;
type Prop = { name?: string; value?: string };

/** OSCAL's implementation-status values, mapped onto ours. An alternative implementation satisfies the control. */
const IMPLEMENTATION_STATUS: Record<string, ControlStatusValue> = {
	implemented: 'implemented',
	partial: 'partial',
	planned: 'planned',
	alternative: 'implemented',
	'not-applicable': 'not-applicable',
};

const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const propValue = (props: unknown, name: string) => asArray(props).map((p) => p as Prop).find((p) => p.name === name)?.value;

/**
 * Reads control statuses from an OSCAL JSON document: an assessment-results document (each finding's
 * target status, satisfied or not-satisfied) or a system security plan (each implemented requirement's
 * implementation-status). Throws with the reason when the document is neither.
 */
export function recordsFromOscal(document: unknown): SourceRecord[] {
	if (document && typeof document === 'object' && 'assessment-results' in document) return fromAssessmentResults((document as Json)['assessment-results'] as Json);
	if (document && typeof document === 'object' && 'system-security-plan' in document) return fromSsp((document as Json)['system-security-plan'] as Json);
	const keys = document && typeof document === 'object' ? Object.keys(document).join(', ') || 'none' : typeof document;
	throw new Error(`expected an OSCAL "assessment-results" or "system-security-plan" document, received top-level keys: ${keys}`);
}

function fromAssessmentResults(ar: Json): SourceRecord[] {
	const results = asArray(ar['results']);
	if (results.length === 0) throw new Error('the assessment-results document has no "results"');
	const records: SourceRecord[] = [];
	// Later results supersede earlier ones for the same target.
	for (const result of results) {
		const collected = new Map(asArray(result['observations']).map((o) => [String(o['uuid']), parseDate(o['collected'])]));
		const resultDate = parseDate(result['end']) ?? parseDate(result['start']);
		asArray(result['findings']).forEach((finding, i) => {
			const target = (finding['target'] ?? {}) as Json;
			const id = target['target-id'];
			const state = ((target['status'] ?? {}) as Json)['state'];
			if (typeof id !== 'string') throw new Error(`finding ${i} of result "${String(result['uuid'])}" has no target.target-id`);
			if (state !== 'satisfied' && state !== 'not-satisfied') throw new Error(`finding for "${id}": target.status.state must be "satisfied" or "not-satisfied", received ${JSON.stringify(state)}`);
			const implementation = ((target['implementation-status'] ?? {}) as Json)['state'];
			// A not-satisfied finding is failing unless its implementation-status says it is only partial or planned.
			const declared = IMPLEMENTATION_STATUS[String(implementation)];
			const status: ControlStatusValue = state === 'satisfied' ? 'implemented' : declared && declared !== 'implemented' ? declared : 'failing';
			const dates = asArray(finding['related-observations']).map((o) => collected.get(String(o['observation-uuid']))).filter((d): d is Date => d !== undefined);
			const evidenceDate = dates.sort((a, b) => b.getTime() - a.getTime())[0] ?? resultDate;
			if (!evidenceDate) throw new Error(`finding for "${id}" has no dated observation and its result has no start or end date`);
			records.push({ externalId: stripObjective(id), status, evidenceDate });
		});
	}
	return records;
}

function fromSsp(ssp: Json): SourceRecord[] {
	const implementation = (ssp['control-implementation'] ?? {}) as Json;
	const requirements = asArray(implementation['implemented-requirements']);
	if (requirements.length === 0) throw new Error('the system security plan has no control-implementation.implemented-requirements');
	const planDate = parseDate(((ssp['metadata'] ?? {}) as Json)['last-modified']);
	return requirements.map((req) => {
		const id = req['control-id'];
		if (typeof id !== 'string') throw new Error(`implemented requirement "${String(req['uuid'])}" has no control-id`);
		const raw = propValue(req['props'], 'implementation-status') ?? ((req['implementation-status'] ?? {}) as Json)['state'];
		const status = IMPLEMENTATION_STATUS[String(raw)];
		if (!status) throw new Error(`implemented requirement "${id}": implementation-status must be one of ${Object.keys(IMPLEMENTATION_STATUS).join(', ')}, received ${JSON.stringify(raw)}`);
		const evidenceDate = parseDate(propValue(req['props'], 'last-assessed')) ?? planDate;
		if (!evidenceDate) throw new Error(`implemented requirement "${id}" has no last-assessed prop and the plan has no metadata.last-modified`);
		return { externalId: id, status, evidenceDate };
	});
}

/** OSCAL targets objectives or statements ("ac-2_obj", "ac-2_smt.a"); the control is the part before. */
function stripObjective(id: string): string {
	return id.replace(/_(obj|smt)(\..*)?$/, '');
}
