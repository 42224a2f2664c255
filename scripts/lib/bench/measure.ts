import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

/** One line the process printed, with when it arrived (ms after spawn). */
export interface TimedLine {
	ms: number;
	text: string;
}

/** What a measured run cost. */
export interface Measurement {
	code: number;
	/** Spawn to exit, in milliseconds. */
	wallMs: number;
	/** The larger of the highest summed RSS seen (process + descendants) and the main process's own VmHWM. */
	peakRssBytes: number;
	/** The main process's VmHWM as last read: its peak RSS, which the kernel tracks even between polls. */
	mainHwmBytes: number;
	/** The highest VmRSS summed over the process and all its descendants at one poll. */
	peakTreeRssBytes: number;
	/** How many polls were taken. */
	samples: number;
	/** CPU seconds the process tree used (user + system, children included). */
	cpuSeconds: number;
	/**
	 * CPU seconds the whole machine was busy with other processes meanwhile. Timings taken while other
	 * builds or tests run are not comparable, so this says how far to trust them.
	 */
	otherCpuSeconds: number;
	/** Everything printed, stdout and stderr interleaved, colour codes removed, each line timed. */
	lines: TimedLine[];
	/** Everything printed, as it came. */
	output: string;
}

/** Options for `measureProcess`. */
export interface MeasureOptions {
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** Poll interval. 50 ms catches short spikes without costing the measured process noticeable CPU. */
	intervalMs?: number;
	/** Called for each complete line printed. */
	onLine?: (line: TimedLine) => void;
	/** Called after each poll with the summed RSS just read. */
	onSample?: (rssBytes: number, elapsedMs: number) => void;
}

const KB = 1024;
// USER_HZ, the unit of /proc CPU times: 100 on every mainstream Linux build (getconf CLK_TCK).
const TICKS_PER_SECOND = 100;
// eslint-disable-next-line no-control-regex -- terminal colour codes start with ESC (\x1b), which is what this strips
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Runs a command and measures its wall time and peak memory. Memory is polled from /proc every
 * `intervalMs`: the main process's VmHWM plus the VmRSS of every descendant (Pagefind runs as a
 * separate binary, so the main process's own peak would miss it).
 */
export function measureProcess(
	command: string,
	args: string[],
	options: MeasureOptions,
): Promise<Measurement> {
	const start = performance.now();
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const lines: TimedLine[] = [];
	const chunks: string[] = [];
	let partial = '';
	const onData = (data: Buffer) => {
		const text = data.toString();
		chunks.push(text);
		const ms = performance.now() - start;
		const parts = (partial + text).split('\n');
		partial = parts.pop()!;
		for (const raw of parts) addLine({ ms, text: raw.replace(ANSI, '') });
	};
	const addLine = (line: TimedLine) => {
		lines.push(line);
		options.onLine?.(line);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);

	let mainHwm = 0;
	let peakTree = 0;
	let treeTicks = 0;
	let samples = 0;
	const machineStart = machineBusyTicks();
	// This process polls /proc all the time; its own CPU is not "other load" on the machine.
	const selfStart = process.cpuUsage();
	const poll = () => {
		if (child.pid === undefined) return;
		const sample = sampleTree(child.pid);
		if (!sample) return;
		samples++;
		mainHwm = Math.max(mainHwm, sample.mainHwmBytes);
		peakTree = Math.max(peakTree, sample.treeRssBytes);
		treeTicks = Math.max(treeTicks, sample.cpuTicks);
		options.onSample?.(sample.treeRssBytes, performance.now() - start);
	};
	poll();
	const timer = setInterval(poll, options.intervalMs ?? 50);

	return new Promise((resolve, reject) => {
		child.on('error', (error) => {
			clearInterval(timer);
			reject(error);
		});
		child.on('close', (code) => {
			const wallMs = performance.now() - start;
			const self = process.cpuUsage(selfStart);
			const machineTicks =
				machineBusyTicks() - machineStart - ((self.user + self.system) / 1e6) * TICKS_PER_SECOND;
			clearInterval(timer);
			if (partial) addLine({ ms: wallMs, text: partial.replace(ANSI, '') });
			resolve({
				code: code ?? 1,
				wallMs,
				peakRssBytes: Math.max(mainHwm, peakTree),
				mainHwmBytes: mainHwm,
				peakTreeRssBytes: peakTree,
				samples,
				cpuSeconds: treeTicks / TICKS_PER_SECOND,
				otherCpuSeconds: Math.max(0, machineTicks - treeTicks) / TICKS_PER_SECOND,
				lines,
				output: chunks.join(''),
			});
		});
	});
}

/** Memory and CPU time of a process tree at one instant, or undefined once the process is gone. */
export function sampleTree(
	pid: number,
): { mainHwmBytes: number; treeRssBytes: number; cpuTicks: number } | undefined {
	const status = readStatus(pid);
	if (!status) return undefined;
	let tree = status.rss;
	let ticks = cpuTicksOf(pid);
	for (const descendant of descendantsOf(pid)) {
		tree += readStatus(descendant)?.rss ?? 0;
		ticks += cpuTicksOf(descendant);
	}
	return { mainHwmBytes: status.hwm, treeRssBytes: tree, cpuTicks: ticks };
}

/** The fields of /proc/<pid>/stat after the command name (state is [0]); undefined once it is gone, or off Linux. */
export function statFields(pid: number): string[] | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/** User + system CPU ticks of a process, its reaped children included (0 once it is gone). */
export function cpuTicksOf(pid: number): number {
	const fields = statFields(pid);
	// utime, stime, cutime, cstime.
	return fields ? [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) : 0;
}

/**
 * User + system CPU seconds of a process itself, its children left out; undefined once it is gone, or
 * off Linux. Unlike req/s, it hardly moves when other machines on the same host take the cores a while.
 */
export function ownCpuSeconds(pid: number): number | undefined {
	const fields = statFields(pid);
	return fields && (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** CPU ticks the machine has spent busy (not idle or waiting on I/O) since boot, over all CPUs. */
export function machineBusyTicks(): number {
	try {
		const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
		const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
		return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
	} catch {
		return 0;
	}
}

/** The share of the machine's CPU time (all cores) spent busy over the next `ms`, from 0 to 1. */
export async function machineBusyShare(ms: number): Promise<number> {
	const before = machineBusyTicks();
	await delay(ms);
	return (machineBusyTicks() - before) / ((ms / 1000) * TICKS_PER_SECOND * availableParallelism());
}

/** VmRSS and VmHWM of a process in bytes, or undefined when it has exited. */
export function readStatus(pid: number): { rss: number; hwm: number } | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined;
	}
	const field = (name: string) =>
		Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * KB;
	return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** Every process below `pid`, children first. */
export function descendantsOf(pid: number): number[] {
	const childrenOf = childLister();
	const found: number[] = [];
	const queue = [pid];
	while (queue.length > 0) {
		for (const child of childrenOf(queue.shift()!)) {
			found.push(child);
			queue.push(child);
		}
	}
	return found;
}

let cachedHasChildrenFiles: boolean | undefined;

/**
 * How to list a process's children. `/proc/<pid>/task/<tid>/children` is cheapest, but only exists on
 * kernels built with CONFIG_PROC_CHILDREN (many VMs lack it), so fall back to reading every process's
 * parent id from /proc/<pid>/stat once per poll.
 */
function childLister(): (pid: number) => number[] {
	cachedHasChildrenFiles ??= hasChildrenFiles();
	if (cachedHasChildrenFiles) return childrenFromTasks;
	const byParent = parentMap();
	return (pid) => byParent.get(pid) ?? [];
}

function hasChildrenFiles(): boolean {
	try {
		readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8');
		return true;
	} catch {
		return false;
	}
}

function childrenFromTasks(pid: number): number[] {
	let tasks: string[];
	try {
		tasks = readdirSync(`/proc/${pid}/task`);
	} catch {
		return [];
	}
	return tasks.flatMap((tid) => {
		try {
			return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
				.trim()
				.split(/\s+/)
				.filter(Boolean)
				.map(Number);
		} catch {
			return [];
		}
	});
}

function parentMap(): Map<number, number[]> {
	const map = new Map<number, number[]>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		let stat: string;
		try {
			stat = readFileSync(`/proc/${name}/stat`, 'utf8');
		} catch {
			continue;
		}
		// The command name in parentheses may hold spaces or ")", so read the fields after the last ")".
		const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const list = map.get(ppid) ?? [];
		list.push(Number(name));
		map.set(ppid, list);
	}
	return map;
}
