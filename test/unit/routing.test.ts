import { describe, expect, it } from 'vitest';
import { accessUrl, docUrl, documentFileUrl, faqUrl, frameworkIdOf, frameworkUrl, slugify } from '../../src/lib/routing/urls.ts';

describe('page URLs', () => {
	it('builds each page with a trailing slash, FAQ answers as anchors', () => {
		expect([frameworkUrl('soc-2'), docUrl('security/network'), docUrl('security'), docUrl(''), faqUrl('uptime')]).toEqual(['/frameworks/soc-2/', '/security/network/', '/security/', '/', '/faq/#uptime']);
	});

	it('publishes a file URL for public documents only', () => {
		expect(documentFileUrl({ id: 'iso-cert', file: 'files/ISO 27001.pdf', access: 'public' })).toBe('/documents/files/iso-cert.pdf');
		expect(documentFileUrl({ id: 'soc2', file: 'files/soc2.pdf', access: 'nda' })).toBeUndefined();
	});

	it('links the access page with the document to tick', () => {
		expect([accessUrl(), accessUrl('whitepaper')]).toEqual(['/access/', '/access/?documents=whitepaper']);
	});

	it('reads the framework id back from a framework page only', () => {
		expect(['/frameworks/soc-2/', '/frameworks/', '/policies/soc-2/'].map(frameworkIdOf)).toEqual(['soc-2', undefined, undefined]);
	});

	it('makes anchors of free text', () => {
		expect([slugify('Business continuity'), slugify('  Risk & assurance! '), slugify('EU cloud hosting provider')]).toEqual(['business-continuity', 'risk-assurance', 'eu-cloud-hosting-provider']);
	});
});
