/**
 * Whether a configured value is an http(s) URL a webhook can be posted to. The value is a secret
 * (whoever has it can post to the channel): callers say what is wrong without repeating it.
 */
export function isWebhookUrl(value: string): boolean {
  return /^https?:\/\/\S+$/.test(value);
}

/**
 * Text as Slack's mrkdwn shows it literally: `&`, `<` and `>` escaped (Slack reads `<...>` as a link
 * or a mention, which would swallow a redaction tag such as `<redacted:1f4e9a07>`).
 */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
