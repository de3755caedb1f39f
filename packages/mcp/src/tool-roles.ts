// Which roles may use which MCP tool. A response draft (口径) and its interpretation material are the spokesperson's
// and the leader's until published, so `get_response` is theirs and the admin's; an analyst's token does not see it
// in tools/list and calling it answers an error. Tools not listed here are for every role that may read.
import type { Role } from '@yuqing/db';

/** Roles per restricted tool (a tool absent here is open to every role). */
export const MCP_TOOL_ROLES: Readonly<Record<string, readonly Role[]>> = {
  get_response: ['spokesperson', 'leader', 'admin'],
};

/**
 * True when a client acting as `role` may use `tool`. Without a role (`yq mcp` over stdio: whoever can run it can
 * already read the database) every tool is served.
 */
export function mcpToolAllowed(tool: string, role: Role | undefined): boolean {
  if (role === undefined) return true;
  const roles = MCP_TOOL_ROLES[tool];
  return !roles || roles.includes(role);
}
