// The items the demo site serves (news articles, board messages, forum posts) and how a board message looks at one
// instant. Plain data: the content model makes them, the pages and feeds render them.

/** A news article on /news/ (and in the RSS feed). */
export interface NewsArticle {
  sequence: number;
  id: string;
  title: string;
  paragraphs: string[];
  /** Outlet shown as 来源. */
  source: string;
  editor: string;
  publishedAt: Date;
  topic: string;
  onTopic: boolean;
  hot: boolean;
  repostOf?: string;
}

/** The department's answer under a board message. */
export interface OfficialReply {
  department: string;
  content: string;
  repliedAt: Date;
}

/** A citizen's message on /board/ (and in its JSON API), with the engagement it gathers over time. */
export interface BoardMessage {
  sequence: number;
  id: string;
  title: string;
  content: string;
  user: string;
  postedAt: Date;
  topic: string;
  onTopic: boolean;
  hot: boolean;
  repostOf?: string;
  /** The reply the message will get; shown only once `repliedAt` has passed. */
  reply?: OfficialReply;
  engagement: { baseLikes: number; likesPerTick: number; capTicks: number; commentRatio: number };
}

/** A board message as it looks at one instant: engagement counted, reply shown only once given. */
export interface BoardMessageView {
  message: BoardMessage;
  likes: number;
  comments: number;
  reply: OfficialReply | null;
}

/** A thread on the GBK forum /gbk/. */
export interface ForumPost {
  sequence: number;
  id: string;
  title: string;
  paragraphs: string[];
  author: string;
  publishedAt: Date;
  topic: string;
  onTopic: boolean;
  hot: boolean;
  repostOf?: string;
  /** Other users' replies under the post (page furniture the extractor must leave out). */
  comments: { author: string; text: string }[];
}

/**
 * The message as visitors see it at `now`: likes grow by `likesPerTick` per post interval (up to `capTicks`),
 * comments follow likes, and the reply shows only once its time has come.
 */
export function viewBoardMessage(message: BoardMessage, now: Date, intervalMs: number): BoardMessageView {
  const ageTicks = Math.max(0, (now.getTime() - message.postedAt.getTime()) / intervalMs);
  const { baseLikes, likesPerTick, capTicks, commentRatio } = message.engagement;
  const likes = baseLikes + Math.floor(likesPerTick * Math.min(ageTicks, capTicks));
  const reply = message.reply && message.reply.repliedAt.getTime() <= now.getTime() ? message.reply : null;
  return { message, likes, comments: Math.floor(likes * commentRatio), reply };
}
