// Our own invented content for the demo site (this folder): a fictional city (江澜市), its districts, streets,
// companies and the kinds of posts a city HR & social-security bureau sees. Templates use `{slot}` for values fixed
// per item (so a title and its body agree) and `[a|b|c]` for free variation. Nothing here is copied from a real site.

/** The invented city every demo page is about. */
export const CITY = '江澜市';

/** Values drawn once per generated item; templates refer to them as `{name}`. */
export const SLOT_LISTS = {
  district: ['云溪区', '北塘区', '青湾区', '南屏区', '东澜区', '柳岸区'],
  street: ['梧桐街道', '望江街道', '松林街道', '新港街道', '清河街道', '桂园街道', '枫桥街道', '沙洲街道'],
  community: ['翠苑小区', '锦绣家园', '和平里社区', '春晖花园', '临江雅居', '枫林湾小区', '丰泽苑', '金桂新村'],
  company: [
    '恒泰建筑工程有限公司',
    '瑞丰食品厂',
    '星辰电子科技有限公司',
    '鑫盛家政服务公司',
    '宏达汽车配件厂',
    '蓝湾纺织有限公司',
    '佳禾商贸有限公司',
    '泰和物业管理公司',
    '远澜机械制造厂',
    '明远装饰工程公司',
  ],
  hospital: ['市第一人民医院', '市中医院', '云溪区人民医院', '北塘区妇幼保健院', '市第三人民医院', '青湾区中心医院'],
  province: ['海南', '云南', '广西', '广东', '四川', '福建'],
  road: ['滨江大道', '望湖路', '建设北路', '梧桐路', '人民中路', '环城西路', '新港大道', '澜湖东路'],
  trade: ['电工', '焊工', '养老护理员', '育婴员', '中式烹调师', '叉车司机', '电子商务师', '保育员'],
  school: ['江澜一中', '云溪中学', '北塘实验学校', '青湾二中'],
  surname: ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林'],
} as const satisfies Record<string, readonly string[]>;

/** Number slots: inclusive ranges. */
export const NUMBER_SLOTS = {
  amountSmall: [50, 300],
  amount: [1800, 2600],
  percent: [55, 85],
  count: [12, 95],
  count2: [120, 900],
  jobs: [800, 5200],
  firms: [20, 160],
  amountWan: [25, 680],
  months: [2, 6],
  days: [8, 25],
  batch: [1, 4],
  line: [3, 7],
  degrees: [3, 9],
  birthYear: [1971, 1976],
} as const satisfies Record<string, readonly [number, number]>;
