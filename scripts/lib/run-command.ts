import { spawn, type SpawnOptions } from 'node:child_process';

/**
 * Runs a command to its end, resolving with its exit code and everything it printed (stdout and stderr);
 * a command that cannot start resolves with a code other than 0 and the reason at the end of its output.
 */
export function runCommand(
	command: string,
	args: string[],
	options: SpawnOptions = {},
): Promise<{ code: number; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout!.on('data', (d) => (output += d));
		child.stderr!.on('data', (d) => (output += d));
		child.on('error', (error) => (output += `\n${error.message}\n`));
		child.on('close', (code) => resolve({ code: code ?? 1, output }));
	});
}
