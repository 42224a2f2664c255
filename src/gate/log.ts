// The gate's log: one JSON line per event, so that a log collector can read it without parsing text.

/** One JSON log line. Never pass secrets: tokens live only in query strings, and those are not logged. */
export type Log = (
	level: 'info' | 'warn' | 'error',
	msg: string,
	fields?: Record<string, unknown>,
) => void;

/** JSON lines on stdout (info) and stderr (warn, error). */
export const jsonLog: Log = (level, msg, fields = {}) => {
	const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
	if (level === 'info') process.stdout.write(`${line}\n`);
	else process.stderr.write(`${line}\n`);
};
