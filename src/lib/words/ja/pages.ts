import type { Dictionary } from '../words.ts';

/** The Japanese texts of src/pages/ (src/lib/words/en/pages.ts). */
export const PAGES: Dictionary = {
	// The overview.
	'overview.title': '{company} トラストセンター',
	'overview.lastUpdated': '最終更新日：{date}',
	'overview.statusAsOf': '・管理策のステータス：{date}時点',
	'overview.compliance': 'コンプライアンス',
	'overview.allFrameworks': 'すべてのフレームワーク',
	'overview.practices': 'セキュリティへの取り組み',
	'overview.latestUpdates': '最新のお知らせ',
	'overview.allUpdates': 'すべてのお知らせ',
	'overview.allDocuments': 'すべてのドキュメント',
	'overview.fullList': '一覧を見る',
	'overview.subprocessorFiles':
		'この一覧は <json>JSON</json> 形式と <csv>CSV</csv> 形式でも提供しています。変更は<feed>お知らせフィード</feed>でお知らせします。',
	'overview.stayInformed': '最新情報を受け取る',
	'overview.stayInformedText':
		'セキュリティに関するお知らせ、インシデントの通知、委託先の変更をメールでお届けします。',
	'overview.contacts': 'お問い合わせ先',
	'contact.security': 'セキュリティ',
	'contact.privacy': 'プライバシー',
	'contact.status': 'システムの稼働状況',
	'contact.vulnerabilities': '脆弱性の報告',
	// The 404 page.
	'notFound.tagline':
		'ページが見つかりません。URL をご確認いただくか、サイト内検索または概要ページからお探しください。',
	'notFound.action': '概要ページへ',
	// The NDA request page.
	'access.title': 'NDA 対象ドキュメントのアクセス申請',
	'access.description':
		'{company}の NDA に同意いただくと、セキュリティホワイトペーパー、監査報告書、その他の機密ドキュメントをお受け取りいただけます。',
	'access.intro':
		'当社のセキュリティホワイトペーパーと監査報告書は、秘密保持契約（NDA）の締結後に開示しています。NDA をお読みのうえフォームにご記入いただくと、確認用のリンクをメールでお送りします。確認が済むと、ほとんどの申請はすぐに承認されます。一部の申請は当社セキュリティチームの確認をお待ちいただきます。',
	'access.ndaVersion': 'バージョン {version}（{effective}発効）。SHA-256：{hash}',
	'access.ndaFullText': '{title}（全文）',
	'access.aboutYou': 'お客様の情報',
	'access.fullName': '氏名',
	'access.workEmail': '勤務先のメールアドレス',
	'access.emailHint':
		'このアドレスに確認用のリンクをお送りします。フリーメールのアドレスからの申請は、担当者が個別に確認します。',
	'access.company': '会社名',
	'access.role': '役職',
	'access.reason': '申請理由（任意）',
	'access.sign': 'NDA への署名',
	'access.waiver':
		'{domains} のメールアドレスでは NDA の締結は不要です。これらのアドレスでお申し込みの場合、署名欄と下のチェックボックスは空欄のままで構いません。なお、お渡しするコピーにはすべてお客様ごとの透かしが入ります。',
	'access.typedName': '署名として氏名を入力してください',
	'access.accept': '所属会社を代表して{nda}（バージョン {version}）に同意します',
	'access.submit': 'NDA に同意してアクセスを申請',
	'access.byEmail':
		'当社のセキュリティホワイトペーパーと監査報告書は、秘密保持契約（NDA）の締結後に開示しています。ご希望の場合は、氏名、会社名、必要なドキュメントを添えて {email} までご連絡ください。',
	// The documents page.
	'documents.description':
		'{company}の監査報告書、証明書、各種レターです。公開のものと、NDA 締結後に開示するものがあります。',
	'documents.empty':
		'公開しているドキュメントはまだありません。監査報告書、証明書などの証跡が必要な場合は、<mail>{email}</mail> までご連絡ください。',
	'documents.intro':
		'公開ドキュメントはそのままダウンロードできます。NDA 対象のドキュメントは、当社の NDA に同意いただいた後に共有します。「{request}」からお申し込みください。',
	'documents.introByEmail':
		'公開ドキュメントはそのままダウンロードできます。NDA 対象のドキュメントは、秘密保持契約の締結後に共有します。「{request}」から {email} 宛てにご連絡ください。',
	'documents.download': '{title}をダウンロード',
	// The FAQ page.
	'faq.title': 'よくある質問',
	'faq.description':
		'{company}にお客様からよく寄せられる、セキュリティ、プライバシー、コンプライアンスに関するご質問への回答です。',
	'faq.empty':
		'掲載している質問はまだありません。ご質問は <mail>{email}</mail> までお寄せください。',
	'faq.related': '関連：{frameworks}',
	// The frameworks page.
	'frameworks.description':
		'{company}が取得・対応している認証、監査、法規制と、管理策の最新の件数です。',
	'frameworks.counts':
		'件数は{date}時点の管理策ステータスのスナップショットに基づいています。当社に適用されない管理策は分母から除外し、別に示しています。',
	'frameworks.empty':
		'掲載している認証、監査、法規制はまだありません。当社のコンプライアンスに関するご質問は、<mail>{email}</mail> までご連絡ください。',
	// A framework's page.
	'framework.controlStatus': '管理策のステータス',
	'framework.badge': 'バッジ',
	'framework.scopeLead': '適用範囲：',
	'framework.byStatus': 'ステータス別の{unit}',
	'framework.noStatus': 'ステータス未報告：{count}',
	'framework.chartTitle': '{framework}：ステータス別・領域別の{unit}',
	'framework.ndaControlList':
		'個々の管理策のステータスは、NDA 版のセキュリティホワイトペーパーに記載しています。{request}。',
	'framework.everyControl': '{framework}：すべての管理策',
	'framework.badgeText':
		'このバッジは貴社のサイトや README に掲載できます。常に当社の最新のステータスが表示されます。',
	'framework.embedCode': '{format} の埋め込みコード',
	// The policies page.
	'policies.description':
		'{company}のセキュリティおよびプライバシーに関するポリシーの一覧です。バージョン、責任者、レビュー日を掲載しています。',
	'policies.empty':
		'公開しているポリシーはまだありません。ご希望のポリシーがあれば、<mail>{email}</mail> までご連絡ください。',
	'policies.intro': 'すべてのポリシーには責任者、承認者、レビュー周期が定められています。',
	'policies.introNda':
		'{nda}と表示されたポリシーは、ここでは概要のみを掲載しています。全文は NDA 版のセキュリティホワイトペーパーに記載しており、<request>お申し込み</request>いただけます。',
	// A policy's page.
	'policy.controlsCovered': '対象の管理策',
	'policy.state': '状態',
	'policy.approvedBy': '承認者',
	'policy.effective': '発効日',
	'policy.summaryLead': '概要：',
	'policy.fullTextUnderNda': '全文は NDA 締結後に開示',
	'policy.ndaText':
		'このポリシーの全文は NDA 締結後に開示しており、NDA 版のセキュリティホワイトペーパーに記載しています。{request}。',
	// The subprocessors page.
	'subprocessorsPage.description':
		'{company}に代わって顧客データを処理する第三者（委託先）の一覧です。目的、データ、所在地、移転の根拠を掲載しています。',
	'subprocessorsPage.empty':
		'掲載している委託先はまだありません。新しい委託先は利用開始前にお知らせします。<feed>お知らせフィード</feed>をご購読ください。',
	'subprocessorsPage.emptyMailing':
		'掲載している委託先はまだありません。新しい委託先は利用開始前にお知らせします。下のフォームからメールでの通知をお申し込みいただくか、<feed>お知らせフィード</feed>をご購読ください。',
	'subprocessorsPage.intro':
		'以下の企業が当社に代わって顧客データを処理しています。新しい委託先は、異議を申し立てられる期限とあわせて利用開始前にお知らせします。<feed>お知らせフィード</feed>をご購読ください。機械可読形式の一覧：<json>subprocessors.json</json>、<csv>subprocessors.csv</csv>。',
	'subprocessorsPage.introMailing':
		'以下の企業が当社に代わって顧客データを処理しています。新しい委託先は、異議を申し立てられる期限とあわせて利用開始前にお知らせします。下のフォームからメールでの通知をお申し込みいただくか、<feed>お知らせフィード</feed>をご購読ください。機械可読形式の一覧：<json>subprocessors.json</json>、<csv>subprocessors.csv</csv>。',
	'subprocessorsPage.introNda':
		'「{named}」と表示された委託先は、ここでは一般的な説明のみを掲載しています。名称は NDA 版のセキュリティホワイトペーパーに記載しています。',
	'subprocessorsPage.subscribeHeading': '委託先の変更をメールで受け取る',
	// The subscribe page.
	'subscribe.title': 'お知らせの購読',
	'subscribe.description':
		'{company}のセキュリティに関するお知らせ、インシデントの通知、委託先の変更をメールでお届けします。',
	'subscribe.intro':
		'受け取りたい内容をお選びください。委託先の変更は、異議を申し立てられる期限とあわせて、発効前にお知らせします。',
	'subscribe.noMail':
		'このトラストセンターでは、お知らせをメールでお送りしていません。代わりに<feed>お知らせフィード</feed>をご購読ください。',
	// The updates page.
	'updates.description':
		'{company}の認証に関するニュース、委託先の変更、インシデント、ポリシーの変更をお知らせします。',
	'updates.feeds': '<atom>Atom フィード</atom>または <json>JSON Feed</json> をご購読ください。',
	'updates.feedsMailing':
		'下のフォームから各お知らせをメールで受け取るか、<atom>Atom フィード</atom>または <json>JSON Feed</json> をご購読ください。',
	'updates.emptyFeeds':
		'お知らせはまだありません。<atom>Atom フィード</atom>または <json>JSON Feed</json> をご購読ください。',
	'updates.emptyFeedsMailing':
		'お知らせはまだありません。下のフォームから各お知らせをメールで受け取るか、<atom>Atom フィード</atom>または <json>JSON Feed</json> をご購読ください。',
	'update.subprocessors': 'このお知らせの対象となる委託先',
};
