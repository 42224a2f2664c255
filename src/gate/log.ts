// The gate's log: one JSON line per event, so that a log collector can read it without parsing text.

/** One JSON log line. Never pass secrets: tokens live only in query strings, and those are not logged. */
export type Log = (
	level: 'info' | 'warn' | 'error',
	msg: string,
	fields?: Record<string, unknown>,
) => void;

/**
 * Characters JSON.stringify leaves as they are that a log viewer may still act on: DEL and the C1
 * controls (NEL, U+0085, ends a line for some), format characters (U+202E reverses the text after it,
 * zero-width ones hide), and the line and paragraph separators.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * The log line of an event at `time`, with every character of UNSAFE (a request's path may hold any)
 * written as a JSON escape, so the line stays one line and reads as it is.
 */
export function logLine(
	time: Date,
	level: Parameters<Log>[0],
	msg: string,
	fields: Record<string, unknown> = {},
): string {
	return JSON.stringify({ time: time.toISOString(), level, msg, ...fields }).replace(UNSAFE, (c) =>
		[...Array(c.length).keys()]
			.map((i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`)
			.join(''),
	);
}

/** JSON lines on stdout (info) and stderr (warn, error). */
export const jsonLog: Log = (level, msg, fields) => {
	const line = logLine(new Date(), level, msg, fields);
	if (level === 'info') process.stdout.write(`${line}\n`);
	else process.stderr.write(`${line}\n`);
};
