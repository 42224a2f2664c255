import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's (and most Linux distributions') Chromium lives. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The exact command that installs Debian's Chromium, printed when it is missing and cannot be installed. */
export const INSTALL_COMMAND = 'sudo apt-get update && sudo apt-get install -y chromium';

/** Flags that let Chromium run headless as root in a sandboxed CI box with no outside network. */
export const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** The Chromium binary: CHROME_PATH when set, else the first known path that exists. */
export function findChromium(env = process.env): string | undefined {
	if (env['CHROME_PATH']) return existsSync(env['CHROME_PATH']) ? env['CHROME_PATH'] : undefined;
	return CANDIDATES.find((path) => existsSync(path));
}

/**
 * Finds Chromium, installing Debian's package when running as root with apt-get. Returns the path, or
 * an explanation with the exact install command when it can do neither.
 */
export function ensureChromium(
	log: (line: string) => void = console.log,
): { ok: true; path: string } | { ok: false; error: string } {
	const found = findChromium();
	if (found) return { ok: true, path: found };
	// An explicit CHROME_PATH is the user's choice: say it is wrong rather than install another browser.
	if (process.env['CHROME_PATH'])
		return {
			ok: false,
			error: `CHROME_PATH is set to ${process.env['CHROME_PATH']}, which does not exist. Point it at a Chromium binary, or unset it and install Debian's Chromium with:\n  ${INSTALL_COMMAND}`,
		};
	const isRoot = process.getuid?.() === 0;
	const hasApt = existsSync('/usr/bin/apt-get');
	if (!isRoot || !hasApt) {
		return {
			ok: false,
			error: `Chromium was not found (looked for CHROME_PATH and ${CANDIDATES.join(', ')}), and it cannot be installed automatically (${!hasApt ? 'no apt-get' : 'not root'}). Install it with:\n  ${INSTALL_COMMAND}`,
		};
	}
	log("Chromium not found: installing Debian's chromium package with apt-get…");
	try {
		execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
		execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
			stdio: 'inherit',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
	} catch (error) {
		return {
			ok: false,
			error: `Installing Chromium with apt-get failed (${(error as Error).message}). Install it with:\n  ${INSTALL_COMMAND}`,
		};
	}
	const installed = findChromium();
	return installed
		? { ok: true, path: installed }
		: {
				ok: false,
				error: `apt-get finished but no Chromium binary was found. Install it with:\n  ${INSTALL_COMMAND}`,
			};
}
