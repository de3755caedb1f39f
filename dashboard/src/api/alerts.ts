import { z } from 'zod';
import { sendTestAlert } from '@yuqing/alerts';
import { createDigestMailer } from '@yuqing/digest';
import {
  acknowledgeAlertDelivery,
  createAlertChannel,
  listAlertChannels,
  listAlertDeliveries,
  listEscalationRules,
  removeAlertChannel,
  removeEscalationRule,
  setEscalationRule,
} from '@yuqing/db';
import {
  escalationRuleInputSchema,
  parseAckMinutes,
  parseAlertChannelDefinition,
  shownAlertChannel,
} from '@yuqing/domain';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ALL_ROLES, ROLES } from '../auth/roles.ts';

/** Alert channels (企业微信 / 钉钉 / 飞书 / webhook) and the delivery log: admin only (configs hold secrets). */
export const alertRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/alert-channels',
    tag: 'alerts',
    roles: ROLES.admin,
    summary: 'Alert channels, secrets masked.',
    handler: async ({ ctx }) => ({ items: (await listAlertChannels(ctx.db)).map(shownAlertChannel) }),
  }),
  route({
    method: 'post',
    path: '/alert-channels',
    tag: 'alerts',
    roles: ROLES.admin,
    // The domain's schema validates the kind's config and names the bad field (ALERT_CHANNEL_INVALID → 400).
    body: z.record(z.string(), z.unknown()),
    status: 201,
    summary: 'Add a channel: name, kind, config (the kind’s fields), filter (minLevel, categories, keywords).',
    handler: async ({ ctx, body, actor }) => ({
      channel: shownAlertChannel(await createAlertChannel(ctx.db, parseAlertChannelDefinition(body), actor)),
    }),
  }),
  route({
    method: 'delete',
    path: '/alert-channels/:id',
    tag: 'alerts',
    roles: ROLES.admin,
    params: idParams,
    summary: 'Remove a channel and its delivery log.',
    handler: async ({ ctx, params, actor }) => {
      await removeAlertChannel(ctx.db, params.id, actor);
      return { removed: params.id };
    },
  }),
  route({
    method: 'post',
    path: '/alert-channels/:id/test',
    tag: 'alerts',
    roles: ROLES.admin,
    params: idParams,
    summary: 'Send a test message to a channel now; the platform’s refusal comes back with its code and message.',
    handler: async ({ ctx, params }) => {
      // E-mail channels go through the digest's mailer, made for this one message.
      const mailer = createDigestMailer(ctx.config);
      try {
        return { sent: true, ...(await sendTestAlert({ db: ctx.db, config: ctx.config, mailer }, params.id)) };
      } finally {
        mailer.close();
      }
    },
  }),
  route({
    method: 'get',
    path: '/alert-deliveries',
    tag: 'alerts',
    roles: ROLES.admin,
    query: z.object({ channelId: z.coerce.number().int().positive().optional() }),
    summary: 'The latest 100 deliveries, newest first.',
    handler: async ({ ctx, query }) => ({
      items: await listAlertDeliveries(ctx.db, {
        limit: 100,
        ...(query.channelId ? { channelId: query.channelId } : {}),
      }),
    }),
  }),
  route({
    method: 'get',
    path: '/issues/:id/alerts',
    tag: 'alerts',
    roles: ALL_ROLES,
    params: idParams,
    summary:
      'The alerts pushed about one issue (newest first, at most 50): channel name, level, trigger, status, sent and acknowledged (by whom, how), so whoever is on duty can acknowledge from the issue page. No channel configuration.',
    handler: async ({ ctx, params }) => ({
      items: (await listAlertDeliveries(ctx.db, { issueId: params.id, limit: 50 })).map((d) => ({
        id: d.id,
        channel: { name: d.channel.name, kind: d.channel.kind },
        level: d.level,
        trigger: d.trigger,
        status: d.status,
        createdAt: d.createdAt,
        sentAt: d.sentAt,
        acknowledgedAt: d.acknowledgedAt,
        acknowledgedVia: d.acknowledgedVia,
        acknowledgedBy: d.acknowledgedBy ? { displayName: d.acknowledgedBy.displayName } : null,
      })),
    }),
  }),
  route({
    method: 'post',
    path: '/alert-deliveries/:id/ack',
    tag: 'alerts',
    roles: ALL_ROLES,
    params: idParams,
    summary:
      'Acknowledge (已知悉) a delivery: the alert (issue and level) escalates no further. Audited; a second acknowledgement changes nothing and says who came first.',
    handler: async ({ ctx, params, actor }) =>
      acknowledgeAlertDelivery(ctx.db, params.id, { via: 'dashboard', at: ctx.clock.now(), actor }),
  }),
  route({
    method: 'get',
    path: '/alert-escalation-rules',
    tag: 'alerts',
    roles: ROLES.admin,
    summary: 'Escalation rules with both channels’ names, and the default minutes per level (YQ_ALERT_ACK_MINUTES).',
    handler: async ({ ctx }) => ({
      items: await listEscalationRules(ctx.db),
      defaults: parseAckMinutes(ctx.config.alertAckMinutes),
    }),
  }),
  route({
    method: 'post',
    path: '/alert-escalation-rules',
    tag: 'alerts',
    roles: ROLES.admin,
    body: escalationRuleInputSchema,
    status: 201,
    summary:
      'Set a channel’s escalation rule for a level (or every level): unacknowledged after afterMinutes (default: the level’s) → toChannelId. Replaces the rule of that channel and level.',
    handler: async ({ ctx, body, actor }) => ({ rule: await setEscalationRule(ctx.db, body, actor) }),
  }),
  route({
    method: 'delete',
    path: '/alert-escalation-rules/:id',
    tag: 'alerts',
    roles: ROLES.admin,
    params: idParams,
    summary: 'Remove an escalation rule.',
    handler: async ({ ctx, params, actor }) => {
      await removeEscalationRule(ctx.db, params.id, actor);
      return { removed: params.id };
    },
  }),
];
