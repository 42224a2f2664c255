import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import { MIN_PAGES } from './trust-center.ts';

/** Options of `npm run bench:build`. */
export interface BenchOptions {
	/** Pages the synthetic trust center should build, 404 included. */
	pages: number;
	/** Keep the generated sites in .tmp/ for inspection instead of removing them. */
	keep: boolean;
	/**
	 * Times each public build runs, the trust center's and bare Starlight's taking turns; the figures
	 * compared are each site's median run.
	 */
	rounds: number;
	help: boolean;
}

export const DEFAULT_PAGES = 2000;
// Above this a run takes the better part of an hour and gigabytes of .tmp/; almost surely a typo.
const MAX_PAGES = 50_000;
const MAX_ROUNDS = 9;

export const USAGE = `Usage: npm run bench:build -- [--pages N] [--rounds R] [--keep]

Builds a synthetic trust center of about N pages and a bare Starlight site of the same size,
and compares wall time, pages per second, peak memory, page size and Pagefind index size.

  --pages N   pages to build, ${MIN_PAGES} to ${MAX_PAGES} (default ${DEFAULT_PAGES})
  --rounds R  build each site R times, taking turns, each cold, and compare the median runs:
              where the machine's speed drifts, one pair of builds is not enough (1 to ${MAX_ROUNDS}, default 1)
  --keep      keep the generated sites in .tmp/ (removed by default)
  --help      show this help`;

/** Parses the command line; returns an error message (flag, expected, fix) instead of throwing. */
export function parseCli(
	argv: string[],
): { ok: true; options: BenchOptions } | { ok: false; error: string } {
	let values: {
		pages?: string | undefined;
		rounds?: string | undefined;
		keep?: boolean | undefined;
		help?: boolean | undefined;
	};
	try {
		({ values } = parseArgs({
			args: argv,
			options: {
				pages: { type: 'string' },
				rounds: { type: 'string' },
				keep: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' },
			},
			strict: true,
			allowPositionals: false,
		}));
	} catch (error) {
		return { ok: false, error: explainParseError(error) };
	}
	const pages =
		values.pages === undefined
			? { ok: true as const, pages: DEFAULT_PAGES }
			: parsePages(values.pages);
	if (!pages.ok) return pages;
	const rounds = values.rounds === undefined ? 1 : Number(values.rounds);
	if (
		values.rounds !== undefined &&
		(!/^\d+$/.test(values.rounds.trim()) || rounds < 1 || rounds > MAX_ROUNDS)
	)
		return {
			ok: false,
			error: `--rounds: expected a whole number from 1 to ${MAX_ROUNDS}, received ${JSON.stringify(values.rounds)}. Fix: pass e.g. --rounds 3 (an odd number has one median run).`,
		};
	return {
		ok: true,
		options: {
			pages: pages.pages,
			rounds,
			keep: values.keep ?? false,
			help: values.help ?? false,
		},
	};
}

/**
 * The `--pages N` of a bench that takes no other flag (bench:og, bench:leaks): the page count, `fallback`
 * without the flag, or an error message saying what was expected.
 */
export function pagesArgument(
	argv: readonly string[],
	fallback: number,
): { ok: true; pages: number } | { ok: false; error: string } {
	const flag = argv.indexOf('--pages');
	const stray = strayArgument(argv, '--pages');
	if (stray !== undefined)
		return {
			ok: false,
			error: `${JSON.stringify(stray)} is not a flag of this benchmark; it takes --pages N alone. Fix: remove it or check the spelling, e.g. --pages ${fallback}.`,
		};
	return flag === -1 ? { ok: true, pages: fallback } : parsePages(argv[flag + 1] ?? '');
}

/** The first argument of a bench that takes `flag N` alone that is neither `flag` nor its value. */
export function strayArgument(argv: readonly string[], flag: string): string | undefined {
	const at = argv.indexOf(flag);
	return argv.find((_, i) => at === -1 || (i !== at && i !== at + 1));
}

/** The page count, or an error message saying what was expected. */
function parsePages(raw: string): { ok: true; pages: number } | { ok: false; error: string } {
	const expected = `expected a whole number of pages from ${MIN_PAGES} to ${MAX_PAGES}`;
	if (!/^\d+$/.test(raw.trim()))
		return {
			ok: false,
			error: `--pages: ${expected}, received ${JSON.stringify(raw)}. Fix: pass a number, e.g. --pages ${DEFAULT_PAGES}.`,
		};
	const pages = Number(raw);
	if (pages < MIN_PAGES)
		return {
			ok: false,
			error: `--pages: ${expected}, received ${pages}. Fewer than ${MIN_PAGES} leaves no room for one page of each kind; use e.g. --pages 200.`,
		};
	if (pages > MAX_PAGES)
		return {
			ok: false,
			error: `--pages: ${expected}, received ${pages}. Use a smaller number, e.g. --pages ${DEFAULT_PAGES}.`,
		};
	return { ok: true, pages };
}

/** Node's parseArgs messages name the option but not the fix; this adds it. */
function explainParseError(error: unknown): string {
	const code = (error as { code?: string }).code;
	const message = error instanceof Error ? error.message : String(error);
	if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
		return `${message.split('.')[0]}. Known flags: --pages N, --rounds R, --keep, --help. Fix: remove it or check the spelling.`;
	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('--keep'))
		return `--keep: expected no value (it is a switch), received one. Fix: write --keep on its own.`;
	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && message.includes('--rounds'))
		return `--rounds: expected a whole number after it, e.g. --rounds 3, received nothing. Fix: add the number, or leave --rounds out for one round.`;
	if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
		return `--pages: expected a whole number of pages after it, e.g. --pages ${DEFAULT_PAGES}, received nothing. Fix: add the number, or leave --pages out for ${DEFAULT_PAGES}.`;
	if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
		return `${message.split('.')[0]}. Flags take the form --pages N. Fix: put --pages in front of the number.`;
	return message;
}

/**
 * The flags of a bench script that reads them with node:util's parseArgs: a flag it does not take, or
 * one missing its value, ends it with one line naming the flags it takes (exit code 2), not a stack trace.
 */
export function benchFlags<O extends ParseArgsOptionsConfig>(command: string, options: O) {
	try {
		return parseArgs({ options, strict: true, allowPositionals: false }).values;
	} catch (error) {
		const takes = Object.entries(options)
			.map(([name, o]) => `--${name}${o.type === 'string' ? ' <value>' : ''}`)
			.join(', ');
		console.error(
			`${command}: ${(error instanceof Error ? error.message : String(error)).split('. ')[0]}. It takes ${takes}.`,
		);
		process.exit(2);
	}
}
