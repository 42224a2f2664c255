// Answers to requests refused before they reach Hono: by Node's HTTP parser (a malformed request,
// headers too large, a request too slow to arrive) and by the adapter (a Host that is not a host
// name). They carry the same security headers as every other answer, and a request id in the log.
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Log } from './log.ts';

/** What the client is told, by the error Node's parser reports. */
const REFUSALS: Record<string, { status: number; text: string }> = {
	HPE_HEADER_OVERFLOW: { status: 431, text: 'The request headers are too large.' },
	HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, text: 'The request body is too large.' },
	ERR_HTTP_REQUEST_TIMEOUT: {
		status: 408,
		text: 'The request took too long to arrive. Send it again in one go.',
	},
};
const MALFORMED = { status: 400, text: 'The request is not valid HTTP.' };

/** A `clientError` listener for the server, and an `errorHandler` for the adapter, sharing `headers`. */
export function refusedEarly(headers: ReadonlyArray<readonly [string, string]>, log: Log) {
	const logged = (status: number, code: string, ip: string | undefined) => {
		const requestId = randomUUID();
		log('info', 'request refused before routing', { requestId, status, code, ip });
		return requestId;
	};
	return {
		/** Node's parser gave up on the connection: write a whole answer if nothing was written yet, then close. */
		clientError(error: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }) {
			if (error.code === 'ECONNRESET' || !socket.writable || socket.bytesWritten) {
				socket.destroy();
				return;
			}
			const { status, text } = REFUSALS[error.code ?? ''] ?? MALFORMED;
			const requestId = logged(status, error.code ?? 'unknown', remoteAddress(socket));
			const body = `${text}\nReference: ${requestId}\n`;
			const lines = [
				`HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
				...headers.map(([name, value]) => `${name}: ${value}`),
				'Content-Type: text/plain; charset=utf-8',
				`Content-Length: ${Buffer.byteLength(body)}`,
				`X-Request-Id: ${requestId}`,
				'Connection: close',
			];
			// Closed once written: a client trickling bytes does not keep the connection half-open.
			socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
		},
		/** The adapter could not make a request of it (a Host or a path no URL can hold). */
		requestError(): Response {
			const requestId = logged(400, 'invalid-host-or-path', undefined);
			return new Response(
				`The request's Host header or path is not valid.\nReference: ${requestId}\n`,
				{
					status: 400,
					headers: [
						...headers,
						['Content-Type', 'text/plain; charset=utf-8'],
						['X-Request-Id', requestId],
					] as Array<[string, string]>,
				},
			);
		},
	};
}

function remoteAddress(socket: Duplex): string | undefined {
	return (socket as Duplex & { remoteAddress?: string }).remoteAddress;
}
