// A console session made straight through the session service, for the tests and the benchmark that
// need a signed-in staff member without driving an identity provider: the session, its audit entry and
// the staff file's role are the real ones, only the sign-in step is skipped.
import type { Gate } from '../../src/gate/services/gate.ts';
import { startSession } from '../../src/gate/services/staff-sessions.ts';

/** Signs `email` (named in the gate's staff file) in; returns the Cookie header of the console on plain http. */
export async function staffCookie(gate: Gate, email: string): Promise<string> {
	const started = await startSession(
		gate,
		{ method: 'oidc', issuer: 'https://idp.test.example', subject: email, email, groups: [] },
		{ ip: '127.0.0.1', userAgent: 'console-session' },
		{ idleMinutes: 30, maxHours: 12 },
	);
	if (!started) throw new Error(`${email} has no role in the staff file, so cannot sign in`);
	return `tc_staff=${started.token}`;
}
