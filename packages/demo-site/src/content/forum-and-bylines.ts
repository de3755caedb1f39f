// Small lists that make items read like their kind of site: repost prefixes, forum nicknames, tags and replies,
// and the editors named under news articles.

/** Prefixes a repost may carry. */
export const REPOST_PREFIXES = ['转：', '【转】', '转发：', ''] as const;

/** Nicknames on the GBK local forum, combined from parts. */
export const FORUM_NICK_PARTS = {
  first: ['江澜', '云溪', '北塘', '青湾', '柳岸', '老', '小', '阿', '打工人', '沙洲'],
  second: ['老张', '小陈', '阿强', '芳芳', '明哥', '伟伟', '大刘', '静静', '胖虎', '小雨'],
  suffix: ['', '', '2019', '_88', '哥', '妈妈', '在路上'],
} as const;

/** Forum-style title tags and closers that make the GBK forum read like a forum. */
export const FORUM_TAGS = ['【求助】', '【吐槽】', '【讨论】', '【咨询】', ''] as const;
export const FORUM_CLOSERS = [
  '有懂的朋友说说吗？',
  '先谢过各位了。',
  '大家有类似经历的吗？',
  '在线等，挺急的。',
  '顶起来让更多人看到。',
] as const;
export const FORUM_REPLIES = [
  '同问，我也遇到过这种情况。',
  '可以打12333问问，挺管用的。',
  '顶一下，希望早点解决。',
  '去区里的政务服务大厅问，当场就给办了。',
  '楼主后来怎么处理的？说说经验。',
  '帮顶，这种事还是要找监察大队。',
  '手机上就能查，不用跑。',
  '支持楼主维权！',
] as const;

/** Editors named under news articles (outside the article body). */
export const EDITOR_GIVEN_NAMES = ['晓岚', '志强', '雨桐', '海燕', '文博', '静怡', '思远', '嘉宁'] as const;
