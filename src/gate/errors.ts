// The gate's one error type: a refusal with an HTTP status, a title and what to do next. Services,
// middleware and routes throw it; the app's onError answers it as a page or JSON; the CLI prints it.

/** A field of a form or JSON body that is wrong, and what is wrong with it. */
export interface FieldProblem {
	field: string;
	message: string;
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
	constructor(
		status: GateError['status'],
		title: string,
		message: string,
		code: string,
		extra: { fields?: readonly FieldProblem[]; headers?: Record<string, string> } = {},
	) {
		super(message);
		this.status = status;
		this.title = title;
		this.code = code;
		this.fields = extra.fields;
		this.headers = extra.headers ?? {};
	}
}
