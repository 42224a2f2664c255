import { parse as parseYaml } from 'yaml';
import type { ControlStatusValue } from '../../schemas/control-status.ts';
import { describe } from '../../schemas/messages.ts';
import { combineStatuses, parseDate, type SourceRecord } from './records.ts';
import { isHtml } from './fetch.ts';

type Json = Record<string, unknown>;

/** What an OSCAL document says about control status. */
export interface OscalReading {
	/** Which OSCAL model the document is. */
	model: 'system-security-plan' | 'assessment-results';
	/** One record per control whose status the document states, in document order. */
	records: SourceRecord[];
	/** Controls the document names without stating their status: not reported, so not implemented unless another source says so. */
	notReported: string[];
}

/** The document is not OSCAL the pull can read; the message says where, what was expected and how to fix it. */
export class OscalError extends Error {
	override name = 'OscalError';
}

/**
 * OSCAL's implementation-status words (the same in FedRAMP's namespace), mapped onto ours. An
 * alternative implementation satisfies the control; compliance-trestle also writes `partially-implemented`.
 */
const IMPLEMENTATION_STATUS: Record<string, ControlStatusValue> = {
	implemented: 'implemented',
	partial: 'partial',
	'partially-implemented': 'partial',
	planned: 'planned',
	alternative: 'implemented',
	'not-applicable': 'not-applicable',
};
const OSCAL_STATES = 'one of implemented, partial, planned, alternative, not-applicable';

/** OSCAL models that state no control status, so pointing a source at one is a mistake worth naming. */
const OTHER_MODELS: Record<string, string> = {
	catalog: 'an OSCAL catalog',
	profile: 'an OSCAL profile',
	'component-definition': 'an OSCAL component definition',
	'assessment-plan': 'an OSCAL assessment plan',
	'plan-of-action-and-milestones': 'an OSCAL plan of action and milestones',
	'mapping-collection': 'an OSCAL mapping collection',
};

const DATE_TIME = 'an ISO 8601 date-time such as "2026-11-20T06:00:00Z"';

const object = (value: unknown): Json =>
	value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const received = (value: unknown) =>
	Array.isArray(value) && value.length === 0 ? 'an empty list' : describe(value);
const invalid = (path: string, expected: string, value: unknown, fix: string) =>
	new OscalError(`${path}: expected ${expected}, received ${received(value)}. ${fix}`);

/**
 * Parses OSCAL JSON or YAML. The format comes from the extension of `location` (a path or URL), else from
 * the first character. OSCAL XML is refused with the way to convert it, and HTML (a sign-in page) as such.
 */
export function parseOscal(
	text: string,
	location: string,
): { document: unknown; format: 'JSON' | 'YAML' } {
	const body = text.replace(/^\uFEFF/, '');
	const extension = /\.(json|ya?ml|xml)$/i
		.exec(location.replace(/[?#].*$/, ''))?.[1]
		?.toLowerCase();
	const first = body.trimStart()[0];
	// A sign-in page answers with 200 and HTML, whatever the URL's extension promised.
	if (isHtml(body))
		throw new OscalError(
			'received HTML, probably a sign-in page, not an OSCAL document. The pull sends no credentials for an OSCAL URL: point location at a URL that serves the JSON or YAML itself without signing in, or download it in CI (the secret from an environment variable) and point location at the file.',
		);
	if (extension === 'xml' || (!extension && first === '<'))
		throw new OscalError(
			'is XML, and the pull reads OSCAL as JSON or YAML only. Convert it (NIST’s oscal-cli has a "convert" command) and point location at the converted file.',
		);
	const format = extension === 'json' || (!extension && first === '{') ? 'JSON' : 'YAML';
	try {
		return { document: format === 'JSON' ? JSON.parse(body) : parseYaml(body), format };
	} catch (error) {
		// YAML errors end their first line with a colon and a code frame; the position is in that first line.
		const reason = (error as Error).message.split('\n')[0]!.replace(/:$/, '');
		throw new OscalError(
			`cannot be parsed as ${format}: ${reason}. Fix the syntax, or check that location points at an OSCAL document.`,
		);
	}
}

/**
 * Reads control status from a parsed OSCAL document: a system security plan (each implemented
 * requirement's implementation-status, wherever it is set) or assessment results (each finding's
 * target status, newest result first). Throws an OscalError when the document is neither, or breaks
 * a rule of OSCAL that the reading depends on.
 */
export function readOscal(document: unknown): OscalReading {
	const top = object(document);
	if (Object.hasOwn(top, 'system-security-plan'))
		return fromSsp(object(top['system-security-plan']));
	if (Object.hasOwn(top, 'assessment-results'))
		return fromAssessmentResults(object(top['assessment-results']));
	const other = Object.keys(top).find((key) => Object.hasOwn(OTHER_MODELS, key));
	if (other)
		throw new OscalError(
			`is ${OTHER_MODELS[other]}, which states no control status. Point location at an OSCAL system security plan or assessment results.`,
		);
	const got =
		top === document
			? `top-level keys: ${Object.keys(top).join(', ') || 'none'}`
			: received(document);
	throw new OscalError(
		`expected an OSCAL document with a top-level "system-security-plan" or "assessment-results", received ${got}. Point location at an OSCAL system security plan or assessment results (JSON or YAML).`,
	);
}

/**
 * The control a finding's target belongs to. Statements and objectives are named after their control
 * ("ac-2_smt.a", "ac-2_obj.1", "ac-6.1_obj"); FedRAMP also puts the statement's letters before the
 * suffix ("ac-1.a.1_obj.1", "at-2.c_obj.2"), so those go too. Anything else is a control id already.
 */
export function controlOfTarget(targetId: string): string {
	const id = targetId.trim();
	const base = id.replace(/_(obj|smt|stmt)([.\-_].*)?$/i, '');
	return base === id ? id : base.replace(/\.[a-z](\.[a-z0-9]+)*$/, '');
}

/** Every implementation status stated in `props` (as `implementation-status`, in any namespace) and in an `implementation-status` assembly. */
function statedStatuses(item: Json, path: string): ControlStatusValue[] {
	const statuses: ControlStatusValue[] = [];
	list(item['props']).forEach((p, i) => {
		const prop = object(p);
		if (prop['name'] !== 'implementation-status') return;
		statuses.push(statusWord(prop['value'], `${path}.props[${i}].value`));
	});
	if (item['implementation-status'] !== undefined)
		statuses.push(
			statusWord(
				object(item['implementation-status'])['state'],
				`${path}.implementation-status.state`,
			),
		);
	return statuses;
}

function statusWord(value: unknown, path: string): ControlStatusValue {
	const word = typeof value === 'string' ? value.trim().toLowerCase() : '';
	const status = Object.hasOwn(IMPLEMENTATION_STATUS, word)
		? IMPLEMENTATION_STATUS[word]
		: undefined;
	if (!status)
		throw invalid(
			path,
			OSCAL_STATES,
			value,
			'Use one of OSCAL’s implementation states there, in the tool that wrote the document.',
		);
	return status;
}

/** Statuses and evidence dates collected for one control, combined at the end. */
type Stated = { statuses: ControlStatusValue[]; dates: Date[] };

function toReading(
	model: OscalReading['model'],
	controls: Map<string, Stated>,
	named: Iterable<string> = [],
): OscalReading {
	const records: SourceRecord[] = [];
	const notReported = new Set<string>();
	for (const [externalId, { statuses, dates }] of controls) {
		const status = combineStatuses(statuses);
		// The oldest evidence behind a combined status is what it rests on.
		if (status)
			records.push({ externalId, status, evidenceDate: dates.reduce((a, b) => (b < a ? b : a)) });
		else notReported.add(externalId);
	}
	for (const id of named) if (!controls.has(id)) notReported.add(id);
	return { model, records, notReported: [...notReported] };
}

function fromSsp(ssp: Json): OscalReading {
	const at = 'system-security-plan';
	const requirements = object(ssp['control-implementation'])['implemented-requirements'];
	if (!Array.isArray(requirements) || requirements.length === 0) {
		throw invalid(
			`${at}.control-implementation.implemented-requirements`,
			'a list of implemented requirements',
			requirements,
			'An OSCAL system security plan lists at least one; check that location points at the whole plan.',
		);
	}
	const planDate = () => {
		const value = object(ssp['metadata'])['last-modified'];
		const date = parseDate(value);
		if (!date)
			throw invalid(
				`${at}.metadata.last-modified`,
				DATE_TIME,
				value,
				'OSCAL requires it, and the pull dates each status by it unless the requirement has a last-assessed prop.',
			);
		return date;
	};
	const controls = new Map<string, Stated>();
	requirements.forEach((item, i) => {
		const path = `${at}.control-implementation.implemented-requirements[${i}]`;
		const requirement = object(item);
		const id = requirement['control-id'];
		if (typeof id !== 'string' || id.trim() === '')
			throw invalid(
				`${path}.control-id`,
				'a control id such as "ac-2"',
				id,
				'Every implemented requirement names the control it implements.',
			);
		// OSCAL 1.1 sets the status per component, on the requirement or on one of its statements; FedRAMP as a prop on the requirement.
		const statuses = [
			...statedStatuses(requirement, path),
			...list(requirement['by-components']).flatMap((c, j) =>
				statedStatuses(object(c), `${path}.by-components[${j}]`),
			),
			...list(requirement['statements']).flatMap((s, j) =>
				list(object(s)['by-components']).flatMap((c, k) =>
					statedStatuses(object(c), `${path}.statements[${j}].by-components[${k}]`),
				),
			),
		];
		const entry = controls.get(id.trim()) ?? { statuses: [], dates: [] };
		controls.set(id.trim(), entry);
		if (statuses.length === 0) return;
		entry.statuses.push(...statuses);
		entry.dates.push(lastAssessed(requirement, path) ?? planDate());
	});
	return toReading('system-security-plan', controls);
}

/** The requirement's `last-assessed` prop, when it has one. */
function lastAssessed(requirement: Json, path: string): Date | undefined {
	const index = list(requirement['props']).findIndex((p) => object(p)['name'] === 'last-assessed');
	if (index < 0) return undefined;
	const value = object(list(requirement['props'])[index])['value'];
	const date = parseDate(value);
	if (!date)
		throw invalid(
			`${path}.props[${index}].value`,
			'an ISO 8601 date such as "2026-11-20"',
			value,
			'Fix the last-assessed prop, or remove it to date the status by metadata.last-modified.',
		);
	return date;
}

function fromAssessmentResults(ar: Json): OscalReading {
	const at = 'assessment-results';
	const results = ar['results'];
	if (!Array.isArray(results) || results.length === 0)
		throw invalid(
			`${at}.results`,
			'a list of results',
			results,
			'OSCAL assessment results hold at least one result; check that location points at the whole document.',
		);

	// When each observation was collected, across all results, by uuid (the newest if a uuid repeats).
	const collected = new Map<string, Date>();
	for (const result of results) {
		for (const item of list(object(result)['observations'])) {
			const observation = object(item);
			const date = parseDate(observation['collected']);
			const uuid = observation['uuid'];
			// A uuid that is not a string cannot be cited, so that observation dates nothing.
			if (typeof uuid === 'string' && date && !(date < (collected.get(uuid) ?? date)))
				collected.set(uuid, date);
		}
	}

	// Tools list results in either order (Lula puts the newest first), so go by date: a later result
	// replaces an earlier one's findings for the same control.
	const dated = results.map((item, i) => {
		const path = `${at}.results[${i}]`;
		const result = object(item);
		const start = parseDate(result['start']);
		if (!start)
			throw invalid(
				`${path}.start`,
				DATE_TIME,
				result['start'],
				'OSCAL requires a start on every result, and the pull dates findings by it when they cite no dated observation.',
			);
		return { result, path, date: parseDate(result['end']) ?? start };
	});
	dated.sort((a, b) => a.date.getTime() - b.date.getTime());

	const controls = new Map<string, Stated>();
	const named = new Set<string>();
	// Results dated alike are one assessment as far as the order can tell: their findings for a control
	// combine (a not-satisfied one wins), instead of the one later in the file winning.
	let inDate = new Map<string, Stated>();
	dated.forEach(({ result, path, date }, i) => {
		if (i > 0 && dated[i - 1]!.date.getTime() !== date.getTime()) inDate = new Map();
		for (const selection of list(object(result['reviewed-controls'])['control-selections'])) {
			for (const control of list(object(selection)['include-controls'])) {
				const id = object(control)['control-id'];
				if (typeof id === 'string') named.add(id);
			}
		}
		const inResult = new Map<string, Stated>();
		list(result['findings']).forEach((item, j) => {
			const findingPath = `${path}.findings[${j}]`;
			const finding = object(item);
			const target = object(finding['target']);
			const id = target['target-id'];
			if (typeof id !== 'string' || id.trim() === '')
				throw invalid(
					`${findingPath}.target.target-id`,
					'the id of the control, statement or objective assessed, such as "ac-2_obj.1"',
					id,
					'OSCAL requires one on every finding.',
				);
			const state = object(target['status'])['state'];
			if (state !== 'satisfied' && state !== 'not-satisfied')
				throw invalid(
					`${findingPath}.target.status.state`,
					'"satisfied" or "not-satisfied"',
					state,
					'OSCAL allows only these two.',
				);
			const control = controlOfTarget(id);
			const entry = inResult.get(control) ?? { statuses: [], dates: [] };
			inResult.set(control, entry);
			entry.statuses.push(
				findingStatus(state, combineStatuses(statedStatuses(target, `${findingPath}.target`))),
			);
			const evidence = list(finding['related-observations'])
				.map((o) => object(o)['observation-uuid'])
				.map((uuid) => (typeof uuid === 'string' ? collected.get(uuid) : undefined))
				.filter((d): d is Date => d !== undefined);
			const newest = evidence.reduce<Date | undefined>((a, b) => (a && a > b ? a : b), undefined);
			entry.dates.push(newest ?? date);
		});
		for (const [control, entry] of inResult) {
			const same = inDate.get(control);
			if (same) {
				same.statuses.push(...entry.statuses);
				same.dates.push(...entry.dates);
			} else inDate.set(control, entry);
			controls.set(control, inDate.get(control)!);
		}
	});
	return toReading('assessment-results', controls, named);
}

/**
 * A finding's status: satisfied is implemented, not-satisfied is failing, unless the target declares
 * the objective not applicable, or (when not satisfied) only partly implemented or planned.
 */
function findingStatus(
	state: 'satisfied' | 'not-satisfied',
	declared: ControlStatusValue | undefined,
): ControlStatusValue {
	if (declared === 'not-applicable') return 'not-applicable';
	if (state === 'satisfied') return 'implemented';
	return declared === 'partial' || declared === 'planned' ? declared : 'failing';
}
