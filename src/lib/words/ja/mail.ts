import type { Dictionary } from '../words.ts';

/** The Japanese texts of the access gate's mail and watermark (src/lib/words/en/mail.ts). */
export const MAIL: Dictionary = {
	'mail.greeting': 'ご担当者様',
	'mail.signature': '{company} セキュリティチーム',
	'mail.confirmSubject': '{company} のセキュリティドキュメントのご依頼を確認してください',
	'mail.confirmRequested': 'このメールアドレスで、{documents} のご依頼をいただきました。',
	'mail.confirmAddress':
		'ご本人のメールアドレスであることを、次のリンクから確認してください（リンクは{count}時間以内に1回のみ有効です）：',
	'mail.confirmIgnore':
		'お心当たりがない場合は、このメールを破棄してください。確認が行われない限り、ドキュメントを共有することはありません。',
	'mail.grantSubject': '{company} のセキュリティドキュメントのご案内',
	'mail.grantAccess': '次のドキュメントをご覧いただけます：{documents}。',
	'mail.grantDownload': '{date} まで、こちらからダウンロードいただけます：',
	'mail.grantWatermarked':
		'各ドキュメントには、お客様ごとの透かしが入っています。貴社内でのみご利用ください。',
	'mail.grantWatermarkedNda':
		'各ドキュメントには、お客様ごとの透かしが入っています。ご同意いただいた NDA に基づき、貴社内でのみご利用ください。',
	'mail.denialSubject': '{company} のセキュリティドキュメントのご依頼について',
	'mail.denied': '誠に恐れ入りますが、現時点では {documents} を共有いたしかねます。',
	'mail.deniedReason': '理由：{reason}',
	'mail.deniedReply': '誤りと思われる場合は、{email} までご返信ください。',
	'mail.brand': '{company} トラストセンター',
	'mail.footerWhy':
		'このメールは、{company} トラストセンターで次のお知らせを購読されている方にお送りしています：{topics}。',
	'mail.manageText': '購読内容の変更・購読の解除：{url}',
	'mail.manageLink': '<link>購読内容の変更・購読の解除</link>',
	'mail.unsubscribeText': '今すぐ購読を解除する：{url}',
	'mail.unsubscribeLink': '<link>今すぐ購読を解除する</link>',
	'mail.subscribeSubject': '{company} トラストセンターのお知らせ購読の確認',
	'mail.subscribePreheader':
		'確認いただくと、{company} トラストセンターのお知らせの配信を開始します。',
	'mail.subscribeHeading': '購読の確認',
	'mail.subscribeAsked':
		'このメールアドレスで、{company} トラストセンターのお知らせ（{topics}）の購読のお申し込みがありました。',
	'mail.subscribeConfirmText':
		'メールの受け取りをご希望の場合は、次のリンクから確認してください（リンクの有効期限は{count}時間です）：',
	'mail.subscribeConfirm':
		'ご希望の場合は、下のボタンから購読を確認してください。リンクの有効期限は{count}時間です。',
	'mail.subscribeButton': '購読を確認する',
	'mail.subscribeIgnore':
		'お心当たりがない場合は、このメールを破棄してください。リンクが使われない限り、このアドレスにメールをお送りすることはありません。',
	'mail.alreadySubject': '{company} トラストセンターのお知らせの購読について',
	'mail.alreadyPreheader': 'このアドレスはすでに購読済みです。',
	'mail.alreadyHeading': 'すでに購読済みです',
	'mail.alreadyText':
		'このメールアドレスで、{company} トラストセンターの購読のお申し込みがありました。このアドレスはすでに次のお知らせを購読しているため、変更はありません：{topics}。',
	'mail.alreadyButton': '購読内容の変更・購読の解除',
	'mail.updateSubject': '【{kind}】{title}',
	'mail.updateLine': '{kind} · {date}',
	'mail.updateReadText': 'お知らせを読む：{url}',
	'mail.updateRead': 'お知らせを読む',
	'mail.factLabel': '{label}：',
	'mail.factSubprocessor': '委託先',
	'mail.factWebsite': 'ウェブサイト',
	'mail.factPurpose': '目的',
	'mail.factData': 'データの種類',
	'mail.factLocations': '所在地',
	'mail.factTransfer': '移転の根拠',
	'mail.factRemoved': '利用終了日',
	'mail.factEffective': '適用開始日',
	'mail.factNotice': '通知日',
	'mail.factObjections': '異議申立期限',
	'mail.unnamedSubprocessor': '{name}（名称は NDA 締結後に開示）',
	'mail.removedSubject': '委託先の利用終了：{name}',
	'mail.removedText': '{name} は、{date}をもって {company} の顧客データの処理を終了しました。',
	'mail.leavingSubject': '委託先の利用終了予定：{name}',
	'mail.leavingText': '{name} は、{date}をもって {company} の顧客データの処理を終了する予定です。',
	'mail.currentListText': '最新の委託先一覧：{url}',
	'mail.currentListLink': '最新の一覧は<link>委託先のページ</link>でご覧いただけます。',
	'mail.plannedSubject': '委託先の追加予定：{name}（異議申立期限 {deadline}）',
	'mail.newSubject': '委託先の追加：{name}（異議申立期限 {deadline}）',
	'mail.plannedHeading': '委託先の追加予定：{name}',
	'mail.newHeading': '委託先の追加：{name}',
	'mail.plannedIntro': '{company} は、{date}から新しい委託先を利用する予定です。',
	'mail.newIntro': '{company} は、{date}から新しい委託先の利用を開始しました。',
	'mail.newPreheader': '{intro}異議申立期限は{date}です。',
	'mail.objectUntil':
		'この変更には、{date}（通知から{count}日後）まで異議を申し立てることができます。異議を申し立てる場合は、{email} までご連絡ください。',
	'mail.objectMailtoText': '異議申し立て用のメールのひな形：{url}',
	'mail.objectButton': 'メールで異議を申し立てる',
	'mail.fullListText': '委託先の一覧：{url}',
	'mail.fullListLink': '委託先の一覧は<link>委託先のページ</link>でご覧いただけます。',
	'mail.objectionSubject': '新しい委託先 {name} への異議申し立て',
	'mail.objectionBody':
		'{company} が {date} から {name}（{purpose}）を委託先として利用することに異議を申し立てます。',
	'mail.objectionCompany': '会社名：',
	'mail.objectionContract': '契約またはアカウント：',
	'mail.objectionReason': '異議の理由：',
	'mail.objectionDeadline': '（異議の申し立ては {date} まで受け付けています。）',
	'watermark.line':
		'提供先：{recipient} · {issued} · ダウンロード {download} · 機密情報（NDA に基づき提供）',
	'watermark.nameAndContact': '{name}（{contact}）',
	'watermark.contactOnly': '（{contact}）',
	'watermark.contact': '{company}、{email}',
};
