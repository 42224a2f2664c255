// npm run gate -- <command>: the security team's commands. With PostgreSQL they run here, with this
// shell's environment (so a command that mails needs the gate's SMTP_URL and GATE_PUBLIC_URL); with the
// embedded database they run inside the running gate (through data/gate.sock) or, when none runs, here.
import { accessSync, chmodSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ADMIN_SOCKET, sendToGate } from '../src/gate/cli/admin-socket.ts';
import { processUser, userName } from '../src/gate/cli/peer.ts';
import { cliActor } from '../src/gate/lib/unix-peer.ts';
import {
	commandLabel,
	executeCommand,
	mailingRefusal,
	parseCommand,
	readArgumentFile,
	type CommandResult,
	USAGE,
} from '../src/gate/cli/commands.ts';
import { readSettings } from '../src/gate/config.ts';
import { GateStartError, openGate } from '../src/gate/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

async function run(argv: string[]): Promise<number> {
	const parsed = parseCommand(argv, readArgumentFile);
	if (!parsed.ok) {
		console.error(parsed.error);
		return 2;
	}
	const { command } = parsed;
	// The usage needs no settings and no database: it prints while a gate holds the embedded one, or none runs.
	if (command.name === 'help') {
		console.log(USAGE);
		return 0;
	}
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
	// An export's file is checked before the command runs, so an export that cannot be written records none.
	const out =
		(command.name === 'audit-export' || command.name === 'subscribers-export') && command.out
			? command.out
			: undefined;
	const unwritable = out && outProblem(out);
	if (unwritable) {
		console.error(`${commandLabel(command.name)}: cannot write ${out}: ${unwritable}`);
		return 2;
	}
	let result: CommandResult | undefined;
	// A running gate names the user itself, from this process; without one, this process does the same.
	if (!read.settings.databaseUrl)
		try {
			result = await sendToGate(read.settings.dataDir, command);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== 'EACCES' && code !== 'EPERM') throw error;
			console.error(await notOwner(read.settings.dataDir));
			return 2;
		}
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
	if (out && result.code === 0) {
		// The log names every requester, their addresses and IPs: the export is for its owner's eyes, as data/ is.
		try {
			writeFileSync(out, result.stdout, { mode: 0o600 });
			// The mode above applies only to a file it makes: one written over keeps its own.
			chmodSync(out, 0o600);
		} catch (error) {
			console.error(
				`${commandLabel(command.name)}: could not write ${out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Nothing was written; run it again.`,
			);
			return 1;
		}
		const lines = result.stdout.trim().split('\n').length - 1;
		process.stdout.write(
			command.name === 'audit-export'
				? `Wrote ${lines} entries and the head to ${out}.\n`
				: `Wrote ${lines} subscribers to ${out}.\n`,
		);
	} else process.stdout.write(result.stdout);
	process.stderr.write(result.stderr);
	return result.code;
}

/** Why `path` cannot be written by this user, or undefined when it can: checked before anything runs. */
function outProblem(path: string): string | undefined {
	const folder = dirname(resolve(path));
	if (!existsSync(folder))
		return `the folder ${folder} does not exist. Create it, or give --out a file in an existing folder.`;
	if (!statSync(folder).isDirectory()) return `${folder} is not a folder.`;
	if (existsSync(path) && statSync(path).isDirectory())
		return 'it is a folder. Give --out a file name, e.g. --out export.jsonl.';
	try {
		accessSync(existsSync(path) ? path : folder, constants.W_OK);
	} catch {
		return `${userInfo().username} may not write ${existsSync(path) ? 'that file' : `in ${folder}`}. Give --out a file in a folder you can write.`;
	}
	return undefined;
}

/** The refusal for a user other than the data folder's owner, whom the running gate's socket shuts out. */
async function notOwner(dataDir: string): Promise<string> {
	const me = userInfo().username;
	let uid: number;
	try {
		uid = statSync(dataDir).uid;
	} catch {
		return `Cannot reach the running gate through ${join(dataDir, ADMIN_SOCKET)}: permission denied, and ${me} may not even look into the folder that holds ${dataDir}. Run the CLI as the user that owns the data folder (the one the gate runs as).`;
	}
	const owner = await userName(uid);
	return `Cannot reach the running gate through ${join(dataDir, ADMIN_SOCKET)}: permission denied. The data folder ${dataDir} belongs to ${owner} (uid ${uid}), and only that user and root may run gate commands; you are ${me}. Run the CLI as ${owner}, e.g.: sudo -u ${owner} npm run gate -- …`;
}

process.exitCode = await run(process.argv.slice(2));
