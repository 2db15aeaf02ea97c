"""Enumerations of the ledger, with Chinese and English labels and the spellings people write.

Every enumerated inventory field is declared here once, NetBox-style: the canonical value
(what the model stores and what outputs print), its labels, and the aliases that normalise to
it.  Matching is tolerant of case, width (full-width letters) and surrounding spaces.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choice:
    """One allowed value of an enumeration."""

    value: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChoiceSet:
    """A named enumeration: its choices and a lookup from every accepted spelling."""

    name: str
    choices: tuple[Choice, ...]
    _lookup: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, str] = {}
        for choice in self.choices:
            for spelling in (choice.value, choice.zh, choice.en, *choice.aliases):
                key = fold(spelling)
                previous = lookup.setdefault(key, choice.value)
                if previous != choice.value:
                    raise ValueError(f"{self.name}: {spelling!r} is ambiguous")
        object.__setattr__(self, "_lookup", lookup)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def spellings(self) -> list[str]:
        """Every exact spelling accepted, canonical values first (for the published schema)."""
        seen: dict[str, None] = {}
        for choice in self.choices:
            seen.setdefault(choice.value)
        for choice in self.choices:
            for spelling in (choice.zh, choice.en, *choice.aliases):
                seen.setdefault(spelling)
        return list(seen)

    def normalise(self, raw: object) -> str | None:
        """The canonical value for ``raw``, or None when it is not a known spelling."""
        if not isinstance(raw, str):
            return None
        return self._lookup.get(fold(raw))

    def label(self, value: str, lang: str) -> str:
        for choice in self.choices:
            if choice.value == value:
                return choice.zh if lang == "zh" else choice.en
        return value


def fold(text: str) -> str:
    """Fold width, case and spacing so that ``ＭＳＴＰ``, `` mstp`` and ``MSTP`` compare equal."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(folded.split()).replace("-", "_")


def _set(name: str, items: Iterable[tuple[str, str, str, tuple[str, ...]]]) -> ChoiceSet:
    return ChoiceSet(name, tuple(Choice(v, zh, en, aliases) for v, zh, en, aliases in items))


ADMIN_LEVEL = _set(
    "admin_level",
    [
        ("province", "省级", "province", ("省", "provincial")),
        ("city", "市级", "city", ("市", "地市", "municipal", "prefecture")),
        ("county", "县级", "county", ("县", "区县", "district")),
    ],
)

SITE_KIND = _set(
    "site_kind",
    [
        ("self_built", "自建机房", "self-built", ("自建", "own", "self built")),
        ("co_located", "托管机房", "co-located", ("托管", "colocation", "colo", "idc")),
        ("cloud_node", "云节点", "cloud node", ("政务云节点", "cloud")),
    ],
)

POWER_REDUNDANCY = _set(
    "power_redundancy",
    [
        ("none", "无冗余", "none", ("无", "single")),
        ("ups", "UPS", "UPS only", ("ups only",)),
        ("dual_feed", "双路市电", "dual feed", ("双路供电", "双路")),
        ("ups_dual_feed", "UPS+双路市电", "UPS and dual feed", ("ups+双路", "ups and dual feed")),
    ],
)

EQUIPMENT_KIND = _set(
    "equipment_kind",
    [
        (
            "network",
            "网络设备",
            "network",
            ("交换机", "路由器", "switch", "router", "负载均衡", "load balancer"),
        ),
        (
            "security",
            "安全设备",
            "security",
            ("防火墙", "加密机", "ips", "ids", "firewall", "encryptor", "网闸", "waf"),
        ),
        ("storage", "存储设备", "storage", ("存储", "存储阵列", "磁带库", "storage array", "san", "nas")),
        ("other", "其他设备", "other", ("其他", "pdu", "ups", "kvm")),
    ],
)

SERVER_KIND = _set(
    "server_kind",
    [
        ("physical", "物理机", "physical", ("物理服务器", "bare metal", "pm")),
        ("vm", "虚拟机", "virtual machine", ("virtual", "虚拟服务器")),
    ],
)

#: whether a server is switched on, as its ledger records it (issue 19: idle by evidence)
SERVER_STATUS = _set(
    "server_status",
    [
        ("running", "运行", "running", ("在用", "运行中", "使用中", "poweredon", "powered on", "online")),
        ("stopped", "停用", "stopped", ("已停用", "闲置", "下线", "已下线", "未使用", "待报废", "disabled")),
        (
            "powered_off",
            "关机",
            "powered off",
            ("已关机", "停机", "已停机", "未开机", "poweredoff", "off", "shutdown"),
        ),
    ],
)

#: a server's part in a high-availability or disaster-recovery pair
SERVER_ROLE = _set(
    "server_role",
    [
        ("primary", "主用", "primary", ("主", "主机", "active", "master")),
        ("standby", "备用", "standby", ("备", "备机", "冷备机", "热备机", "passive", "slave", "backup")),
        ("dr", "灾备", "disaster recovery", ("容灾", "异地灾备", "dr site")),
    ],
)

CPU_ARCH = _set(
    "cpu_arch",
    [
        ("x86_64", "x86", "x86-64", ("x86", "amd64", "x64", "intel", "海光", "hygon")),
        ("arm64", "ARM", "ARM64", ("arm", "aarch64", "鲲鹏", "kunpeng", "飞腾", "phytium")),
        ("loongarch64", "龙芯", "LoongArch", ("loongson", "loongarch", "mips64", "龙芯mips")),
        ("other", "其他", "other", ("其它",)),
    ],
)

NETWORK_KIND = _set(
    "network_kind",
    [
        ("extranet", "电子政务外网", "e-government extranet", ("政务外网", "外网")),
        ("intranet", "电子政务内网", "e-government intranet", ("政务内网", "内网")),
        ("private", "业务专网", "department private network", ("专网", "private network")),
        ("internet", "互联网", "internet", ("公网",)),
        ("classified", "涉密网", "classified network", ("涉密网络", "涉密")),
        (
            "national_vertical",
            "国家垂直专网",
            "national vertical network",
            ("垂直专网", "vertical", "国垂"),
        ),
    ],
)

CARRIER = _set(
    "carrier",
    [
        ("telecom", "中国电信", "China Telecom", ("电信", "ct", "chinatelecom")),
        ("unicom", "中国联通", "China Unicom", ("联通", "cu", "chinaunicom")),
        ("mobile", "中国移动", "China Mobile", ("移动", "cm", "cmcc", "chinamobile")),
        ("broadnet", "中国广电", "China Broadnet", ("广电", "cbn")),
        ("other", "其他运营商", "other carrier", ("其他", "其它")),
    ],
)

LINE_TECHNOLOGY = _set(
    "line_technology",
    [
        ("mstp", "MSTP", "MSTP", ()),
        ("sdh", "SDH", "SDH", ()),
        ("mpls_vpn", "MPLS VPN", "MPLS VPN", ("mpls",)),
        ("dark_fibre", "裸光纤", "dark fibre", ("裸纤", "dark fiber", "光纤")),
        ("sd_wan", "SD-WAN", "SD-WAN", ("sdwan",)),
        ("internet", "互联网专线", "dedicated internet access", ("dia", "internet line")),
        ("otn", "OTN", "OTN", ("精品网",)),
    ],
)

ENCRYPTION = _set(
    "encryption",
    [
        ("none", "未加密", "none", ("无", "no", "false")),
        ("sm", "国密(SM2/SM3/SM4)", "SM suite (SM2/SM3/SM4)", ("国密", "sm4", "sm2", "sm-suite")),
        ("other", "其他算法", "other algorithm", ("aes", "ipsec", "rsa", "tls")),
    ],
)

SYSTEM_CATEGORY = _set(
    "system_category",
    [
        ("oa", "协同办公(OA)", "office automation (OA)", ("办公", "协同办公", "office")),
        ("video_conference", "视频会议", "video conference", ("视频会议系统", "videoconf")),
        ("email", "电子邮件", "email", ("邮件", "邮箱", "mail")),
        ("portal", "门户网站", "portal / website", ("网站", "门户", "website")),
        ("approval", "行政审批", "licensing and approval", ("审批", "一网通办", "政务服务")),
        ("hotline", "热线", "hotline", ("12345", "服务热线")),
        ("gis", "地理信息", "GIS", ("地图", "地理信息系统")),
        ("data_exchange", "数据共享交换", "data sharing and exchange", ("数据交换", "共享交换")),
        ("finance", "财务", "finance", ("财务系统",)),
        ("hr", "人事", "human resources", ("人事系统",)),
        ("archive", "档案", "archives", ("档案系统", "电子档案")),
        ("monitoring", "视频监控与感知", "monitoring and sensing", ("监控", "物联感知", "iot")),
        ("analytics", "数据分析", "analytics", ("大数据", "big data", "数据分析系统")),
        ("business", "业务应用", "line-of-business application", ("业务", "业务系统")),
        ("infrastructure", "基础支撑", "infrastructure service", ("基础设施", "支撑")),
        (
            "virtualisation",
            "虚拟化平台",
            "virtualisation platform",
            ("虚拟化", "虚拟化资源池", "hypervisor", "vsphere", "esxi", "virtualization"),
        ),
    ],
)

CLASSIFICATION = _set(
    "classification",
    [
        ("none", "非涉密", "not classified", ("否", "no", "false", "无", "unclassified")),
        ("confidential", "秘密", "confidential", ("秘密级",)),
        ("secret", "机密", "secret", ("机密级",)),
        ("top_secret", "绝密", "top secret", ("绝密级",)),
    ],
)

DATA_CLASS = _set(
    "data_class",
    [
        ("general", "一般数据", "general", ("一般",)),
        ("important", "重要数据", "important", ("重要",)),
        ("core", "核心数据", "core", ("核心",)),
    ],
)

SYSTEM_STATUS = _set(
    "system_status",
    [
        ("running", "运行中", "running", ("在用", "运行", "active")),
        ("idle", "闲置", "idle", ("停用", "unused")),
        ("decommissioning", "待下线", "being decommissioned", ("下线中", "retiring")),
    ],
)

ADMIN_AUTH = _set(
    "admin_auth",
    [
        ("password", "口令", "password only", ("密码", "静态口令")),
        ("mfa", "双因素", "two factors", ("2fa", "双因子", "多因素")),
        (
            "mfa_crypto",
            "双因素(含密码技术)",
            "two factors, one cryptographic",
            ("ukey", "usbkey", "数字证书+口令", "双因素含国密"),
        ),
    ],
)

HA_MODE = _set(
    "ha_mode",
    [
        ("none", "单机", "none", ("无",)),
        ("cold", "冷备", "cold standby", ("冷备份",)),
        ("hot", "热备", "hot standby", ("双活", "热备份", "active-active")),
    ],
)

OPERATOR_KIND = _set(
    "operator_kind",
    [
        ("department", "部门自运维", "the department", ("部门", "自运维", "self")),
        ("ops_centre", "运维中心", "operations centre", ("运维中心", "大数据中心", "operations center")),
        ("vendor", "厂商/外包", "vendor", ("厂商", "外包", "供应商", "outsourced")),
    ],
)

CLOUD_PROVIDER = _set(
    "cloud_provider",
    [
        ("alicloud", "阿里云", "Alibaba Cloud", ("aliyun", "apsara", "专有云")),
        ("openstack", "OpenStack", "OpenStack", ("华为云stack", "easystack")),
    ],
)

OS_FAMILY = _set(
    "os_family",
    [
        ("windows", "Windows", "Windows", ("windows server",)),
        ("kylin", "银河麒麟", "Kylin", ("麒麟", "kylin os")),
        ("uos", "统信 UOS", "UOS", ("统信", "uniontech")),
        ("openeuler", "openEuler", "openEuler", ("欧拉",)),
        ("centos", "CentOS", "CentOS", ()),
        ("rhel", "Red Hat Enterprise Linux", "RHEL", ("red hat", "redhat")),
        ("ubuntu", "Ubuntu", "Ubuntu", ()),
        ("linux", "其他 Linux", "other Linux", ()),
    ],
)

CLOUD_NODE_KIND = _set(
    "cloud_node_kind",
    [
        ("provincial", "省级节点", "provincial node", ("省级", "省节点")),
        ("city", "市级节点", "city node", ("市级", "市节点", "地市节点")),
    ],
)

PROTOCOL = _set(
    "protocol",
    [
        ("tcp", "TCP", "TCP", ()),
        ("udp", "UDP", "UDP", ()),
        ("https", "HTTPS", "HTTPS", ()),
        ("http", "HTTP", "HTTP", ()),
    ],
)

STORAGE_TIER = _set(
    "storage_tier",
    [
        ("ssd", "SSD云盘", "SSD disk", ("ssd", "essd", "高效云盘")),
        ("hdd", "普通云盘", "HDD disk", ("hdd", "sata")),
        ("object", "对象存储", "object storage", ("oss", "对象")),
    ],
)

ASSESSMENT_RESULT = _set(
    "assessment_result",
    [
        ("conform", "符合", "conforms", ("通过", "优", "良", "pass", "passed")),
        ("basic", "基本符合", "basically conforms", ("中", "basically conform")),
        ("nonconform", "不符合", "does not conform", ("未通过", "差", "fail", "failed")),
    ],
)

#: Every enumeration, by name, for the schema builder and the docs.
ALL: dict[str, ChoiceSet] = {
    s.name: s
    for s in (
        ADMIN_LEVEL,
        SITE_KIND,
        POWER_REDUNDANCY,
        EQUIPMENT_KIND,
        SERVER_KIND,
        SERVER_STATUS,
        SERVER_ROLE,
        CPU_ARCH,
        NETWORK_KIND,
        CARRIER,
        LINE_TECHNOLOGY,
        ENCRYPTION,
        SYSTEM_CATEGORY,
        CLASSIFICATION,
        DATA_CLASS,
        SYSTEM_STATUS,
        ADMIN_AUTH,
        HA_MODE,
        OPERATOR_KIND,
        CLOUD_PROVIDER,
        CLOUD_NODE_KIND,
        PROTOCOL,
        STORAGE_TIER,
        ASSESSMENT_RESULT,
        OS_FAMILY,
    )
}
