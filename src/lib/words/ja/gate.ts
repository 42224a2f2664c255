import type { Dictionary } from '../words.ts';

/** The Japanese texts of the access gate (src/lib/words/en/gate.ts). */
export const GATE: Dictionary = {
	'gate.checkEmailTitle': 'メールをご確認ください',
	'gate.reference': '参照番号：{id}',
	'gate.fieldProblem': '{field}：{message}',

	// The access flow.
	'gate.fallbackTitle': 'アクセス申請',
	'gate.checkEmail':
		'{email} 宛てに確認用のリンクをお送りしました。{count} 時間以内にリンクを開いて申請を確定してください。確定されるまで、ドキュメントは共有されません。',
	'gate.ndaWaived':
		'ご利用のメールアドレスは NDA の締結が免除される対象のため（ルール「{rule}」）、署名は不要でした。お渡しするドキュメントには、すべてお客様向けの透かしが入ります。',
	'gate.checkEmailHelp':
		'申請番号：{id}。数分たってもメールが届かない場合は、迷惑メールフォルダをご確認いただくか、{contact} までご連絡ください。',
	'gate.confirmTitle': 'メールアドレスの確認',
	'gate.confirmText':
		'申請を続けるには、このメールアドレスがご本人のものであることを確認してください。',
	'gate.confirmButton': 'メールアドレスを確認する',
	'gate.alreadyConfirmedTitle': '{title}（確認済み）',
	'gate.alreadyConfirmed':
		'この確認用リンクはすでに使用されています。申請の現在の状況は次のとおりです。',
	'gate.approvedTitle': 'アクセスが承認されました',
	'gate.approved':
		'申請は承認されました。ドキュメントへのリンクを {email} 宛てにメールでお送りしました。',
	'gate.partlyApprovedTitle': 'アクセスが一部承認されました',
	'gate.approvedNow': '承認済み：{documents}。リンクを {email} 宛てにメールでお送りしました。',
	'gate.waitingFor': '審査待ち：{documents}。',
	'gate.reviewTitle': '審査待ち',
	'gate.emailConfirmed': 'メールアドレスの確認が完了しました。ありがとうございます。',
	'gate.review':
		'このような申請は当社のセキュリティチームが審査します。通常 2 営業日以内に、結果を {email} 宛てにメールでお知らせします。',
	'gate.deniedTitle': '申請は承認されませんでした',
	'gate.denied':
		'この申請に対して、これらのドキュメントを共有することはできません。誤りと思われる場合は、<contact>{contact}</contact> までご連絡ください。',
	'gate.receivedTitle': '申請を受け付けました',
	'gate.documentsTitle': '共有されたドキュメント',
	'gate.sharedUnderNda':
		'{name} 様、これらのドキュメントは NDA に基づき {date} まで共有されます。すべてのコピーに、お名前とダウンロード ID の透かしが入ります。',
	'gate.shared':
		'{name} 様、これらのドキュメントは {date} まで共有されます。すべてのコピーに、お名前とダウンロード ID の透かしが入ります。',
	'gate.download': '{title}（PDF）をダウンロード',
	'gate.linkLimits':
		'各リンクは{minutes}間、最大{uses}まで有効です。新しいリンクが必要な場合は、このページを再読み込みしてください。このブラウザでは{openMinutes}間このページを表示できます。その後は、メールのリンクをもう一度開いてください。',
	'gate.minutes': '{count}分',
	'gate.times': '{count}回',

	// Field labels.
	'gateField.reason': '申請理由',
	'gateField.typedName': '署名用の氏名',
	'gateField.accept': '同意',
	'gateField.ndaVersion': 'NDA のバージョン',
	'gateField.ndaSha256': 'NDA のフィンガープリント',
	'gateField.csrf': 'フォームのトークン',
	'gateField.action': '操作',
	'gateField.link': 'リンク',
	'gateField.token': '確認用リンク',
	'gateField.unknown': '不明な項目',
	'fieldProblem.required': '入力してください',
	'fieldProblem.tooLong': '長すぎます（{count}文字以内で入力してください）',
	'fieldProblem.brokenUnicode': '文字化けした文字が含まれています。入力し直してください',
	'fieldProblem.hidden':
		'目に見えない文字や制御文字が含まれています。それらを除いて入力し直してください',
	'fieldProblem.notUtf8':
		'%エスケープを復号すると有効な UTF-8 の文字になりません。入力し直してください',
	'fieldProblem.email': 'メールアドレスの形式ではありません（例：ada@fabrikam.com）',
	'fieldProblem.chooseDocument': 'ドキュメントを1つ以上選んでください',
	'fieldProblem.tick':
		'NDA に同意するには「所属会社を代表して…に同意します」にチェックを入れてください',
	'fieldProblem.typedName': '「氏名」に入力したとおりに氏名を入力してください',
	'fieldProblem.chooseTopic': 'トピックを1つ以上選んでください',
	'fieldProblem.chooseTopicOrUnsubscribe': 'トピックを1つ以上選ぶか、購読を解除してください',

	// The subscription pages.
	'gateSubscription.fallbackTitle': 'お知らせの購読',
	'gateSubscription.fallbackText':
		'このビルドには購読ページが含まれていません。サイトをもう一度ビルドしてください（npm run build）。',
	'gateSubscription.checkEmail':
		'{email} がメールを受信できるアドレスであれば、購読を確認するためのリンクをお送りしています。{count} 時間以内にリンクを開いてください。確認されるまで、メールは配信されません。',
	'gateSubscription.checkEmailHelp':
		'すでに購読済みの場合は、トピックを変更するためのリンクをお送りしています。以前に購読を解除した場合はメールをお送りしません。以前のメールの末尾にあるリンクを開き、「もう一度購読する」を押してください。数分たってもメールが届かない場合は、迷惑メールフォルダをご確認ください。',
	'gateSubscription.confirmTitle': '購読の確認',
	'gateSubscription.confirmText':
		'このアドレスで当社からのお知らせを受け取ることを確認してください。',
	'gateSubscription.confirmButton': '購読を確認する',
	'gateSubscription.alreadyConfirmedTitle': '確認済みです',
	'gateSubscription.subscribedTitle': '購読を開始しました',
	'gateSubscription.subscribed':
		'{topics}について、{email} 宛てにメールでお知らせします。すべてのメールに、トピックの変更や購読の解除をワンクリックで行えるリンクが付いています。',
	'gateSubscription.manageLink': 'トピックの変更・購読の解除',
	'gateSubscription.title': '購読内容',
	'gateSubscription.mailsGoTo': '{topics}について、{email} 宛てにメールをお送りしています。',
	'gateSubscription.save': 'トピックを保存',
	'gateSubscription.unsubscribeAll': 'すべての配信を停止',
	'gateSubscription.bouncing':
		'{email}：このアドレスへのメールが届かない状態が続いたため、配信を停止しました。',
	'gateSubscription.isUnsubscribed':
		'{email}：このアドレスは購読を解除済みです。当社からメールは届きません。',
	'gateSubscription.subscribeAgain': 'もう一度購読する',
	'gateSubscription.saved': 'トピックを保存しました。',
	'gateSubscription.subscribedAgain': '購読を再開しました。',
	'gateSubscription.oneMoreStep':
		'あと少しです。メールアドレスとトピックをご確認のうえ、「購読する」を押してください。',
	'gateSubscription.unsubscribe': '購読を解除',
	'gateSubscription.unsubscribeQuestion': '{email} 宛てのメールをすべて停止しますか？',
	'gateSubscription.changeTopicsInstead': '購読を解除せず、トピックを変更する',
	'gateSubscription.unsubscribedTitle': '配信を停止しました',
	'gateSubscription.unsubscribed':
		'{email} 宛ての購読を解除しました。再度購読する場合は、下のボタンからお手続きください。',

	// Refusals.
	'gateRefusal.fixFormTitle': 'フォームを修正してください',
	'gateRefusal.requestProblems':
		'申請に {count} 件の問題があります。ブラウザの「戻る」ボタンで前のページに戻り、修正してください。入力内容は保持されています。',
	'gateRefusal.formProblems':
		'フォームに {count} 件の問題があります。ブラウザの「戻る」ボタンで前のページに戻り、修正してください。',
	'gateRefusal.unknownConfirmTitle': '不明な確認用リンク',
	'gateRefusal.confirmPageClosed':
		'このページは、お送りしたメールの確認用リンクから開きます。そのリンクをもう一度開くか、{form} から改めて申請してください。',
	'gateRefusal.confirmIncomplete':
		'この確認用リンクは不完全です。メールのリンクをもう一度開くか、{form} から改めて申請してください。',
	'gateRefusal.confirmUnknown':
		'この確認用リンクは当社がお送りしたものではないか、一部しかコピーされていません。メールのリンクをもう一度開くか、{form} から改めて申請してください。',
	'gateRefusal.confirmTokenMissing':
		'確認用のトークンがないか、不完全です。メールのリンクをもう一度開いてください。',
	'gateRefusal.confirmExpiredTitle': '確認用リンクの有効期限切れ',
	'gateRefusal.confirmUsedExpired':
		'この確認用リンクは使用済みで、申請から {count} 時間が過ぎて有効期限が切れたため、これ以上は表示できません。申請についてお送りしたメールをご確認いただくか、{form} から改めて申請してください。',
	'gateRefusal.confirmExpired':
		'この確認用リンクは、申請から {count} 時間が過ぎたため有効期限が切れました。{form} から改めて申請してください。1 分ほどで完了します。',
	'gateRefusal.ndaChangedTitle': 'NDA が変更されました',
	'gateRefusal.ndaChanged':
		'申請ページを読み込んだ後に NDA が変更されました。同意されたのはバージョン {accepted} ですが、現在のバージョンは {current} です。{form} を再読み込みし、現在の NDA をお読みのうえ、もう一度送信してください。',
	'gateRefusal.openFromEmailTitle': 'メールのリンクから開いてください',
	'gateRefusal.grantPageClosed':
		'このページは、アクセスを承認したメールのリンクから開きます。開いたブラウザでは {count} 分間表示できます。メールのリンクをもう一度開いてください。リンクが使えなくなっている場合は、{form} から改めて申請してください。',
	'gateRefusal.unknownLinkTitle': '不明なリンク',
	'gateRefusal.grantUnknown':
		'このリンクはどの承認にも該当しません。メールのリンクをもう一度開いてください。{form} から改めて申請するか、リンクをお送りしたメールにご返信ください。',
	'gateRefusal.revokedTitle': 'アクセスが取り消されました',
	'gateRefusal.grantRevoked':
		'これらのドキュメントへのアクセスは {date} に取り消されました。{form} から改めて申請するか、リンクをお送りしたメールにご返信ください。',
	'gateRefusal.expiredTitle': 'アクセスの有効期限切れ',
	'gateRefusal.grantExpired':
		'これらのドキュメントへのアクセスは {date} に終了しました。{form} から改めて申請するか、リンクをお送りしたメールにご返信ください。',
	'gateRefusal.linkExpiredTitle': 'リンクの有効期限切れ',
	'gateRefusal.linkExpired':
		'ダウンロードリンクの有効期間は {count} 分間で、このリンクは有効期限が切れています。メールからドキュメントのページをもう一度開いて新しいリンクを取得するか、{form} から改めて申請してください。',
	'gateRefusal.linkInvalidTitle': '無効なリンク',
	'gateRefusal.linkInvalid':
		'このダウンロードリンクは無効です。リンクが変更されたか、当社が発行したものではありません。メールからドキュメントのページをもう一度開いて新しいリンクを取得するか、{form} から改めて申請してください。',
	'gateRefusal.notGrantedTitle': 'アクセスの対象外です',
	'gateRefusal.notGranted':
		'このリンクは、お客様のアクセスに含まれていないドキュメントのものです。メールからドキュメントのページをもう一度開いて新しいリンクを取得するか、{form} から改めて申請してください。',
	'gateRefusal.usedUpTitle': 'リンクの使用回数の上限',
	'gateRefusal.usedUp':
		'このダウンロードリンクは、上限の {count} 回まですでに使用されています。メールからドキュメントのページをもう一度開いて新しいリンクを取得するか、{form} から改めて申請してください。',
	'gateRefusal.documentMissingTitle': 'ドキュメントを利用できません',
	'gateRefusal.documentMissing':
		'「{title}」は現在ご利用いただけません。時間をおいて再度お試しいただくか、{contact} までご連絡ください。',
	'gateRefusal.mailFailedTitle': 'メールを送信できませんでした',
	'gateRefusal.mailFailed':
		'ただいま {email} 宛てにメールを送信できませんでした。数分後にもう一度お試しください。解決しない場合は、{contact} までご連絡ください。',
	'gateRefusal.subscriptionsOffTitle': 'メール配信は行っていません',
	'gateRefusal.subscriptionsOff':
		'このトラストセンターでは、お知らせをメールで配信していません。代わりにお知らせフィード（{feed}）をご利用ください。',
	'gateRefusal.subscriptionConfirmPageClosed':
		'このページは、お送りしたメールの確認用リンクから開きます。そのリンクをもう一度開くか、{form} から改めて購読をお申し込みください。',
	'gateRefusal.subscriptionConfirmIncomplete':
		'この確認用リンクは不完全です。メールのリンクをもう一度開くか、{form} から改めて購読をお申し込みください。',
	'gateRefusal.subscriptionConfirmUnknown':
		'この確認用リンクは当社がお送りしたものではないか、一部しかコピーされていないか、購読が削除されています。メールのリンクをもう一度開くか、{form} から改めて購読をお申し込みください。',
	'gateRefusal.subscriptionConfirmExpired':
		'この確認用リンクは、送信から {count} 時間が過ぎたため有効期限が切れました。{form} から改めて購読をお申し込みください。1 分ほどで完了します。',
	'gateRefusal.subscriptionPageClosed':
		'このページは、当社がお送りしたすべてのメールの末尾にあるリンクから開きます。開いたブラウザでは 1 時間表示できます。メールのリンクをもう一度開いてください。',
	'gateRefusal.subscriptionLinkUnknown':
		'このリンクは当社がお送りしたものではないか、一部しかコピーされていないか、配信リストから削除されたアドレスのものです。最新のメールのリンクをもう一度開いてください。それでも当社からメールが届いている場合は、当社までご連絡ください。',
	'gateRefusal.crossSiteTitle': 'リクエストを拒否しました',
	'gateRefusal.crossSite':
		'このフォームは、このサイトからのみ送信できます。{form} を開き、そこから送信してください。',
	'gateRefusal.formExpiredTitle': 'フォームの有効期限切れ',
	'gateRefusal.formExpired':
		'フォームのトークンがないか、有効期限が切れています（フォームの有効期間は 2 時間で、Cookie が必要です）。{form} を再読み込みし、もう一度フォームを送信してください。',
	'gateRefusal.tooManyTitle': 'リクエストが多すぎます',
	'gateRefusal.tooMany':
		'短時間にリクエストが集中したため、受け付けられませんでした。{count} 分ほどお待ちのうえ、もう一度お試しください。',
	'gateRefusal.unsupportedTitle': '対応していないリクエスト',
	'gateRefusal.unsupported':
		'リクエストは "{type}" ではなく、application/json または application/x-www-form-urlencoded で送信してください。',
	'gateRefusal.noContentType':
		'リクエストは Content-Type を指定し、application/json または application/x-www-form-urlencoded で送信してください。',
	'gateRefusal.tooLargeTitle': 'リクエストが大きすぎます',
	'gateRefusal.tooLarge': 'リクエストの本文が、上限の {max} バイトを超えています。',
	'gateRefusal.tooLargeDeclared':
		'リクエストの本文は {bytes} バイトですが、受け付けられるのは {max} バイトまでです。',
	'gateRefusal.invalidTitle': '無効なリクエスト',
	'gateRefusal.tooManyFields':
		'リクエストに {fields} 個の項目がありますが、受け付けられるのは {max} 個までです。フォームの各項目は 1 回ずつ送信してください（documents はドキュメントごとに 1 回）。',
	'gateRefusal.tooManyFieldsOver':
		'リクエストに {max} 個を超える項目がありますが、受け付けられるのは {max} 個までです。フォームの各項目は 1 回ずつ送信してください（documents はドキュメントごとに 1 回）。',
	'gateRefusal.invalidJson': '本文が有効な JSON ではありません：{error}。',
	'gateRefusal.notAnObject':
		'本文は、フォームの項目を含む JSON オブジェクトにしてください（例：{"name": "…", "email": "…"}）。',
	'gateRefusal.charset':
		'リクエストの本文は "{charset}" ではなく UTF-8 で送信してください（Content-Type には charset=utf-8 を指定するか、charset を指定しないでください）。',
	'gateRefusal.notUtf8':
		'リクエストの本文が有効な UTF-8 の文字ではありません。このサイトのページからフォームを送信するか、本文を UTF-8 でエンコードしてください。',
	'gateRefusal.fieldNotUtf8':
		'フォームの項目に、%エスケープを復号すると有効な UTF-8 の文字にならないものがあります。このサイトのページからフォームを送信するか、各項目を UTF-8 でエンコードしてから %エスケープしてください。',
	'gateRefusal.bodyIncomplete':
		'リクエストの本文が、予告された長さに達する前に途切れました（接続が切れたか、送信が中断されました）。もう一度送信してください。',
	'gateRefusal.hostMissing': 'HTTP/1.1 のリクエストでは、Host ヘッダーでサイトを指定してください。',
	'gateRefusal.methodTitle': '許可されていないメソッド',
	// {method}: the HTTP method sent; {allow}: the methods the address takes, e.g. "POST" or "GET, HEAD".
	'gateRefusal.method':
		'ここでは {method} は許可されていません。このアドレスが受け付けるのは {allow} です。',
	'gateRefusal.unavailableTitle': '一時的に利用できません',
	'gateRefusal.unavailable':
		'現在、データベースに接続できません。1 分ほどたってからもう一度お試しください。フォームを送信した場合は、もう一度送信してください。',
	'gateRefusal.internalTitle': '問題が発生しました',
	'gateRefusal.internal':
		'当社側で問題が発生しました。変更は何も行われていません。もう一度お試しください。問題が続く場合は、下記の参照番号を添えて当社までご連絡ください。',
};
