// npm run gate -- <command>: the security team's commands. With PostgreSQL they run here, with this
// shell's environment (so a command that mails needs the gate's SMTP_URL and GATE_PUBLIC_URL); with the
// embedded database they run inside the running gate (through data/gate.sock) or, when none runs, here.
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sendToGate } from '../src/gate/cli/admin-socket.ts';
import { processUser } from '../src/gate/cli/peer.ts';
import { cliActor } from '../src/gate/lib/unix-peer.ts';
import {
	executeCommand,
	mailingRefusal,
	parseCommand,
	type CommandResult,
} from '../src/gate/cli/commands.ts';
import { readSettings } from '../src/gate/config.ts';
import { GateStartError, openGate } from '../src/gate/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function run(argv: string[]): Promise<number> {
	const parsed = parseCommand(argv, (path) => readFileSync(path));
	if (!parsed.ok) {
		console.error(parsed.error);
		return 2;
	}
	const { command } = parsed;
	const read = readSettings(process.env, root);
	if (!read.ok) {
		console.error(`The access gate's settings have problems:\n  ${read.errors.join('\n  ')}`);
		return 2;
	}
	const refusal = mailingRefusal(command, process.env);
	if (refusal) {
		console.error(refusal);
		return 2;
	}
	let result: CommandResult | undefined;
	// A running gate names the user itself, from this process; without one, this process does the same.
	if (command.name !== 'help' && !read.settings.databaseUrl)
		result = await sendToGate(read.settings.dataDir, command);
	if (!result) {
		const me = await processUser(process.pid);
		const actor = cliActor(me?.user ?? userInfo().username, me?.loginUser);
		try {
			const { gate, unlock } = await openGate(root, read.settings, (level, msg, fields) =>
				level === 'info'
					? console.log(msg)
					: console.error(`${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
			);
			try {
				result = await executeCommand(gate, command, actor, 'shell');
			} finally {
				gate.mailer.close();
				await gate.db.close();
				unlock();
			}
		} catch (error) {
			if (!(error instanceof GateStartError)) throw error;
			console.error(error.message);
			return 2;
		}
	}
	if (command.name === 'audit-export' && command.out && result.code === 0) {
		// The log names every requester, their addresses and IPs: the export is for its owner's eyes, as data/ is.
		writeFileSync(command.out, result.stdout, { mode: 0o600 });
		process.stdout.write(
			`Wrote ${result.stdout.trim().split('\n').length - 1} entries and the head to ${command.out}.\n`,
		);
	} else if (command.name === 'subscribers-export' && command.out && result.code === 0) {
		writeFileSync(command.out, result.stdout, { mode: 0o600 });
		process.stdout.write(
			`Wrote ${result.stdout.trim().split('\n').length - 1} subscribers to ${command.out}.\n`,
		);
	} else process.stdout.write(result.stdout);
	process.stderr.write(result.stderr);
	return result.code;
}

process.exitCode = await run(process.argv.slice(2));
