// What the console reads from a request (a query string, a form, an upload) passes its zod schema in
// src/schemas/ first; anything else is a 400 page that names each field at fault, what was expected,
// and how to fix it.
import type { z } from 'zod';
import { GateError } from '../../errors.ts';
import { parseFriendly } from '../../../schemas/messages.ts';

/**
 * `input` checked by `schema`, or a 400 naming every field at fault. `what` names the form for the
 * page's message ("the filters", "the upload").
 */
export function checkInput<S extends z.ZodType>(
	schema: S,
	input: unknown,
	what: string,
): z.output<S> {
	const parsed = parseFriendly(schema, input, 'is not a field of this form; remove it');
	if (parsed.ok) return parsed.data;
	const fields = parsed.issues.map((issue) => ({
		field: String(issue.path[0] ?? 'form'),
		message: issue.message,
	}));
	throw new GateError(
		400,
		'Please fix the form',
		`Fix ${fields.length === 1 ? 'this field' : `these ${fields.length} fields`} of ${what} and send it again.`,
		'invalid-request',
		{ fields },
	);
}
