export { SlackClient, SlackError, type SlackClientOptions } from './slack-client.js';
export { isWebhookUrl, slackText } from './webhook-url.js';
