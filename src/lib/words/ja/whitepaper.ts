import type { Dictionary } from '../words.ts';

/** The Japanese texts of src/whitepaper/ (src/lib/words/en/whitepaper.ts). */
export const WHITEPAPER: Dictionary = {
	'whitepaper.name': 'セキュリティホワイトペーパー（NDA 版）',
	'whitepaper.title': '{company} セキュリティホワイトペーパー（NDA 版）',
	'whitepaper.documentTitle': '{company} セキュリティホワイトペーパー（NDA 版）',
	'whitepaper.pdfSubject':
		'{company} のセキュリティとコンプライアンス（NDA に基づき提供）。管理策のステータスは {asOf} 時点のものです。',
	'whitepaper.keywordSecurity': 'セキュリティ',
	'whitepaper.keywordCompliance': 'コンプライアンス',
	'whitepaper.keywordEdition': 'NDA 版',
	'whitepaper.keywordVersion': 'バージョン {version}',
	'whitepaper.runningHeader': '機密情報（NDA に基づき提供）',
	'whitepaper.pageOf': '{page} / {pages} ページ',
	'cover.label': '表紙',
	'cover.statusAsOf': '管理策ステータスの基準日時',
	'cover.issuedBy': '発行元',
	'cover.notice':
		'機密情報（NDA に基づき提供）。本版には、当社の委託先の名称と、{url} の公開トラストセンターでは一般化して記載している実装の詳細を掲載しています。本書は受領者ごとに個別に発行しています。転送しないでください。',
	'whitepaper.contents': '目次',
	'whitepaper.chapterAbout': '本書について',
	'whitepaper.chapterFrameworks': 'フレームワークと管理策のステータス',
	'whitepaper.chapterUpdates': 'NDA 締結後に開示するお知らせ',
	'whitepaper.chapterFaq': 'よくある質問',
	'whitepaper.chapterContacts': 'お問い合わせ先',
	'whitepaper.aboutEdition':
		'本書は、{company} のセキュリティホワイトペーパーの NDA 版（バージョン {version}）です。当社の公開トラストセンターと同じ情報源から作成し、公開サイトには掲載していない次の情報を加えています。すべての管理策のステータスと最新の証跡の日付、アーキテクチャドキュメントのうち {nda} と表示したセクション、すべての委託先の名称、NDA 締結後に開示するポリシーの全文です。',
	'whitepaper.aboutStatus':
		'管理策のステータスは、{asOf} 時点で当社のコンプライアンス情報源（{sources}）から取得したものです。証跡の経過日数は本版の作成時（{madeAt}）に判定しています。その時点で証跡が {count} 日より古かった管理策は、直前のステータスにかかわらず「証跡が古い」として扱います。ただし、不備のある管理策は「不備あり」のままとします。スナップショットのダイジェスト：{digest}',
	'whitepaper.digestNotRecorded': '記録なし',
	'whitepaper.sectionUnderNda': 'このセクション全体を NDA 締結後に開示しています。',
	'whitepaper.chartTitle': '{framework}：ステータス別・領域別の{unit}',
	'whitepaper.controlListCaption': '{framework}：すべての管理策のステータス',
	'whitepaper.subprocessorsIntro':
		'すべての委託先を名称とともに掲載しています。公開サイトで名称の代わりに概要を表示している委託先は、名称の下にその概要を記載しています。',
	'whitepaper.policyPartlyNda': '一部のセクションを NDA 締結後に開示する公開ポリシーです。',
	'whitepaper.policyMeta':
		'バージョン {version}・責任者 {owner}・承認者 {approver}・最終レビュー日 {date}',
	'whitepaper.documentsIntro':
		'当社のトラストセンターに掲載している監査報告書、証明書、レター類です。公開ドキュメントは記載のアドレスからダウンロードできます。NDA 締結後に開示するドキュメントは、ご依頼に応じて共有します。',
	'whitepaper.howToGet': '入手方法',
	'whitepaper.downloadAt': '<link>{address}</link> からダウンロード',
	'whitepaper.requestAt': '<link>{address}</link> からリクエスト',
	'whitepaper.requestByEmail': '<link>{address}</link> へメールでリクエスト',
	'whitepaper.validUntil': '有効期限：{date}',
	'whitepaper.updateMeta': '{date}・{kind}',
	'whitepaper.contactSecurity': 'セキュリティ',
	'whitepaper.contactPrivacy': 'プライバシー',
	'whitepaper.contactStatusPage': 'ステータスページ',
	'whitepaper.reportVulnerability': '脆弱性は <link>{url}</link> に記載の方法でご報告ください。',
};
