//! The names the demo data is made of: Liaocheng's real units, districts,
//! streets and themes, and the texts of demo issues.

/// A hosting unit: its full name, a short name for titles, its home district
/// (`None` for municipal bureaus, which host all over the city), what
/// visitors can see there, and what it holds hearings and talks about.
pub struct Unit {
    pub name: &'static str,
    pub short: &'static str,
    pub district: Option<&'static str>,
    pub sights: &'static [&'static str],
    pub subjects: &'static [&'static str],
}

/// Municipal bureaus and the county and district governments.
pub const UNITS: &[Unit] = &[
    Unit {
        name: "聊城市生态环境局",
        short: "市生态环境局",
        district: None,
        sights: &[
            "空气质量自动监测站",
            "污水处理厂在线监控中心",
            "生态环境执法指挥中心",
        ],
        subjects: &["大气污染防治", "城区河道水质提升"],
    },
    Unit {
        name: "聊城市公安局",
        short: "市公安局",
        district: None,
        sights: &["110指挥中心", "交警支队车管所", "出入境接待大厅"],
        subjects: &["电动自行车通行管理", "户籍办理便利化"],
    },
    Unit {
        name: "聊城市住房和城乡建设局",
        short: "市住建局",
        district: None,
        sights: &[
            "老旧小区改造项目现场",
            "建筑工地扬尘监管平台",
            "住房保障服务中心",
        ],
        subjects: &["老旧小区改造", "物业服务质量提升"],
    },
    Unit {
        name: "聊城市城市管理局",
        short: "市城管局",
        district: None,
        sights: &[
            "数字城管指挥中心",
            "生活垃圾分类处理中心",
            "城区供热调度中心",
        ],
        subjects: &["城区停车收费标准调整", "背街小巷环境整治"],
    },
    Unit {
        name: "聊城市市场监督管理局",
        short: "市市场监管局",
        district: None,
        sights: &["食品安全快检实验室", "12315投诉举报中心", "计量检定所"],
        subjects: &["预付式消费监管", "校园食品安全"],
    },
    Unit {
        name: "聊城市人力资源和社会保障局",
        short: "市人社局",
        district: None,
        sights: &["人社服务大厅", "劳动保障监察支队", "公共就业服务中心"],
        subjects: &["农民工工资支付保障", "高校毕业生就业"],
    },
    Unit {
        name: "聊城市农业农村局",
        short: "市农业农村局",
        district: None,
        sights: &["高标准农田示范区", "农产品质量检测中心", "智慧农业示范园"],
        subjects: &["农村人居环境整治", "农资质量监管"],
    },
    Unit {
        name: "聊城市行政审批服务局",
        short: "市行政审批服务局",
        district: None,
        sights: &["市民服务中心", "一窗受理综合窗口", "企业开办专区"],
        subjects: &["一件事一次办", "企业开办便利化"],
    },
    Unit {
        name: "聊城市交通运输局",
        short: "市交通运输局",
        district: None,
        sights: &[
            "公交智能调度中心",
            "农村公路建设现场",
            "交通运输综合执法支队",
        ],
        subjects: &["公交线路优化方案", "出租汽车运价调整"],
    },
    Unit {
        name: "聊城市教育局",
        short: "市教育局",
        district: None,
        sights: &["中小学校园食堂", "招生考试服务中心", "课后服务示范学校"],
        subjects: &["义务教育招生划片", "学校周边交通秩序"],
    },
    Unit {
        name: "聊城市卫生健康委员会",
        short: "市卫生健康委",
        district: None,
        sights: &["120急救指挥中心", "社区卫生服务中心", "疾病预防控制中心"],
        subjects: &["家庭医生签约服务", "基层医疗服务能力"],
    },
    Unit {
        name: "聊城市医疗保障局",
        short: "市医保局",
        district: None,
        sights: &["医保服务大厅", "异地就医结算窗口", "医保基金监管平台"],
        subjects: &["门诊共济保障", "异地就医直接结算"],
    },
    Unit {
        name: "聊城市自然资源和规划局",
        short: "市自然资源和规划局",
        district: None,
        sights: &["不动产登记中心", "国土空间规划展示厅"],
        subjects: &["城市更新规划", "不动产登记便民服务"],
    },
    Unit {
        name: "聊城市水利局",
        short: "市水利局",
        district: None,
        sights: &["引黄灌区调度中心", "水文监测站"],
        subjects: &["居民生活用水价格调整", "城乡供水一体化"],
    },
    Unit {
        name: "聊城市民政局",
        short: "市民政局",
        district: None,
        sights: &["市养老服务中心", "婚姻登记处", "社会救助服务大厅"],
        subjects: &["老年助餐服务", "社区养老服务"],
    },
    Unit {
        name: "聊城市司法局",
        short: "市司法局",
        district: None,
        sights: &["公共法律服务中心", "人民调解委员会"],
        subjects: &["法律援助便民", "矛盾纠纷调解"],
    },
    Unit {
        name: "聊城市应急管理局",
        short: "市应急管理局",
        district: None,
        sights: &["应急指挥中心", "安全生产宣教基地"],
        subjects: &["燃气安全", "防汛应急准备"],
    },
    Unit {
        name: "聊城市文化和旅游局",
        short: "市文化和旅游局",
        district: None,
        sights: &["中国运河文化博物馆", "光岳楼景区"],
        subjects: &["文旅惠民消费", "古城保护利用"],
    },
    Unit {
        name: "聊城市发展和改革委员会",
        short: "市发展改革委",
        district: None,
        sights: &["价格监测中心", "重点项目建设现场"],
        subjects: &["管道天然气价格调整", "城区供热价格"],
    },
    Unit {
        name: "聊城市人民政府办公室",
        short: "市政府办公室",
        district: None,
        sights: &["12345政务服务便民热线受理中心"],
        subjects: &["12345热线诉求办理", "政务公开"],
    },
    Unit {
        name: "聊城市住房公积金管理中心",
        short: "市住房公积金中心",
        district: None,
        sights: &["公积金服务大厅"],
        subjects: &["公积金提取便利化"],
    },
    Unit {
        name: "聊城市退役军人事务局",
        short: "市退役军人事务局",
        district: None,
        sights: &["退役军人服务中心"],
        subjects: &["退役军人就业创业"],
    },
    Unit {
        name: "东昌府区人民政府",
        short: "东昌府区政府",
        district: Some("东昌府区"),
        sights: &["区政务服务中心", "古城区历史街区"],
        subjects: &["古城区停车秩序", "社区治理"],
    },
    Unit {
        name: "临清市人民政府",
        short: "临清市政府",
        district: Some("临清市"),
        sights: &["市政务服务中心", "运河钞关遗址"],
        subjects: &["轴承产业发展", "城区道路改造"],
    },
    Unit {
        name: "茌平区人民政府",
        short: "茌平区政府",
        district: Some("茌平区"),
        sights: &["区政务服务中心", "乡村振兴示范村"],
        subjects: &["农村供暖改造", "农村公路养护"],
    },
    Unit {
        name: "阳谷县人民政府",
        short: "阳谷县政府",
        district: Some("阳谷县"),
        sights: &["县政务服务中心", "景阳冈景区"],
        subjects: &["县城集中供热", "农贸市场改造"],
    },
    Unit {
        name: "莘县人民政府",
        short: "莘县政府",
        district: Some("莘县"),
        sights: &["县政务服务中心", "瓜菜菌产业园"],
        subjects: &["蔬菜产业发展", "农村饮水安全"],
    },
    Unit {
        name: "冠县人民政府",
        short: "冠县政府",
        district: Some("冠县"),
        sights: &["县政务服务中心", "灵芝产业园"],
        subjects: &["县城停车设施建设", "农村养老服务"],
    },
    Unit {
        name: "东阿县人民政府",
        short: "东阿县政府",
        district: Some("东阿县"),
        sights: &["县政务服务中心", "阿胶文化展馆"],
        subjects: &["黄河滩区治理", "县城背街小巷改造"],
    },
    Unit {
        name: "高唐县人民政府",
        short: "高唐县政府",
        district: Some("高唐县"),
        sights: &["县政务服务中心", "鱼丘湖公园"],
        subjects: &["城区学校学位供给", "老旧小区加装电梯"],
    },
    Unit {
        name: "聊城经济技术开发区管理委员会",
        short: "经济技术开发区管委会",
        district: Some("聊城经济技术开发区"),
        sights: &["企业服务中心", "新能源汽车产业园"],
        subjects: &["园区企业用工", "安置小区物业管理"],
    },
    Unit {
        name: "聊城高新技术产业开发区管理委员会",
        short: "高新区管委会",
        district: Some("聊城高新技术产业开发区"),
        sights: &["政务服务中心", "科技企业孵化器"],
        subjects: &["科技型企业扶持", "村庄搬迁安置"],
    },
    Unit {
        name: "江北水城旅游度假区管理委员会",
        short: "度假区管委会",
        district: Some("江北水城旅游度假区"),
        sights: &["东昌湖环湖景观带", "度假区便民服务中心"],
        subjects: &["环湖区域交通组织", "景区周边停车"],
    },
];

/// Every district and county, with streets and towns for places.
pub const DISTRICTS: &[(&str, &[&str])] = &[
    (
        "东昌府区",
        &["古楼街道", "柳园街道", "新区街道", "湖西街道", "道口铺街道"],
    ),
    (
        "临清市",
        &["青年路街道", "新华路街道", "先锋路街道", "大辛庄街道"],
    ),
    ("茌平区", &["振兴街道", "信发街道", "温陈街道"]),
    ("阳谷县", &["博济桥街道", "侨润街道", "狮子楼街道"]),
    ("莘县", &["莘州街道", "莘亭街道", "燕塔街道"]),
    ("冠县", &["清泉街道", "崇文街道", "烟庄街道"]),
    ("东阿县", &["铜城街道", "新城街道"]),
    ("高唐县", &["鱼丘湖街道", "汇鑫街道", "人和街道"]),
    (
        "聊城经济技术开发区",
        &["蒋官屯街道", "东城街道", "北城街道"],
    ),
    (
        "聊城高新技术产业开发区",
        &["九州街道", "许营镇", "顾官屯镇"],
    ),
    ("江北水城旅游度假区", &["凤凰街道", "朱老庄镇", "于集镇"]),
];

/// The themes of open-month activities, with how often each occurs.
pub const THEMES: &[(&str, u32)] = &[
    ("政府开放日", 30),
    ("走进机关", 22),
    ("听证会", 8),
    ("民生实事座谈", 14),
    ("12345热线开放日", 8),
    ("一月一题协商", 8),
    ("居民公共议事日", 10),
];

/// Issue categories: id, Chinese and English names.
pub const CATEGORIES: &[(&str, &str, &str)] = &[
    ("parking", "停车难", "Parking difficulty"),
    ("prepaid", "预付式消费", "Prepaid consumption"),
    ("garbage", "垃圾分类", "Garbage sorting"),
    ("wages", "拖欠工资", "Unpaid wages"),
    ("urban_construction", "城市建设", "Urban construction"),
    ("agriculture", "农业农村", "Agriculture and rural affairs"),
    ("other", "其他", "Other"),
];

/// "One month, one question" topics: id, Chinese and English titles.
pub const TOPICS: &[(&str, &str, &str)] = &[
    ("parking", "破解停车难", "Ease parking difficulty"),
    ("prepaid", "规范预付式消费", "Regulate prepaid consumption"),
    ("garbage", "推进垃圾分类", "Advance garbage sorting"),
    (
        "elderly_meals",
        "办好老年助餐",
        "Better meals for older residents",
    ),
    (
        "school_traffic",
        "治理学校周边交通拥堵",
        "Ease traffic around schools",
    ),
];

/// What demo issues say, by category; `{place}` is filled with a street.
pub const ISSUE_TEXTS: &[(&str, &[&str])] = &[
    (
        "parking",
        &[
            "小区周边车位不足，晚上车辆占用消防通道",
            "医院门口临时停车位太少，接送病人很不方便",
            "路边停车收费标准不清楚，希望公示",
            "共享单车乱停乱放，挡住了盲道",
        ],
    ),
    (
        "prepaid",
        &[
            "健身房办卡后突然停业，预付款无法退还",
            "理发店储值卡余额不予退还",
            "培训机构收取一年学费后更换老师，要求退费被拒",
        ],
    ),
    (
        "garbage",
        &[
            "小区垃圾桶满溢无人清运，气味很大",
            "垃圾分类投放点设置不合理，离住户太远",
            "建筑垃圾堆放在路边多日未清理",
        ],
    ),
    (
        "wages",
        &[
            "工地务工人员工资被拖欠三个月",
            "餐饮店辞职后工资迟迟不结算",
            "劳务派遣公司拖欠加班费",
        ],
    ),
    (
        "urban_construction",
        &[
            "道路施工围挡长期不拆，影响通行",
            "老旧小区路灯损坏多日无人维修",
            "雨后路面积水严重，排水不畅",
            "人行道地砖破损，老人容易绊倒",
        ],
    ),
    (
        "agriculture",
        &[
            "村内道路坑洼不平，农用车通行困难",
            "灌溉用水时间安排不合理",
            "购买的种子出苗率低，怀疑质量问题",
        ],
    ),
    (
        "other",
        &[
            "公园健身器材损坏，存在安全隐患",
            "夜间广场舞音响声音过大，影响休息",
            "公交站台缺少遮雨棚",
        ],
    ),
];

/// Public answers given to demo issues once handled.
pub const ANSWERS: &[&str] = &[
    "已转交属地街道办理，相关问题已整改完毕，感谢您的监督。",
    "经核实情况属实，主管部门已约谈相关责任方并督促限期整改。",
    "已安排工作人员现场查看，并制定了处理方案，将持续跟进。",
    "相关部门已受理，正在协调解决，请您耐心等待。",
];

/// The units as reference data: id, the Chinese name used in [`UNITS`], the English name.
pub const UNIT_ENTRIES: &[(&str, &str, &str)] = &[
    (
        "ecology",
        "聊城市生态环境局",
        "Liaocheng Ecology and Environment Bureau",
    ),
    ("police", "聊城市公安局", "Liaocheng Public Security Bureau"),
    (
        "housing",
        "聊城市住房和城乡建设局",
        "Liaocheng Housing and Urban-Rural Development Bureau",
    ),
    (
        "urban_management",
        "聊城市城市管理局",
        "Liaocheng Urban Management Bureau",
    ),
    (
        "market_regulation",
        "聊城市市场监督管理局",
        "Liaocheng Market Regulation Administration",
    ),
    (
        "human_resources",
        "聊城市人力资源和社会保障局",
        "Liaocheng Human Resources and Social Security Bureau",
    ),
    (
        "agriculture",
        "聊城市农业农村局",
        "Liaocheng Agriculture and Rural Affairs Bureau",
    ),
    (
        "approval",
        "聊城市行政审批服务局",
        "Liaocheng Administrative Approval Service Bureau",
    ),
    (
        "transport",
        "聊城市交通运输局",
        "Liaocheng Transport Bureau",
    ),
    ("education", "聊城市教育局", "Liaocheng Education Bureau"),
    (
        "health",
        "聊城市卫生健康委员会",
        "Liaocheng Health Commission",
    ),
    (
        "medical_insurance",
        "聊城市医疗保障局",
        "Liaocheng Healthcare Security Bureau",
    ),
    (
        "natural_resources",
        "聊城市自然资源和规划局",
        "Liaocheng Natural Resources and Planning Bureau",
    ),
    ("water", "聊城市水利局", "Liaocheng Water Resources Bureau"),
    (
        "civil_affairs",
        "聊城市民政局",
        "Liaocheng Civil Affairs Bureau",
    ),
    ("justice", "聊城市司法局", "Liaocheng Justice Bureau"),
    (
        "emergency",
        "聊城市应急管理局",
        "Liaocheng Emergency Management Bureau",
    ),
    (
        "culture_tourism",
        "聊城市文化和旅游局",
        "Liaocheng Culture and Tourism Bureau",
    ),
    (
        "development_reform",
        "聊城市发展和改革委员会",
        "Liaocheng Development and Reform Commission",
    ),
    (
        "government_office",
        "聊城市人民政府办公室",
        "General Office of the Liaocheng Municipal Government",
    ),
    (
        "housing_fund",
        "聊城市住房公积金管理中心",
        "Liaocheng Housing Provident Fund Centre",
    ),
    (
        "veterans",
        "聊城市退役军人事务局",
        "Liaocheng Veterans Affairs Bureau",
    ),
    (
        "dongchangfu",
        "东昌府区人民政府",
        "Dongchangfu District Government",
    ),
    ("linqing", "临清市人民政府", "Linqing City Government"),
    ("chiping", "茌平区人民政府", "Chiping District Government"),
    ("yanggu", "阳谷县人民政府", "Yanggu County Government"),
    ("shenxian", "莘县人民政府", "Shen County Government"),
    ("guanxian", "冠县人民政府", "Guan County Government"),
    ("dong_e", "东阿县人民政府", "Dong'e County Government"),
    ("gaotang", "高唐县人民政府", "Gaotang County Government"),
    (
        "economic_zone",
        "聊城经济技术开发区管理委员会",
        "Liaocheng Economic and Technological Development Zone",
    ),
    (
        "hightech_zone",
        "聊城高新技术产业开发区管理委员会",
        "Liaocheng High-tech Industrial Development Zone",
    ),
    (
        "jiangbei_resort",
        "江北水城旅游度假区管理委员会",
        "Jiangbei Water City Tourist Resort",
    ),
];

/// The districts and counties as reference data: id, the Chinese name used in
/// [`DISTRICTS`], the English name.
pub const DISTRICT_ENTRIES: &[(&str, &str, &str)] = &[
    ("dongchangfu", "东昌府区", "Dongchangfu District"),
    ("linqing", "临清市", "Linqing City"),
    ("chiping", "茌平区", "Chiping District"),
    ("yanggu", "阳谷县", "Yanggu County"),
    ("shenxian", "莘县", "Shen County"),
    ("guanxian", "冠县", "Guan County"),
    ("dong_e", "东阿县", "Dong'e County"),
    ("gaotang", "高唐县", "Gaotang County"),
    (
        "economic_zone",
        "聊城经济技术开发区",
        "Economic and Technological Development Zone",
    ),
    (
        "hightech_zone",
        "聊城高新技术产业开发区",
        "High-tech Industrial Development Zone",
    ),
    (
        "jiangbei_resort",
        "江北水城旅游度假区",
        "Jiangbei Water City Tourist Resort",
    ),
];

/// The reasons a rating may give: id, Chinese and English names.
pub const RATING_TAGS: &[(&str, &str, &str)] = &[
    ("fast", "办事快", "Quick service"),
    ("friendly", "态度好", "Friendly staff"),
    ("clear", "讲解清楚", "Clear explanation"),
    ("slow", "等候太久", "Long wait"),
    ("unclear", "解释不清", "Unclear answers"),
    ("runaround", "来回跑腿", "Sent back and forth"),
];

/// Which unit each category's issues are routed to.
pub const CATEGORY_UNITS: &[(&str, &str)] = &[
    ("parking", "urban_management"),
    ("prepaid", "market_regulation"),
    ("garbage", "urban_management"),
    ("wages", "human_resources"),
    ("urban_construction", "housing"),
    ("agriculture", "agriculture"),
    ("other", "government_office"),
];

/// The demo's operators: login, role, unit.
pub const DEMO_OPERATORS: &[(&str, omk_api::Role, Option<&str>)] = &[
    ("demo.admin", omk_api::Role::Admin, None),
    ("demo.unit", omk_api::Role::Unit, Some("urban_management")),
    ("demo.moderator", omk_api::Role::Moderator, None),
    ("demo.supervisor", omk_api::Role::Supervisor, None),
];
