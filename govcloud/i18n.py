"""One catalogue for every message shown to people, in Chinese and English.

A message is looked up by a stable code and formatted with named parameters, so a problem can
be stored once and rendered in either language.
"""

from __future__ import annotations

import locale
import os
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

# code: (zh, en).  Parameters in braces; every message of a code takes the same parameters.
MESSAGES: dict[str, tuple[str, str]] = {
    # ---- reading files
    "no-files": ("在 {where} 下没有找到 .yaml/.yml 文件", "no .yaml/.yml files under {where}"),
    "no-files.hint": (
        "指定台账目录或单个台账文件，例如 inventories/haiyue",
        "name an inventory directory or a single ledger file, e.g. inventories/haiyue",
    ),
    "path-missing": ("路径不存在：{where}", "path does not exist: {where}"),
    "path-missing.hint": ("检查路径拼写", "check the path"),
    "file-unreadable": ("无法读取文件：{detail}", "cannot read the file: {detail}"),
    "file-unreadable.hint": ("检查文件权限", "check the file's permissions"),
    "outside-root": (
        "文件是指向台账目录之外的链接：{detail}",
        "file is a link that leads outside the inventory directory: {detail}",
    ),
    "outside-root.hint": ("把文件本身复制到台账目录中", "copy the file itself into the inventory directory"),
    "file-too-large": ("文件超过 {detail} MiB", "file is larger than {detail} MiB"),
    "file-too-large.hint": ("按部门拆分成多个文件", "split it into one file per department"),
    "encoding-not-utf8": (
        "文件不是 UTF-8 编码（看起来像 {detail}）",
        "file is not UTF-8 (it looks like {detail})",
    ),
    "encoding-not-utf8.hint": (
        "另存为 UTF-8，例如：iconv -f GB18030 -t UTF-8 原文件 > 新文件",
        "save it as UTF-8, e.g. iconv -f GB18030 -t UTF-8 OLD > NEW",
    ),
    "encoding-invalid": ("文件的 {detail} 编码已损坏", "the file's {detail} encoding is broken"),
    "encoding-invalid.hint": ("另存为 UTF-8", "save it as UTF-8"),
    "binary-file": ("文件含有 NUL 字节，不是文本文件", "file contains NUL bytes: it is not a text file"),
    "binary-file.hint": (
        "台账须为 YAML 文本；Excel/CSV 请用 govcloud import 导入",
        "ledgers are YAML text; bring Excel/CSV in with govcloud import",
    ),
    "yaml-syntax": ("YAML 语法错误：{detail}", "YAML syntax error: {detail}"),
    "yaml-syntax.hint": (
        "用空格缩进（不要用 Tab），含冒号的值加引号",
        "indent with spaces (no tabs) and quote values that contain ': '",
    ),
    "duplicate-key": ("同一映射中键 '{detail}' 出现了两次", "key '{detail}' appears twice in one mapping"),
    "duplicate-key.hint": ("删除或合并其中一个", "remove or merge one of them"),
    "yaml-tag": ("不允许使用 YAML 标签 {detail}", "YAML tag {detail} is not allowed"),
    "yaml-tag.hint": ("去掉标签：台账只包含普通值", "remove the tag: ledger files hold plain values only"),
    "yaml-key": (
        "映射的键必须是普通文本（不支持 '<<' 合并键或复合键）",
        "mapping keys must be plain text (no '<<' merge keys or complex keys)",
    ),
    "yaml-key.hint": ("把值直接写出来", "write the values out"),
    "alias-bomb": (
        "YAML 别名展开过大（疑似“十亿笑声”攻击）",
        "YAML aliases expand this document too far (a 'billion laughs' pattern)",
    ),
    "alias-bomb.hint": ("不要嵌套使用别名，直接写出值", "write the values out instead of nesting aliases"),
    "too-deep": ("嵌套超过 {detail} 层", "nested deeper than {detail} levels"),
    "too-deep.hint": (
        "台账结构只有几层，检查缩进",
        "a ledger is only a few levels deep: check the indentation",
    ),
    "empty-file": ("文件为空", "file is empty"),
    "empty-file.hint": ("填写内容或删除该文件", "fill it in or delete it"),
    "not-a-mapping": (
        "顶层必须是映射（如 department:、servers:）",
        "the top level must be a mapping (department:, servers:, …)",
    ),
    "not-a-mapping.hint": (
        "参考 govcloud schema 输出的结构",
        "see the structure printed by govcloud schema",
    ),
    # ---- schema
    "schema-required": ("缺少必填字段 '{field}'", "required field '{field}' is missing"),
    "schema-required.hint": ("添加 {field}: …", "add {field}: …"),
    "schema-unknown-field": ("未知字段 '{field}'", "unknown field '{field}'"),
    "schema-unknown-field.hint": ("{suggestion}可用字段：{allowed}", "{suggestion}allowed fields: {allowed}"),
    "schema-type": ("应为 {expected}，实际是 {found}", "expected {expected}, found {found}"),
    "schema-type.hint": ("改为 {expected}", "write {expected}"),
    "schema-enum": ("'{value}' 不是有效的 {kind}", "'{value}' is not a known {kind}"),
    "schema-enum.hint": ("{suggestion}可选值：{allowed}", "{suggestion}use one of: {allowed}"),
    "schema-range": ("{value} 超出范围（{detail}）", "{value} is out of range ({detail})"),
    "schema-range.hint": ("检查数值和单位", "check the number and its unit"),
    "schema-pattern": ("'{value}' 格式不对：{detail}", "'{value}' is not in the expected form: {detail}"),
    "schema-pattern.hint": ("按要求的格式填写", "write it in the expected form"),
    "schema-other": ("{detail}", "{detail}"),
    "schema-other.hint": ("参考 govcloud schema", "see govcloud schema"),
    # ---- the ledger as a whole
    "region-missing": ("没有定义 region:（地区）", "no region: is defined"),
    "region-missing.hint": (
        "添加 region.yaml，包含 region: {{id, name, region_code, as_of}}",
        "add a region.yaml with region: {{id, name, region_code, as_of}}",
    ),
    "region-duplicate": (
        "region: 定义了多次（另见 {other}）",
        "region: is defined more than once (also at {other})",
    ),
    "region-duplicate.hint": ("一个台账只描述一个地区", "a ledger describes one region: keep one"),
    "prices-duplicate": (
        "prices: 定义了多次（另见 {other}）",
        "prices: is defined more than once (also at {other})",
    ),
    "prices-duplicate.hint": ("一个地区只保留一张价格表", "keep one price table per region"),
    "duplicate-id": (
        "{kind} 的 id '{id}' 重复（另见 {other}）",
        "{kind} id '{id}' is defined more than once (also at {other})",
    ),
    "duplicate-id.hint": (
        "每个 {kind} 使用唯一的 id；若是同一资产被两个部门登记，保留一条",
        "give each {kind} its own id; if two departments recorded the same asset, keep one record",
    ),
    "unknown-reference": ("没有 id 为 '{id}' 的{kind}", "no {kind} has the id '{id}'"),
    "unknown-reference.hint": ("{suggestion}先定义它，或改正 id", "{suggestion}define it, or correct the id"),
    "owner-missing": (
        "没有归属部门：此文件没有 department:",
        "no owner: this file has no department:",
    ),
    "owner-missing.hint": (
        "添加 owner: <部门 id>，或移到该部门的文件中",
        "add owner: <department id>, or move it into its department's file",
    ),
    "invalid-cidr": (
        "'{value}' 不是有效的 CIDR（{detail}）。{suggestion}",
        "'{value}' is not a valid CIDR ({detail}). {suggestion}",
    ),
    "invalid-cidr.hint": (
        "写成网络地址/前缀长度，例如 10.12.0.0/16",
        "write network/prefix, e.g. 10.12.0.0/16",
    ),
    "invalid-ip": ("'{value}' 不是有效的 IP 地址", "'{value}' is not a valid IP address"),
    "invalid-ip.hint": ("例如 10.12.3.4", "e.g. 10.12.3.4"),
    "invalid-date": ("'{value}' 不是真实存在的日期", "'{value}' is not a real date"),
    "invalid-date.hint": ("写成 YYYY-MM-DD，例如 2026-06-30", "write YYYY-MM-DD, e.g. 2026-06-30"),
    "self-dependency": ("系统依赖它自己", "the system depends on itself"),
    "self-dependency.hint": ("删除这条依赖", "remove this dependency"),
    "parent-cycle": ("上级部门关系成环：{detail}", "the parent chain of departments loops: {detail}"),
    "parent-cycle.hint": (
        "让链条终止于一个没有 parent 的部门",
        "end the chain at a department with no parent",
    ),
    "racks-used-exceeds": (
        "已用机柜 {used} 多于机柜总数 {total}",
        "racks used ({used}) exceed racks ({total})",
    ),
    "racks-used-exceeds.hint": ("核对机柜数", "check the rack counts"),
    "line-loop": ("专线两端是同一个地点", "both ends of the line are the same place"),
    "line-loop.hint": ("核对 A 端和 Z 端", "check the A and Z ends"),
    "price-unknown-node": (
        "价格表引用的云节点 '{id}' 不存在",
        "the price table refers to cloud node '{id}', which does not exist",
    ),
    "price-unknown-node.hint": (
        "在 targets 中定义该节点或改正 id",
        "define the node in targets or correct the id",
    ),
    "zone-duplicate": ("可用区 '{id}' 重复", "zone '{id}' is listed twice"),
    "zone-duplicate.hint": ("删除重复项", "remove the duplicate"),
    # ---- words used in messages
    "kind.departments": ("部门", "department"),
    "kind.sites": ("机房", "site"),
    "kind.servers": ("服务器", "server"),
    "kind.networks": ("网络", "network"),
    "kind.lines": ("专线", "line"),
    "kind.systems": ("业务系统", "system"),
    "kind.cloud_nodes": ("云节点", "cloud node"),
    "kind.access_points": ("外网接入点", "extranet access point"),
    "did-you-mean": ("是否想写 '{value}'？", "did you mean '{value}'? "),
    "severity.error": ("错误", "error"),
    "severity.warning": ("警告", "warning"),
    "type.string": ("文本", "text"),
    "type.integer": ("整数", "a whole number"),
    "type.number": ("数字", "a number"),
    "type.boolean": ("true/false", "true/false"),
    "type.array": ("列表", "a list"),
    "type.object": ("映射", "a mapping"),
    "type.null": ("空值", "nothing"),
    "pattern.date": ("日期格式 YYYY-MM-DD", "a date, YYYY-MM-DD"),
    "pattern.region_code": ("6 位行政区划代码", "a 6-digit region code"),
    "pattern.id": (
        '不以 . 开头、不含空格和 / \\ : * ? " < > | 的标识',
        'an id that does not start with . and has no spaces or / \\ : * ? " < > |',
    ),
    "encoding.unknown": ("未知编码", "an unknown encoding"),
    "other.line-end": (
        "专线端点必须且只能写 site、access_point、cloud_node、address 中的一个",
        "a line end names exactly one of site, access_point, cloud_node, address",
    ),
    "other.unique": ("列表有重复项：{items}", "the list has repeated items: {items}"),
    "other.const": ("必须是 {expected}", "must be {expected}"),
    # ---- validate / summary
    "validate.ok": (
        "台账有效：{files} 个文件，{entities} 个条目",
        "ledger is valid: {files} files, {entities} entries",
    ),
    "validate.failed": (
        "台账有 {errors} 个错误、{warnings} 个警告",
        "ledger has {errors} errors and {warnings} warnings",
    ),
    "progress.load": ("读取台账", "reading the ledger"),
    "progress.validate": ("校验台账", "validating the ledger"),
    "progress.cache": ("读取缓存的结果", "reading the cached run"),
    "progress.summary": ("汇总台账", "summarising the ledger"),
    "progress.graph": ("构建台账图", "building the ledger graph"),
    "progress.analyse": ("分析重复建设", "finding the duplication"),
    "progress.plan": ("编制迁移计划", "planning the migration"),
    "progress.stacks": ("生成 Pulumi 栈", "building the Pulumi stacks"),
    "progress.baseline": ("检查安全基线", "checking the security baseline"),
    "progress.render": ("生成输出文件", "rendering the outputs"),
    "progress.report": ("绘制 HTML 报告", "drawing the HTML report"),
    "progress.write": ("写出结果", "writing outputs"),
    "summary.title": ("{region}：资产台账汇总（截至 {as_of}）", "{region}: ledger summary (as of {as_of})"),
    "summary.department": ("部门", "Department"),
    "summary.total": ("合计", "Total"),
    "summary.sites": ("机房", "Rooms"),
    "summary.servers": ("服务器", "Servers"),
    "summary.cores": ("CPU核", "Cores"),
    "summary.memory_gb": ("内存(GB)", "Memory (GB)"),
    "summary.storage_tb": ("存储(TB)", "Storage (TB)"),
    "summary.networks": ("网络", "Networks"),
    "summary.lines": ("专线", "Lines"),
    "summary.bandwidth_mbps": ("带宽(Mbps)", "Bandwidth (Mbps)"),
    "summary.systems": ("系统", "Systems"),
    "summary.room_cost": ("机房年费", "Rooms/yr"),
    "summary.line_cost": ("专线年费", "Lines/yr"),
    "summary.depreciation": ("年折旧", "Depreciation/yr"),
    "summary.maintenance": ("年维保", "Maintenance/yr"),
    "summary.yearly_cost": ("年成本(元)", "Yearly cost (CNY)"),
    "summary.targets": (
        "迁移目标：{nodes} 个云节点，{aps} 个电子政务外网接入点",
        "targets: {nodes} cloud nodes, {aps} extranet access points",
    ),
    "plan.wrote": ("已写出：{path}", "wrote {path}"),
    # --- analysis: kinds, reasons (finding.*) and recommendations (recommend.*) ---
    "analysis.kind.same-asset": ("同一资产重复登记", "same asset recorded twice"),
    "analysis.kind.room-consolidation": ("机房整合", "machine rooms to consolidate"),
    "analysis.kind.parallel-lines": ("并行专线", "parallel dedicated lines"),
    "analysis.kind.private-network": ("专网并入电子政务外网", "private networks the extranet can replace"),
    "analysis.kind.address-conflict": ("地址冲突", "address conflicts"),
    "analysis.kind.duplicate-systems": ("重复建设的同类系统", "duplicate-function systems"),
    "analysis.kind.idle-capacity": ("闲置与低效资源", "idle and stranded capacity"),
    "analysis.status.candidate": ("建议整合", "consolidate"),
    "analysis.status.kept": ("保留", "keep"),
    "analysis.title": (
        "{region}：重复建设分析（截至 {as_of}）",
        "{region}: duplication analysis (as of {as_of})",
    ),
    "analysis.col.kind": ("类别", "kind"),
    "analysis.col.status": ("结论", "decision"),
    "analysis.col.departments": ("部门", "departments"),
    "analysis.col.members": ("涉及", "members"),
    "analysis.col.saving": ("年节约(元)", "saving/yr (CNY)"),
    "analysis.col.reason": ("理由", "reason"),
    "analysis.col.id": ("编号", "id"),
    "analysis.col.recommendation": ("建议", "recommendation"),
    "analysis.total": (
        "共 {candidates} 项建议整合、{kept} 项保留；整合后每年约节约 {saving} 元（上限，不同类别可能重叠）",
        "{candidates} to consolidate, {kept} kept; consolidation saves about CNY {saving} a year (an upper bound: kinds can overlap)",
    ),
    "analysis.none": ("未发现重复建设", "no duplication found"),
    "finding.same-asset": (
        "{count} 条记录（{names}）在不同部门台账中指向同一资产，依据：{keys}（得分 {score}，阈值 {threshold}）",
        "{count} records ({names}) in different departments' ledgers are one asset, matched on: {keys} (score {score}, threshold {threshold})",
    ),
    "finding.same-asset-one-ledger": (
        "同一部门台账中 {count} 条记录（{names}）是同一资产，依据：{keys}（得分 {score}，阈值 {threshold}）",
        "{count} records ({names}) in one department's ledger are one asset, matched on: {keys} (score {score}, threshold {threshold})",
    ),
    "finding.rooms-weak": (
        "{district} 有 {count} 个自建机房规模小或利用率低，可整体迁入 {targets}",
        "{count} small or underused self-built rooms in {district} can move into {targets}",
    ),
    "finding.room-weak-alone": (
        "自建机房规模小或利用率低，同城其他机房也在整合，可一并迁入 {targets}",
        "a small or underused self-built room, alone in its district while its city's other rooms consolidate, can move into {targets}",
    ),
    "finding.rooms-weak-city": (
        "同一城市有 {count} 个自建机房规模小或利用率低，可整体迁入 {targets}",
        "{count} small or underused self-built rooms in one city can move into {targets}",
    ),
    "finding.room-classified": (
        "{room} 承载涉密或需物理隔离的系统，按规定保持物理隔离，不纳入整合",
        "{room} holds classified or isolated systems, which must stay physically isolated; not consolidated",
    ),
    "finding.lines-parallel": (
        "{departments} 个部门的 {count} 条专线连接同样的两处地点，可共用一条（保留 {keep}）",
        "{count} lines of {departments} departments join the same two places; one shared line ({keep}) can carry them",
    ),
    "finding.lines-redundancy": (
        "冗余组 {group} 的线路由不同运营商（{carriers}）提供，是有意的冗余，保留",
        "redundancy group {group} uses different carriers ({carriers}): intended redundancy, kept",
    ),
    "finding.lines-redundancy-one-carrier": (
        "冗余组 {group} 是有意的冗余，但都由 {carriers} 提供，建议改用不同运营商",
        "redundancy group {group} is intended redundancy but uses one carrier ({carriers}); consider a second carrier",
    ),
    "finding.lines-isolated": (
        "这些专线承载涉密或国家垂直网络（{networks}），按规定独立设置，不合并",
        "these lines carry classified or national vertical networks ({networks}); they stay separate by rule",
    ),
    "finding.network-replaceable": (
        "专网 {network} 的 {sites} 个站点都在电子政务外网接入点覆盖范围内，带宽（{mbps} Mbps）有余量，可迁入外网",
        "private network {network}: all {sites} sites are reached by extranet access points with headroom for {mbps} Mbps; it can move onto the extranet",
    ),
    "finding.network-classified": (
        "{network} 是涉密网络，必须物理隔离，不迁入电子政务外网",
        "{network} is classified and must stay physically isolated; it does not move onto the extranet",
    ),
    "finding.network-national-vertical": (
        "{network} 是国家垂直网络（{ministry}），由主管部委统一管理，不迁入",
        "{network} is a national vertical network run by {ministry}; it does not move",
    ),
    "finding.address-overlap": (
        "{count} 个将并入同一网络的网络地址重叠（{cidrs}），合网前需重新规划地址",
        "{count} networks that will be joined overlap ({cidrs}); re-address before joining them",
    ),
    "finding.systems-duplicate": (
        "{departments} 个部门各自建设了 {count} 套同类系统（{category}），可统一到共享平台：{platform}",
        "{departments} departments run {count} systems of one function ({category}); one shared platform can serve them: {platform}",
    ),
    "finding.systems-classified": (
        "同类系统中的涉密系统（{category}）必须独立运行，不纳入共享平台",
        "the classified systems of this function ({category}) must run separately and do not join a shared platform",
    ),
    "finding.idle-servers": (
        "{count} 台服务器长期几乎空闲（其中 {recent} 台尚未折旧完）",
        "{count} servers are nearly idle (of which {recent} are not yet written off)",
    ),
    "finding.retired-servers": (
        "{count} 台服务器承载的系统都已闲置或下线（其中 {recent} 台尚未折旧完）",
        "{count} servers only host systems that are idle or retired (of which {recent} are not yet written off)",
    ),
    "finding.site-single-system": (
        "机房 {room} 只为一个小系统（{system}，{users} 名用户）运行",
        "room {room} runs for one small system ({system}, {users} users)",
    ),
    "recommend.merge-records": ("合并为一条记录，明确唯一的所属部门", "merge into one record with one owner"),
    "recommend.move-rooms-to-cloud": (
        "将承载的系统迁入政务云后关停机房",
        "move the systems onto the government cloud and close the rooms",
    ),
    "recommend.keep-isolated": ("保持现状，物理隔离", "keep as is, physically isolated"),
    "recommend.keep-redundancy": ("保留冗余线路", "keep the redundant lines"),
    "recommend.share-one-line": (
        "保留 {keep} 并扩容，撤销其余线路",
        "keep {keep}, upgrade it, cancel the others",
    ),
    "recommend.move-to-extranet": (
        "迁入电子政务外网，撤销专网专线",
        "move onto the extranet and cancel the private lines",
    ),
    "recommend.readdress": ("按建议地址重新规划后再合网", "re-address as proposed before joining"),
    "recommend.readdress-no-space": (
        "地址规划中剩余空间不足，先扩充地址规划再重新规划",
        "the address plan has too little free space; extend it, then re-address",
    ),
    "recommend.share-platform": (
        "统一到共享平台 {platform}",
        "consolidate onto the shared platform {platform}",
    ),
    "recommend.reclaim-servers": (
        "回收或关停，尚未折旧完的设备转作他用",
        "reclaim or switch off; reuse hardware not yet written off",
    ),
    # --- plan: decisions' reasons (reason.*), advice and report words (plan.*) ---
    "action.retire": ("下线", "retire"),
    "action.retain": ("保留", "retain"),
    "action.rehost": ("直接迁移", "rehost"),
    "action.relocate": ("整机搬迁", "relocate"),
    "action.replatform": ("改造迁移", "replatform"),
    "action.repurchase": ("改用共享服务", "repurchase"),
    "action.refactor": ("重构", "refactor"),
    "reason.forced": ("情景文件指定为 {action}", "set to {action} by the scenario"),
    "reason.department-kept": (
        "情景文件要求部门 {department} 暂不迁移",
        "the scenario keeps department {department} in place",
    ),
    "reason.idle": ("系统状态为 {status}，直接下线", "the system is {status}: retire it"),
    "reason.virtualisation": (
        "虚拟化平台：其机房中的 {vms} 台虚拟机迁入政务云，云平台取代它，宿主机在虚拟机迁完后下线",
        "virtualisation platform: the {vms} VMs in its rooms move to the cloud, which takes its place; its hosts retire once they are empty",
    ),
    "reason.classified": (
        "涉密或须物理隔离（密级 {classification}，网络 {networks}），保留在隔离网络上",
        "classified or isolated (classification {classification}, networks {networks}): stays on its isolated network",
    ),
    "reason.duplicate": (
        "与共享平台 {platform_name}（{platform}）功能重复，数据并入后下线",
        "duplicates the shared platform {platform_name} ({platform}): move its data there and retire it",
    ),
    "reason.level-exceeds": (
        "等保 {level} 级，高于所有云节点的认证级别（最高 {certified} 级），暂不上云",
        "MLPS level {level} exceeds every cloud node's certification (at most {certified}): stays",
    ),
    "reason.hardware-bound": (
        "依赖专用硬件（加密机、加密狗、专用设备），保留",
        "bound to special hardware (HSM, dongle, device): stays",
    ),
    "reason.latency-bound": (
        "对时延敏感且附近没有合适的云节点，保留",
        "latency-bound and no suitable near node: stays",
    ),
    "reason.latency-near-node": (
        "对时延敏感，迁往就近节点 {node}",
        "latency-bound: moves to the near node {node}",
    ),
    "reason.sunk-cost": (
        "{servers} 台服务器购置不久（沉没成本），继续使用到 {until}",
        "{servers} servers were bought recently (sunk cost): kept in use until {until}",
    ),
    "reason.sunk-cost-relocate": (
        "{servers} 台服务器购置不久，整机搬迁到 {node} 机房继续使用到 {until}，原机房关停",
        "{servers} servers were bought recently: relocate them into {node}'s hall until {until} and close the old room",
    ),
    "reason.eol-os": (
        "操作系统已停止维护（{os}），迁移时更换操作系统",
        "the OS is past end of support ({os}): new OS on migration",
    ),
    "reason.arch-unsupported": (
        "{node} 不提供 {archs} 架构，需要改造",
        "{node} offers no {archs}: the system must be ported",
    ),
    "reason.rehost": ("迁移到 {node}", "moves to {node}"),
    "reason.coupled": (
        "与保留的系统 {systems} 紧耦合，一起保留",
        "tightly coupled to {systems}, which stay: stays with them",
    ),
    "reason.capacity": ("云节点容量不足（{nodes}），暂不迁移", "no capacity left on {nodes}: stays for now"),
    "plan.title": ("{region}：迁移计划（截至 {as_of}）", "{region}: migration plan (as of {as_of})"),
    "plan.wave": ("第 {number} 批", "wave {number}"),
    "plan.pilot": ("试点", "pilot"),
    "plan.col.wave": ("批次", "wave"),
    "plan.col.systems": ("系统", "systems"),
    "plan.col.servers": ("服务器", "servers"),
    "plan.col.data_tb": ("数据(TB)", "data (TB)"),
    "plan.col.closed_rooms": ("关停机房", "rooms closed"),
    "plan.col.cancelled_lines": ("撤销专线", "lines cancelled"),
    "plan.col.cutover": ("专网切换", "networks cut over"),
    "plan.col.confirm": (
        "关停前需部门确认的未登记服务器",
        "servers of no system, to confirm before the rooms close",
    ),
    "plan.col.department": ("部门", "department"),
    "plan.col.as_is": ("现状年成本", "as-is/yr"),
    "plan.col.to_be": ("目标年成本", "to-be/yr"),
    "plan.col.one_off": ("一次性迁移费", "one-off"),
    "plan.col.saving": ("年节约", "saving/yr"),
    "plan.col.payback": ("回收期(年)", "payback (yr)"),
    "plan.col.action": ("决策", "decision"),
    "plan.col.target": ("目标", "target"),
    "plan.col.reason": ("理由", "reason"),
    "plan.totals": (
        "现状年成本 {as_is} 元，目标年成本 {to_be} 元，年节约 {saving} 元；一次性迁移费 {one_off} 元，按全年节约计的静态回收期 {payback} 年",
        "as-is CNY {as_is}/yr, to-be CNY {to_be}/yr, saving CNY {saving}/yr; one-off CNY {one_off}, simple payback {payback} years at the full saving",
    ),
    "plan.more_waves": (
        "……另有 {count} 批（见 plan.md、report.html）",
        "… {count} more waves (see plan.md, report.html)",
    ),
    "plan.never": ("不回收", "never"),
    "plan.decisions": ("决策汇总：{counts}", "decisions: {counts}"),
    "plan.verified": ("计划通过校验", "the plan passes its verifier"),
    "plan.violations": ("计划有 {count} 处违反约束", "the plan breaks {count} constraints"),
    "plan.path.online": ("在线传输约 {hours} 小时", "online transfer about {hours} h"),
    "plan.path.offline": (
        "在线传输需 {hours} 小时，建议离线拷贝或临时专线",
        "online transfer would take {hours} h: ship disks or lease a temporary line",
    ),
    "plan.path.no-path": (
        "没有到目标的线路，需开通临时专线或离线拷贝",
        "no path to the target: lease a temporary line or ship disks",
    ),
    "plan.unassigned": (
        "{count} 台服务器未登记所属系统，请部门确认用途",
        "{count} servers belong to no system: ask their departments what they run",
    ),
    "plan.examples": (
        "注意：价格表标记为示例价格，成本仅供参考",
        "note: the price table is marked as example prices; costs are illustrative",
    ),
    # ---- issue 25: 先立后破 and progress
    "reason.progress-migrated": (
        "已于 {day} 迁移至 {node}（第 {wave} 批），按台账记录保留",
        "migrated to {node} on {day} (wave {wave}), as the ledger records",
    ),
    "reason.progress-retired": (
        "已于 {day} 下线（第 {wave} 批），按台账记录保留",
        "retired on {day} (wave {wave}), as the ledger records",
    ),
    "reason.xinchuang-none": (
        "须运行于信创环境，但没有认证等保 {level} 级且提供信创的云节点，暂不上云",
        "must run on a domestic (信创) stack, and no node certified for level {level} offers one: stays",
    ),
    "reason.platform-analysis": (
        "选为共享平台：省级优先、等保级别最高、用户最多；承接 {systems} 个重复系统的 {users} 名用户，按此扩容",
        "chosen as the shared platform (provincial first, highest MLPS level, most users); it takes the {users} users of {systems} duplicates and is sized for them",
    ),
    "reason.platform-scenario": (
        "由情景指定为共享平台；承接 {systems} 个重复系统的 {users} 名用户，按此扩容",
        "chosen as the shared platform by the scenario; it takes the {users} users of {systems} duplicates and is sized for them",
    ),
    "reason.node-full": (
        "首选云节点 {home} 容量不足，按就近、剩余容量优先改放 {node}",
        "its first-choice node {home} is full: placed on {node}, the next by distance and capacity left",
    ),
    "diff.rooms": ("机房 {id} 关闭批次：{before} → {after}", "room {id} closes: {before} → {after}"),
    "diff.lines": ("专线 {id} 撤销批次：{before} → {after}", "line {id} cancelled: {before} → {after}"),
    "diff.never": ("保留", "kept"),
    "diff.date.start": ("开始日期：{before} → {after}", "first day: {before} → {after}"),
    "diff.date.end": ("完成日期：{before} → {after}", "last day: {before} → {after}"),
    "diff.verified": ("通过校验：{before} → {after}", "passes its verifier: {before} → {after}"),
    "diff.violation": ("新增违反约束：{rule} {subject}", "new violation: {rule} {subject}"),
    "plan.fiscal_year": ("{years} 财年", "fiscal year {years}"),
    "plan.exits": (
        "合同到期与提前解约（机房租约、专线合同）",
        "contracts: when rooms and lines really close (leases, line contracts)",
    ),
    "plan.exit.id": ("机房或专线", "room or line"),
    "plan.exit.free_on": ("腾空日期", "empty from"),
    "plan.exit.contract_end": ("合同到期", "contract ends"),
    "plan.exit.closes_on": ("关闭/撤销日期", "closes on"),
    "plan.exit.saving": ("提前解约节省（元）", "saved by leaving early (CNY)"),
    "plan.exit.penalty": ("提前解约违约金（元）", "early-exit penalty (CNY)"),
    "plan.exit.early": ("提前解约", "early exit"),
    # ---- issue 22: re-tests (测评) in plan.md
    "plan.retests": (
        "迁移后重新测评：{count} 个系统，每批之后最多 {per_wave} 个",
        "re-tests (测评) after the moves: {count} systems, at most {per_wave} after each wave",
    ),
    "plan.retests.after": ("第 {slot} 批之后（共 {last} 批）", "after wave {slot} (of {last})"),
    "plan.retests.after_plan": (
        "第 {slot} 批之后（共 {last} 批，排在最后一批之后）",
        "after wave {slot} (of {last}: a slot after the last wave)",
    ),
    "plan.retests.item": (
        "{level} 级，第 {wave} 批迁移，{why}",
        "level {level}, moves in wave {wave}, {why}",
    ),
    "status.title": (
        "{region}：迁移进度（截至 {as_of}），完成/计划",
        "{region}: migration progress (as of {as_of}), done/planned",
    ),
    "status.col.state": ("状态", "state"),
    "status.col.window": ("时间", "window"),
    "status.col.systems": ("迁移系统", "systems migrated"),
    "status.col.retired_systems": ("下线系统", "systems retired"),
    "status.col.closed_rooms": ("关闭机房", "rooms closed"),
    "status.col.cancelled_lines": ("撤销专线", "lines cancelled"),
    "status.col.cutover_networks": ("专网切换", "networks cut over"),
    "status.state.done": ("已完成", "done"),
    "status.state.in-progress": ("进行中", "in progress"),
    "status.state.planned": ("计划中", "planned"),
    "plan.col.readdress": ("专网重新编址", "networks re-addressed"),
    "plan.col.switch": ("用户切换（并行运行后下线）", "users switched (retired after the parallel run)"),
    "plan.col.holds": ("保留的机房及原因", "rooms that stay open, and why"),
    "plan.hold.servers": ("仍有运行的服务器", "servers still running"),
    "plan.hold.classified": ("涉密系统或涉密网", "a classified system or network"),
    "plan.hold.national-network": (
        "国家垂直专网或政务内网的接入端",
        "a national vertical network or 政务内网 terminates here",
    ),
    "plan.hold.line-in-use": ("仍在使用的专线", "a line still in use"),
    "plan.hold.equipment-in-use": (
        "机房设备仍服务于未切换的专网",
        "room equipment still serves a network not cut over",
    ),
    "plan.hold.recovery-copy": ("留守系统唯一的灾备副本", "the only recovery copy of a system that stays"),
    # ---- issue 25: runbook
    "plan.runbook": ("操作手册", "runbook"),
    "runbook.done": (
        "本批次已按台账记录完成，以下步骤仅供查阅",
        "the ledger records this wave as done; the steps are kept for reference",
    ),
    "runbook.foundation": (
        "确认云节点 {node} 的基础栈已部署（网络、安全组、KMS、审计、堡垒机）",
        "check that cloud node {node}'s foundation stack is applied (network, security groups, KMS, audit, bastion)",
    ),
    "runbook.readdress": (
        "为专网 {network} 重新编址（按分析报告的地址建议），为下一批次的切换做准备",
        "re-address private network {network} (as the analysis proposes), ready for its cut-over in a later wave",
    ),
    "runbook.transfer-online": (
        "在线传输 {source} → {node}：{tb} TB，完成后校验数据一致性",
        "transfer {source} → {node} online: {tb} TB; compare checksums when done",
    ),
    "runbook.transfer-offline": (
        "离线传输或临时专线 {source} → {node}：{tb} TB，完成后校验数据一致性",
        "transfer {source} → {node} offline or over a temporary line: {tb} TB; compare checksums when done",
    ),
    "runbook.cutover": (
        "切换 {system} 至 {node}：冻结写入、最终增量同步、切换域名或地址",
        "cut {system} over to {node}: freeze writes, final incremental sync, switch its name or address",
    ),
    "runbook.acceptance": (
        "验收 {system}：业务冒烟测试、数据核对、性能对比、等保基线检查（govcloud check --state to-be）",
        "accept {system}: business smoke tests, data reconciliation, performance against the baseline, the to-be security baseline (govcloud check --state to-be)",
    ),
    "runbook.rollback": (
        "回退预案 {system}：原服务器保持开机、只读，验收未通过则切回原地址",
        "rollback for {system}: its source servers stay powered and read-only; if acceptance fails, switch back to them",
    ),
    "runbook.parallel-run": (
        "{system} 与共享平台 {platform} 并行运行 {weeks} 周（先立后破）",
        "run {system} beside the shared platform {platform} for {weeks} weeks (先立后破)",
    ),
    "runbook.switch-users": (
        "将 {system} 的用户与数据切换到 {platform}，通知用户并更新调用方配置",
        "switch the users and data of {system} to {platform}; tell its users and repoint its callers",
    ),
    "runbook.retire": (
        "并行运行结束且用户切换完成后，下线 {system}，数据按规定归档",
        "once the parallel run is over and its users are switched, retire {system} and archive its data as required",
    ),
    "runbook.retire-idle": (
        "经业主确认后下线闲置系统 {system}，数据按规定归档",
        "retire the idle system {system} once its owner confirms, and archive its data as required",
    ),
    "runbook.cutover-network": (
        "将专网 {network} 切换到电子政务外网，确认各接入点连通后停用原专网",
        "cut private network {network} over to the e-government extranet; stop it once every site is reached",
    ),
    "runbook.close-room": (
        "关闭机房 {room}（另有 {confirm} 台无系统记录的服务器需业主确认后回收）",
        "close room {room} ({confirm} servers of no recorded system are reclaimed once their owners confirm)",
    ),
    "runbook.remove-equipment": (
        "拆除机房 {room} 的设备：网络设备 {network} 台、安全设备 {security} 台、存储设备 {storage} 台、其他设备 {other} 台",
        "decommission the equipment of room {room}: {network} network, {security} security, "
        "{storage} storage and {other} other devices",
    ),
    "runbook.cancel-line": ("撤销专线 {line}", "cancel line {line}"),
    "runbook.repoint": (
        "将 {caller} 对 {system} 的调用改为调用 {platform}（云上安全组已放行该访问）",
        "repoint {caller}'s calls from {system} to {platform} (the stacks open exactly this flow)",
    ),
    "runbook.upgrade-line": (
        "扩容共享专线 {line}，承载将在下一批次撤销的并行专线的业务",
        "upgrade the shared line {line} to carry the parallel lines cancelled in the next wave",
    ),
    "runbook.reclaim": (
        "闲置服务器 {server} 不迁移：确认无业务后关机回收",
        "idle server {server} does not move: once nothing is found on it, switch it off and reclaim it",
    ),
    "plan.col.reclaimed": ("回收的闲置服务器", "idle servers reclaimed"),
    "plan.col.upgraded": ("扩容的共享专线", "shared lines upgraded"),
    # ---- the HTML report (govcloud report; report.html)
    "report.title": ("{region}：政务云迁移规划报告", "{region}: government cloud migration plan"),
    "report.subtitle": (
        "台账截至 {as_of}：一本账、重复建设、迁移批次、成本效益与安全基线",
        "ledger as of {as_of}: one ledger, duplication, migration waves, cost-benefit and security baseline",
    ),
    "report.skip": ("跳到正文", "skip to the report"),
    "report.contents": ("目录", "contents"),
    "report.none": ("无", "none"),
    "report.footer": (
        "由 govcloud {version} 根据 plan.json 及同目录的输出生成；相同输入生成相同文件。",
        "made by govcloud {version} from plan.json and the outputs beside it; the same input gives the same file.",
    ),
    "report.section.glance": ("总览", "At a glance"),
    "report.section.topology": ("网络拓扑：迁移前后", "Network before and after"),
    "report.section.waves": ("迁移批次日程", "Wave calendar"),
    "report.section.costs": ("成本效益", "Cost-benefit"),
    "report.section.findings": ("重复建设发现", "Duplication found"),
    "report.section.compliance": ("安全基线合规", "Security baseline compliance"),
    "report.section.decisions": ("每个系统的决策与理由", "Every system's decision and its reasons"),
    "report.glance.assets": ("资产", "Assets"),
    "report.glance.assets_value": (
        "{servers} 台服务器 / {systems} 个系统",
        "{servers} servers / {systems} systems",
    ),
    "report.glance.assets_note": (
        "{sites} 个机房，{lines} 条专线，{networks} 张网络",
        "{sites} rooms, {lines} lines, {networks} networks",
    ),
    "report.glance.as_is": ("现状年成本（元）", "As-is yearly cost (CNY)"),
    "report.glance.cny_year": ("机房、专线、折旧与维保", "rooms, lines, depreciation and maintenance"),
    "report.glance.duplication": ("重复建设", "Duplication"),
    "report.glance.duplication_value": ("{count} 项待整合", "{count} to consolidate"),
    "report.glance.duplication_note": (
        "另有 {kept} 项有理由保留；年节约上限 {saving} 元",
        "{kept} more kept with a reason; up to CNY {saving}/yr",
    ),
    "report.glance.saving": ("迁移后年节约（元）", "Yearly saving after the plan (CNY)"),
    "report.glance.saving_note": ("目标年成本 {to_be} 元", "to-be CNY {to_be}/yr"),
    "report.glance.payback": ("投资回收期", "Payback"),
    "report.glance.years": ("{years} 年", "{years} years"),
    "report.glance.one_off": ("一次性迁移费 {one_off} 元", "one-off CNY {one_off}"),
    "report.glance.waves": ("迁移批次", "Waves"),
    "report.glance.span": ("{start} 至 {end}", "{start} to {end}"),
    "report.glance.compliance": ("安全基线", "Security baseline"),
    "report.glance.compliance_value": ("{count} 项未整改", "{count} open findings"),
    "report.decisions_line": ("决策：", "Decisions:"),
    "report.topology.intro": (
        "每幅图左列为各部门自建机房，向右依次为专线连接的其他地点、电子政务外网接入点和政务云节点。"
        "第一幅为现状（橙色机房将关停，红色虚线专线将撤销），第二幅为全部批次完成后保留的网络。",
        "In each drawing: every department's rooms on the left, then the other places their lines reach, "
        "the extranet access points and the cloud nodes. The first is today (orange rooms close, dashed red "
        "lines are cancelled); the second is what remains after the last wave.",
    ),
    "report.topology.before": ("迁移前：现状网络", "Before: the network today"),
    "report.topology.after": ("迁移后：全部批次完成", "After: once every wave is done"),
    "report.topology.rooms": ("{name}（{count} 个机房）", "{name} ({count} rooms)"),
    "report.topology.other_departments": (
        "其他 {count} 个部门（{rooms} 个机房）",
        "{count} other departments ({rooms} rooms)",
    ),
    "report.topology.other_places": ("其他 {count} 个地点", "{count} other places"),
    "report.topology.on_cloud": ("{systems} 个系统 / {servers} 台", "{systems} systems / {servers} servers"),
    "report.legend.room": ("机房（保留）", "room (stays)"),
    "report.legend.closing": ("机房（将关停）", "room (closes)"),
    "report.legend.place": ("其他地点", "other place"),
    "report.legend.access_point": ("外网接入点", "extranet access point"),
    "report.legend.cloud": ("政务云节点", "cloud node"),
    "report.legend.line": ("专线", "dedicated line"),
    "report.legend.cancelled": ("将撤销的专线", "line to cancel"),
    "report.legend.extranet": ("电子政务外网", "e-government extranet"),
    "report.gantt.title": ("迁移批次日程", "Wave calendar"),
    "report.gantt.waves": ("第 {first}–{last} 批", "waves {first}–{last}"),
    "report.gantt.bar": ("{systems} 个系统 / {servers} 台", "{systems} systems / {servers} servers"),
    "report.gantt.retired": ("关停 {rooms} 机房，撤销 {lines} 专线", "−{rooms} rooms, −{lines} lines"),
    "report.wave.facts": (
        "迁移 {systems} 个系统、{servers} 台服务器、{data} TB 数据",
        "moves {systems} systems, {servers} servers, {data} TB of data",
    ),
    "report.wave.moves": ("迁移的系统", "Systems moved"),
    "report.wave.retired": ("下线的系统", "Systems retired"),
    "report.wave.after": ("本批完成后", "After this wave"),
    "report.wave.paths": ("数据迁移路径", "Data transfer paths"),
    "report.unit.wan": ("万元", "CNY 10k"),
    "report.unit.million": ("百万元", "CNY million"),
    "report.cost.axis": ("累计成本（{unit}）", "cumulative cost ({unit})"),
    "report.cost.title": (
        "五年累计成本：维持现状与实施计划",
        "Cumulative cost over five years: as-is against the plan",
    ),
    "report.cost.as_is": ("维持现状", "keep as-is"),
    "report.cost.to_be": ("实施计划（含一次性迁移费）", "the plan (one-off cost included)"),
    "report.cost.payback": ("约 {years} 年回收", "pays back in {years} years"),
    "report.cost.years": ("年", "years"),
    "report.cost.caption": ("五年累计节约约 {saving}", "five-year saving: about {saving}"),
    "report.cost.by_department": ("各部门成本效益（元/年）", "Cost-benefit per department (CNY per year)"),
    "report.findings.intro": (
        "发现 {candidates} 项可整合的重复建设，{kept} 项有理由保留；年节约上限 {saving} 元（各类可能重叠）。",
        "{candidates} findings to consolidate and {kept} kept with a reason; up to CNY {saving} a year (kinds can overlap).",
    ),
    "report.compliance.intro": (
        "等保 2.0（GB/T 22239-2019）与商用密码应用（GB/T 39786-2021）基线：{open} 项未整改，{waived} 项已豁免。"
        "“现状”检查台账中的资产，“目标”检查计划生成的 Pulumi 栈。",
        "MLPS 2.0 (GB/T 22239-2019) and commercial cryptography (GB/T 39786-2021): {open} open findings, "
        "{waived} waived. As-is checks the ledger's assets; to-be checks the Pulumi stacks the plan emits.",
    ),
    "report.compliance.state": ("对象", "state"),
    "report.compliance.rules": ("规则", "Rules"),
    "report.compliance.standard": ("标准条款", "standard and clause"),
    "report.compliance.more": (
        "另有 {count} 项未列出，完整清单见 baseline.md 和 baseline.sarif",
        "{count} more not listed here; baseline.md and baseline.sarif have them all",
    ),
    "report.compliance.checked": ("检查数", "checked"),
    "report.compliance.failed": ("不符合", "failing"),
    "report.state.as-is": ("现状", "as-is"),
    "report.state.to-be": ("目标", "to-be"),
    "report.decisions.intro": (
        "共 {count} 个系统。每个决策都附有理由；可按关键字或决策类型筛选。",
        "{count} systems, each decision with its reasons; filter by words or by decision.",
    ),
    "report.decisions.search": ("搜索", "Search"),
    "report.decisions.placeholder": ("系统名、部门、编号或理由", "system, department, id or reason"),
    "report.decisions.all": ("全部", "all"),
    "report.written": ("已写出报告：{path}", "wrote the report: {path}"),
    "report.input": ("无法生成报告：{detail}", "cannot make the report: {detail}"),
    "report.input.hint": (
        "报告依据 govcloud plan 写出的 plan.json 及同目录的 analysis.json、baseline.json、ledger-summary.json、topology.json；请重新运行 govcloud plan",
        "the report reads plan.json and the analysis.json, baseline.json, ledger-summary.json and topology.json govcloud plan writes beside it; run govcloud plan again",
    ),
    "diff.waves": ("批次数：{before} → {after}", "waves: {before} → {after}"),
    "diff.cost": ("{item}：{before} → {after}（{change}）", "{item}: {before} → {after} ({change})"),
    "diff.as_is_cny": ("现状年成本", "as-is yearly cost"),
    "diff.to_be_cny": ("目标年成本", "to-be yearly cost"),
    "diff.yearly_saving_cny": ("年节约", "yearly saving"),
    "diff.one_off_cny": ("一次性迁移费", "one-off cost"),
    "diff.same": ("两个计划相同", "the plans are the same"),
    "generate.not-empty": (
        "{path} 中已有台账文件；如要替换，请加 --overwrite",
        "{path} already holds ledger files; add --overwrite to replace them",
    ),
    "generate.done": ("已生成 {files} 个文件到 {path}：{counts}", "wrote {files} files to {path}: {counts}"),
    "generate.density": (
        "密度：每 {servers_per_system} 台服务器一个系统，每个系统平均 {deps_per_system} 个依赖"
        "（跨部门 {cross_department_pct}%，跨层级 {cross_level_pct}%，紧耦合 {tight} 个）",
        "density: one system per {servers_per_system} servers, {deps_per_system} dependencies per system"
        " ({cross_department_pct} % across departments, {cross_level_pct} % across levels, {tight} tight)",
    ),
    "generate.levels": (
        "--cross-level-share（{levels}）是跨部门依赖的一部分，不能大于 --cross-department-share（{departments}）",
        "--cross-level-share ({levels}) is part of the cross-department dependencies: it cannot exceed"
        " --cross-department-share ({departments})",
    ),
    "import-unreadable": ("无法读取：{detail}", "cannot read: {detail}"),
    "import-unreadable.hint": (
        "另存为 .xlsx 或 UTF-8/GBK 编码的 .csv",
        "save it as .xlsx, or as .csv in UTF-8 or GBK",
    ),
    "import-unknown-sheet": (
        "不知道工作表 '{sheet}' 是哪类台账，已跳过",
        "sheet '{sheet}' is not a known ledger list; skipped",
    ),
    "import-unknown-sheet.hint": (
        "把工作表改名为 服务器、机房、专线、业务系统 等，或在映射文件的 sheets: 中指定",
        "rename it (服务器/servers, 机房/sites, 专线/lines, 业务系统/systems, …) or map it under sheets: in a mapping file",
    ),
    "import-no-header": (
        "在前 10 行没有找到表头：'{sheet}'",
        "no header row in the first 10 rows of '{sheet}'",
    ),
    "import-no-header.hint": (
        "表头至少要有两个能识别的列名，见 govcloud import --template",
        "the header needs at least two known column names; see govcloud import --template",
    ),
    "import-unmapped-column": (
        "列 {cell} '{header}' 没有对应的台账字段，已忽略",
        "column {cell} '{header}' matches no ledger field; ignored",
    ),
    "import-unmapped-column.hint": (
        "如需导入，在映射文件（--mapping）中写上，例如 {mapping}",
        "to import it, map it in a mapping file (--mapping), e.g. {mapping}",
    ),
    "import-bad-cell": (
        "单元格 {cell} 的值 '{value}' 无法使用：{detail}",
        "cell {cell}: '{value}' cannot be used: {detail}",
    ),
    "import-bad-cell.hint": (
        "改正该单元格；这一行的其他列已导入",
        "correct the cell; the rest of the row was imported",
    ),
    "import-extra-rows": (
        "'{sheet}' 只应有一行，实际 {count} 行，只用了第一行",
        "'{sheet}' should have one row but has {count}; the first was used",
    ),
    "import-extra-rows.hint": ("删除多余的行", "delete the extra rows"),
    "import-open-field": (
        "{count} 条记录的 {field} 来源数据中没有（如 {examples}）：{detail}",
        "{field} is not in the source for {count} records (e.g. {examples}): {detail}",
    ),
    "import-open-field.hint": (
        "在生成的 YAML 中补上，govcloud validate 会指出每一处",
        "fill it in the YAML written; govcloud validate points at each place",
    ),
    "import-skipped": ("跳过了 {count} 个{what}", "skipped {count} {what}"),
    "import-skipped.hint": (
        "台账只记录服务器；网络设备不需要导入",
        "the ledger records servers; network devices are not imported",
    ),
    "import.done": (
        "已导入 {rows} 行，写出 {path}；{errors} 个错误、{warnings} 个警告",
        "imported {rows} rows into {path}; {errors} errors, {warnings} warnings",
    ),
    # ---- issue 18: real ledgers in
    "import-ignored-column": (
        "列 {cell} '{header}' 是已知的与台账无关的列，已忽略",
        "column {cell} '{header}' is known to carry nothing the ledger keeps; ignored",
    ),
    "import-ignored-column.hint": (
        "如需导入，在映射文件（--mapping）中写上，例如 {mapping}",
        "to import it anyway, map it in a mapping file (--mapping), e.g. {mapping}",
    ),
    "import-ignored-columns": (
        "忽略了 {count} 列（与台账无关）：{columns}",
        "ignored {count} columns (nothing the ledger keeps): {columns}",
    ),
    "import-ignored-columns.hint": (
        "（≈ 字段）是建议的对应字段；如需导入某列，在映射文件（--mapping）中写 columns: {{servers: {{'列名': 字段}}}}",
        "(≈ field) is the suggested field; to import a column, map it in a mapping file (--mapping): columns: {{servers: {{'header': field}}}}",
    ),
    "import-duplicate-column": (
        "列 {cell} '{header}' 与前面已使用的一列都对应字段 {field}，只用了前一列",
        "column {cell} '{header}' maps to {field} like an earlier column; the earlier one was used",
    ),
    "import-duplicate-column.hint": (
        "如需用这一列，在映射文件中把另一列映射为 ignore",
        "to use this one instead, map the other column to ignore in a mapping file",
    ),
    "import-assumption": (
        "导入时假定 {field} = {value}（{count} 处，如 {at}）：{why}",
        "the import assumed {field} = {value} ({count} places, e.g. {at}): {why}",
    ),
    "import-assumption.hint": (
        "核实后在台账中改成实际值，再删除 assumptions: 中的这一条",
        "confirm it (or put the real value in the ledger), then delete this entry under assumptions:",
    ),
    "import-not-servers": (
        "{count} 台{kind}不是服务器，未作为服务器导入（如 {examples}）",
        "{count} {kind} are not servers and were not imported as servers (e.g. {examples})",
    ),
    "import-not-servers.hint": (
        "它们记在所在机房的备注中，机房关闭前需先搬走；如分类有误，在映射文件的 roles: 中改正",
        "they are noted on their rooms (they must go before a room closes); if one is misclassified, set its role under roles: in a mapping file",
    ),
    "import-missing-columns": (
        "{name} 不像{kind}：缺少 {missing} 列",
        "{name} does not look like {kind}: no {missing} column",
    ),
    "import-missing-columns.hint": (
        "确认文件类型；电子表格台账请用 govcloud import xlsx 或 csv",
        "check what the file is; a spreadsheet ledger is imported with govcloud import xlsx or csv",
    ),
    "import-no-rows": (
        "{source} 中没有可导入的行，未写出任何文件",
        "{source} holds no rows to import; nothing was written",
    ),
    "import-no-rows.hint": (
        "检查是否选错了文件或工作表（空模板没有数据行），或用 --mapping 指明表头",
        "check the file and sheet (an empty template has no data rows), or name the headers with --mapping",
    ),
    "import-wrong-kind": (
        "{name} 是{kind}，不是 {expected} 能导入的文件，未写出任何文件",
        "{name} is {kind}, not a file {expected} imports; nothing was written",
    ),
    "import-wrong-kind.hint": ("改用：govcloud import {command}", "use: govcloud import {command}"),
    "import-unknown-list": (
        "不知道 {name} 是 NetBox 的哪个列表（govcloud 读取设备、虚拟机、站点、租户、前缀和线路），已跳过",
        "{name} is not a NetBox list govcloud reads (devices, virtual machines, sites, tenants, prefixes, circuits); skipped",
    ),
    "import-unknown-list.hint": (
        "把文件命名为 devices.csv、virtual-machines.csv、circuits.csv、sites.csv、tenants.csv 或 prefixes.csv",
        "name it devices.csv, virtual-machines.csv, circuits.csv, sites.csv, tenants.csv or prefixes.csv",
    ),
    "import-skipped-rows": (
        "按规则跳过了 {count} 行：{rule}",
        "skipped {count} rows by rule: {rule}",
    ),
    "import-skipped-rows.hint": (
        "如需导入这些行，请加 {option}",
        "to import them, add {option}",
    ),
    "import-skipped-templates": (
        "跳过了 {count} 个虚拟机模板：模板不是服务器",
        "skipped {count} VM templates: a template is not a server",
    ),
    "import-skipped-templates.hint": (
        "模板不迁移；如某个模板其实在运行，请在 vCenter 中把它转成虚拟机再导出",
        "templates do not migrate; if one is really in use, convert it to a VM in vCenter and export again",
    ),
    "import.used": ("{sheet}：使用 {columns}", "{sheet}: used {columns}"),
    "import.classified": (
        "分类：服务器 {servers}，网络与安全设备 {network}，存储 {storage}，其他 {other}",
        "classified: servers {servers}, network and security devices {network}, storage {storage}, other {other}",
    ),
    "import.merged": (
        "已合并到 {path}：新增 {added}，变更 {changed}，删除 {removed}",
        "merged into {path}: added {added}, changed {changed}, removed {removed}",
    ),
    "import.merged.item": ("  {change} {kind} {id}", "  {change} {kind} {id}"),
    "kind.import-group-network": ("网络与安全设备", "network and security devices"),
    "kind.import-group-storage": ("存储设备", "storage devices"),
    "kind.import-group-other": ("其他设备", "other devices"),
    "kind.import-netbox": ("NetBox 导出文件", "a NetBox export"),
    "kind.import-rvtools": ("RVTools 导出文件", "an RVTools export"),
    "kind.import-azure-migrate": ("Azure Migrate 导入文件", "an Azure Migrate import file"),
    "kind.import-aws-cmf": (
        "AWS Cloud Migration Factory 登记表",
        "an AWS Cloud Migration Factory intake form",
    ),
    "kind.import-ledger": ("电子表格台账", "a spreadsheet ledger"),
    "confidence.title": ("计划可信度", "plan confidence"),
    "confidence.overall": (
        "计划可信度：{stars} 星（{pct}% 的依据为实测而非假定）",
        "plan confidence: {stars} stars ({pct}% of what the plan used was measured, not assumed)",
    ),
    "confidence.assumed": ("；主要为假定：{factors}", "; mostly assumed: {factors}"),
    "confidence.col.system": ("系统", "system"),
    "confidence.col.stars": ("可信度", "confidence"),
    "confidence.col.assumed": ("假定的依据", "assumed"),
    "confidence.factor.size": ("规格", "sizes"),
    "confidence.factor.utilisation": ("利用率", "utilisation"),
    "confidence.factor.dependencies": ("依赖", "dependencies"),
    "confidence.factor.cost": ("成本", "costs"),
    "confidence.factor.location": ("位置", "location"),
    "baseline.title": ("安全基线检查（等保 2.0 / GB/T 39786）", "security baseline (MLPS 2.0 / GB/T 39786)"),
    "baseline.col.severity": ("级别", "severity"),
    "baseline.col.rule": ("规则", "rule"),
    "baseline.col.subject": ("对象", "subject"),
    "baseline.col.where": ("位置", "where"),
    "baseline.col.fix": ("整改", "fix"),
    "baseline.severity.critical": ("严重", "critical"),
    "baseline.severity.high": ("高", "high"),
    "baseline.severity.medium": ("中", "medium"),
    "baseline.severity.low": ("低", "low"),
    "baseline.waived": ("已豁免", "waived"),
    "baseline.coverage": ("规则覆盖", "rule coverage"),
    "baseline.matrix": (
        "条款覆盖矩阵：自动检查与人工取证",
        "clause matrix: checked automatically or evidenced by hand",
    ),
    "baseline.summary": (
        "未整改 {open} 项（{counts}），已豁免 {waived} 项",
        "{open} open findings ({counts}), {waived} waived",
    ),
    # ---- issue 23: cash flow and KPIs
    "cashflow.title": ("逐月现金流", "Cash flow by month"),
    "cashflow.summary": (
        "折现率 {rate}% 下净现值 {npv} 元；{payback}",
        "net present value {npv} CNY at a discount rate of {rate}%; {payback}",
    ),
    "cashflow.payback": (
        "{month} 起累计节约转正（第 {months} 个月）",
        "the cumulative saving turns positive from {month} (month {months})",
    ),
    "cashflow.never": (
        "测算期内累计节约未转正",
        "the cumulative saving does not turn positive within the horizon",
    ),
    "cashflow.col.year": ("财年", "fiscal year"),
    "cashflow.col.level": ("资金层级", "funding level"),
    "cashflow.col.as_is": ("现状", "as-is"),
    "cashflow.col.to_be": ("计划", "plan"),
    "cashflow.col.opex": ("运行费", "opex"),
    "cashflow.col.depreciation": ("折旧", "depreciation"),
    "cashflow.col.capex": ("一次性投入", "capex (one-off)"),
    "cashflow.col.saving": ("节约", "saving"),
    "cashflow.col.cumulative": ("累计节约", "cumulative saving"),
    "cashflow.one_off.migration": ("迁移", "migration"),
    "cashflow.one_off.porting": ("改造适配", "porting"),
    "cashflow.one_off.retirement": ("退役（数据导出、用户切换）", "retirement (data export, user switch)"),
    "cashflow.one_off.line-exit": ("专线提前解约", "line early termination"),
    "cashflow.one_off.lease-exit": ("机房提前退租", "room lease exit"),
    "cashflow.one_offs": ("一次性费用：{items}", "one-off costs: {items}"),
    "cashflow.priced_by_rule": (
        "{count} 台服务器没有合适的规格，按最大规格的倍数计价：{servers}",
        "{count} servers fit no catalogue type and are priced as multiples of the largest type: {servers}",
    ),
    "cashflow.unpriced": (
        "{count} 台服务器所在节点没有该架构的价格，无法计价：{servers}",
        "{count} servers cannot be priced, their node lists no type of their architecture: {servers}",
    ),
    "cashflow.sunk_cost_room": (
        "机房 {room} 仅为 {servers} 台未到年限的服务器保留到 {until}：期间机房费用 {room_cost} 元，设备剩余价值 {book} 元；{verdict}",
        "room {room} stays open until {until} only for {servers} young servers: it costs {room_cost} CNY meanwhile against {book} CNY of book value; {verdict}",
    ),
    "cashflow.close_early": ("提前关停更省", "closing it early costs less"),
    "cashflow.keep": ("保留更省", "keeping it costs less"),
    "kpi.title": ("整合指标", "Consolidation KPIs"),
    "kpi.line": ("整合指标（现状 → 末批完成后）：{items}", "KPIs (today → after the last wave): {items}"),
    "diff.npv_cny": ("现金流净现值", "net present value of the cash flow"),
    # ---- issue 23: who runs what
    "operators.title": ("运维责任", "Who runs what"),
    "operators.summary": (
        "系统运维费（人员、外包、许可）：现状每年 {as_is} 元，迁移后每年 {to_be} 元",
        "operations of systems (staff, outsourcing, licences): {as_is} CNY a year today, {to_be} CNY a year after the move",
    ),
    "operators.to_centre": (
        "基础设施移交运维中心：{systems}",
        "infrastructure handed to the operations centre: {systems}",
    ),
    "operators.retired": ("停止运维（退役）：{systems}", "no longer run (retired): {systems}"),
    "operators.col.system": ("系统", "system"),
    "operators.col.before": ("现运维方", "run today by"),
    "operators.col.infrastructure": ("迁移后基础设施", "infrastructure after"),
    "operators.col.application": ("迁移后应用", "application after"),
    "operators.col.as_is": ("现状年运维费", "operations/yr today"),
    "operators.col.to_be": ("目标年运维费", "operations/yr after"),
    "summary.operations": ("年运维", "Operations/yr"),
    # ---- issue 23: disaster recovery
    "recovery.title": ("灾备", "Disaster recovery"),
    "recovery.col.system": ("系统", "system"),
    "recovery.col.today": ("现状", "today"),
    "recovery.col.offsite": ("异地副本", "off-site copy"),
    "recovery.col.standby": ("备机", "standby"),
    "recovery.col.rpo": ("RPO / 副本间隔", "RPO / copy interval"),
    "recovery.col.problems": ("问题", "problems"),
    "recovery.offsite": ("异地备份", "off-site backup"),
    "recovery.standby.hot": ("热备", "hot standby"),
    "recovery.standby.cold": ("冷备", "cold standby"),
    "recovery.problem.no-recovery-site": (
        "目标节点没有配对的灾备节点或灾备地域",
        "the target node has no paired recovery node or region",
    ),
    "recovery.problem.standby-same-zone": (
        "节点只有一个可用区：备机在同一可用区的另一台宿主机上",
        "the node has one zone: the standby is on another host of the same zone",
    ),
    "recovery.problem.rpo-not-met": (
        "副本间隔达不到 RPO，需要热备实时复制",
        "copies cannot meet the RPO: a hot standby replicating in real time is needed",
    ),
    "recovery.hold": (
        "{room} 保存 {system} 的灾备副本：第 {wave} 批后关停，新副本第 {live} 批上线",
        "{room} holds the recovery copy of {system}: it closes after wave {wave}, the new copy is live after wave {live}",
    ),
    "recovery.hold_broken": (
        "{room} 保存 {system} 唯一的灾备副本，却在第 {wave} 批后关停（新副本：{live}）",
        "{room} holds the only recovery copy of {system} but closes after wave {wave} (new copy: {live})",
    ),
    "zone-recovery-unknown": (
        "配对的灾备可用区 '{id}' 不是本节点的另一个可用区",
        "the paired recovery zone '{id}' is not another zone of this node",
    ),
    "zone-recovery-unknown.hint": (
        "recovery_zone 填写同一云节点 zones 中另一个可用区的 id",
        "set recovery_zone to the id of another zone in the same node's zones",
    ),
    "node-recovery-self": ("云节点不能作为自己的灾备节点", "a cloud node cannot be its own recovery node"),
    "node-recovery-self.hint": (
        "recovery_node 填写另一个云节点的 id，或改用 recovery_region",
        "set recovery_node to another cloud node's id, or use recovery_region",
    ),
    "report.section.cashflow": ("逐月现金流", "Cash flow"),
    "report.cashflow.title": ("累计节约（逐月）", "Cumulative saving by month"),
    "report.cashflow.cumulative": ("累计节约", "cumulative saving"),
    "report.cashflow.axis": ("金额（{unit}）", "amount ({unit})"),
    "report.cashflow.payback": ("{month} 回收", "pays back {month}"),
    "report.cashflow.by_year": ("按财年（元）", "By fiscal year (CNY)"),
    "report.kpi.caption": (
        "基线为现状，各批次列为该批完成后的目标值；公式见下",
        "baseline is the ledger as it is; each wave's column is the target once it is done; formulas below",
    ),
    "kpi.col.indicator": ("指标", "indicator"),
    "kpi.col.baseline": ("基线", "baseline"),
    "kpi.col.achieved": ("实际", "achieved"),
    "kpi.col.target": ("目标（末批完成后）", "target (after the last wave)"),
    "kpi.col.formula": ("计算公式", "formula"),
    "kpi.not_recorded": ("尚无进度记录", "no progress recorded yet"),
    "kpi.cloud_rate": ("上云率", "cloud adoption rate"),
    "kpi.cloud_rate.formula": (
        "在云节点运行的系统数 ÷ 可上云系统数（在运行、非涉密、不退役）",
        "systems running on a cloud node ÷ systems that can move (running, not classified, not retired)",
    ),
    "kpi.room_closure_rate": ("机房关停率", "room closure rate"),
    "kpi.room_closure_rate.formula": (
        "已关停机房数 ÷ 机房数（不含云节点机房）",
        "rooms closed ÷ rooms (cloud-node rooms not counted)",
    ),
    "kpi.line_consolidation_rate": ("专线整合率", "leased line consolidation rate"),
    "kpi.line_consolidation_rate.formula": ("已撤销专线数 ÷ 专线数", "lines cancelled ÷ leased lines"),
    "kpi.network_consolidation_rate": ("专网整合率", "private network consolidation rate"),
    "kpi.network_consolidation_rate.formula": (
        "已切换到电子政务外网的业务专网数 ÷ 业务专网数",
        "department private networks cut over onto the extranet ÷ department private networks",
    ),
    "kpi.extranet_department_coverage": ("电子政务外网部门覆盖率", "extranet coverage (departments)"),
    "kpi.extranet_department_coverage.formula": (
        "接入电子政务外网的部门数 ÷ 部门数",
        "departments on the e-government extranet ÷ departments",
    ),
    "kpi.extranet_site_coverage": ("电子政务外网站点覆盖率", "extranet coverage (sites)"),
    "kpi.extranet_site_coverage.formula": (
        "（有外网链路的在用机房 + 已关停机房）÷ 机房数",
        "(open rooms with an extranet link + rooms closed) ÷ rooms",
    ),
    "kpi.extranet_mbps": ("电子政务外网带宽(Mbps)", "extranet bandwidth (Mbps)"),
    "kpi.extranet_mbps.formula": (
        "到外网接入点的专线带宽 + 替代业务专网新购的外网带宽",
        "bandwidth of lines to extranet access points + extranet bandwidth bought to replace private networks",
    ),
    "kpi.shared_platform_rate": ("共享平台接入率", "shared platform adoption rate"),
    "kpi.shared_platform_rate.formula": (
        "（已退役并接入共享平台的重复系统 + 已上线的共享平台）÷（重复系统 + 共享平台）",
        "(duplicate systems retired onto a live shared platform + live platforms) ÷ (duplicate systems + platforms)",
    ),
    "kpi.duplicates_retired": ("重复系统退役数", "duplicate systems retired"),
    "kpi.duplicates_retired.formula": (
        "退役并由共享平台替代的重复系统数",
        "duplicate systems retired onto a shared platform",
    ),
    "kpi.yearly_cost_cny": ("年度费用(元)", "yearly cost (CNY)"),
    "kpi.yearly_cost_cny.formula": (
        "该批切换完成后的月度运行费与折旧 × 12（不含一次性费用）",
        "monthly opex and depreciation once the wave's cut-over is over × 12 (one-off costs excluded)",
    ),
    # ---- issue 19: findings that hold on messy ledgers
    "finding.stopped-servers": (
        "{count} 台服务器在台账中登记为停用或关机（其中 {recent} 台尚未折旧完）",
        "{count} servers are recorded as stopped or powered off (of which {recent} are not yet written off)",
    ),
    "finding.standby-servers": (
        "{count} 台服务器是高可用或灾备的备机，负载低是设计使然，不是闲置",
        "{count} servers are the standby of an HA or DR pair: cold by design, not idle",
    ),
    "recommend.keep-standby": ("保留备机，随主机一同迁移", "keep the standby; move it with its primary"),
    "finding.network-out-of-reach": (
        "专网 {network} 的站点 {site} 所在区县（{district}）没有电子政务外网接入点，暂不能整体迁入外网",
        "private network {network}: site {site} has no extranet access point in its district ({district}); the network cannot move as a whole",
    ),
    "finding.network-ap-too-narrow": (
        "专网 {network} 的站点 {site} 最近的外网接入点 {access_point} 只有 {have} Mbps，需要 {need} Mbps",
        "private network {network}: the access point that reaches site {site} ({access_point}) has {have} Mbps, {need} Mbps are needed",
    ),
    "recommend.extend-extranet": (
        "先在该站点所在区县建设或扩容外网接入点，再迁移",
        "build or widen an extranet access point in that site's district first, then move",
    ),
    "folded-width": (
        "'{value}' 含全角字符，已按 '{folded}' 读取",
        "'{value}' has full-width characters; read as '{folded}'",
    ),
    "folded-width.hint": (
        "在台账中改用半角数字和符号，例如 {folded}",
        "write half-width digits and symbols in the ledger, e.g. {folded}",
    ),
    "id-confusable": (
        "编号 '{id}' 含与拉丁字母或数字形似的字符 {chars}，看起来像 '{looks_like}'，但与之不是同一个编号",
        "id '{id}' has characters that look like Latin letters or digits ({chars}): it looks like '{looks_like}' but is a different id",
    ),
    "id-confusable.hint": (
        "用半角拉丁字母、数字和连字符重写编号，并同步修改引用它的地方",
        "rewrite the id in half-width Latin letters, digits and hyphens, and the places that refer to it",
    ),
    # ---- issue 22: baseline states, accountable waivers, 分级保护 apart, residual view, evidence
    "baseline.status.pass": ("通过", "pass"),
    "baseline.status.fail": ("不符合", "fail"),
    "baseline.status.waived": ("已豁免", "waived"),
    "baseline.status.not-evaluated": ("无法评估", "not evaluated"),
    "baseline.status.not-applicable": ("不适用", "not applicable"),
    "baseline.states": (
        "逐项（规则×对象）：通过 {passed}，不符合 {failed}，已豁免 {waived}，无法评估 {unevaluated}，不适用 {inapplicable}",
        "per rule and subject: pass {passed}, fail {failed}, waived {waived}, not evaluated {unevaluated}, "
        "not applicable {inapplicable}",
    ),
    "baseline.separately": (
        "；{count} 个涉密系统按分级保护另行测评，不在本报告中列出",
        "; {count} classified systems assessed separately under 分级保护, not listed here",
    ),
    "baseline.col.waiver": ("豁免（审批人、理由、工单、到期）", "waiver (approver, reason, ticket, expiry)"),
    "baseline.col.missing": ("台账缺少的字段", "fields the ledger does not record"),
    "baseline.missing": ("台账未记录：{fields}", "not recorded: {fields}"),
    "baseline.not-evaluated": (
        "无法评估：台账未记录规则所需的字段",
        "not evaluated: the ledger does not record a field the rule needs",
    ),
    "baseline.waivers": ("豁免", "waivers"),
    "baseline.waiver.text": (
        "{approver} 批准：{reason}（工单 {ticket}，{expires} 到期）",
        "approved by {approver}: {reason} (ticket {ticket}, until {expires})",
    ),
    "baseline.waiver.col.rule": ("规则", "rule"),
    "baseline.waiver.col.target": ("对象", "target"),
    "baseline.waiver.col.approver": ("审批人", "approver"),
    "baseline.waiver.col.reason": ("理由", "reason"),
    "baseline.waiver.col.ticket": ("工单", "ticket"),
    "baseline.waiver.col.expires": ("到期", "expires"),
    "baseline.waiver.col.verdict": ("结果", "verdict"),
    "baseline.waiver.waiver-expired": ("已过期，不再豁免", "expired: waives nothing"),
    "baseline.waiver.waiver-unused": ("未匹配任何不符合项", "matches no failure"),
    "baseline.waiver.waiver-unknown-rule": ("规则不存在", "no such rule"),
    "baseline.waiver.expired": (
        "豁免已过期：{rule} {target}（{where}，{expires} 到期），对应的不符合项仍计为不符合",
        "expired waiver: {rule} {target} ({where}, expired {expires}); its findings count as failures",
    ),
    "baseline.waiver.expired.hint": (
        "由审批人续期（更新 expires 和工单）或删除该豁免；确需忽略时加 --allow-expired-waivers",
        "have the approver renew it (new expires and ticket) or remove it; --allow-expired-waivers to go on anyway",
    ),
    "baseline.waiver.expired-classified": (
        "有 {count} 条涉密系统的豁免已过期，详见涉密附件（--classified-annex）",
        "{count} waivers of classified systems have expired: see the classified annex (--classified-annex)",
    ),
    "baseline.annex.title": ("涉密系统测评附件：{regime}", "classified systems annex: {regime}"),
    "baseline.annex.warning": (
        "本附件含涉密系统信息，仅供分级保护测评使用，按涉密载体管理，不得随普通报告分发。",
        "This annex holds classified systems' details: for the 分级保护 assessor only; handle it as "
        "classified material and never send it with the ordinary reports.",
    ),
    "baseline.annex.written": (
        "涉密系统测评附件已写入 {path}（{count} 个系统）",
        "classified annex written to {path} ({count} systems)",
    ),
    "baseline.annex.inside": (
        "涉密附件不能写在普通输出目录 {out} 中：请换一个单独的路径",
        "the classified annex cannot go inside the ordinary output folder {out}: choose a path of its own",
    ),
    "baseline.residual": (
        "剩余风险：计划完成后仍不符合的项",
        "residual: what stays non-compliant after the plan",
    ),
    "baseline.residual.line": (
        "计划消除 {removed} 项现状不符合；最后一批迁移后仍有 {remaining} 项（在保留的系统、机房、专线和网络上）",
        "the plan removes {removed} as-is failures; {remaining} remain after the last wave (on retained "
        "systems, rooms, lines and networks)",
    ),
    "baseline.residual.col.removed": ("计划消除", "removed by the plan"),
    "baseline.residual.col.remaining": ("仍然存在（保留的对象）", "remaining (retained subjects)"),
    "baseline.retests": (
        "迁移后需重新测评的系统：{count} 个，每批之后最多安排 {per_wave} 个",
        "re-tests (测评) the moves call for: {count} systems, at most {per_wave} after each wave",
    ),
    "baseline.retests.col.system": ("系统", "system"),
    "report.compliance.states": ("逐项状态（规则×对象）", "state of every rule on every subject"),
    "baseline.retests.col.level": ("等级", "level"),
    "baseline.retests.col.moved_in": ("迁移批次", "moves in wave"),
    "baseline.retests.col.slot": ("在第几批之后测评", "assessed after wave"),
    "baseline.retests.col.why": ("原因", "why"),
    "baseline.retests.why.location": ("部署位置改变", "its location changes"),
    "baseline.retests.why.platform": ("运行平台改变", "its platform changes"),
    "evidence.written": (
        "证据包已写入 {path}（{files} 个文件）；清单 MANIFEST.sha256 的 SHA-256：{digest}",
        "evidence bundle written to {path} ({files} files); SHA-256 of MANIFEST.sha256: {digest}",
    ),
    "evidence.verified": (
        "{path} 的证据包完整：所有文件与清单一致",
        "the bundle in {path} is intact: every file matches its manifest",
    ),
    "evidence.tampered": (
        "{path} 的证据包有 {count} 处与清单不符：生成后被改动过",
        "the bundle in {path} differs from its manifest in {count} places: it was changed after the run",
    ),
    "evidence.not-empty.hint": (
        "证据包需要一个空目录（或只含上一次证据包的目录），以免清单漏掉其他文件",
        "give the bundle an empty folder (or one holding only an earlier bundle), so its manifest covers the whole folder",
    ),
    "waivers.invalid": ("豁免文件有误：{detail}", "the waiver file cannot be used: {detail}"),
    "waivers.invalid.hint": (
        "每条豁免都要写明 rule、target、reason、approver（审批人）、ticket（工单号）和 expires（YYYY-MM-DD）",
        "every waiver names its rule, target, reason, approver, ticket and expires (YYYY-MM-DD)",
    ),
    "evidence.matrix.title": ("条款覆盖矩阵", "clause coverage matrix"),
    "evidence.matrix.col.rules": ("自动检查的规则及其状态", "rules checked automatically, with their states"),
    "evidence.matrix.col.manual": ("需人工取证", "manual evidence needed"),
    "evidence.matrix.manual": ("需人工取证：{evidence}", "needs manual evidence: {evidence}"),
    "config.invalid": ("阈值配置有误：{detail}", "invalid thresholds file: {detail}"),
    "output.failed": (
        "无法写出 {path}：{error}。请换一个可写的目录（--out），或检查磁盘空间和权限。",
        "cannot write {path}: {error}. Choose a writable directory (--out) or check disk space and permissions.",
    ),
    # ---- issue 21: hostile input (govcloud/safeio.py and the readers that use it)
    "input.refused": ("输入无法使用：{detail}", "input refused: {detail}"),
    "safeio.missing": ("{path}：文件不存在", "{path}: no such file"),
    "safeio.missing.hint": ("检查路径拼写", "check the path"),
    "safeio.unreadable": ("{path}：无法读取（{error}）", "{path}: cannot be read ({error})"),
    "safeio.unreadable.hint": ("检查文件权限", "check the file's permissions"),
    "safeio.not-regular": (
        "{path}：不是普通文件（{type}）",
        "{path}: not a regular file ({type})",
    ),
    "safeio.not-regular.hint": (
        "给出普通文件；管道、设备和目录不会被读取",
        "give a regular file; pipes, devices and folders are not read",
    ),
    "safeio.too-large": (
        "{path}：{size} 字节，超过 {kind} 文件的上限 {limit} 字节",
        "{path}: {size} bytes, more than the {limit} allowed for a {kind} file",
    ),
    "safeio.too-large.hint": (
        "拆分文件，或确认给出的是正确的文件",
        "split the file, or check that it is the right file",
    ),
    "safeio.not-utf8": ("{path}：第 {line} 行不是 UTF-8 编码", "{path}: line {line} is not UTF-8"),
    "safeio.not-utf8.hint": ("另存为 UTF-8", "save it as UTF-8"),
    "safeio.binary": (
        "{path}：第 {line} 行含有 NUL 字节，不是文本文件",
        "{path}: NUL byte on line {line}: not a text file",
    ),
    "safeio.binary.hint": ("给出文本文件", "give a text file"),
    "safeio.not-json": (
        "{path}：第 {line} 行第 {column} 列不是合法的 JSON（{detail}）",
        "{path}: not JSON at line {line}, column {column} ({detail})",
    ),
    "safeio.not-json.hint": (
        "给出 govcloud 或 NetBox 写出的 JSON 文件，不要手工截断或编辑",
        "give the JSON file govcloud or NetBox wrote, not truncated or hand-edited",
    ),
    "safeio.json-constant": (
        "{path}：JSON 中的 {value} 不是有限数值",
        "{path}: {value} in the JSON is not a finite number",
    ),
    "safeio.json-constant.hint": (
        "把 NaN、Infinity 和超出范围的数换成实际数值或删除该字段",
        "replace NaN, Infinity and out-of-range numbers with a real value, or drop the field",
    ),
    "safeio.json-huge-int": (
        "{path}：JSON 中有 {digits} 位的整数（上限 {limit} 位）",
        "{path}: an integer of {digits} digits in the JSON (at most {limit})",
    ),
    "safeio.json-huge-int.hint": ("检查数值是否被误写", "check the value: it cannot be a count or a size"),
    "safeio.too-deep": (
        "{path}：在 {where} 处嵌套超过 {limit} 层",
        "{path}: nested more than {limit} levels deep at {where}",
    ),
    "safeio.too-deep.hint": (
        "给出 govcloud 或 NetBox 写出的文件；正常文件不会嵌套这么深",
        "give the file govcloud or NetBox wrote; real files never nest this deep",
    ),
    "safeio.not-number": ("{where}：应为数值，实际是 {value}", "{where}: expected a number, got {value}"),
    "safeio.not-number.hint": ("写一个数，例如 8 或 0.5", "write a number such as 8 or 0.5"),
    "safeio.not-finite": ("{where}：{value} 不是有限数值", "{where}: {value} is not a finite number"),
    "safeio.not-finite.hint": (
        "写一个实际的数值（不能是 NaN 或无穷大）",
        "write a real value (not NaN or infinity)",
    ),
    "safeio.out-of-range": (
        "{where}：{value} 超出允许范围 {low}–{high}",
        "{where}: {value} is outside {low}–{high}",
    ),
    "safeio.out-of-range.hint": ("写一个范围内的数值", "write a value within the range"),
    "safeio.not-integer": ("{where}：{value} 不是整数", "{where}: {value} is not a whole number"),
    "safeio.not-integer.hint": ("写一个整数", "write a whole number"),
    "safeio.invisible": (
        "{where}：{value} 含有不可见字符或控制字符 {char}",
        "{where}: {value} contains the invisible or control character {char}",
    ),
    "safeio.invisible.hint": (
        "删除该字符（常见于从网页或文档复制的文本）",
        "delete the character (it often comes with text copied from web pages or documents)",
    ),
    "id-invisible": (
        "标识 {value} 含有不可见字符或控制字符 {char}",
        "id {value} contains the invisible or control character {char}",
    ),
    "id-invisible.hint": (
        "删除该字符；标识只能由可见字符组成（常见于从网页或文档复制的文本）",
        "delete the character: ids are visible characters only (it often comes with copied text)",
    ),
    "date-out-of-range": (
        "日期 {value} 不在 1900 至 2200 年之间",
        "date {value} is not between the years 1900 and 2200",
    ),
    "date-out-of-range.hint": ("检查年份是否写错", "check the year for a typo"),
    "not-regular-file": (
        "不是普通文件（类型 {detail}：p 管道，c/b 设备，d 目录）",
        "not a regular file (type {detail}: p pipe, c/b device, d folder)",
    ),
    "not-regular-file.hint": (
        "台账文件须为普通文件；删除或移走它",
        "ledger files must be regular files; remove or move it",
    ),
    "safeio.xlsx-limit": (
        "{path}：工作簿超出限制（{what}：{value}，上限 {limit}）",
        "{path}: the workbook is beyond a limit ({what}: {value}, at most {limit})",
    ),
    "safeio.xlsx-limit.hint": (
        "拆分工作簿，删除空行空列和整表合并单元格；或另存为 CSV",
        "split the workbook, delete empty rows, columns and sheet-wide merges, or save it as CSV",
    ),
    "safeio.not-xlsx": (
        "{path}：不是可读的 xlsx 工作簿（{detail}）",
        "{path}: not a readable xlsx workbook ({detail})",
    ),
    "safeio.not-xlsx.hint": (
        "在 Excel 或 WPS 中打开后另存为 .xlsx",
        "open it in Excel or WPS and save it as .xlsx",
    ),
    "safeio.csv-limit": (
        "{path}：第 {line} 行超出限制（{what}，上限 {limit}）",
        "{path}: line {line} is beyond a limit ({what}, at most {limit})",
    ),
    "safeio.csv-limit.hint": (
        "检查引号是否成对、分隔符是否正确，或拆分文件",
        "check that quotes are paired and the delimiter is right, or split the file",
    ),
    "import-bad-value": ("无法使用（{detail}），已略去", "cannot be used ({detail}); left out"),
    "import-bad-value.hint": (
        "在源系统中改正该值后重新导出，或在导入后的 YAML 中补上",
        "correct it in the source system and export again, or fill it in the imported YAML",
    ),
    "safeio.bad-shape": ("{where}：{detail}", "{where}: {detail}"),
    "safeio.bad-shape.hint": (
        "按 docs/hostile-input.md 中该文件的格式改写",
        "write the file in the shape docs/hostile-input.md gives for it",
    ),
}


def t(code: str, lang: Lang, **params: object) -> str:
    """The message ``code`` in ``lang``, formatted with ``params``."""
    zh, en = MESSAGES.get(code, (code, code))
    template = zh if lang == "zh" else en
    return template.format(**params) if params else template.replace("{{", "{").replace("}}", "}")


def default_lang() -> Lang:
    """``GOVCLOUD_LANG`` if set, else Chinese under a Chinese locale, else English."""
    wanted = os.environ.get("GOVCLOUD_LANG", "")[:2].lower()
    if wanted in LANGS:
        return wanted
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    current = locale.getlocale()[0] or ""
    return "zh" if current.lower().startswith("zh") else "en"
