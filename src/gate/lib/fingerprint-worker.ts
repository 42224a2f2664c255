// A worker thread that reads one leaked PDF for trace: its SHA-256 and the fingerprints in it. Reading an untrusted
// file is CPU-bound and can take seconds, so it runs here, outside the gate's event loop, within a heap limit.
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { findFingerprints, InflateLimitError } from './fingerprint.ts';

/** What the worker answers: the file's hash, and its fingerprints or why it was not searched. */
export type PdfScan =
	{ sha256: string; fingerprints: string[] } | { sha256: string; refused: string };

const pdf = workerData as Uint8Array;
const sha256 = createHash('sha256').update(pdf).digest('hex');
let scan: PdfScan;
try {
	scan = { sha256, fingerprints: findFingerprints(pdf) };
} catch (error) {
	if (!(error instanceof InflateLimitError)) throw error;
	scan = { sha256, refused: error.message };
}
parentPort!.postMessage(scan);
