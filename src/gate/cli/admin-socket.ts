// With the embedded database, only the running gate may open it; the CLI sends its commands here, over
// a Unix socket in the data folder that only the folder's owner can reach.
import { chmodSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { join } from 'node:path';
import type { Log } from '../log.ts';
import { executeCommand, type Command, type CommandResult } from './commands.ts';
import type { Gate } from '../services/gate.ts';

export const ADMIN_SOCKET = 'gate.sock';
const MAX_COMMAND = 64 * 1024 * 1024;

/** Listens on `dataDir/gate.sock` for commands from `npm run gate`. */
export async function startAdminSocket(
	gate: Gate,
	dataDir: string,
	log: Log,
): Promise<{ close(): Promise<void> }> {
	const path = join(dataDir, ADMIN_SOCKET);
	rmSync(path, { force: true });
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_COMMAND) chunks.push(chunk);
		});
		req.on('end', () => void answer());
		const answer = async () => {
			let result: CommandResult;
			try {
				const { command, actor } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
					command: Command;
					actor: string;
				};
				result = await executeCommand(gate, command, String(actor).slice(0, 80));
			} catch (error) {
				log('error', 'admin command failed', { error: String((error as Error).stack ?? error) });
				result = {
					code: 2,
					stdout: '',
					stderr: `The gate could not run the command: ${(error as Error).message}\n`,
				};
			}
			res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(result));
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
export function sendToGate(
	dataDir: string,
	command: Command,
	actor: string,
): Promise<CommandResult | undefined> {
	return new Promise((resolve, reject) => {
		const req = request(
			{ socketPath: join(dataDir, ADMIN_SOCKET), method: 'POST', path: '/' },
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CommandResult),
				);
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
		req.end(JSON.stringify({ command, actor }));
	});
}
