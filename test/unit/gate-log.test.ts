import { describe, expect, it } from 'vitest';
import { logLine } from '../../src/gate/log.ts';

describe('the gate’s log lines', () => {
	const time = new Date('2026-12-05T10:00:00Z');

	it('write what a log viewer could act on in a request’s path as JSON escapes, on one line', () => {
		// RLO, NEL, ESC, the line separator, DEL, a zero-width space and an astral format character.
		const path = '/faq/\u202Egnp.exe\u0085\u001b[31mRED\u2028x\u007f\u200b\u{E0001}';
		const line = logLine(time, 'info', 'request', { path });
		expect(line).toBe(
			'{"time":"2026-12-05T10:00:00.000Z","level":"info","msg":"request","path":"/faq/\\u202egnp.exe\\u0085\\u001b[31mRED\\u2028x\\u007f\\u200b\\udb40\\udc01"}',
		);
		expect(line).toMatch(/^[\x20-\x7e]+$/);
		expect(JSON.parse(line).path).toBe(path);
	});

	it('keep every other character as it is: accents, CJK, right-to-left letters, emoji', () => {
		const path = '/überblick/日本語/עברית/🔒';
		expect(logLine(time, 'warn', 'x', { path })).toBe(
			`{"time":"2026-12-05T10:00:00.000Z","level":"warn","msg":"x","path":"${path}"}`,
		);
	});
});
