import { z } from 'zod';
import { checkDraft } from '@yuqing/domain';
import { getResponse, issueQuestionTexts, type Db } from '@yuqing/db';
import { ReplyLibrary } from '@yuqing/pipeline';
import { HttpError } from '../http/errors.ts';
import { idParams, route, type RouteSpec } from '../http/route-registry.ts';
import { ROLES } from '../auth/roles.ts';

/** Most similar replies one request may ask for. */
const MAX_SIMILAR = 20;
/** Mentions of the issue read as what the public asked. */
const QUESTION_MENTIONS = 20;
/** Characters of the issue's mentions sent to the similarity search (the first mentions say what it is about). */
const MAX_QUERY_CHARS = 6000;
/** Longest draft the check reads, in characters (the response text's own limit). */
const MAX_DRAFT_CHARS = 20_000;

/** Who sees the draft check: those who write the response and the leader who approves it. */
const DRAFT_CHECK_ROLES = [...new Set([...ROLES.draft, ...ROLES.approve])];

// One library (and its in-memory index) per database: the index is rebuilt only when replies were added.
const libraries = new WeakMap<Db, ReplyLibrary>();
function libraryOf(db: Db): ReplyLibrary {
  let library = libraries.get(db);
  if (!library) {
    library = new ReplyLibrary(db);
    libraries.set(db, library);
  }
  return library;
}

async function responseAndQuestion(db: Db, id: number) {
  const response = await getResponse(db, id);
  if (!response) throw new HttpError(404, 'NOT_FOUND', `回应 ${id} 不存在 (not found)`);
  const asked = await issueQuestionTexts(db, response.issue.id, QUESTION_MENTIONS);
  return { response, mentions: asked?.mentions ?? [], title: asked?.title ?? response.issue.title };
}

/** Reply library (答复库) routes in the response workspace: similar past replies and the draft check. */
export const replyRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/responses/:id/similar-replies',
    tag: 'responses',
    roles: ROLES.draft,
    params: idParams,
    query: z.object({ top: z.coerce.number().int().min(1).max(MAX_SIMILAR).default(5) }),
    summary:
      'The past official replies most similar to the issue of this response (title and mentions), each with the shared key terms (why), an excerpt and the whole answer to start a draft from.',
    handler: async ({ ctx, params, query }) => {
      const { mentions, title } = await responseAndQuestion(ctx.db, params.id);
      const text = mentions
        .map((m) => `${m.title}\n${m.body}`)
        .join('\n')
        .slice(0, MAX_QUERY_CHARS);
      const items = await libraryOf(ctx.db).similar({ title, text: text || title }, query.top);
      return { items };
    },
  }),
  route({
    method: 'post',
    path: '/responses/:id/draft-check',
    tag: 'responses',
    roles: DRAFT_CHECK_ROLES,
    params: idParams,
    body: z.object({
      body: z
        .string()
        .max(MAX_DRAFT_CHARS)
        .optional()
        .describe('The draft as edited now; without it the current version is checked.'),
    }),
    summary:
      'Draft check (回应口径自检): the questions raised in the mentions answered or not, department, time limit, contact, policy basis, risky phrases, length, timeliness; a score 0–100 and zh-CN hints.',
    handler: async ({ ctx, params, body }) => {
      const { response, mentions } = await responseAndQuestion(ctx.db, params.id);
      const current = response.versions.find((v) => v.version === response.currentVersion);
      return checkDraft({
        draft: body.body ?? current?.body ?? '',
        mentions,
        deadlineAt: response.deadlineAt,
        now: ctx.clock.now(),
      });
    },
  }),
];
