/**
 * The build's notion of "now": `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
 * convention) when set, else the current time. Freshness, review warnings and security.txt use it.
 */
export function buildTime(env: NodeJS.ProcessEnv = process.env): Date {
	const epoch = env['SOURCE_DATE_EPOCH'];
	if (epoch === undefined || epoch === '') return new Date();
	if (!/^\d+$/.test(epoch))
		throw new Error(
			`SOURCE_DATE_EPOCH: expected whole seconds since 1970-01-01 (like 1795435200), received "${epoch}". Unset it to use the current time.`,
		);
	return new Date(Number(epoch) * 1000);
}
