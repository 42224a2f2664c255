// The processes that draw the Open Graph images: long-lived (fonts and logo loaded once each), started
// when the first image is asked for, one job at a time each, and stopped when the build is done.
import { fork, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { OgInput } from '../lib/og/card.ts';
import { COLLECT_EXEC_ARGV } from '../lib/og/collect.ts';
import type { DrawReply, DrawRequest } from '../lib/og/draw-worker.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('../lib/og/draw-worker.ts', import.meta.url));

interface Job {
	input: OgInput;
	resolve: (drawn: boolean) => void;
	reject: (error: Error) => void;
}

interface Worker {
	child: ChildProcess;
	job: Job | undefined;
	stderr: string;
}

/** A process takes about a second to start (satori, resvg, the fonts, the frame): some 50 images' drawing. */
const IMAGES_PER_PROCESS = 50;

/**
 * How many drawing processes to use for `missing` images with `cores` cores: one per core, as long as
 * each has at least IMAGES_PER_PROCESS to draw. The few images left after a build are drawn by the
 * process already running, not by a new one that would take longer to start than to draw them.
 */
export function processesFor(missing: number, cores: number): number {
	return Math.max(1, Math.min(cores, Math.floor(missing / IMAGES_PER_PROCESS)));
}

/** A pool of drawing processes; `draw` answers whether the image was drawn (false: it was cached). */
export class OgWorkers {
	readonly #logoFile: string;
	readonly #cacheDir: string;
	readonly #language: string;
	readonly #queue: Job[] = [];
	readonly #workers: Worker[] = [];
	readonly #byKey = new Map<string, Promise<boolean>>();
	#size: number;
	#nextId = 0;
	/** Why a process stopped on its own: every job after that is refused with it. */
	#broken: Error | undefined;

	constructor(logoFile: string, cacheDir: string, language: string, size: number) {
		this.#logoFile = logoFile;
		this.#cacheDir = cacheDir;
		this.#language = language;
		this.#size = size;
	}

	/** Draws `input` into the cache under `key`, once per key however often it is asked for. */
	draw(key: string, input: OgInput): Promise<boolean> {
		let promise = this.#byKey.get(key);
		if (!promise && this.#broken) promise = Promise.reject(this.#broken);
		if (!promise) {
			promise = new Promise<boolean>((resolve, reject) =>
				this.#queue.push({ input, resolve, reject }),
			);
			this.#byKey.set(key, promise);
			this.#dispatch();
		}
		return promise;
	}

	/** Uses up to `size` processes from now on (more once Astro's rendering no longer needs a core). */
	resize(size: number): void {
		this.#size = size;
		this.#dispatch();
	}

	/** Stops every process; jobs still queued are refused. */
	close(): void {
		this.#refuseAll(new Error('the build ended before this image was drawn'));
		for (const worker of this.#workers.splice(0)) worker.child.kill();
	}

	#dispatch(): void {
		while (this.#queue.length > 0) {
			const worker =
				this.#workers.find((w) => !w.job) ??
				(this.#workers.length < this.#size ? this.#start() : undefined);
			if (!worker) return;
			const job = this.#queue.shift()!;
			worker.job = job;
			// A busy process keeps the build alive; an idle one must not hold it open if the build stops early.
			worker.child.channel?.ref();
			worker.child.send({ id: this.#nextId++, input: job.input } satisfies DrawRequest);
		}
	}

	#refuseAll(error: Error): void {
		for (const job of this.#queue.splice(0)) job.reject(error);
	}

	#start(): Worker {
		const child = fork(WORKER_SCRIPT, [this.#logoFile, this.#cacheDir, this.#language], {
			execArgv: COLLECT_EXEC_ARGV,
			stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
		});
		const worker: Worker = { child, job: undefined, stderr: '' };
		child.unref();
		child.stderr?.on('data', (chunk: Buffer) => (worker.stderr += chunk.toString()));
		(child.stderr as Socket | null)?.unref();
		child.on('message', (reply: DrawReply) => {
			const job = worker.job!;
			worker.job = undefined;
			child.channel?.unref();
			if ('error' in reply) job.reject(new Error(reply.error));
			else job.resolve(reply.drawn);
			this.#dispatch();
		});
		child.on('exit', (code, signal) => {
			const index = this.#workers.indexOf(worker);
			if (index < 0) return; // stopped by close()
			this.#workers.splice(index, 1);
			this.#broken = new Error(
				`the drawing process stopped (${signal ?? `exit code ${code}`})${worker.stderr ? `:\n${worker.stderr.trim()}` : ''}`,
			);
			worker.job?.reject(this.#broken);
			worker.job = undefined;
			this.#refuseAll(this.#broken);
		});
		this.#workers.push(worker);
		return worker;
	}
}
