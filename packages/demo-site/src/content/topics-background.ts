// Background topics (about 20% of generated items): things a city's sites also publish that the bureau does not
// handle, so the relevance model has something to learn to drop.

import type { TopicTemplate } from './topic-template.ts';

export const TRAFFIC_TOPIC: TopicTemplate = {
  key: 'traffic',
  label: '交通',
  onTopic: false,
  department: '市交通运输局',
  newsSources: ['江澜日报', '江澜晚报', '江澜市交通运输局'],
  closings: ['请广大市民提前规划路线，合理安排出行。', '交管部门提醒，施工期间请注意避让，服从现场指挥。'],
  stories: [
    {
      titles: ['{road}改造工程启动 部分路段实行交通管制', '{road}封闭施工 公交线路临时调整'],
      paragraphs: [
        '{road}道路改造工程近日启动，预计工期{months}个月，施工期间部分路段实行半幅封闭。',
        '途经该路段的{count}路等多条公交线路将临时绕行，站点调整信息已在公交站牌公布。',
        '交管部门建议过往车辆绕行周边道路，早晚高峰期间将增派警力疏导交通。',
      ],
    },
    {
      titles: ['{city}地铁{line}号线本月试运营', '地铁{line}号线开通在即 沿线居民出行更方便'],
      paragraphs: [
        '{city}地铁{line}号线将于本月底开通试运营，线路全长{count}公里，设车站{days}座。',
        '试运营初期，列车运营时间为6时至22时，高峰时段行车间隔约6分钟。',
        '沿线{district}等区域的居民出行将更加便捷，预计日均客流可达{count}万人次。',
      ],
    },
    {
      titles: ['{district}新增公共停车泊位{count2}个', '停车难有所缓解 {district}挖潜增设停车位'],
      paragraphs: [
        '{district}利用边角地和闲置场地新建多个公共停车场，新增停车泊位{count2}个。',
        '新建停车场全部接入智慧停车平台，车主可在手机上查询空余车位并在线缴费。',
      ],
    },
  ],
  cases: [
    {
      titles: ['{road}红绿灯时间太短', '建议延长{road}路口的行人绿灯时间'],
      situations: ['{road}和梧桐路交叉口的行人绿灯只有二十秒，老人和孩子根本走不过去。'],
      asks: ['建议交管部门调整一下。', '希望尽快改善。'],
      replies: ['您好！交管部门已对该路口信号配时进行现场评估，将适当延长行人过街绿灯时间。'],
    },
    {
      titles: ['{community}门口的公交站什么时候恢复', '{community}附近公交站撤了出行不便'],
      situations: ['{community}门口的公交站因为修路撤掉了，现在要走一公里才能坐车，路修好了站还没恢复。'],
      asks: ['请问什么时候能恢复？', '希望考虑居民的出行需求。'],
      replies: ['您好！经与公交公司核实，该站点将在道路验收完成后恢复设置，预计下月恢复。'],
    },
    {
      titles: ['{street}共享单车乱停放堵住人行道', '地铁口共享单车太多，行人没法走'],
      situations: ['每天早上{street}地铁站出口的共享单车堆成一片，把人行道和盲道都堵住了，推婴儿车根本过不去。'],
      asks: ['希望有关部门加强管理。', '请尽快清理。'],
      replies: ['您好！已督促运营企业增派调度人员，在早晚高峰对该站点周边车辆进行清运，并划设停放区域。'],
    },
  ],
};

export const WEATHER_TOPIC: TopicTemplate = {
  key: 'weather',
  label: '天气',
  onTopic: false,
  department: '市气象局',
  newsSources: ['江澜市气象台', '江澜晚报', '江澜新闻网'],
  closings: ['气象部门提醒市民关注最新天气预报，注意防范。'],
  stories: [
    {
      titles: ['{city}气象台发布暴雨蓝色预警', '强降雨来袭 {city}多地将有大到暴雨'],
      paragraphs: [
        '{city}气象台今日发布暴雨蓝色预警，预计未来24小时全市大部分地区将出现大到暴雨，局部伴有雷电大风。',
        '气象部门提醒，低洼地带居民注意防范积水，尽量减少外出，驾车注意避开积水路段。',
        '防汛部门已启动应急响应，对易积水点位安排人员值守。',
      ],
    },
    {
      titles: ['寒潮来袭 {city}最低气温将降至零下{degrees}℃', '冷空气南下 {city}将迎大幅降温'],
      paragraphs: [
        '受强冷空气影响，{city}未来三天将出现明显降温，最低气温将降至零下{degrees}℃，并伴有6到8级偏北风。',
        '气象专家提醒，市民要及时添衣保暖，做好水管等设施的防冻措施。',
      ],
    },
    {
      titles: ['本周末{city}以晴好天气为主', '晴暖天气持续 周末适宜户外出行'],
      paragraphs: [
        '据{city}气象台预报，本周末全市以晴到多云天气为主，白天最高气温在{days}℃左右。',
        '晴好天气适宜户外活动，但早晚温差较大，出门请注意增减衣物。',
      ],
    },
  ],
  cases: [
    {
      titles: ['暴雨后{community}地下车库进水', '{community}一下雨就积水'],
      situations: ['昨晚一场暴雨，{community}的地下车库又进水了，好几辆车被泡，物业说是市政管网的问题。'],
      asks: ['请有关部门来看看。', '希望能彻底解决。'],
      replies: ['您好！已转{district}住建部门会同排水公司现场勘查，将对周边管网进行疏通改造。'],
    },
    {
      titles: ['大风把{community}的行道树刮倒了', '{road}有棵树被风刮断压在车上'],
      situations: ['昨天夜里刮大风，{road}靠近{community}的一棵大树被刮断，横在路上，还压坏了一辆电动车。'],
      asks: ['请园林部门尽快处理。', '存在安全隐患，希望尽快清理。'],
      replies: ['您好！园林养护单位已于当天完成清理，并对该路段其他行道树进行了排查加固。'],
    },
  ],
};

export const SPORTS_TOPIC: TopicTemplate = {
  key: 'sports',
  label: '体育',
  onTopic: false,
  department: '市体育局',
  newsSources: ['江澜日报', '江澜晚报', '江澜新闻网'],
  closings: ['赛事期间，场馆周边道路将实行临时交通管制。'],
  stories: [
    {
      titles: ['{city}市民运动会篮球比赛在{district}开赛', '{count}支队伍角逐市民运动会篮球赛'],
      paragraphs: [
        '{city}第{batch}届市民运动会篮球比赛日前在{district}体育馆开赛，来自全市的{count}支队伍参加比赛。',
        '比赛分为青年组和中年组，采用小组循环加淘汰赛的赛制，将持续两周。',
        '赛事全程免费向市民开放，现场观众热情高涨。',
      ],
    },
    {
      titles: ['{city}马拉松报名人数突破{count}万', '{year}{city}马拉松开放报名'],
      paragraphs: [
        '{year}{city}马拉松报名工作已经启动，开放报名三天，报名人数已突破{count}万。',
        '比赛设全程马拉松、半程马拉松和迷你跑三个项目，赛道沿{road}途经多个城市地标。',
        '组委会将通过抽签方式确定参赛名单，结果将以短信形式通知。',
      ],
    },
    {
      titles: ['{school}代表队获全市中学生足球联赛冠军', '中学生足球联赛落幕 {school}夺冠'],
      paragraphs: [
        '全市中学生足球联赛日前落下帷幕，{school}代表队在决赛中以2比1战胜对手，获得冠军。',
        '本届联赛共有{count}支队伍参赛，历时一个多月，共进行比赛{count2}场。',
      ],
    },
  ],
  cases: [
    {
      titles: ['{district}体育馆能否对市民免费开放', '希望学校操场周末对居民开放'],
      situations: ['{district}体育馆平时大部分时间都空着，想去打球却说只对团体开放，收费也不低。'],
      asks: ['建议在非比赛时段对市民免费或低价开放。', '希望采纳。'],
      replies: [
        '您好！{district}体育馆将于下月起在工作日上午和周末部分时段向市民低收费开放，具体安排将在场馆公众号公布。',
      ],
    },
    {
      titles: ['{community}旁边的健身器材坏了没人修', '小区健身器材损坏存在安全隐患'],
      situations: ['{community}门口小广场上的健身器材坏了好几个，有一个转轮松动，老人锻炼时差点摔倒。'],
      asks: ['请相关部门派人维修。', '希望尽快处理，免得有人受伤。'],
      replies: ['您好！{street}已联系器材维护单位，损坏器材将在一周内完成维修更换。'],
    },
  ],
};

export const NEIGHBOURHOOD_TOPIC: TopicTemplate = {
  key: 'neighbourhood',
  label: '社区生活',
  onTopic: false,
  department: '{district}人民政府',
  newsSources: ['江澜晚报', '江澜新闻网', '{district}融媒体中心'],
  closings: ['{street}相关负责人表示，将持续听取居民意见，把好事办好、实事办实。'],
  stories: [
    {
      titles: ['{street}老旧小区改造完工 {count}栋楼加装电梯', '老小区换新颜 {community}改造完成'],
      paragraphs: [
        '{district}{street}{community}老旧小区改造工程近日完工，小区道路、管网和外立面焕然一新。',
        '改造中同步为{count}栋住宅加装了电梯，新增停车位和充电桩，居民出行更加方便。',
        '改造前，街道多次召开居民议事会，广泛征求居民对改造方案的意见。',
      ],
    },
  ],
  cases: [
    {
      titles: ['{community}楼下烧烤店油烟扰民', '楼下餐馆油烟太大，窗户都不敢开'],
      situations: ['{community}临街的一家烧烤店每天营业到凌晨两点，油烟和噪音太大，楼上住户窗户都不敢开。'],
      asks: ['请城管部门管一管。', '希望尽快解决。'],
      replies: ['您好！{street}已会同城管、生态环境部门现场检查，责令该商户安装油烟净化设备并控制营业噪音。'],
    },
    {
      titles: ['{community}物业收费不公示', '物业费涨价没有征求业主意见'],
      situations: ['{community}的物业公司今年突然上调物业费，既没有公示收支明细，也没有征求业主意见。'],
      asks: ['请问这样合规吗？', '希望主管部门督促物业公开账目。'],
      replies: ['您好！{district}住建局已约谈该物业公司，要求其按规定公示收费标准和收支情况，调价须依法履行程序。'],
    },
  ],
};
