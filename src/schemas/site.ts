import { z } from 'zod';
import { describe } from './messages.ts';
import { ControlStatusConfigSchema } from './control-sources.ts';
import { email, httpUrl, httpsUrl, isoDate, languageTag } from './fields.ts';
import { SubscriptionSettingsSchema } from './subscriptions.ts';

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, {
	error: (i) => `expected a six-digit hex colour like "#1d4ed8", received ${describe(i.input)}`,
});

const EMPTY_LABEL =
	'expected a text, received an empty one; remove the label to keep the words the trust center ships';

/** Whether a URL is a host's root, like `https://trust.example.com/`; a URL that does not parse is left to `httpsUrl`. */
function isHostRoot(url: string): boolean {
	if (!URL.canParse(url)) return true;
	return new URL(url).pathname === '/' && !/[?#]/.test(url);
}

/** Site settings: `content/site.yaml`. One file describes the company and how the site behaves. */
export const SiteSettingsSchema = z.strictObject({
	/** The name customers know the company by, shown in the header and titles. */
	companyName: z.string().min(1),
	/** The registered legal entity, shown in the footer and in security.txt's policy context. */
	legalName: z.string().min(1),
	/** One sentence under the company name on the overview page; also the default meta description. */
	tagline: z.string().min(1),
	/** Canonical public URL of the trust center, e.g. https://trust.example.com. Used for feeds, sitemap and security.txt, so it must be https. The site is served at the root of its host: no path, query or fragment. */
	url: httpsUrl.refine(isHostRoot, {
		error: (i) =>
			`the trust center is served at the root of its host, like https://trust.example.com; received ${describe(i.input)}. Remove the path, query or fragment (links, security.txt and the sitemap would leave them out)`,
	}),
	/** The language the site is written in, as a BCP 47 tag like `en`, `de`, `ja` or `pt-BR`. Every page says it (`<html lang>`, `og:locale`), so screen readers pronounce it and Pagefind splits it into words: Japanese and Chinese text can be searched word by word only when it is set. Starlight's own words (search, "On this page") follow it, and `ar`, `he`, `fa` or `ur` lay the site out right to left. The trust center's own words (section names, table headings, status) are shipped in English and Japanese; in another language they show in English until `labels` gives them. Default `en`. */
	language: languageTag.default('en'),
	/**
	 * The trust center's own words in the site's language, replacing the shipped ones, by key: any key of
	 * src/lib/words/en/, e.g. `section.subprocessors: Sub-processors`. A text keeps the English text's
	 * `{name}` placeholders and `<name>…</name>` link marks; one that depends on a number may give its
	 * plural forms, e.g. `{ one: "{count} region", other: "{count} regions" }`. Default: none.
	 */
	labels: z
		.record(
			z.string(),
			z.union(
				[
					z.string().min(1, { error: EMPTY_LABEL }),
					z.record(z.string(), z.string().min(1, { error: EMPTY_LABEL })),
				],
				{
					error: (i) =>
						`expected a text, or a map of plural forms like { one: "…", other: "…" }, received ${describe(i.input)}`,
				},
			),
		)
		.default({}),
	/** Logo images under `content/public/`: `light` is required, `dark` is used on dark backgrounds (defaults to `light`). The logo replaces the title text, so it should show the company name. */
	logo: z.strictObject({
		/** Path under `content/public/` of the logo for light backgrounds, e.g. `/brand/logo-light.svg`. */
		light: z.string().startsWith('/', {
			error: 'expected a path under content/public/ starting with "/", like "/brand/logo.svg"',
		}),
		/** Path under `content/public/` of the logo for dark backgrounds. Defaults to the light logo. */
		dark: z
			.string()
			.startsWith('/', {
				error:
					'expected a path under content/public/ starting with "/", like "/brand/logo-dark.svg"',
			})
			.optional(),
	}),
	/** Brand colour as a hex code, e.g. `#1d4ed8`. Links and accents in the light theme, buttons (with white text), badges and OG images. Must reach 4.5:1 against white. */
	brandColor: hexColor,
	/** Brand colour for the dark theme's links and accents, e.g. `#7cb4ff`. Must reach 4.5:1 against the dark background. Default: Starlight's own dark accent. */
	brandColorDark: hexColor.optional(),
	/** An optional body font: a WOFF2 file under `content/public/` and its family name. Default: Starlight's system font stack. */
	font: z
		.strictObject({
			/** The family name to use, e.g. "Inter". */
			family: z.string().regex(/^[A-Za-z0-9 -]{1,40}$/, {
				error: (i) =>
					`expected a font family name of letters, digits, spaces and "-", received ${describe(i.input)}`,
			}),
			/** Path under `content/public/` of the font file, e.g. `/fonts/inter.woff2`. */
			file: z.string().regex(/^\/.+\.woff2$/, {
				error: (i) =>
					`expected a path under content/public/ to a .woff2 file, like "/fonts/inter.woff2", received ${describe(i.input)}`,
			}),
		})
		.optional(),
	/** Who to write to, shown on the overview and the contact section. */
	contacts: z.strictObject({
		/** Where vulnerability reports and security questions go. */
		security: email,
		/** Where privacy questions and data-subject requests go. */
		privacy: email,
		/** The Data Protection Officer: a role name (never a private person's details unless they agreed) and e-mail. */
		dpo: z.strictObject({
			/** How the DPO is addressed publicly, e.g. "Data Protection Officer" or an external firm's name. */
			name: z.string().min(1),
			/** The DPO's e-mail address. */
			email,
		}),
	}),
	/** Public status page URL, linked from the overview and the availability page. Optional. */
	statusPageUrl: httpUrl.optional(),
	/** Fields for `/.well-known/security.txt` (RFC 9116). */
	securityTxt: z.strictObject({
		/** Contact lines, each a `mailto:` or `https://` URI. The first is the preferred one. */
		contact: z
			.array(
				z.string().regex(/^(mailto:|https:\/\/|tel:)/, {
					error: (i) =>
						`expected a URI starting with "mailto:", "https://" or "tel:", received ${describe(i.input)}`,
				}),
			)
			.min(1),
		/** URL of the vulnerability disclosure policy. */
		policy: httpUrl.optional(),
		/** Languages reports may be written in, as language tags, e.g. `[ja, en]`. Default: the site's `language`. */
		preferredLanguages: z.array(languageTag).min(1).optional(),
		/** URL of the OpenPGP key reporters can encrypt to. */
		encryption: httpUrl.optional(),
		/** URL of the hall of fame / acknowledgments page. */
		acknowledgments: httpUrl.optional(),
		/** How many days after each build security.txt stays valid (RFC 9116 advises under a year). Default 180. */
		expiresAfterDays: z.number().int().min(1).max(366).default(180),
		/** A fixed expiry date instead of `expiresAfterDays`. The build fails if it has already passed. */
		expires: isoDate.optional(),
	}),
	/** Where live control status comes from, and how stale or incomplete it may be. */
	controlStatus: ControlStatusConfigSchema.default(ControlStatusConfigSchema.parse({})),
	/** The NDA edition of the security whitepaper (`npm run whitepaper`). */
	whitepaper: z
		.strictObject({
			/** Version printed on the cover and recorded in the manifest, e.g. "2026.2". Raise it when the content changes materially. Default "1.0". */
			version: z.string().min(1).default('1.0'),
		})
		.default({ version: '1.0' }),
	/** Subscriptions by e-mail to updates and subprocessor changes, sent by the gate (see the README's "Subscriptions"). */
	subscriptions: SubscriptionSettingsSchema.default(SubscriptionSettingsSchema.parse({})),
	/** When true, review-date and validity warnings fail the build instead of only being printed. Default false. */
	strict: z.boolean().default(false),
});

export type SiteSettings = z.output<typeof SiteSettingsSchema>;
