import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';

/**
 * `yq mcp`: the read-only MCP server over stdio, for an assistant started on this machine. Whoever can run `yq`
 * here can already read the database, so no token is asked for; stdout carries only JSON-RPC (logs go to stderr).
 */
export async function run(_argv: string[]): Promise<number> {
  const config = loadCommandConfig();
  // Loaded after the logger is configured: @yuqing/db creates its loggers when first imported.
  const [{ createYuqingMcpServer }, { StdioServerTransport }] = await Promise.all([
    import('@yuqing/mcp'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const database = await openCommandDatabase(config);
  const server = createYuqingMcpServer({ db: database.db, publicUrl: config.publicUrl, timeZone: config.timeZone });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    // The client closing our stdin ends the session.
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.connect(transport);
  await closed;
  await server.close().catch(() => {});
  await database.close();
  return 0;
}
