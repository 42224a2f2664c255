// Who is at the other end of a connection to the admin socket, as the kernel knows it; never what the message says.
// Node has no API for SO_PEERCRED, so the gate asks the kernel's socket diagnostics (netlink sock_diag, through
// `ss` from iproute2) which socket is connected to its end and which process holds it, then reads that process's
// users from /proc. Only the socket's owner and root can connect at all (0600, in a 0700 folder); this names which
// one, and the person behind it when they logged in as someone else and used sudo.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Socket } from 'node:net';
import { userInfo } from 'node:os';
import { promisify } from 'node:util';
import { effectiveUid, loginUid, passwdName, peerOf } from '../lib/unix-peer.ts';

const run = promisify(execFile);

/** A process's user as the kernel has it. */
export interface ProcessUser {
	pid: number;
	uid: number;
	user: string;
	/** The user who logged in, when the session's login user is known and differs (sudo, su). */
	loginUser: string | undefined;
}

/** The name of a user id, through the system's user database; `uid 1234` when it has none. */
export async function userName(uid: number): Promise<string> {
	if (uid === process.geteuid?.()) return userInfo().username;
	try {
		const { stdout } = await run('getent', ['passwd', String(uid)], { timeout: 5000 });
		return passwdName(stdout) ?? `uid ${uid}`;
	} catch {
		return `uid ${uid}`;
	}
}

/** The user of process `pid`, from /proc; undefined when it cannot be read (gone, or not Linux). */
export async function processUser(pid: number): Promise<ProcessUser | undefined> {
	let uid: number | undefined;
	let login: number | undefined;
	try {
		uid = effectiveUid(readFileSync(`/proc/${pid}/status`, 'utf8'));
		login = loginUid(readFileSync(`/proc/${pid}/loginuid`, 'utf8'));
	} catch {
		// No /proc (not Linux), or the process is gone; loginuid alone is missing without audit support.
	}
	if (uid === undefined) return undefined;
	const user = await userName(uid);
	const loginUser = login === undefined || login === uid ? undefined : await userName(login);
	return { pid, uid, user, loginUser };
}

const socketInode = (link: string) => /^socket:\[(\d+)\]$/.exec(link)?.[1];

/** Whether process `pid` holds the socket with inode `inode`: checked after reading its user, so a reused pid is caught. */
function holds(pid: number, inode: number): boolean {
	try {
		return readdirSync(`/proc/${pid}/fd`).some((fd) => {
			try {
				return socketInode(readlinkSync(`/proc/${pid}/fd/${fd}`)) === String(inode);
			} catch {
				return false;
			}
		});
	} catch {
		return false;
	}
}

/** How the gate asks the kernel about Unix sockets; a test may stand in for `ss`. */
export type SocketTable = () => Promise<string>;
const ss: SocketTable = async () =>
	(await run('ss', ['-xpH'], { timeout: 10_000, maxBuffer: 64 * 1024 * 1024 })).stdout;

/**
 * The process at the other end of a connected Unix socket, and its user; or why it cannot be known here: not
 * Linux, no `ss`, or a peer process this user may not inspect.
 */
export async function socketPeer(
	socket: Socket,
	table: SocketTable = ss,
): Promise<{ ok: true; peer: ProcessUser } | { ok: false; reason: string }> {
	if (process.platform !== 'linux')
		return { ok: false, reason: `${process.platform} has no /proc to read the peer from` };
	// Node keeps the descriptor of a connection on its handle; no public API gives it.
	const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
	let inode: string | undefined;
	try {
		if (typeof fd === 'number' && fd >= 0) inode = socketInode(readlinkSync(`/proc/self/fd/${fd}`));
	} catch {
		// Closed meanwhile: reported below.
	}
	if (!inode) return { ok: false, reason: 'the connection has no socket descriptor to look up' };
	let output: string;
	try {
		output = await table();
	} catch (error) {
		return {
			ok: false,
			reason:
				(error as NodeJS.ErrnoException).code === 'ENOENT'
					? 'ss is not installed (Debian package iproute2)'
					: `ss failed: ${(error as Error).message}`,
		};
	}
	const found = peerOf(output, Number(inode));
	if (!found) return { ok: false, reason: `ss does not list socket ${inode}` };
	if (found.pids.length === 0)
		return { ok: false, reason: 'the connecting process is not visible to the gate’s user' };
	const users = await Promise.all(found.pids.map((pid) => processUser(pid)));
	const held = users.filter((u): u is ProcessUser => !!u && holds(u.pid, found.peerInode));
	if (held.length === 0) return { ok: false, reason: 'the connecting process went away' };
	if (new Set(held.map((u) => u.uid)).size > 1)
		return { ok: false, reason: 'the connection is shared by processes of several users' };
	return { ok: true, peer: held[0]! };
}
