/**
 * The message catalogue: every Japanese string of the UI lives here.
 * Components call t("signin.title"); a missing key fails the type check.
 */
export const messages = {
  "app.name": "住基ネット監視コンソール",
  "app.tagline": "住民基本台帳ネットワークシステム セキュリティ監視・監査",
  "signin.title": "サインイン",
  "signin.userId": "ユーザーID",
  "signin.password": "パスワード",
  "signin.totp": "確認コード（6桁）",
  "signin.submit": "サインイン",
  "signin.notice": "この端末の操作はすべて記録されます。権限のない利用は法令により罰せられます。",
  "signin.pending": "サインイン機能は準備中です（コンソールの課題で提供されます）。",
} as const;

export type MessageKey = keyof typeof messages;

export function t(key: MessageKey): string {
  return messages[key];
}

const jstFormat = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** Date-time shown to users, always in JST. */
export function formatJst(instant: Date | number | string): string {
  return jstFormat.format(new Date(instant));
}
