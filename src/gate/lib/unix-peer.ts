// Reading what Linux reports about Unix sockets and processes: which socket is connected to which, from `ss -xpH`
// (the kernel's sock_diag answer, with the processes holding each socket), and a process's users from
// /proc/<pid>/status and /proc/<pid>/loginuid. Pure functions over that text, so each case can be tested.

/** What `ss -xpH` says about the socket whose inode is `inode`: the inode of its peer, and the processes holding that peer. */
export function peerOf(
	ssOutput: string,
	inode: number,
): { peerInode: number; pids: number[] } | undefined {
	// Each line: type, state, two queue sizes, local address and inode, peer address and inode, then users:((…)).
	// Addresses may be paths with spaces, so lines are matched by inode, which is always a whole number between
	// spaces, rather than split into columns.
	const lines = ssOutput.split('\n');
	const own = new RegExp(`\\s${inode}\\s+\\S+\\s+(\\d+)(?:\\s|$)`);
	let peerInode: number | undefined;
	for (const line of lines) {
		const found = own.exec(line);
		if (found) {
			peerInode = Number(found[1]);
			break;
		}
	}
	if (peerInode === undefined) return undefined;
	// The peer's own line has the peer as its local inode and ours as its peer inode.
	const theirs = new RegExp(`\\s${peerInode}\\s+\\S+\\s+${inode}(?:\\s|$)`);
	const line = lines.find((l) => theirs.test(l)) ?? '';
	const users = /users:\((.*)\)/.exec(line)?.[1] ?? '';
	const pids = [...new Set([...users.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))];
	return { peerInode, pids };
}

/** The effective user id in a /proc/<pid>/status text: the one the kernel checks permissions with. */
export function effectiveUid(status: string): number | undefined {
	const uids = /^Uid:\s+(\d+)\s+(\d+)/m.exec(status);
	return uids ? Number(uids[2]) : undefined;
}

/** The login user id in /proc/<pid>/loginuid (kept across sudo and su); undefined when it was never set. */
export function loginUid(text: string): number | undefined {
	const uid = Number(text.trim());
	return Number.isInteger(uid) && uid >= 0 && uid < 4294967295 ? uid : undefined;
}

/** The user name in a line of `getent passwd <uid>`. */
export function passwdName(line: string): string | undefined {
	const name = line.split(':')[0]?.trim();
	return name || undefined;
}

/** How the audit log names a CLI user: `cli:alice`, or `cli:trust (login alice)` when alice became trust with sudo. */
export function cliActor(user: string, loginUser?: string): string {
	return `cli:${user}${loginUser && loginUser !== user ? ` (login ${loginUser})` : ''}`;
}
