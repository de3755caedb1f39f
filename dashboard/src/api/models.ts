import { z } from 'zod';
import {
  analystLabelCounts,
  getPromotedModel,
  listModelVersions,
  promoteModelVersion,
  rollBackToDefaultModel,
} from '@yuqing/db';
import { DEFAULT_MODEL_NAMES, readShippedModelCard } from '@yuqing/nlp';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';

const taskParams = z.object({ task: z.enum(DEFAULT_MODEL_NAMES) });

/** 模型管理 (admin): the models in use with their cards and figures, retrain history, promote and roll back. */
export const modelRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/models',
    tag: 'models',
    roles: ROLES.admin,
    summary:
      'Per task the model in use (a promoted retrained version, or the shipped default with its card), the retrain history and the analysts’ corrections as training data.',
    handler: async ({ ctx }) => {
      const [versions, corrections, promoted] = await Promise.all([
        listModelVersions(ctx.db),
        analystLabelCounts(ctx.db),
        Promise.all(DEFAULT_MODEL_NAMES.map((task) => getPromotedModel(ctx.db, task))),
      ]);
      const inUse = DEFAULT_MODEL_NAMES.map((task, i) => {
        const p = promoted[i];
        return {
          task,
          inUse: p ? `${task}@${p.version}` : `default:${task}`,
          promotedVersionId: p?.id ?? null,
          defaultCard: readShippedModelCard(task) ?? null,
        };
      });
      return { models: inUse, versions, corrections };
    },
  }),
  route({
    method: 'post',
    path: '/models/versions/:id/promote',
    tag: 'models',
    roles: ROLES.admin,
    params: idParams,
    summary: 'Use this stored version for its task (promote a retrained model, or roll back to an older one).',
    handler: async ({ ctx, params }) => {
      const promoted = await promoteModelVersion(ctx.db, params.id);
      if (!promoted) throw new HttpError(404, 'NOT_FOUND', `模型版本 ${params.id} 不存在`);
      return promoted;
    },
  }),
  route({
    method: 'post',
    path: '/models/:task/rollback',
    tag: 'models',
    roles: ROLES.admin,
    params: taskParams,
    summary: 'Roll a task back to the shipped default model.',
    handler: async ({ ctx, params }) => ({
      task: params.task,
      inUse: `default:${params.task}`,
      unpromoted: await rollBackToDefaultModel(ctx.db, params.task),
    }),
  }),
];
