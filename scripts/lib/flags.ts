// The flags of a script that takes a few switches (npm start, npm run build): a misspelt one is refused,
// naming the ones it takes, rather than ignored; and the content folder a script starts on.
import { chooseContentDir } from '../../src/lib/content/dir.ts';

/** The message for arguments of `command` that are not among `known`, or undefined when there are none. */
export function unknownFlags(
	command: string,
	argv: readonly string[],
	known: readonly string[],
): string | undefined {
	const unknown = argv.filter((arg) => !known.includes(arg));
	if (unknown.length === 0) return undefined;
	const named = `${command}: ${unknown.map((arg) => JSON.stringify(arg)).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'}`;
	return known.length === 0
		? `${named}; it takes none. Run ${command} alone.`
		: `${named}; it takes ${known.join(', ')}. Example: ${command} -- ${known[0]}`;
}

/**
 * Stops a script before it starts, with one message and no stack trace: a flag of `argv` not among
 * `known` (exit 2; `known` undefined when the script reads its own arguments), or a content folder that
 * cannot be used, TRUST_CONTENT_DIR naming no folder (exit 1).
 */
export function exitUnlessStartable(
	root: string,
	command: string,
	known: readonly string[] | undefined,
	argv: readonly string[] = process.argv.slice(2),
): void {
	const wrong = known && unknownFlags(command, argv, known);
	if (wrong) {
		console.error(wrong);
		process.exit(2);
	}
	try {
		chooseContentDir(root);
	} catch (error) {
		console.error((error as Error).message);
		process.exit(1);
	}
}
