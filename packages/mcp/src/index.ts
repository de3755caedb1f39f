// @yuqing/mcp: the read-only Model Context Protocol server (official @modelcontextprotocol/sdk). `yq mcp` serves it
// over stdio; the dashboard serves it as streamable HTTP at /mcp behind an API token with scope read.
export { createYuqingMcpServer, type YuqingMcpOptions } from './mcp-tools.ts';
export { MCP_TOOL_ROLES, mcpToolAllowed } from './tool-roles.ts';
