// @yuqing/alerts: pushes hot-issue alerts to 企业微信, 钉钉 and 飞书 group robots, any webhook, e-mail (through an
// injected mailer) and generic HTTP SMS gateways: the message in
// Chinese, each platform's request and signature, the POST through the crawlers' SSRF guard and the reading of each
// platform's answer, the fan-out of a flag to the channels that take it (channelTakesAlert, the domain's rule) and
// the delivery log, the signed 已知悉 link each message carries and the escalation of alerts nobody acknowledged. The
// pipeline wires delivery and escalation to the alert queue; the CLI and the dashboard send test messages.
export { alertText, alertSmsText, alertMail, cutToBytes, type AlertText, type AlertMail } from './alert-message.ts';
export {
  buildAlertRequest,
  buildAlertRequests,
  buildSmsRequests,
  smsParts,
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
export {
  deliverAlert,
  enqueueAlertDeliveries,
  sendTestAlert,
  ackLinksOf,
  ALERT_DELIVERY_ATTEMPTS,
  type AlertDeliveryDeps,
  type AlertMailer,
  type AlertDeliveryOutcome,
  type RaisedFlag,
} from './alert-delivery.ts';
export {
  ChannelBreaker,
  BREAKER_FAILURE_THRESHOLD,
  BREAKER_COOL_DOWN_MS,
  type ChannelBreakerOptions,
} from './channel-breaker.ts';
export { enqueueTriggerDeliveries, deliverAlertBatch, batchAlert, type AlertBatchOutcome } from './alert-triggers.ts';
export { ChannelRateLimit, holdForBatch } from './channel-rate-limit.ts';
export { AckLinks, ACK_LINK_KEY_INFO, ACK_LINK_VALIDITY_MS, type AckLinkCheck } from './ack-link.ts';
export { escalateAlerts, type EscalationDeps, type EscalationTick } from './alert-escalation.ts';
