// npm run init: makes content/, the team's own folder, from the starter: asks for (or takes as flags)
// the company's name, legal name, address, brand colour and security contact, checks each answer with
// the build's own schemas, and writes a small site that builds at once. Steps: read flags → ask → check
// → make sure content/ may be written → write → check the result with the build's content check.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONTENT_DIR, CONTENT_DIR_VAR } from '../src/lib/content/dir.ts';
import { loadContent } from '../src/lib/content/load.ts';
import { formatReport } from '../src/lib/reporters/content.ts';
import {
	answersFromFlags,
	checkAnswer,
	checkAnswers,
	QUESTIONS,
	type Answers,
} from './lib/init/answers.ts';
import { notAStarter, renderStarter, writeStarter } from './lib/init/starter.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const USAGE = `Usage: npm run init [-- --company "Acme" --legal-name "Acme, Inc." --url https://trust.acme.com --brand-color "#1d4ed8" --security-email security@acme.com --language en] [--yes] [--force]
  --yes     ask nothing: use the flags given and the defaults for the rest
  --force   replace a content/ folder that is not an untouched starter (it is kept under .cache/init/)`;

function fail(message: string): never {
	console.error(message);
	process.exit(1);
}

// 1. Read the flags.
let flags: ReturnType<typeof readFlags>;
function readFlags() {
	return parseArgs({
		options: {
			company: { type: 'string' },
			'legal-name': { type: 'string' },
			url: { type: 'string' },
			'brand-color': { type: 'string' },
			'security-email': { type: 'string' },
			language: { type: 'string' },
			yes: { type: 'boolean', default: false },
			force: { type: 'boolean', default: false },
			help: { type: 'boolean', default: false },
		},
	}).values;
}
try {
	flags = readFlags();
} catch (error) {
	fail(`${(error as Error).message}\n\n${USAGE}`);
}
if (flags.help) {
	console.log(USAGE);
	process.exit(0);
}
const given: Partial<Answers> = Object.fromEntries(
	QUESTIONS.flatMap(({ key, flag }) => {
		const value = flags[flag.slice(2) as keyof typeof flags];
		return typeof value === 'string' ? [[key, value.trim()]] : [];
	}),
);

/** Stops with the answers' problems, one line each. */
function refuse(problems: string[]): never {
	fail(
		`npm run init cannot write ${CONTENT_DIR}/: fix these and run it again.\n  ${problems.join('\n  ')}`,
	);
}
// A wrong flag is named before any question is asked, not after all of them.
const flagProblems = checkAnswers(given, given, true);
if (flagProblems.length > 0) refuse(flagProblems);

// 2. Make sure content/ may be written, and is the folder the build will read, before asking anything.
const elsewhere = process.env[CONTENT_DIR_VAR];
if (elsewhere && resolve(root, elsewhere) !== resolve(root, CONTENT_DIR))
	fail(
		`${CONTENT_DIR_VAR} is set to "${elsewhere}", so the build and the gate read that folder, not the ${CONTENT_DIR}/ that npm run init writes. Unset ${CONTENT_DIR_VAR} and run npm run init again.`,
	);
const refusal = notAStarter(root, CONTENT_DIR);
if (refusal && !flags.force)
	fail(
		`${CONTENT_DIR}/ already holds your own files (${refusal}), so npm run init leaves it alone. Edit it directly, or run npm run init -- --force to replace it with a new starter (the old folder is kept under .cache/init/).`,
	);

// 3. Ask for what the flags did not give (unless --yes), checking each answer as it comes.
async function ask(): Promise<Partial<Answers>> {
	const answers: Partial<Answers> = {};
	const input = createInterface({ input: process.stdin, terminal: false });
	const lines = input[Symbol.asyncIterator]();
	console.log(
		`Making ${CONTENT_DIR}/, your trust center's own folder. Press Enter to take the value in brackets.\n`,
	);
	for (const question of QUESTIONS) {
		const flagged = given[question.key];
		if (flagged !== undefined) {
			answers[question.key] = flagged;
			continue;
		}
		const fallback = question.fallback(answers);
		for (;;) {
			process.stdout.write(`${question.prompt}${fallback ? ` [${fallback}]` : ''}: `);
			const line = await lines.next();
			if (line.done) {
				input.close();
				fail(
					`\nThe input ended before every question was answered. Pass the answers as flags with --yes instead:\n${USAGE}`,
				);
			}
			const value = (line.value as string).trim() || fallback;
			if (value === undefined) {
				console.log('  an answer is required.');
				continue;
			}
			const problem = checkAnswer(question.key, value);
			if (!problem) {
				answers[question.key] = value;
				break;
			}
			console.log(`  ${problem}`);
		}
	}
	input.close();
	return answers;
}
const answers = flags.yes ? answersFromFlags(given) : await ask();
const problems = checkAnswers(answers, given);
if (problems.length > 0) refuse(problems);

// 4. Write the starter, keeping a folder that --force replaces.
const keepAs = refusal
	? `.cache/init/replaced-${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}`
	: undefined;
try {
	writeStarter(root, CONTENT_DIR, renderStarter(answers as Answers, new Date()), keepAs);
} catch (error) {
	fail(
		`npm run init could not write ${CONTENT_DIR}/: ${(error as Error).message}. Nothing was changed; free the space or fix the permissions, and run it again.`,
	);
}

// 5. Check what was written as the build will.
const check = loadContent(root, CONTENT_DIR);
if (!check.content)
	fail(`The starter does not pass the content check:\n${formatReport(check.problems)}`);
console.log(
	`\nWrote ${CONTENT_DIR}/ for ${answers.companyName}: site settings, one framework, one policy, one architecture page and a placeholder logo.${keepAs ? `\nThe ${CONTENT_DIR}/ folder it replaced is in ${keepAs}/.` : ''}

Next:
  npm start        build and serve it on http://localhost:4321; the build lists every placeholder left (TODO)
  npm run dev      preview while you edit ${CONTENT_DIR}/ (start with site.yaml, then the TODOs)
README.md, "Make it yours", says what to edit first, how to deploy, and how to take engine updates.`,
);
