import { describe, expect, it } from 'vitest';
import { runCommand } from '../../scripts/lib/run-command.ts';

describe('runCommand', () => {
	it('resolves with what a command printed and its exit code', async () => {
		expect(
			await runCommand(process.execPath, ['-e', 'console.log("out"); process.exit(3)']),
		).toEqual({ code: 3, output: 'out\n' });
	});

	it('resolves, naming the reason, when the command cannot start, instead of crashing its caller', async () => {
		const { code, output } = await runCommand('/nonexistent/astro', ['build']);
		expect(code).not.toBe(0);
		expect(output).toBe('\nspawn /nonexistent/astro ENOENT\n');
	});
});
