// The gate's one error type: a refusal with an HTTP status, a title and what to do next. Services,
// middleware and routes throw it; the app's onError answers it as a page or JSON; the CLI prints it.

/** A refusal the requester or operator sees: an HTTP status, a title, and what to do next. */
export class GateError extends Error {
	readonly status: 400 | 403 | 404 | 409 | 410 | 429 | 503;
	readonly title: string;
	readonly code: string;
	constructor(status: GateError['status'], title: string, message: string, code: string) {
		super(message);
		this.status = status;
		this.title = title;
		this.code = code;
	}
}
