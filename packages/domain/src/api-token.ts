import { z } from 'zod';

/**
 * What a personal API token may do: `read` — the GET routes (and MCP tools) its owner's role may use; `ingest` —
 * push mentions for the one source it is bound to (POST /api/ingest). Unsafe dashboard routes take no token.
 */
export const API_TOKEN_SCOPES = ['read', 'ingest'] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

/** A token request as the API and the CLI accept it. */
export const apiTokenRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    scopes: z.array(z.enum(API_TOKEN_SCOPES)).min(1).max(API_TOKEN_SCOPES.length),
    /** Required with `ingest`: the source the pushed mentions belong to. */
    sourceId: z.number().int().positive().optional(),
  })
  .refine((t) => !t.scopes.includes('ingest') || t.sourceId !== undefined, {
    message: 'an ingest token is bound to one source: give sourceId',
    path: ['sourceId'],
  });
export type ApiTokenRequest = z.infer<typeof apiTokenRequestSchema>;
