"""Shared test helpers: a small labelled corpus written here, and the CLI run in-process."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifier.units.segments import segment

# Sentences per label, written for the tests. Each report takes a different slice.
POOL = {
    "publicity": [
        "组织机关干部集中学习民法典，开展专题讲座三场。", "在集市设置法治宣传咨询台，发放普法资料一千余份。",
        "利用微信公众号推送以案释法文章二十篇。", "开展宪法宣传周活动，悬挂宣传横幅十二条。",
        "举办法律明白人培训班，培训村组干部八十人次。", "党委中心组专题学习习近平法治思想四次。",
        "推动普法进校园，邀请法官为学生上法治课。", "落实谁执法谁普法责任制，制定年度普法清单。",
    ],
    "enforcement": [
        "严格落实行政执法公示制度和执法全过程记录制度。", "开展农资市场专项整治，查处违法案件十二起。",
        "组织执法人员参加执法资格考试，新申领执法证十人。", "开展行政执法案卷评查，抽查案卷三十卷。",
        "推行双随机一公开监管，随机抽查检查对象四十户。", "制定行政处罚裁量基准，规范执法自由裁量权。",
        "整合执法力量，组建综合行政执法队伍。", "对重大执法决定一律进行法制审核。",
    ],
    "business_environment": [
        "推进政务服务一网通办，企业开办压缩至一个工作日。", "设立涉企服务专窗，为市场主体提供一站式服务。",
        "开展公平竞争审查，清理妨碍统一市场的文件两件。", "落实纾困政策，为中小企业减免租金三十万元。",
        "深化放管服改革，取消证明事项十五项。", "推行信用修复，帮助企业恢复招投标资格。",
        "优化营商环境，审批时限平均压缩一半。", "便民服务中心实现最多跑一次。",
    ],
    "other": [
        "成立法治政府建设领导小组，由主要负责人任组长。", "聘请法律顾问参与重大行政决策合法性审查。",
        "规范性文件全部报送备案审查。", "人民调解组织全年调处矛盾纠纷六十件。",
        "主动接受人大监督和政协民主监督。", "行政机关负责人出庭应诉率达到百分之百。",
        "认真办理行政复议案件，依法纠正违法行为。", "推进政务公开，主动公开政府信息三百条。",
    ],
    "shortcoming": [
        "部分执法人员的法律素养有待提高。", "普法宣传形式较为单一，针对性不强。",
        "基层法治工作力量薄弱，专业人才欠缺。", "依法决策意识还不够强，程序执行不到位。",
        "行政执法规范化水平仍然存在差距。", "法治宣传的覆盖面不够广，群众参与度不高。",
        "问题产生的原因在于学法用法的主动性不足。", "执法装备保障不足，信息化水平不高。",
    ],
    "plan": [
        "下一步，将深入开展民法典宣传。", "持续优化营商环境，推进涉企事项一网通办。",
        "进一步规范行政执法行为，提升执法质量。", "着力加强法治队伍建设，充实基层力量。",
        "计划组织执法人员轮训两期。", "深入推进法治乡村建设，培育法律明白人。",
        "明年将完善重大行政决策程序。", "持续推进严格规范公正文明执法。",
    ],
}
SECTIONS = [
    ("一、主要工作举措和成效", ("publicity", "enforcement", "business_environment", "other")),
    ("二、存在的不足和原因", ("shortcoming",)),
    ("三、下一步工作计划", ("plan",)),
]


def report_units(k: int) -> list[tuple[str, str, bool]]:
    """(text, label, is_heading) of the k-th small report, in reading order."""
    units = [(f"第{k}号测试镇{2016 + k}年度法治政府建设情况报告", "other", False)]
    for heading, labels in SECTIONS:
        units.append((heading, "shortcoming" if "不足" in heading else "plan" if "计划" in heading else "other", True))
        for label in labels:
            for j in range(3 if len(labels) == 1 else 2):
                units.append((POOL[label][(k * 3 + j) % len(POOL[label])], label, False))
    return units


def write_corpus(root: Path, n_reports: int = 8) -> Path:
    """A labelled corpus in the data/ format: raw reports, labelled JSONL, reports.csv."""
    (root / "reports").mkdir(parents=True)
    (root / "labelled").mkdir()
    rows = ["id,body,level,department_level,region,year,provenance,encoding,notes"]
    for k in range(n_reports):
        rid = f"r{k:02d}"
        units = report_units(k)
        raw = "\n".join(t for t, _, _ in units) + "\n"
        (root / "reports" / f"{rid}.txt").write_text(raw, encoding="utf-8")
        segs = segment(raw)
        assert [s.text for s in segs] == [t for t, _, _ in units]
        with open(root / "labelled" / f"{rid}.jsonl", "w", encoding="utf-8") as f:
            for s, (_, label, is_heading) in zip(segs, units):
                f.write(json.dumps({"text": s.text, "start": s.start, "end": s.end, "heading": s.heading,
                                    "is_heading": is_heading, "label": label, "report": rid}, ensure_ascii=False) + "\n")
        rows.append(f"{rid},第{k}号测试镇人民政府,township,,{'north south east west'.split()[k % 4]},{2016 + k},written,utf-8,")
    (root / "reports.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "stock-phrases.txt").write_text("\n".join(h for h, _ in SECTIONS) + "\n" +
                                            "\n".join(t for pool in POOL.values() for t in pool) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def trained_model_dir(corpus_dir, tmp_path_factory) -> Path:
    from classifier.model.training import train

    out = tmp_path_factory.mktemp("models") / "small"
    train(corpus_dir, out)
    return out


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""
    from classifier.cli import main

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
