// The help of every `yq` command, in one place and one language (zh-CN; flags and values stay as typed).
// Kept apart from the commands so that `yq <command> --help` answers without loading the command's packages.

/** One command's entry in `yq --help` and its own `--help`. */
export interface CommandHelp {
  /** One line for the overview. */
  summary: string;
  /** Usage lines, options and examples shown by `yq <command> --help`. */
  usage: string;
}

/** Every command's help, in the order `yq --help` lists them. */
export const COMMAND_HELP = {
  start: {
    summary: '迁移数据库、初始化并启动整个系统（看板、调度、全部队列处理进程）',
    usage: `用法：yq start [--demo] [--no-workers]

  --demo         同时启动内置演示站点，并添加指向它的演示信源
  --no-workers   只启动看板，不在本进程处理队列任务
按 Ctrl-C 停止（正常退出，退出码 0）。`,
  },
  worker: {
    summary: '只运行队列处理进程（可在其他机器上运行，共用数据库与 Redis）',
    usage: `用法：yq worker [--queues crawl,ingest,analyse,alert,digest,maintenance]

  --queues   要处理的队列，逗号分隔（默认全部）`,
  },
  status: {
    summary: '信源、提及、议题数量与排队任务数',
    usage: `用法：yq status [--json]

  --json   以一行 JSON 输出：{"sources": n, "mentions": n, "issues": n, "queued": n}`,
  },
  db: {
    summary: '数据库迁移：应用、生成、查看',
    usage: `用法：
  yq db migrate            应用尚未执行的迁移（也可用 pnpm db:migrate）
  yq db migration <名称>   按 schema.prisma 与现有迁移的差异生成新迁移（也可用 pnpm db:migration <名称>）
  yq db status             列出 prisma/migrations 中的迁移数量`,
  },
  seed: {
    summary: '创建管理员账号（密码只显示一次）和演示信源',
    usage: `用法：yq seed [--demo-url URL]

  --demo-url   演示站点地址；给出时添加指向它的演示信源`,
  },
  'demo-site': {
    summary: '单独运行内置演示站点',
    usage: `用法：yq demo-site [--port N] [--host H] [--interval-ms N]

  --port          端口（默认 YQ_DEMO_PORT，即 3100）
  --host          地址（默认 127.0.0.1）
  --interval-ms   新帖发布间隔（毫秒）`,
  },
  crawl: {
    summary: '立即采集一个信源',
    usage: `用法：yq crawl --source <编号|file.json> [--once] [--out file.jsonl]

  --source   信源编号，或一个信源配置 JSON 文件
  --once     在本进程内立即采集（不加时只把采集任务加入队列）
  --out      把每条提及写成一行 JSON 到该文件，而不写入数据库（文件信源无需数据库）`,
  },
  extract: {
    summary: '提取任意文章页的正文，输出 JSON',
    usage: `用法：yq extract <网址>

输出 {url, title, publishedAt, body, author, siteName, encoding}`,
  },
  model: {
    summary: '分类模型：训练、预测、评估、用分析员的更正重新训练',
    usage: `用法：
  yq model train --task <名称> --input <file.csv|jsonl> --text <列[,列…]> --label <列> --out <model.json>
                 [--holdout 0.25] [--epochs N] [--neighbours K]
  yq model predict --model <model.json|default:relevance|default:subcategory|default:sentiment> [--top N]
                 （从标准输入读取 JSON 行 {"text": …}）
  yq model eval --model <模型> --input <文件> --text <列[,列…]> --label <列> [--json]
  yq model retrain [--task <名称>] [--min-labels N]   （需要数据库中分析员的更正）`,
  },
  detect: {
    summary: '把一段数据流按模拟时钟重放，经过分类、聚类与热点识别',
    usage: `用法：yq detect --input <stream.jsonl|export.csv> [--columns 字段=列,…] [--window-minutes 60] [--relevant-only]

  --input            JSON 行数据流，或 CSV 导出（按扩展名判断，或用 --format jsonl|csv）
  --columns          CSV 的列名对应：字段 id、text、time、title、likes、comments、reposts、source
  --window-minutes   热点识别的时间窗（分钟，默认 60）
  --relevant-only    只聚类相关性模型保留的帖子（与处理进程完全一致）
例：yq detect --input hot_messages.csv --columns id=留言编号,title=留言主题,text=留言详情,time=留言时间,likes=点赞数`,
  },
  digest: {
    summary: '生成并发送每日摘要邮件，或导出舆情日报（.docx）；查看与修改日报订阅及定期报告',
    usage: `用法：yq digest [--date YYYY-MM-DD] [--to 邮箱] [--dry-run --out file.eml] [--docx file.docx]
      yq digest subscription --user <邮箱或用户名> [--enable|--disable] [--reports week,month,quarter,year|none] [--json]

  --date      报告日期（默认：TZ 时区的昨天）
  --to        发送到该地址（使用 SMTP_URL；未设置时写入 <YQ_DATA_DIR>/outbox 下的 .eml）
  --dry-run   不发送；配合 --out 把完整邮件保存为 .eml
  --out       邮件保存位置（.eml）
  --docx      同时把舆情日报写成 Word 文档
subscription：显示并修改该用户的日报订阅（与看板「日报订阅」相同，记入审计日志）。
  --enable / --disable   订阅或退订舆情日报（定期报告随日报订阅发送）
  --reports   同时接收的定期报告：week 周报、month 月报、quarter 季报、year 年报，逗号分隔；none 为不接收`,
  },
  user: {
    summary: '看板账号：添加、重设密码、列出',
    usage: `用法：
  yq user add --username <用户名> --role analyst|spokesperson|leader|admin [--name 显示名] [--email a@b] [--password 密码]
  yq user passwd --username <用户名> [--password 密码]
  yq user list [--json]
不给 --password 时生成一个密码并只显示一次。角色：analyst 分析员、spokesperson 新闻发言人、leader 领导、admin 管理员。`,
  },
  alert: {
    summary: '预警推送渠道：企业微信、钉钉、飞书群机器人、Webhook、邮件与短信网关；测试消息、推送记录、确认与升级',
    usage: `用法：
  yq alert channel add --kind wecom|dingtalk|feishu|webhook --url <地址> [--name 名称] [--min-level 一般|较大|重大]
                       [--secret 密钥] [--keyword 关键词] [--at-mobiles 138…,139…] [--body-template JSON]
                       [--hmac-secret 密钥] [--categories 类别1,类别2] [--keywords 词1,词2]
                       [--quiet-hours 22:00-07:00] [--disabled]
                       [--triggers new-flag,deadline] [--on-duty workday-hours] [--office-hours 08:30-17:30]
                       [--per-minute 5]
  yq alert channel add --kind email --to a@b,c@d [--name 名称] [--min-level …]
  yq alert channel add --kind sms --url <网关地址> --mobiles 138…,139… [--method POST|GET]
                       [--header '名称: 值']… [--body-template 模板] [--body-encoding json|form]
  yq alert channel list [--json]
  yq alert channel remove --id <编号>
  yq alert test --channel <编号>      立即发送一条测试消息
  yq alert deliveries [--limit 50]    最近的推送记录
  yq alert ack <记录编号>              确认“已知悉”：该预警（议题+级别）不再升级
  yq alert escalation set --channel <编号> --to <编号> [--after-minutes N] [--level 重大]
  yq alert escalation list [--json]
  yq alert escalation remove <规则编号>
升级规则：首发渠道的预警在 N 分钟内无人确认“已知悉”（消息中的链接、推送记录页或 yq alert ack），转发到 --to
渠道；不给 --after-minutes 时按级别默认（YQ_ALERT_ACK_MINUTES，默认 重大=10,较大=30,一般 不升级）；不给 --level
时适用于全部级别。同一渠道同一级别只有一条规则，再次设置即替换。
添加渠道后以 JSON 打印（含 id，密钥打码）。--secret：钉钉「加签」或飞书「签名校验」密钥；--hmac-secret：Webhook 的
HMAC-SHA256 签名密钥（请求头 X-Yuqing-Signature: sha256=…）；--quiet-hours：免打扰时段（北京时间），
重大以下的预警等到时段结束再发，重大立即发送。邮件经 SMTP_URL 发送（未设置时写入 outbox）；短信网关的模板用
{{mobile}} 与 {{text}}（GET 时写在地址里），内容按 70 字拆分，每段每个号码一次请求。
--triggers：接收的触发类型（默认全部）：new-flag 新热点、level-raised 级别升级、hotlist.entry 相关热榜条目（首次上榜、
升入前 10、前 3 各推送一次，带平台、排名和热度）、negative-jump 负面占比骤升、
deadline-near 回应时限将到、deadline-passed 回应已超时、awaiting-approval 回应待审批；简写 flag、deadline、
approval、all。--on-duty：值守时段（默认 always）：workday-hours 工作日工作时间、after-hours 工作日非工作时间、
holidays 休息日和节假日（按国务院 2026 年放假与调休安排），时段外的预警等到下一个值守时段再发；
--office-hours：工作时间（默认 08:30-17:30）；--per-minute：每分钟最多推送条数，超出的在下一分钟合并为一条发送。`,
  },
  token: {
    summary: '个人 API 令牌（Bearer yqt_…）：创建、列出、吊销',
    usage: `用法：
  yq token create --user <邮箱或用户名> [--scope read] [--scope ingest --source <信源编号>] [--name 名称]
  yq token list [--user <邮箱或用户名>] [--json]
  yq token revoke <编号>
令牌只显示一次，库中只存其 SHA-256。权限范围：read 只读（该用户角色可用的 GET 接口与 MCP），
ingest 推送数据（POST /api/ingest，绑定一个信源）。`,
  },
  mcp: {
    summary: '只读 MCP 服务（stdio）：检索提及、议题、回应与解读材料、日报',
    usage: `用法：yq mcp

在标准输入输出上提供 MCP（Model Context Protocol）服务，供本机的智能助手调用；日志写到标准错误。
工具：search_mentions 检索提及，list_issues 议题列表，get_issue 议题详情（时间线、热度），
get_response 回应与解读材料，get_digest 舆情日报。
远程客户端请用看板的 /mcp（Streamable HTTP），请求头 Authorization: Bearer <read 权限的 API 令牌>；
get_response 仅对新闻发言人、领导和管理员的令牌提供（分析员的令牌看不到此工具，调用时返回错误）。`,
  },
  report: {
    summary: '生成舆情周报、月报、季报、年报或单一议题的专报（Word 文档、邮件）',
    usage: `用法：
  yq report --period week|month|quarter|year [--week 2026-W48|--month 2026-11|--quarter 2026-Q4|--year 2026]
            [--docx 报告.docx] [--to 邮箱] [--dry-run --out 报告.eml]
  yq report --issue <议题编号> [--docx 专报.docx] [--to 邮箱] [--dry-run --out 专报.eml]

  --period    报告周期；不给周期值时取上一个完整周期（按 TZ 时区划分，周从星期一开始，ISO 周编号）
  --issue     生成该议题的专报：事件脉络、传播趋势、情感分布、重点声音、回应处置记录
  --docx      写成 Word 文档
  --to        发送到该地址（使用 SMTP_URL；未设置时写入 <YQ_DATA_DIR>/outbox 下的 .eml）
  --dry-run   不发送；配合 --out 把完整邮件保存为 .eml
图表需要中文字体：默认在系统常见位置查找（如 fonts-wqy-microhei），或用 YQ_CJK_FONT 指定字体文件。`,
  },
  replies: {
    summary: '答复库：导入历史答复（CSV 或 XLSX），查找相似的历史答复',
    usage: `用法：
  yq replies import <文件.csv|文件.xlsx> --columns question=留言详情,answer=答复意见[,title=留言主题][,department=部门][,time=答复时间] [--json]
  yq replies similar --text <留言或议题内容> [--title 标题] [--top 5]
import：按列名读取每行，重复导入不会重复入库（按内容去重）；结束时打印入库、重复和被拒的行（附行号），
有被拒的行时退出码为 1。
已发布的回应会自动进入答复库。
similar：以 JSON 打印最相似的历史答复（id、score、why 匹配的关键词、excerpt 摘录、department、time）。
示例：yq replies import replies.csv --columns question=留言详情,answer=答复意见,title=留言主题,time=答复时间`,
  },
  policy: {
    summary: '政策出台前风险评估：逐条分析政策草案，输出 Word 评估报告',
    usage: `用法：yq policy assess --input <草案.docx|.pdf|.txt> --out <报告.docx> [--json]

  --input   政策草案或征求意见稿（.docx、.pdf 或 .txt；按内容判断类型，其他格式会被拒绝）
  --out     评估报告（Word）写入位置
  --json    以一行 JSON 输出完整评估（条款、影响群体、可能关切、相关舆情、风险等级与理由、解读问答）
按条款（第X条、一、（一）、1.）拆分，检索数据库中近一年的相关信息与议题，给出低/中/高风险及理由。`,
  },
  source: {
    summary: '信源：按预设添加（微博搜索、微博用户…），或从 JSON 文件添加；列出预设及其参数',
    usage: `用法：
  yq source presets [--json]                     列出预设及其参数
  yq source add --preset <预设> --param 键=值 [--param 键=值 …] [--name 名称] [--region 地区] [--dry-run]
  yq source add --file <信源.json> [--dry-run]
添加后以 JSON 打印新信源（含 id，登录 Cookie 等密钥打码）；--dry-run 只检查并打印，不保存。
例：yq source add --preset weibo-search --param keyword=社保卡
    yq source add --preset weibo-user --param uid=1669879400 --param cookie='SUB=…'`,
  },
  import: {
    summary: '导入 MediaCrawler 的采集结果或第三方导出的 CSV/XLSX，作为提及入库（去重、分析）',
    usage: `用法：
  yq import --format mediacrawler <目录|文件>
  yq import --format csv|xlsx --columns title=列,text=列,time=列,url=列,author=列,likes=列 <文件>

  --format    mediacrawler：MediaCrawler 的 data 目录或其中的 JSON/JSONL/CSV 文件、SQLite 数据库
              （小红书、抖音、快手、B站、微博、贴吧、知乎的帖子与评论）；csv、xlsx：第三方导出
  --columns   csv/xlsx 的列名对应：字段 title、text、time、url、author、likes、comments、reposts
  --json      以一行 JSON 输出汇总
重复导入不会重复入库。输出汇总：入库、重复、被监测方案过滤、被拒绝的行（行号、字段、原因）。
只有文件无法读取时退出码才非 0。
例：yq import --format csv --columns title=标题,text=正文,time=发布时间,url=链接,author=作者,likes=点赞数 导出.csv`,
  },
} satisfies Record<string, CommandHelp>;

/** A command `yq` knows. */
export type CommandName = keyof typeof COMMAND_HELP;

/** `yq --help`: every command with its one-line summary. */
export function overviewHelp(): string {
  const names = Object.keys(COMMAND_HELP) as CommandName[];
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => `  ${name.padEnd(width)}  ${COMMAND_HELP[name].summary}`);
  return `用法：yq <命令> [选项]\n\n命令：\n${lines.join('\n')}\n\n查看某个命令的用法：yq <命令> --help\n`;
}

/** `yq <command> --help`. */
export function commandHelp(name: CommandName): string {
  return `${COMMAND_HELP[name].summary}\n\n${COMMAND_HELP[name].usage}\n`;
}

/** True when argv asks for help (`--help` or `-h` before a `--`). */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}
