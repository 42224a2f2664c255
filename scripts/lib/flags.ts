// The flags of a script that takes a few switches (npm start, npm run build): a misspelt one is refused,
// naming the ones it takes, rather than ignored.

/** The message for arguments of `command` that are not among `known`, or undefined when there are none. */
export function unknownFlags(
	command: string,
	argv: readonly string[],
	known: readonly string[],
): string | undefined {
	const unknown = argv.filter((arg) => !known.includes(arg));
	if (unknown.length === 0) return undefined;
	return `${command}: ${unknown.map((arg) => JSON.stringify(arg)).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'}; it takes ${known.join(', ')}. Example: ${command} -- ${known[0]}`;
}
