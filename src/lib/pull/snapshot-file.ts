import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { canonicalJson } from '../canonical-json.ts';

/** SHA-256 (hex) of the canonical JSON of the snapshot without its `digest` field. */
export function snapshotDigest(snapshot: Record<string, unknown>): string {
	const { digest: _ignored, ...rest } = snapshot;
	return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}

/**
 * Writes `text` to `path` atomically: a temporary file in the same folder, flushed to disk, then renamed
 * over the old one. A crash at any point leaves either the old file or the new one, never half of either.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
	const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
	const fd = openSync(temp, 'w');
	try {
		writeSync(fd, typeof text === 'string' ? Buffer.from(text) : text);
		fsyncSync(fd);
	} catch (error) {
		closeSync(fd);
		unlinkSync(temp);
		throw error;
	}
	closeSync(fd);
	renameSync(temp, path);
}
