// The gate's data folder holds requester data (the embedded database and its WAL, mail in the outbox), the local
// signing key and the admin socket: it is its owner's alone. Folders are 0700 and files 0600, made so and corrected
// on every start, since an install made before had 0755 folders, 0644 mails and 0666 database files.
import { chmodSync, lstatSync } from 'node:fs';
import { privateDir, walkTree } from '../lib/files.ts';

/**
 * Closes the data folder to everyone but its owner: the folder 0700, and every folder and file in it without
 * group and other permissions. Sets the process's umask to 077, so that what the gate and PGlite create from now on
 * (PGlite's later files take their mode from it) is closed too: the gate's process writes nothing meant for others.
 * Throws, naming the path, when a mode cannot be changed (an entry owned by another user).
 */
export function closeDataDir(dir: string): void {
	process.umask(0o077);
	privateDir(dir);
	for (const path of walkTree(dir)) {
		const mode = lstatSync(path).mode & 0o7777;
		if (mode & 0o077) chmodSync(path, mode & 0o700);
	}
}
