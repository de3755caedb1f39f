// @yuqing/alerts: pushes hot-issue alerts to 企业微信, 钉钉 and 飞书 group robots and to any webhook: the message in
// Chinese, each platform's request and signature, the POST through the crawlers' SSRF guard and the reading of each
// platform's answer. Which alerts go where is the domain's rule (channelTakesAlert); queueing, retries and the
// delivery log are the pipeline's.
export { alertText, cutToBytes, type AlertText } from './alert-message.ts';
export {
  buildAlertRequest,
  dingtalkSignature,
  feishuSignature,
  webhookSignature,
  renderBodyTemplate,
  templateValues,
  WECOM_MAX_MARKDOWN_BYTES,
  type AlertRequest,
  type AlertRequestContext,
} from './channel-requests.ts';
export { postAlert, readChannelAnswer, ALERT_POST_TIMEOUT_MS, type AlertPostResult } from './post-alert.ts';
