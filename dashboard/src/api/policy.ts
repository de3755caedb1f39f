import { z } from 'zod';
import { errorCode } from '@yuqing/core';
import {
  getPolicyAssessment,
  getPolicyAssessmentReport,
  listPolicyAssessments,
  savePolicyAssessment,
} from '@yuqing/db';
import { assessPolicyDocument, POLICY_DOCUMENT_TYPES_TEXT } from '@yuqing/pipeline';
import { HttpError } from '../http/errors.ts';
import { idParams, MAX_UPLOAD_BYTES, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';
import { attachmentDisposition, safeFileName } from '../uploads/file-type.ts';

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Pre-release risk assessment of draft policies (重大决策出台前风险评估): upload → clause table → .docx report. */
export const policyRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: '/policy/assessments',
    tag: 'policy',
    roles: ROLES.policy,
    body: z.object({}),
    upload: true,
    status: 201,
    summary: `Assess a draft policy (${POLICY_DOCUMENT_TYPES_TEXT}, type checked by content, at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB): clauses, affected groups, concerns, related public opinion, risk levels with reasons, suggested Q&A; stored with its .docx report. Other types: 415 UNSUPPORTED_FILE_TYPE.`,
    handler: async ({ ctx, file, session, actor }) => {
      if (!file) throw new HttpError(400, 'FILE_MISSING', '请选择政策文件 (multipart field "file" missing)');
      // The name is only printed; the type is read from the bytes.
      const extension = /\.([A-Za-z0-9]{1,8})$/.exec(file.originalname)?.[1] ?? 'txt';
      const fileName = safeFileName(file.originalname, extension);
      let result;
      try {
        result = await assessPolicyDocument(ctx.db, file.buffer, {
          fileName,
          now: ctx.clock.now(),
          timeZone: ctx.config.timeZone,
        });
      } catch (error) {
        if (errorCode(error) === 'UNSUPPORTED_FILE_TYPE')
          throw new HttpError(415, 'UNSUPPORTED_FILE_TYPE', (error as Error).message);
        throw error;
      }
      const row = await savePolicyAssessment(
        ctx.db,
        { fileName, assessment: result.assessment, report: result.report, createdById: session.user.id },
        actor,
      );
      return { id: row.id, fileName, createdAt: row.createdAt, ...result.assessment };
    },
  }),
  route({
    method: 'get',
    path: '/policy/assessments',
    tag: 'policy',
    roles: ROLES.policy,
    summary: 'Stored assessments, newest first (title, file, level, time).',
    handler: async ({ ctx }) => ({ items: await listPolicyAssessments(ctx.db) }),
  }),
  route({
    method: 'get',
    path: '/policy/assessments/:id',
    tag: 'policy',
    roles: ROLES.policy,
    params: idParams,
    summary: 'One assessment: the clause table with groups, concerns, evidence, level and reasons, and the Q&A.',
    handler: async ({ ctx, params }) => {
      const row = await getPolicyAssessment(ctx.db, params.id);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `评估 ${params.id} 不存在 (not found)`);
      return { id: row.id, fileName: row.fileName, createdAt: row.createdAt, ...row.result };
    },
  }),
  route({
    method: 'get',
    path: '/policy/assessments/:id/report',
    tag: 'policy',
    roles: ROLES.policy,
    params: idParams,
    produces: DOCX_MIME,
    raw: true,
    summary: 'The assessment report as .docx (attachment).',
    handler: async ({ ctx, params, res }) => {
      const row = await getPolicyAssessmentReport(ctx.db, params.id);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `评估 ${params.id} 不存在 (not found)`);
      res.setHeader('Content-Type', DOCX_MIME);
      res.setHeader('Content-Disposition', attachmentDisposition(`政策风险评估-${params.id}.docx`));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Cache-Control', 'private, no-store');
      res.end(row.report);
    },
  }),
];
