"""Word pools for realistic Chinese names, company names, banks and addresses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from tenderwatch.common.regions import REGIONS

# The most common surnames, weighted by rank (王 李 张 刘 陈 lead everywhere; 陈 and 王 in Zhejiang).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
    "钟姜崔谭陆范汪金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤"
)
SURNAME_WEIGHTS = np.array([1.0 / (1 + i) ** 0.7 for i in range(len(SURNAMES))])
SURNAME_WEIGHTS /= SURNAME_WEIGHTS.sum()
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文俊辉晨浩宇欣怡佳琪子涵雨婷梓轩"
    "博凯鹏飞宏斌海波云峰立新东亮振宁春燕丹晓彬亚琳睿哲思远泽楠鑫瑞嘉豪昊然逸凡铭永福荣昌盛"
)

# Two-character trade names ("字号") for companies.
TRADE_CHARS = "宏达鼎盛恒通华建永安中天金鑫利泰源祥和瑞丰隆昌宇信诚远东方正大元兴鸿运新锦程万联汇骏德嘉晟"
KIND_SUFFIX = {
    "building": [
        "建设有限公司",
        "建筑工程有限公司",
        "市政工程有限公司",
        "建工集团有限公司",
        "园林建设有限公司",
    ],
    "transport": ["交通建设有限公司", "路桥工程有限公司", "交通工程有限公司", "公路工程有限公司"],
    "water": ["水利水电建设有限公司", "水利工程有限公司", "水务建设有限公司", "河道疏浚工程有限公司"],
    "procurement": ["科技有限公司", "设备有限公司", "信息技术有限公司", "贸易有限公司", "医疗器械有限公司"],
    "agency": ["招标代理有限公司", "工程咨询有限公司", "项目管理有限公司", "造价咨询有限公司"],
    "owner": ["城市建设投资集团有限公司", "交通投资集团有限公司", "水务集团有限公司", "国有资产经营有限公司"],
    "designer": ["建筑设计研究院有限公司", "勘察设计有限公司", "规划设计院有限公司"],
    "holding": ["控股集团有限公司", "实业投资有限公司", "投资管理有限公司"],
}
INSTITUTION_SUFFIX = [
    "人民政府",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "教育局",
    "卫生健康局",
    "人民医院",
    "第一中学",
    "自然资源和规划局",
    "综合行政执法局",
]
ROADS = "解放人民中山建设文化新华朝阳凤凰环城滨江钱江学院青年体育东湖西湖南湖北山江南江北开元世纪"
BANKS = [
    "中国工商银行",
    "中国农业银行",
    "中国银行",
    "中国建设银行",
    "交通银行",
    "浙商银行",
    "杭州银行",
    "宁波银行",
    "浙江农商银行",
    "招商银行",
    "中信银行",
    "兴业银行",
]
ISSUERS = [
    "中国人民财产保险股份有限公司浙江省分公司",
    "中国平安财产保险股份有限公司浙江分公司",
    "浙江省融资担保有限公司",
    "中国太平洋财产保险股份有限公司浙江分公司",
    "杭州银行股份有限公司",
    "浙商银行股份有限公司",
]
CA_OUTLETS = [
    "浙江CA杭州服务网点",
    "浙江CA宁波服务网点",
    "浙江CA温州服务网点",
    "浙江CA金华服务网点",
    "浙江CA台州服务网点",
    "天谷CA绍兴服务网点",
    "数字证书认证中心线上办理",
]
# Default authors that office software writes; they match across unrelated bidders and mean nothing.
DEFAULT_AUTHORS = ["Administrator", "微软用户", "User", "Windows 用户", "lenovo", "dell", "HP"]
TOOL_VERSIONS = ["V9.2.1", "V9.3.0", "V9.3.2", "V10.0.1", "V10.1.0"]
# Model-level CPUID values (family/model/stepping): identical for every machine with that CPU model.
CPU_MODELS = [
    "BFEBFBFF000906EA",
    "BFEBFBFF000906E9",
    "BFEBFBFF000A0653",
    "BFEBFBFF000A0655",
    "BFEBFBFF00090672",
    "BFEBFBFF000806EC",
    "BFEBFBFF000306C3",
    "178BFBFF00A50F00",
    "178BFBFF00860F01",
    "BFEBFBFF000B0671",
    "BFEBFBFF000906EB",
    "BFEBFBFF000A0671",
]
DISQUALIFY_REASONS = [
    "投标保证金不符合招标文件要求",
    "项目经理资格不符合要求",
    "投标文件未按要求签章",
    "投标报价超过最高投标限价",
    "资格审查资料不全",
    "技术标未响应实质性要求",
    "工期不满足招标文件要求",
]
BAD_CONDUCT = [
    "围标串标",
    "提供虚假材料谋取中标",
    "借用他人资质投标",
    "中标后无正当理由不签订合同",
    "项目经理未按规定到岗",
    "拖欠农民工工资",
    "违法分包",
]
GOOD_CONDUCT = [
    "获评省级优质工程（钱江杯）",
    "获评省级安全文明标准化工地",
    "获评市级优质工程",
    "守合同重信用企业",
]
SPECIALTY = {
    "constructor_1": ["建筑工程", "市政公用工程", "公路工程", "水利水电工程", "机电工程"],
    "constructor_2": ["建筑工程", "市政公用工程", "公路工程", "水利水电工程"],
    "safety_a": ["企业主要负责人"],
    "safety_b": ["项目负责人"],
    "safety_c": ["专职安全生产管理人员"],
    "engineer": ["土木工程", "工程管理", "给排水", "道路与桥梁", "水利工程"],
}
WORK_NOUNS = {
    "building": [
        "综合楼新建工程",
        "道路及配套工程",
        "安置房项目",
        "学校改扩建工程",
        "老旧小区改造工程",
        "污水管网改造工程",
        "体育中心建设工程",
        "人民医院迁建工程",
    ],
    "transport": ["公路改建工程", "大桥新建工程", "国道改线工程", "农村公路提升改造工程", "互通立交工程"],
    "water": ["河道综合治理工程", "海塘安澜工程", "水库除险加固工程", "排涝泵站工程", "农田水利工程"],
    "procurement": [
        "信息化设备采购项目",
        "医疗设备采购项目",
        "办公家具采购项目",
        "物业管理服务项目",
        "智慧校园建设项目",
    ],
    "other": ["绿化养护服务项目", "规划编制服务项目"],
}


def county_short(code: str) -> str:
    """Short place name for trade names: 西湖区 -> 西湖, 景宁畲族自治县 -> 景宁."""
    name = REGIONS[code].name_zh
    for suffix in ("畲族自治县", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def person_names(rng: np.random.Generator, n: int) -> npt.NDArray[np.str_]:
    sur = np.array(list(SURNAMES))[rng.choice(len(SURNAMES), n, p=SURNAME_WEIGHTS)]
    given = np.array(list(GIVEN))
    g1 = given[rng.integers(0, len(GIVEN), n)]
    g2 = np.where(rng.random(n) < 0.7, given[rng.integers(0, len(GIVEN), n)], "")
    return np.char.add(np.char.add(sur, g1), g2)
