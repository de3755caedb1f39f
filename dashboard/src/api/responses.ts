import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { allowedResponseActions, RESPONSE_KINDS, rumourRebuttalTemplate } from '@yuqing/domain';
import {
  addMaterial,
  approveResponse,
  createResponse,
  getIssue,
  getMaterial,
  getResponse,
  getResponseVersion,
  listResponses,
  publishResponse,
  removeMaterial,
  returnResponse,
  reviseResponse,
  submitResponse,
} from '@yuqing/db';
import { HttpError } from '../http/errors.ts';
import { idParams, MAX_UPLOAD_BYTES, route, type RouteSpec } from '../http/route-registry.ts';
import { ALL_ROLES, ROLES } from '../auth/roles.ts';
import { ACCEPTED_FILE_TYPES_TEXT, attachmentDisposition, inspectUpload, safeFileName } from '../uploads/file-type.ts';
import { diffTexts } from '../text-diff.ts';
import { csvOf, positiveInt } from './query-schemas.ts';

/** Longest response text, in characters. */
const MAX_RESPONSE_CHARS = 20_000;
const RESPONSE_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'published'] as const;

const textBody = z.object({ body: z.string().trim().min(1).max(MAX_RESPONSE_CHARS) });
const createBody = z.object({
  issueId: z.number().int().positive(),
  kind: z.enum(RESPONSE_KINDS).default('statement').describe('statement (口径) or rumour_rebuttal (辟谣说明)'),
  body: z
    .string()
    .trim()
    .max(MAX_RESPONSE_CHARS)
    .optional()
    .describe('required for a statement; a rumour rebuttal without one starts from the 辟谣 template'),
});
const commentBody = z.object({ comment: z.string().trim().max(2000).optional() });
const returnBody = z.object({
  comment: z.string().trim().min(1, '退回时请填写意见 (a comment is required)').max(2000),
});
const publishBody = z.object({
  channel: z.string().trim().min(1).max(100).describe('e.g. 官网, 政务微博, 微信公众号, 新闻发布会'),
  url: z
    .string()
    .trim()
    .url()
    .max(2000)
    .refine((u) => /^https?:/i.test(u), 'expected an http(s) URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  publishedAt: z.string().datetime({ offset: true }).optional(),
});
const materialBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('qa'),
    title: z.string().trim().min(1).max(200),
    question: z.string().trim().min(1).max(2000),
    answer: z.string().trim().min(1).max(10_000),
  }),
  z.object({
    kind: z.literal('explainer'),
    title: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(MAX_RESPONSE_CHARS),
  }),
]);
const fileFields = z.object({ title: z.string().trim().max(200).optional() });

function requireFound<T>(value: T | null, what: string): T {
  if (value === null) throw new HttpError(404, 'NOT_FOUND', `${what} 不存在 (not found)`);
  return value;
}

/** Responses (口径): drafts with versions and diff, materials, submit / approve / return, publish. */
export const responseRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/responses',
    tag: 'responses',
    roles: ROLES.read,
    query: z.object({ issueId: positiveInt.optional(), status: csvOf(RESPONSE_STATUSES).optional() }),
    summary: 'Responses newest first, with overdue marking.',
    handler: async ({ ctx, query }) => {
      const now = ctx.clock.now();
      const items = await listResponses(ctx.db, query);
      return {
        items: items.map((r) => ({
          ...r,
          overdue: r.status !== 'published' && r.deadlineAt !== null && r.deadlineAt < now,
        })),
      };
    },
  }),
  route({
    method: 'post',
    path: '/responses',
    tag: 'responses',
    roles: ROLES.draft,
    body: createBody,
    status: 201,
    summary:
      'Start a response to an issue (version 1); the issue becomes responding. kind rumour_rebuttal (辟谣) needs an issue marked as a rumour, starts from its template when no body is given, and is submitted only with 【事实】【依据】【权威来源】【联系方式】 filled in.',
    handler: async ({ ctx, body, session, actor }) => {
      let text = body.body ?? '';
      if (!text && body.kind === 'rumour_rebuttal') {
        const issue = await getIssue(ctx.db, body.issueId);
        if (!issue) throw new HttpError(404, 'NOT_FOUND', `议题 ${body.issueId} 不存在 (not found)`);
        text = rumourRebuttalTemplate({ issueTitle: issue.title, note: issue.rumourNote });
      }
      if (!text) throw new HttpError(400, 'VALIDATION_FAILED', 'body: 请填写回应内容 (required)');
      return createResponse(
        ctx.db,
        { issueId: body.issueId, authorId: session.user.id, body: text, now: ctx.clock.now(), kind: body.kind },
        actor,
      );
    },
  }),
  route({
    method: 'get',
    path: '/responses/:id',
    tag: 'responses',
    roles: ROLES.read,
    params: idParams,
    summary:
      'A response with versions, decisions, publish records, materials and the actions its status allows (allowedActions).',
    handler: async ({ ctx, params }) => {
      const r = requireFound(await getResponse(ctx.db, params.id), `回应 ${params.id}`);
      return {
        ...r,
        overdue: r.status !== 'published' && r.deadlineAt !== null && r.deadlineAt < ctx.clock.now(),
        allowedActions: allowedResponseActions(r),
      };
    },
  }),
  route({
    method: 'post',
    path: '/responses/:id/versions',
    tag: 'responses',
    roles: ROLES.draft,
    params: idParams,
    body: textBody,
    status: 201,
    summary: 'Save a new version (draft, returned or approved responses; the new version is a draft again).',
    handler: async ({ ctx, params, body, session, actor }) =>
      reviseResponse(ctx.db, params.id, { authorId: session.user.id, body: body.body }, actor),
  }),
  route({
    method: 'get',
    path: '/responses/:id/diff',
    tag: 'responses',
    roles: ROLES.read,
    params: idParams,
    query: z.object({ from: positiveInt, to: positiveInt }),
    summary: 'Differences between two versions: [{op: equal|insert|delete, text}].',
    handler: async ({ ctx, params, query }) => {
      const [a, b] = await Promise.all([
        getResponseVersion(ctx.db, params.id, query.from),
        getResponseVersion(ctx.db, params.id, query.to),
      ]);
      requireFound(a, `版本 ${query.from}`);
      requireFound(b, `版本 ${query.to}`);
      return { from: query.from, to: query.to, segments: diffTexts(a!.body, b!.body) };
    },
  }),
  route({
    method: 'post',
    path: '/responses/:id/submit',
    tag: 'responses',
    roles: ROLES.draft,
    params: idParams,
    summary: 'Submit the current version for approval.',
    handler: async ({ ctx, params, actor }) => submitResponse(ctx.db, params.id, ctx.clock.now(), actor),
  }),
  route({
    method: 'post',
    path: '/responses/:id/approve',
    tag: 'responses',
    roles: ROLES.approve,
    params: idParams,
    body: commentBody,
    summary: 'Leader approves the submitted version.',
    handler: async ({ ctx, params, body, session, actor }) =>
      approveResponse(
        ctx.db,
        params.id,
        { deciderId: session.user.id, comment: body.comment ?? null, now: ctx.clock.now() },
        actor,
      ),
  }),
  route({
    method: 'post',
    path: '/responses/:id/return',
    tag: 'responses',
    roles: ROLES.approve,
    params: idParams,
    body: returnBody,
    summary: 'Leader returns the response with a comment.',
    handler: async ({ ctx, params, body, session, actor }) =>
      returnResponse(
        ctx.db,
        params.id,
        { deciderId: session.user.id, comment: body.comment, now: ctx.clock.now() },
        actor,
      ),
  }),
  route({
    method: 'post',
    path: '/responses/:id/publish',
    tag: 'responses',
    roles: ROLES.publish,
    params: idParams,
    body: publishBody,
    status: 201,
    summary: 'Record publication (channel, URL, time) of an approved response; resolves the issue.',
    handler: async ({ ctx, params, body, session, actor }) =>
      publishResponse(
        ctx.db,
        params.id,
        {
          channel: body.channel,
          url: body.url ?? null,
          publishedAt: body.publishedAt ? new Date(body.publishedAt) : ctx.clock.now(),
          publishedById: session.user.id,
        },
        actor,
      ),
  }),
  route({
    method: 'post',
    path: '/responses/:id/materials',
    tag: 'responses',
    roles: ROLES.draft,
    params: idParams,
    body: materialBody,
    status: 201,
    summary: 'Attach a Q&A pair or a plain-language explainer (draft or returned responses only).',
    handler: async ({ ctx, params, body, session, actor }) =>
      addMaterial(ctx.db, params.id, body, session.user.id, actor),
  }),
  route({
    method: 'post',
    path: '/responses/:id/files',
    tag: 'responses',
    roles: ROLES.draft,
    params: idParams,
    body: fileFields,
    upload: true,
    status: 201,
    summary: `Upload an interpretation file to a draft or returned response (PDF, DOCX, XLSX, PPTX, PNG, JPEG; type checked by content, Office files opened and checked entry by entry; at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB).`,
    handler: async ({ ctx, params, body, file, session, actor }) => {
      if (!file) throw new HttpError(400, 'FILE_MISSING', '请选择文件 (multipart field "file" missing)');
      const verdict = await inspectUpload(file.buffer);
      if ('refused' in verdict)
        throw new HttpError(
          415,
          'FILE_TYPE_REFUSED',
          `只接受 ${ACCEPTED_FILE_TYPES_TEXT} 文件 (refused: ${verdict.refused})`,
        );
      const { type } = verdict;
      // Multer decodes filename="…" as UTF-8 and filename*=charset''… (RFC 5987) by its charset: no re-decoding.
      const fileName = safeFileName(file.originalname, type.extension);
      const month = ctx.clock.now().toISOString().slice(0, 7);
      const dir = join(ctx.uploadsDir, month);
      await mkdir(dir, { recursive: true });
      const path = join(dir, `${randomBytes(16).toString('hex')}.${type.extension}`);
      await writeFile(path, file.buffer, { mode: 0o600, flag: 'wx' });
      try {
        return await addMaterial(
          ctx.db,
          params.id,
          {
            kind: 'file',
            title: body.title || fileName,
            fileName,
            mimeType: type.mimeType,
            sizeBytes: file.size,
            sha256: createHash('sha256').update(file.buffer).digest('hex'),
            storagePath: relative(ctx.uploadsDir, path),
          },
          session.user.id,
          actor,
        );
      } catch (error) {
        // Keep disk and database in step: no orphan files.
        await rm(path, { force: true });
        throw error;
      }
    },
  }),
  route({
    method: 'delete',
    path: '/materials/:id',
    tag: 'responses',
    roles: ROLES.draft,
    params: idParams,
    summary: 'Remove material from a draft or returned response (audited as material.remove); its file is deleted.',
    handler: async ({ ctx, params, actor }) => {
      const { storagePath } = await removeMaterial(ctx.db, params.id, actor);
      // Only after the removal committed: a refused removal keeps its file.
      if (storagePath) {
        const root = resolve(ctx.uploadsDir);
        const path = resolve(root, storagePath);
        if (path.startsWith(root + sep)) await rm(path, { force: true });
      }
      return { ok: true };
    },
  }),
  route({
    method: 'get',
    path: '/materials/:id/file',
    tag: 'responses',
    roles: ALL_ROLES,
    params: idParams,
    produces: 'application/octet-stream',
    summary: 'Download an uploaded file (always as an attachment, with its checked type and nosniff).',
    raw: true,
    handler: async ({ ctx, params, res }) => {
      const material = requireFound(await getMaterial(ctx.db, params.id), `材料 ${params.id}`);
      if (material.kind !== 'file' || !material.storagePath || !material.mimeType || !material.fileName)
        throw new HttpError(404, 'NOT_FOUND', '该材料没有文件 (no file)');
      const root = resolve(ctx.uploadsDir);
      const path = resolve(root, material.storagePath);
      if (!path.startsWith(root + sep)) throw new HttpError(404, 'NOT_FOUND', 'file not found');
      const info = await stat(path).catch(() => null);
      if (!info) throw new HttpError(404, 'FILE_GONE', '文件已不在存储中 (file missing from storage)');
      res.setHeader('Content-Type', material.mimeType);
      res.setHeader('Content-Length', String(info.size));
      res.setHeader('Content-Disposition', attachmentDisposition(material.fileName));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cache-Control', 'private, no-store');
      await new Promise<void>((done, fail) => {
        const stream = createReadStream(path);
        stream.on('error', fail);
        res.on('finish', done);
        res.on('close', done);
        stream.pipe(res);
      });
    },
  }),
];
