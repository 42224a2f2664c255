// The gate's one error type: a refusal with an HTTP status, a title and what to do next. Services,
// middleware and routes throw it; the app's onError answers it as a page or JSON; the CLI prints it.
// A refusal a requester or subscriber reads is worded by keys of the site's words (`readerRefusal`):
// thrown in English (logs, the CLI, tests), and answered in the site's language on the public pages.
import { ENGLISH, type WordKey, type WordValues, type Words } from '../lib/words/words.ts';

/** A field of a form or JSON body that is wrong, and what is wrong with it. */
export interface FieldProblem {
	field: string;
	message: string;
}

/**
 * What a refusal a reader sees says, as keys of the site's words (src/lib/words/en/gate.ts), with the
 * values of their placeholders; `count` chooses the plural form.
 */
export interface RefusalWords {
	title: WordKey;
	message: WordKey;
	values?: WordValues;
}

/** A refusal the requester or operator sees: an HTTP status, a title, and what to do next. */
export class GateError extends Error {
	/** 500 only for the onError's answer to a bug; every other status is a refusal with a reason. */
	readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 429 | 500 | 503;
	readonly title: string;
	readonly code: string;
	/** The fields at fault, listed on the refusal page and in its JSON. */
	readonly fields: readonly FieldProblem[] | undefined;
	/** Headers the answer carries, such as Retry-After or Allow. */
	readonly headers: Readonly<Record<string, string>>;
	/** The title and message as the site's words, for a refusal a requester or subscriber reads. */
	readonly words: RefusalWords | undefined;
	constructor(
		status: GateError['status'],
		title: string,
		message: string,
		code: string,
		extra: {
			fields?: readonly FieldProblem[];
			headers?: Record<string, string>;
			words?: RefusalWords;
		} = {},
	) {
		super(message);
		this.status = status;
		this.title = title;
		this.code = code;
		this.fields = extra.fields;
		this.headers = extra.headers ?? {};
		this.words = extra.words;
	}

	/** The title and message in `t`'s language when the refusal has words; else as thrown. */
	wordedIn(t: Words): { title: string; message: string } {
		if (!this.words) return { title: this.title, message: this.message };
		const { title, message, values } = this.words;
		return { title: t(title, values), message: t(message, values) };
	}
}

/**
 * A refusal a requester or subscriber reads, worded by keys of the site's words: its `title` and
 * `message` are the English texts (for logs, the CLI and tests), and the app answers it in the site's
 * language (app.ts). Staff pages answer it in English.
 */
export function readerRefusal(
	status: GateError['status'],
	code: string,
	words: RefusalWords,
	extra: { fields?: readonly FieldProblem[]; headers?: Record<string, string> } = {},
): GateError {
	const { title, message, values } = words;
	return new GateError(status, ENGLISH(title, values), ENGLISH(message, values), code, {
		...extra,
		words,
	});
}

/**
 * The refusal of a request whose `method` the address does not take (405), with the Allow header and a
 * message that names the methods it does, such as `POST` for a form's address.
 */
export function methodRefusal(method: string, allow: readonly string[]): GateError {
	return readerRefusal(
		405,
		'method-not-allowed',
		{
			title: 'gateRefusal.methodTitle',
			message: 'gateRefusal.method',
			// A method is a token (letters, digits, a few marks): what the request sent, cut short.
			values: { method: method.slice(0, 20), allow: allow.join(', ') },
		},
		{ headers: { Allow: allow.join(', ') } },
	);
}
