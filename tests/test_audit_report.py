"""JSON schema, SARIF 2.1.0 structure, GitHub annotations, text form and DataFrame."""

from __future__ import annotations

import json

import claimaudit
from claimaudit.auditing.report import JSON_SCHEMA, github_annotations

TEXT = 'Intro.\nOxytocin is the trust hormone. A 9-second kiss <script>alert("x")</script> helps.\n'


def _report():  # type: ignore[no-untyped-def]
    return claimaudit.audit(TEXT, path="dir/hand,out.txt")


def test_json_is_versioned_and_complete() -> None:
    data = json.loads(_report().to_json())
    assert data["schema"] == JSON_SCHEMA == "claimaudit.report/1"
    assert data["summary"]["error"] == len(data["findings"]) == 2
    f = data["findings"][0]
    for key in (
        "category",
        "severity",
        "stance",
        "start",
        "end",
        "line",
        "column",
        "sentence",
        "message",
        "overclaim",
        "evidence",
        "say_instead",
    ):
        assert key in f
    assert TEXT[f["start"] : f["end"]] == f["flagged"]
    assert f["evidence"][0]["sources"][0]["link"].startswith("https://")


def test_sarif_structure() -> None:
    rep = _report()
    log = json.loads(rep.to_sarif())
    assert log["version"] == "2.1.0" and "sarif" in log["$schema"]
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {o.id for o in rep.rules}
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert "Say instead" in r["help"]["text"] and r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    results = run["results"]
    assert len(results) == 2
    for res in results:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == "error"
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "dir/hand,out.txt"
        region = loc["region"]
        assert region["startLine"] == 2 and region["startColumn"] >= 1
        assert region["endColumn"] > region["startColumn"]
        start = region["charOffset"]
        assert TEXT[start : start + region["charLength"]] == region["snippet"]["text"]
    assert run["columnKind"] == "unicodeCodePoints"


def test_output_encodes_input() -> None:
    text = 'Oxytocin is the "trust hormone" <b>really</b>.\n'
    rep = claimaudit.audit(text, path='a"b.txt')
    assert json.loads(rep.to_json())["findings"][0]["sentence"] == text.strip()
    assert json.loads(rep.to_sarif())["runs"][0]["results"][0]["properties"]["sentence"] == (
        text.strip()
    )


def test_github_annotations_escape() -> None:
    rep = claimaudit.audit("Oxytocin is the trust hormone.", path="we,ird:na%me.md")
    line = github_annotations(rep)
    assert line.startswith("::error file=we%2Cird%3Ana%25me.md,line=1,col=17,")
    assert "title=claimaudit trust-hormone-label::" in line
    assert "\n" not in line


def test_text_form_is_linter_like() -> None:
    s = str(_report())
    first = s.splitlines()[0]
    assert first.startswith("dir/hand,out.txt:2:17: error [trust-hormone-label] ")
    assert "say instead:" in s and "2 error(s)" in s


def test_to_frame() -> None:
    df = _report().to_frame()
    assert list(df["overclaim"]) == ["trust-hormone-label", "hug-dose"]
    assert {"line", "column", "severity", "stance", "evidence"} <= set(df.columns)
    empty = claimaudit.audit("Nothing here.").to_frame()
    assert len(empty) == 0 and "severity" in empty.columns


def test_supported_sentences_cite_established_claims() -> None:
    text = (
        "Oxytocin is associated with the down-regulation of stress responses and with the "
        "calming states that accompany safe social contact. Oxytocin is the trust hormone."
    )
    rep = claimaudit.audit(text, supported=True)
    assert [f.overclaim for f in rep.findings] == ["trust-hormone-label"]
    (sup,) = rep.supported
    assert sup.claim.maturity == "established" and sup.claim.sources
    assert text[sup.start : sup.end] == sup.sentence and "down-regulation" in sup.sentence
    assert claimaudit.audit(text).supported == ()  # only when asked for
