// The shape of a demo topic (news stories plus message-board cases) and values the HR topics share.

/** A news story: the paragraphs read in order; the generator may drop one of the middle ones. */
export interface NewsStory {
  titles: readonly string[];
  paragraphs: readonly string[];
}

/** A citizen's message-board case with the official answer it would get. */
export interface BoardCase {
  titles: readonly string[];
  situations: readonly string[];
  asks: readonly string[];
  replies: readonly string[];
}

/** One theme of generated content: its news stories, board cases and who answers. */
export interface TopicTemplate {
  key: string;
  label: string;
  /** False for background items (traffic, weather, sports) that the relevance model must learn to drop. */
  onTopic: boolean;
  /** Who answers board messages on this topic. */
  department: string;
  newsSources: readonly string[];
  stories: readonly NewsStory[];
  closings: readonly string[];
  cases: readonly BoardCase[];
}

/** The bureau itself, which answers most HR board messages. */
export const BUREAU = '市人力资源和社会保障局';
/** Outlets that publish HR news; `{district}` is filled per article. */
export const HR_SOURCES = ['江澜市人力资源和社会保障局', '江澜日报', '江澜新闻网', '江澜晚报', '{district}融媒体中心'];
/** Closing paragraphs an HR news article may end with. */
export const HR_CLOSINGS = [
  '下一步，{city}人社部门将继续优化经办流程，让群众办事更省心、更便捷。',
  '市民如有疑问，可拨打12333人社服务热线咨询，也可通过“{city}人社”手机应用查询办理。',
  '相关负责人表示，将持续跟踪政策落实情况，及时回应群众关切，确保各项惠民措施落地见效。',
  '据悉，相关办事指南已在{city}人社局网站和各区政务服务中心公布。',
];
