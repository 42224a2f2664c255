// A console page's query string (filters, search, a page's start) comes from the address bar: each value
// is checked, and a wrong one is a 400 that names the parameter, what was expected and how to go on,
// rather than a page silently showing something else.
import { GateError, type FieldProblem } from '../../errors.ts';

/** What a query parameter should have been, returned by a checker instead of its value. */
export class Expected {
	readonly what: string;
	constructor(what: string) {
		this.what = what;
	}
}

/**
 * Reads the query parameters of the console page at `page`: each checker returns the value, or an
 * {@link Expected}; every wrong parameter is reported at once, in one 400. An empty or missing
 * parameter is undefined.
 */
export function readQuery<T extends Record<string, unknown>>(
	page: string,
	query: Record<string, string>,
	checkers: { [K in keyof T]: (value: string) => T[K] | Expected },
): { [K in keyof T]: T[K] | undefined } {
	const out = {} as { [K in keyof T]: T[K] | undefined };
	const fields: FieldProblem[] = [];
	for (const key of Object.keys(checkers) as (keyof T & string)[]) {
		const value = query[key];
		if (value === undefined || value === '') continue;
		const checked = checkers[key](value);
		if (checked instanceof Expected) {
			const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
			fields.push({
				field: key,
				message: `expected ${checked.what}, received ${JSON.stringify(shown)}`,
			});
		} else out[key] = checked;
	}
	if (fields.length)
		throw new GateError(
			400,
			'Please fix the address',
			`The address of this page has a problem. Fix it, or start again from ${page}.`,
			'invalid-query',
			{ fields },
		);
	return out;
}
