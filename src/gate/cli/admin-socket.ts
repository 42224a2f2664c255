// With the embedded database, only the running gate may open it; the CLI sends its commands here, over
// a Unix socket in the data folder that only the folder's owner can reach. The gate trusts nothing in a
// message: each command is checked with the CLI's own schema, and the user who sent it is asked of the kernel.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Log } from '../log.ts';
import { AdminMessageSchema, TRACE_PDF_MAX_BYTES } from '../../schemas/gate-command.ts';
import { checkCommand, executeCommand, type Command, type CommandResult } from './commands.ts';
import { socketPeer } from './peer.ts';
import { cliActor } from '../lib/unix-peer.ts';
import type { Gate } from '../services/gate.ts';

export const ADMIN_SOCKET = 'gate.sock';
// The largest command is a trace of the largest PDF it reads, in base64, with room for the rest of the message.
const MAX_MESSAGE = Math.ceil(TRACE_PDF_MAX_BYTES / 3) * 4 + 64 * 1024;

/** An answer for a command the gate does not run, with the exit code of a wrong call. */
const refused = (why: string): CommandResult => ({
	code: 2,
	stdout: '',
	stderr: `The gate refused the command: ${why}\n`,
});

/** Listens on `dataDir/gate.sock` for commands from `npm run gate`. */
export async function startAdminSocket(
	gate: Gate,
	dataDir: string,
	log: Log,
): Promise<{ close(): Promise<void> }> {
	const path = join(dataDir, ADMIN_SOCKET);
	const owner = process.geteuid?.();
	rmSync(path, { force: true });
	const server = createServer((req, res) => {
		const reply = (status: number, result: CommandResult): void => {
			res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
		};
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_MESSAGE) chunks.push(chunk);
		});
		req.on('end', () => void answer());
		const answer = async () => {
			if (req.method !== 'POST') return reply(405, refused('send commands with POST.'));
			if (size > MAX_MESSAGE)
				return reply(
					413,
					refused(`the message is larger than ${MAX_MESSAGE} bytes, the most any command needs.`),
				);
			let message: unknown;
			try {
				message = JSON.parse(Buffer.concat(chunks).toString('utf8'));
			} catch {
				return reply(400, refused('the message is not JSON like {"command":{"name":"grants"}}.'));
			}
			const envelope = AdminMessageSchema.safeParse(message);
			if (!envelope.success) {
				const unknown = envelope.error.issues.flatMap((i) =>
					i.code === 'unrecognized_keys' ? i.keys : [],
				);
				return reply(
					400,
					refused(
						unknown.length
							? `${unknown.map((k) => JSON.stringify(k)).join(', ')} is not accepted: the gate names the user from the connecting process itself.`
							: 'the message is not an object like {"command":{"name":"grants"}}.',
					),
				);
			}
			const checked = checkCommand(envelope.data.command);
			if (!checked.ok) return reply(400, refused(checked.error));
			const command: Command = checked.command;
			const peer = await socketPeer(req.socket);
			let actor: string;
			if (peer.ok) {
				if (peer.peer.uid !== owner && peer.peer.uid !== 0)
					return reply(
						403,
						refused(
							`${peer.peer.user} (uid ${peer.peer.uid}) may not run gate commands: only ${[...new Set([userInfo().username, 'root'])].join(' and ')} may.`,
						),
					);
				actor = cliActor(peer.peer.user, peer.peer.loginUser);
			} else {
				// Only the socket's owner or root can connect (0600 in a 0700 folder): record the owner, and say why.
				actor = cliActor(userInfo().username);
				log('warn', 'admin command from a process the gate cannot identify', {
					reason: peer.reason,
					recordedAs: actor,
				});
			}
			let result: CommandResult;
			try {
				result = await executeCommand(gate, command, actor);
			} catch (error) {
				log('error', 'admin command failed', { error: String((error as Error).stack ?? error) });
				result = {
					code: 2,
					stdout: '',
					stderr: `The gate could not run the command: ${(error as Error).message}\n`,
				};
			}
			reply(200, result);
		};
	});
	await new Promise<void>((resolve) => server.listen(path, resolve));
	chmodSync(path, 0o600);
	return {
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				rmSync(path, { force: true });
			}),
	};
}

/** Sends a command to a running gate; resolves undefined when no gate listens on the socket. */
export function sendToGate(dataDir: string, command: Command): Promise<CommandResult | undefined> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ socketPath: join(dataDir, ADMIN_SOCKET), method: 'POST', path: '/' },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => {
					try {
						resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CommandResult);
					} catch {
						reject(
							new Error(
								`the gate answered on ${join(dataDir, ADMIN_SOCKET)} with HTTP ${res.statusCode} and no result`,
							),
						);
					}
				});
			},
		);
		req.on('error', (error: NodeJS.ErrnoException) =>
			error.code === 'ENOENT' || error.code === 'ECONNREFUSED' ? resolve(undefined) : reject(error),
		);
		req.setTimeout(120_000, () =>
			req.destroy(
				new Error(`the gate did not answer on ${join(dataDir, ADMIN_SOCKET)} within 2 minutes`),
			),
		);
		req.end(JSON.stringify({ command }));
	});
}
