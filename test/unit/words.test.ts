// The trust center's own words: the dictionary layers, plural forms, placeholders, dates and numbers
// in the site's language, and the translations it ships.
import { describe, expect, it } from 'vitest';
import { labelProblems } from '../../src/lib/words/check.ts';
import { EN } from '../../src/lib/words/en.ts';
import { JA } from '../../src/lib/words/ja.ts';
import {
	marksOf,
	pluralForms,
	sentenceParts,
	SHIPPED,
	wordsFor,
	type WordKey,
} from '../../src/lib/words/words.ts';

const DAY = new Date('2026-12-03T12:40:00Z');
const textsOf = (text: unknown): string[] =>
	typeof text === 'string' ? [text] : Object.values(text as Record<string, string>);

describe('the words of a site', () => {
	it('fill placeholders and choose the plural form by the count', () => {
		const t = wordsFor('en');
		expect(t('subprocessors.weUse', { count: 1 })).toBe('We use 1 subprocessor');
		expect(t('subprocessors.weUse', { count: 12 })).toBe('We use 12 subprocessors');
		expect(t('overview.title', { company: 'Kestrel Ledger' })).toBe('Kestrel Ledger Trust Center');
		// A placeholder given no value stays, for Sentence.astro to fill with an element.
		expect(t('overview.lastUpdated')).toBe('Last updated {date}');
		// Values are text, never markup: nothing is escaped or read here.
		expect(t('overview.title', { company: 'A & <B>' })).toBe('A & <B> Trust Center');
	});

	it('write numbers and dates as the language does', () => {
		expect(wordsFor('en')('status.failing', { count: 1200 })).toBe('1,200 failing');
		expect(wordsFor('de')('status.failing', { count: 1200 })).toBe('1.200 failing');
		expect(wordsFor('en').date(DAY)).toBe('3 December 2026');
		expect(wordsFor('en-US').date(DAY)).toBe('December 3, 2026');
		expect(wordsFor('ja').date(DAY)).toBe('2026年12月3日');
		expect(wordsFor('en').dateTime(DAY)).toBe('3 December 2026, 12:40 UTC');
		// A date given as a value is written as the language writes dates.
		expect(wordsFor('en')('mail.grantDownload', { date: DAY })).toBe(
			'Download them here until 3 December 2026:',
		);
		expect(wordsFor('ja')('mail.grantDownload', { date: DAY })).toContain('2026年12月3日');
		expect(wordsFor('ja').dateTime('2026-12-03T12:40:00Z')).toBe('2026年12月3日 12:40 UTC');
	});

	it("take the team's labels first, then the shipped language, then English", () => {
		const ja = wordsFor('ja-JP', { 'section.faq': 'Q&A' });
		expect(ja('section.faq')).toBe('Q&A');
		expect(ja('section.subprocessors')).toBe('委託先');
		expect(ja('subprocessors.weUse', { count: 1 })).toBe('当社は1社の委託先を利用しています');
		// No shipped German: English, with German numbers.
		expect(wordsFor('de', { 'section.faq': 'Häufige Fragen' })('section.policies')).toBe(
			'Policies',
		);
		// A team's plural map without the count's own form falls back to `other`.
		const pl = wordsFor('pl', {
			'status.failing': { one: 'jedna z błędem', other: '{count} z błędem' },
		});
		expect([1, 3, 5].map((count) => pl('status.failing', { count }))).toEqual([
			'jedna z błędem',
			'3 z błędem',
			'5 z błędem',
		]);
	});

	it('split a sentence into text, links and slots', () => {
		expect(sentenceParts('See <feed>the feed</feed> of {date}.')).toEqual([
			{ text: 'See ' },
			{ text: 'the feed', link: 'feed' },
			{ text: ' of ' },
			{ slot: 'date' },
			{ text: '.' },
		]);
		expect(sentenceParts('No marks at all')).toEqual([{ text: 'No marks at all' }]);
		// A mark left open is text, shown as typed (the content check refuses it in a label).
		expect(sentenceParts('a <feed>b')).toEqual([{ text: 'a <feed>b' }]);
	});
});

describe('the shipped translations', () => {
	it('give every English label, with the same placeholders and link marks', () => {
		for (const [language, dictionary] of Object.entries(SHIPPED)) {
			const missing = Object.keys(EN).filter((key) => !(key in dictionary));
			expect(missing, `${language} has no text for these labels`).toEqual([]);
			for (const [key, text] of Object.entries(dictionary)) {
				const english = new Set(textsOf(EN[key as WordKey]).flatMap(marksOf));
				for (const translated of textsOf(text))
					expect(new Set(marksOf(translated)), `${language} ${key}: ${translated}`).toEqual(
						english,
					);
			}
		}
	});

	it('pass the check a team’s own labels pass, plural forms included', () => {
		for (const [language, dictionary] of Object.entries(SHIPPED))
			expect(
				labelProblems(dictionary as Record<string, string>, language, 'site.yaml', () => undefined),
			).toEqual([]);
		expect(pluralForms('ja')).toEqual(['other']);
		expect(Object.keys(JA).length).toBe(Object.keys(EN).length);
	});

	it('give English a form for one and for other wherever a text counts', () => {
		for (const [key, text] of Object.entries(EN))
			if (typeof text !== 'string') expect(Object.keys(text).sort(), key).toEqual(['one', 'other']);
	});
});
