// The answers `npm run init` needs, where each comes from (a flag, a question, a default), and their
// check against the same schemas the build uses, so a bad answer gets the build's own message.
import { checkBrandContrast } from '../../../src/lib/brand/contrast.ts';
import { EXAMPLE_DOMAIN } from '../../../src/lib/content/placeholders.ts';
import { parseFriendly } from '../../../src/schemas/messages.ts';
import { SiteSettingsSchema } from '../../../src/schemas/site.ts';

/** What the starter is filled in with. */
export interface Answers {
	companyName: string;
	legalName: string;
	url: string;
	brandColor: string;
	securityEmail: string;
	language: string;
}

/** One answer: its flag, the question asked for it, the site.yaml field it fills, and its default. */
export interface Question {
	key: keyof Answers;
	flag: string;
	prompt: string;
	/** The default from the answers before it; undefined when the answer is required. */
	fallback: (earlier: Partial<Answers>) => string | undefined;
}

/** Where the placeholder domain's trust center would be: the build warns while it is still there. */
export const PLACEHOLDER_URL = `https://trust.${EXAMPLE_DOMAIN}`;

/** The questions, in the order they are asked. */
export const QUESTIONS: readonly Question[] = [
	{
		key: 'companyName',
		flag: '--company',
		prompt: 'Company name, as customers know it',
		fallback: () => undefined,
	},
	{
		key: 'legalName',
		flag: '--legal-name',
		prompt: 'Legal name of the company',
		fallback: (a) => a.companyName || undefined,
	},
	{
		key: 'url',
		flag: '--url',
		prompt: 'Address the trust center will be published at',
		fallback: () => PLACEHOLDER_URL,
	},
	{
		key: 'brandColor',
		flag: '--brand-color',
		prompt: 'Brand colour, as a hex code',
		fallback: () => '#1d4ed8',
	},
	{
		key: 'securityEmail',
		flag: '--security-email',
		prompt: 'E-mail address for security questions and reports',
		fallback: (a) => `security@${mailDomain(a.url ?? PLACEHOLDER_URL)}`,
	},
	{
		key: 'language',
		flag: '--language',
		prompt: 'Language the site is written in, as a tag like en, de or ja',
		fallback: () => 'en',
	},
];

/** The domain a trust center's address suggests for mail: `https://trust.acme.com` → `acme.com`. */
function mailDomain(url: string): string {
	try {
		return new URL(url).hostname.replace(/^(trust|security|www)\./, '');
	} catch {
		return EXAMPLE_DOMAIN;
	}
}

/**
 * Checks one answer with the site settings schema (and the brand colour's contrast check), returning
 * what is wrong in the build's words, or undefined when it is fine.
 */
export function checkAnswer(key: keyof Answers, value: string): string | undefined {
	const field =
		key === 'securityEmail'
			? SiteSettingsSchema.shape.contacts.shape.security
			: SiteSettingsSchema.shape[key];
	const parsed = parseFriendly(field, value, 'unknown field');
	if (!parsed.ok) return `${parsed.issues[0]!.message}.`;
	if (key === 'brandColor') {
		const [problem] = checkBrandContrast({ brandColor: value, brandColorDark: undefined }, '');
		if (problem) return `${problem.message}. ${problem.hint}`;
	}
	return undefined;
}

/**
 * Every problem with the answers, one line each, naming the flag: `--url: expected …`. An answer not
 * among `given` is a default, made from the answers before it, and is named as one. A missing answer
 * is a problem unless `partial` (the flags, checked before the questions).
 */
export function checkAnswers(
	answers: Partial<Answers>,
	given: Partial<Answers> = answers,
	partial = false,
): string[] {
	const problems: string[] = [];
	for (const { key, flag } of QUESTIONS) {
		const value = answers[key];
		// A default comes from the answers before it: when one of those is wrong, that is the problem to report.
		if (value === undefined) {
			if (problems.length === 0 && !partial)
				problems.push(
					`${flag}: is required, received nothing. Pass ${flag} "…", or run npm run init without --yes to be asked.`,
				);
			continue;
		}
		const problem = checkAnswer(key, value);
		if (problem)
			problems.push(
				given[key] === undefined
					? `${flag}: not given, and its default, made from the answers before it, does not do: ${problem} Pass ${flag} "…".`
					: `${flag}: ${problem}`,
			);
	}
	return problems;
}

/** The answers from flags and defaults alone (`--yes`): a flag wins, then the default. */
export function answersFromFlags(flags: Partial<Answers>): Partial<Answers> {
	const answers: Partial<Answers> = {};
	for (const question of QUESTIONS) {
		const value = flags[question.key] ?? question.fallback(answers);
		if (value !== undefined) answers[question.key] = value;
	}
	return answers;
}
