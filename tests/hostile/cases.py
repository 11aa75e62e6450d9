# ruff: noqa: E501  (a data table: one case per entry reads better than wrapped lines)
"""The hostile-input corpus: every bad (and valid-but-weird) file, with what must happen to it.

Each case is one file and one expectation: the exit code of ``python -m riskwizard validate FILE``
(or ``score``), a substring of the message, and the line the message must name (``None`` where no
line makes sense, e.g. a file over the size cap). Small files are written to ``corpus/`` by
``python tests/hostile/cases.py --write`` (and committed); big ones (``generated=True``) are
written at test time into a temporary folder, so nothing over 100 KB is committed.

Kinds: ``q`` is a questionnaire (``corpus/q/``), ``a`` an answers file (``corpus/a/``) that answers
``corpus/a/questionnaires/mini.yaml``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # "q" questionnaire | "a" answers file
    content: bytes | Callable[[], bytes]
    exit: int = 1
    msg: str | None = None  # substring of stdout+stderr (case-insensitive)
    line: int | None = None  # the line the message must name as FILE:LINE:
    cmd: str = "validate"
    threat: str = ""
    generated: bool = False  # written at test time (large)

    @property
    def filename(self) -> str:
        return f"{self.name}.yaml"

    @property
    def relpath(self) -> str:
        return f"{self.kind}/{self.filename}"

    def data(self) -> bytes:
        return self.content() if callable(self.content) else self.content


# --------------------------------------------------------------------------- questionnaires

BASE_Q = """\
id: hostile
version: "1.0"
title: Hostile base
description: A small valid questionnaire that the cases below break one way at a time.
sources:
  - id: src
    citation: "A source"
sections:
  - id: s
    title: S
    questions:
      - id: a
        type: single
        prompt: Pick one
        options:
          - {value: x, label: X}
          - {value: y, label: Y}
      - id: b
        type: yesno
        prompt: Yes or no?
      - id: t
        type: text
        prompt: Say something
      - id: n
        type: number
        prompt: How many?
      - id: g
        type: group
        prompt: Rows
        fields:
          - {id: f, type: text, prompt: Field}
dimensions:
  - {id: d, title: D}
outcome:
  levels:
    - {id: high, title: High}
    - {id: low, title: Low}
  default: low
rules:
  - id: r1
    when: {q: a, op: eq, value: x}
    score: {d: 1}
"""
# Line numbers in BASE_Q (1-based), used by the expectations below.
L_ID, L_VERSION, L_TITLE, L_DESC = 1, 2, 3, 4
L_SOURCE_CIT = 7
L_Q_A_PROMPT, L_OPT_X, L_OPT_Y = 14, 16, 17
L_Q_B_PROMPT = 20
L_Q_T_PROMPT = 23
L_RULE_WHEN = 41


def _sub(old: str, new: str, text: str = BASE_Q) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def q(text: str) -> bytes:
    return text.encode("utf-8")


def qsub(old: str, new: str) -> bytes:
    return q(_sub(old, new))


def add_rule(rule: str) -> bytes:
    return q(BASE_Q + rule)


def add_question(question: str) -> bytes:
    """Insert a question (indented like the others) after question `n`."""
    return qsub("      - id: g\n", question + "      - id: g\n")


BILLION_LAUGHS = b"""\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def deep_flow(levels: int) -> Callable[[], bytes]:
    return lambda: b"id: deep\nversion: '1.0'\ntitle: " + b"[" * levels + b"]" * levels + b"\n"


def deep_flow_map(levels: int) -> Callable[[], bytes]:
    return lambda: b"id: deep\nversion: '1.0'\ntitle: " + b"{a: " * levels + b"x" + b"}" * levels + b"\n"


def deep_block(levels: int) -> Callable[[], bytes]:
    def make() -> bytes:
        lines = ["id: deep", "version: '1.0'", "title:"]
        lines += [" " * (i + 1) + f"k{i}:" for i in range(levels)]
        lines[-1] += " x"
        return ("\n".join(lines) + "\n").encode()

    return make


def deep_seq(levels: int) -> Callable[[], bytes]:
    return lambda: b"id: deep\ntitle:\n" + b"- " * levels + b"x\n"


def huge_q(size: int) -> Callable[[], bytes]:
    def make() -> bytes:
        body = BASE_Q + "# " + "x" * 98 + "\n"
        pad = ("# " + "padding " * 12 + "\n") * (size // 98 + 1)
        return (body + pad).encode()

    return make


def many_nodes() -> bytes:
    # ~300k tiny flow items in about 600 KB: under the size cap, over the node cap.
    return (_sub("title: Hostile base", "title: Hostile base\nkey_dates: [" + "1," * 300_000 + "1]")).encode()


def long_prompt() -> bytes:
    return qsub("prompt: Say something", "prompt: " + "x" * 30_000)


QUESTIONNAIRE_CASES: list[Case] = [
    Case("q_valid_base", "q", q(BASE_Q), exit=0, msg="ok (hostile 1.0"),
    # --- Norway problem and other implicit typing
    Case("q_norway_options_list", "q", qsub("""\
        options:
          - {value: x, label: X}
          - {value: y, label: Y}""", "        options: [yes, no]"), msg="options", line=15,
         threat="norway"),
    Case("q_norway_option_value", "q", qsub("{value: y, label: Y}", "{value: no, label: Y}"),
         msg="reads the unquoted `no` as a yes/no boolean", line=L_OPT_Y, threat="norway"),
    Case("q_norway_option_label", "q", qsub("{value: y, label: Y}", "{value: y, label: No}"),
         msg="yes/no boolean", line=L_OPT_Y, threat="norway"),
    Case("q_norway_prompt", "q", qsub("prompt: Yes or no?", "prompt: no"), msg="yes/no boolean",
         line=L_Q_B_PROMPT, threat="norway"),
    Case("q_norway_title", "q", qsub("title: Hostile base", "title: yes"), msg="yes/no boolean",
         line=L_TITLE, threat="norway"),
    Case("q_norway_off", "q", qsub("prompt: Say something", "prompt: off"), msg="yes/no boolean",
         line=L_Q_T_PROMPT, threat="norway"),
    Case("q_norway_rule_value", "q", add_rule("  - id: r2\n    when: {q: b, op: eq, value: yes}\n    flags: [f]\n"),
         msg="yes/no comparison needs the text", line=44, threat="norway"),
    Case("q_norway_citation", "q", qsub('citation: "A source"', "citation: NO"), msg="yes/no boolean",
         line=L_SOURCE_CIT, threat="norway"),
    Case("q_null_prompt", "q", qsub("prompt: Say something", "prompt: ~"), msg="reads the unquoted `~` as an empty value",
         line=L_Q_T_PROMPT, threat="norway"),
    Case("q_date_title", "q", qsub("title: Hostile base", "title: 2024-08-02"), msg="as a date",
         line=L_TITLE, threat="dates"),
    Case("q_date_prompt", "q", qsub("prompt: Say something", "prompt: 2026-11-22"), msg="as a date",
         line=L_Q_T_PROMPT, threat="dates"),
    Case("q_date_as_of", "q", qsub("description: A small", "as_of: 2026-11-22\ndescription: A small"),
         exit=0, msg="ok (hostile", threat="dates"),  # an ISO date field: kept as its text
    Case("q_datetime_label", "q", qsub("{value: y, label: Y}", "{value: y, label: 2001-12-14t21:59:43.10-05:00}"),
         msg="date", line=L_OPT_Y, threat="dates"),
    Case("q_octal_version", "q", qsub('version: "1.0"', "version: 010"), msg="ambiguous number",
         line=L_VERSION, threat="numbers"),
    Case("q_sexagesimal_version", "q", qsub('version: "1.0"', "version: 1:30"), msg="ambiguous number",
         line=L_VERSION, threat="numbers"),
    Case("q_float_version", "q", qsub('version: "1.0"', "version: 1.10"), msg="as a number",
         line=L_VERSION, threat="numbers"),
    Case("q_octal_prompt", "q", qsub("prompt: Say something", "prompt: 010"), msg="ambiguous number",
         line=L_Q_T_PROMPT, threat="numbers"),
    Case("q_sexagesimal_label", "q", qsub("{value: y, label: Y}", "{value: y, label: 1:30}"),
         msg="ambiguous number", line=L_OPT_Y, threat="numbers"),
    Case("q_float_label", "q", qsub("{value: y, label: Y}", "{value: y, label: 1.10}"), msg="as a number",
         line=L_OPT_Y, threat="numbers"),
    Case("q_hex_min", "q", qsub("prompt: How many?", "prompt: How many?\n        min: 0x10"),
         msg="ambiguous number", line=27, threat="numbers"),
    Case("q_underscore_max", "q", qsub("prompt: How many?", "prompt: How many?\n        max: 1_000"),
         msg="ambiguous number", line=27, threat="numbers"),
    Case("q_nan_min", "q", qsub("prompt: How many?", "prompt: How many?\n        min: .nan"),
         msg="not a plain decimal number", line=27, threat="nan"),
    Case("q_inf_max", "q", qsub("prompt: How many?", "prompt: How many?\n        max: .inf"),
         msg="not a plain decimal number", line=27, threat="nan"),
    Case("q_overflow_score", "q", qsub("score: {d: 1}", "score: {d: 1.0e+400}"),
         msg="finite", line=42, threat="nan"),
    Case("q_overflow_rule_value", "q", add_rule("  - id: r2\n    when: {q: n, op: gt, value: -1.0e+999}\n    flags: [f]\n"),
         msg="finite", line=44, threat="nan"),
    Case("q_overflow_max", "q", qsub("prompt: How many?", "prompt: How many?\n        max: 1.0e+400"),
         msg="finite", line=27, threat="nan"),
    # --- duplicate and colliding keys
    Case("q_duplicate_top_key", "q", qsub("title: Hostile base", "title: Hostile base\ntitle: Again"),
         msg="duplicate key `title` (first defined on line 3)", line=4, threat="duplicates"),
    Case("q_duplicate_question_key", "q", qsub("prompt: Say something", "prompt: Say something\n        prompt: Other"),
         msg="first defined on line 23", line=24, threat="duplicates"),
    Case("q_duplicate_in_flow", "q", qsub("{value: y, label: Y}", "{value: y, label: Y, label: Z}"),
         msg="duplicate key `label`", line=L_OPT_Y, threat="duplicates"),
    Case("q_duplicate_question_id", "q", qsub("      - id: b\n", "      - id: a\n"),
         msg="duplicate question id `a`", line=18, threat="duplicates"),
    Case("q_duplicate_option_value", "q", qsub("{value: y, label: Y}", "{value: x, label: Y}"),
         msg="duplicate option value", line=12, threat="duplicates"),
    Case("q_duplicate_rule_id", "q", add_rule("  - id: r1\n    when: {q: a, op: eq, value: y}\n    flags: [f]\n"),
         msg="duplicate rule id", line=43, threat="duplicates"),
    Case("q_colliding_keys", "q", qsub("score: {d: 1}", "score: {1: 1, '1': 2}"),
         msg="key `1` is read as a number", line=42, threat="colliding"),
    Case("q_bool_key", "q", qsub("score: {d: 1}", "score: {yes: 1}"), msg="keys must be text", line=42,
         threat="colliding"),
    Case("q_null_key", "q", qsub("score: {d: 1}", "score: {~: 1}"), msg="keys must be text", line=42,
         threat="colliding"),
    Case("q_float_key", "q", qsub("score: {d: 1}", "score: {1.5: 1}"), msg="keys must be text", line=42,
         threat="colliding"),
    Case("q_complex_key", "q", qsub("score: {d: 1}", "score: {[a, b]: 1}"), msg="key must be plain text",
         line=42, threat="colliding"),
    # --- anchors, aliases, merge keys, bombs
    Case("q_alias_bomb", "q", BILLION_LAUGHS, msg="anchor `&a` is not allowed", line=1, threat="alias bomb"),
    Case("q_anchor", "q", qsub("title: Hostile base", "title: &t Hostile base"), msg="anchor", line=L_TITLE,
         threat="anchors"),
    Case("q_alias", "q", qsub('citation: "A source"', "citation: *t"), msg="alias `*t`", line=L_SOURCE_CIT,
         threat="anchors"),
    Case("q_merge_inline", "q", qsub("prompt: Say something", "<<: {prompt: Say something}"),
         msg="merge keys", line=L_Q_T_PROMPT, threat="merge"),
    Case("q_merge_alias", "q", qsub("prompt: Say something", "<<: *base"), msg="alias", line=L_Q_T_PROMPT,
         threat="merge"),
    # --- deep nesting (generated: the C loader segfaults at ~25k levels, the pure one recurses at ~1000)
    Case("q_deep_flow_30k", "q", deep_flow(30_000), msg="nesting deeper than", line=3, threat="depth",
         generated=True),
    Case("q_deep_flow_100k", "q", deep_flow(100_000), msg="nesting deeper than", line=3, threat="depth",
         generated=True),
    Case("q_deep_flow_map_1000", "q", deep_flow_map(1000), msg="nesting deeper than", line=3, threat="depth",
         generated=True),
    Case("q_deep_block_1000", "q", deep_block(1000), msg="nesting deeper than", threat="depth",
         generated=True),
    Case("q_deep_seq_1500", "q", deep_seq(1500), msg="nesting deeper than", line=3, threat="depth",
         generated=True),
    Case("q_deep_flow_41", "q", deep_flow(41), msg="nesting deeper than", line=3, threat="depth"),
    # --- tags
    Case("q_python_object_apply", "q", qsub("title: Hostile base", "title: !!python/object/apply:os.system ['touch /tmp/pwned']"),
         msg="explicit YAML tag", line=L_TITLE, threat="tags"),
    Case("q_python_object_new", "q", qsub("title: Hostile base", "title: !!python/object/new:subprocess.Popen [[id]]"),
         msg="explicit YAML tag", line=L_TITLE, threat="tags"),
    Case("q_python_name", "q", qsub("title: Hostile base", "title: !!python/name:os.system"),
         msg="explicit YAML tag", line=L_TITLE, threat="tags"),
    Case("q_binary", "q", qsub("title: Hostile base", "title: !!binary aGVsbG8="), msg="explicit YAML tag",
         line=L_TITLE, threat="tags"),
    Case("q_set", "q", qsub("title: Hostile base", "title: !!set {a, b}"), msg="explicit YAML tag", line=L_TITLE,
         threat="tags"),
    Case("q_omap", "q", qsub("title: Hostile base", "title: !!omap [a: 1]"), msg="explicit YAML tag", line=L_TITLE,
         threat="tags"),
    Case("q_str_tag", "q", qsub("title: Hostile base", "title: !!str yes"), msg="explicit YAML tag", line=L_TITLE,
         threat="tags"),
    Case("q_local_tag", "q", qsub("title: Hostile base", "title: !env HOME"), msg="explicit YAML tag", line=L_TITLE,
         threat="tags"),
    Case("q_verbatim_tag", "q", qsub("title: Hostile base", "title: !<tag:yaml.org,2002:python/none> x"),
         msg="explicit YAML tag", line=L_TITLE, threat="tags"),
    Case("q_yaml_directive", "q", b"%YAML 1.1\n---\n" + q(BASE_Q), msg="directive", line=1, threat="tags"),
    Case("q_tag_directive", "q", b"%TAG !py! tag:yaml.org,2002:python/\n---\n" + q(BASE_Q), msg="directive", line=1,
         threat="tags"),
    # --- empty / multi-document / encoding
    Case("q_empty", "q", b"", msg="file is empty", line=1, threat="empty"),
    Case("q_whitespace_only", "q", b"  \n\n\t\n", msg="file is empty", line=1, threat="empty"),
    Case("q_comments_only", "q", b"# just a comment\n   # another\n", msg="file is empty", line=1, threat="empty"),
    Case("q_document_marker_only", "q", b"---\n...\n", msg="must be a mapping", line=2, threat="empty"),
    Case("q_null_document", "q", b"~\n", msg="must be a mapping", line=1, threat="empty"),
    Case("q_top_level_list", "q", b"- id: x\n- id: y\n", msg="must be a mapping", line=1, threat="schema"),
    Case("q_top_level_scalar", "q", b"just text\n", msg="must be a mapping", line=1, threat="schema"),
    Case("q_multi_document", "q", q(BASE_Q) + b"---\nid: second\n", msg="2 YAML documents", line=44,
         threat="multi-document"),
    Case("q_multi_document_after_end", "q", q(BASE_Q) + b"...\n---\nid: second\n", msg="YAML documents",
         threat="multi-document"),
    Case("q_invalid_utf8", "q", qsub("prompt: Say something", "prompt: Say \xff\xfe something").replace(
        "\xff\xfe".encode(), b"\xff\xfe"), msg="invalid UTF-8 byte 0xff", line=L_Q_T_PROMPT, threat="encoding"),
    Case("q_latin1", "q", qsub("prompt: Say something", "prompt: Größe").decode().encode("latin-1"),
         msg="invalid UTF-8", line=L_Q_T_PROMPT, threat="encoding"),
    Case("q_utf16", "q", q(BASE_Q).decode().encode("utf-16"), msg="invalid UTF-8", line=1, threat="encoding"),
    Case("q_overlong_utf8", "q", qsub("prompt: Say something", "prompt: Say SLASH").replace(b"SLASH", b"\xc0\xaf"),
         msg="invalid UTF-8", line=L_Q_T_PROMPT, threat="encoding"),
    Case("q_lone_surrogate", "q", qsub("prompt: Say something", 'prompt: "Say \\ud800 something"'),
         msg="invalid Unicode character escape", line=L_Q_T_PROMPT, threat="surrogates"),
    Case("q_lone_surrogate_key", "q", qsub("prompt: Say something", 'prompt: Say something\n        "\\udfff": 1'),
         msg="invalid Unicode character escape", line=24, threat="surrogates"),
    Case("q_surrogate_utf8_bytes", "q", qsub("prompt: Say something", "prompt: Say SUR").replace(b"SUR", b"\xed\xa0\x80"),
         msg="invalid UTF-8", line=L_Q_T_PROMPT, threat="surrogates"),
    Case("q_control_bell", "q", qsub("prompt: Say something", "prompt: Say \x07 something"),
         msg="control character U+0007", line=L_Q_T_PROMPT, threat="control"),
    Case("q_control_nul", "q", qsub("prompt: Say something", "prompt: Say \x00 something"),
         msg="control character U+0000", line=L_Q_T_PROMPT, threat="control"),
    Case("q_control_escape", "q", qsub("prompt: Say something", "prompt: Say \x1b[31m red"),
         msg="control character U+001B", line=L_Q_T_PROMPT, threat="control"),
    Case("q_control_del", "q", qsub("prompt: Say something", "prompt: Say \x7f"),
         msg="control character U+007F", line=L_Q_T_PROMPT, threat="control"),
    Case("q_bom_valid", "q", b"\xef\xbb\xbf" + q(BASE_Q), exit=0, msg="ok (hostile", threat="bom"),
    Case("q_double_bom", "q", b"\xef\xbb\xbf\xef\xbb\xbf" + q(BASE_Q), exit=0, msg="ok (hostile", threat="bom"),
    Case("q_crlf_valid", "q", q(BASE_Q.replace("\n", "\r\n")), exit=0, msg="ok (hostile", threat="encoding"),
    # --- syntax
    Case("q_bad_indent", "q", qsub("        prompt: Say something", "      prompt: Say something"),
         msg="YAML syntax", line=L_Q_T_PROMPT, threat="syntax"),
    Case("q_tab_indent", "q", qsub("        prompt: Say something", "\tprompt: Say something"),
         msg="YAML syntax", line=L_Q_T_PROMPT, threat="syntax"),
    Case("q_unclosed_quote", "q", qsub('citation: "A source"', 'citation: "A source'), msg="YAML syntax",
         threat="syntax"),
    Case("q_unclosed_flow", "q", qsub("{value: y, label: Y}", "{value: y, label: Y"), msg="YAML syntax",
         threat="syntax"),
    # --- conditions: operators, ids, option values, cycles, contradictions
    Case("q_unknown_operator", "q", qsub("when: {q: a, op: eq, value: x}", "when: {q: a, op: equals, value: x}"),
         msg="equals", line=L_RULE_WHEN, threat="operators"),
    Case("q_operator_for_wrong_type", "q", qsub("when: {q: a, op: eq, value: x}", "when: {q: a, op: gt, value: 1}"),
         msg="gt", line=L_RULE_WHEN, threat="operators"),
    Case("q_python_operator", "q", qsub("when: {q: a, op: eq, value: x}", "when: {q: a, op: __eq__, value: x}"),
         msg="__eq__", line=L_RULE_WHEN, threat="operators"),
    Case("q_expression_condition", "q", qsub("when: {q: a, op: eq, value: x}", "when: \"__import__('os').system('id')\""),
         msg="when", line=L_RULE_WHEN, threat="operators"),
    Case("q_unknown_question_in_rule", "q", qsub("when: {q: a, op: eq, value: x}", "when: {q: zz, op: eq, value: x}"),
         msg="unknown question id `zz`", line=L_RULE_WHEN, threat="unknown ids"),
    Case("q_unknown_question_in_when", "q", qsub("prompt: Say something", "prompt: Say something\n        when: {q: zz, op: answered}"),
         msg="unknown question id `zz`", line=24, threat="unknown ids"),
    Case("q_option_not_in_options", "q", qsub("when: {q: a, op: eq, value: x}", "when: {q: a, op: eq, value: z}"),
         msg="`z` is not an option of `a`", line=L_RULE_WHEN, threat="option values"),
    Case("q_option_not_in_options_in", "q", qsub("when: {q: a, op: eq, value: x}", "when: {q: a, op: in, value: [x, zz]}"),
         msg="`zz` is not an option", line=L_RULE_WHEN, threat="option values"),
    Case("q_circular_two", "q", qsub("prompt: Pick one", "prompt: Pick one\n        when: {q: b, op: eq, value: 'yes'}").replace(
        b"prompt: Yes or no?", b"prompt: Yes or no?\n        when: {q: a, op: eq, value: x}"),
         msg="circular `when:` conditions", threat="circular"),
    Case("q_circular_self", "q", qsub("prompt: Yes or no?", "prompt: Yes or no?\n        when: {q: b, op: answered}"),
         msg="circular `when:` conditions: b -> b", line=21, threat="circular"),
    Case("q_circular_three", "q", qsub("prompt: Pick one", "prompt: Pick one\n        when: {q: t, op: answered}").replace(
        b"prompt: Yes or no?", b"prompt: Yes or no?\n        when: {q: a, op: answered}").replace(
        b"prompt: Say something", b"prompt: Say something\n        when: {q: b, op: answered}"),
         msg="circular", threat="circular"),
    Case("q_circular_section", "q", qsub("    title: S\n", "    title: S\n    when: {q: a, op: answered}\n"),
         msg="circular", threat="circular"),
    Case("q_contradictory_when", "q", qsub("prompt: Yes or no?", "prompt: Yes or no?\n        when: {all: [{q: a, op: eq, value: x}, {q: a, op: eq, value: y}]}"),
         msg="can never be true", line=21, threat="contradictory"),
    Case("q_contradictory_rule", "q", qsub("when: {q: a, op: eq, value: x}", "when: {all: [{q: a, op: eq, value: x}, {not: {q: a, op: answered}}]}"),
         msg="can never fire", line=L_RULE_WHEN, threat="contradictory"),
    Case("q_contradictory_numbers", "q", qsub("when: {q: a, op: eq, value: x}", "when: {all: [{q: n, op: gt, value: 5}, {q: n, op: lt, value: 3}]}"),
         msg="can never fire", line=L_RULE_WHEN, threat="contradictory"),
    Case("q_rule_no_effect", "q", add_rule("  - id: r2\n    when: {q: a, op: eq, value: y}\n"),
         msg="has no effect", line=43, threat="rules"),
    Case("q_rule_tier_without_reason", "q", add_rule("  - id: r2\n    when: {q: a, op: eq, value: y}\n    tier: high\n"),
         msg="needs a `reason`", line=43, threat="rules"),
    Case("q_score_condition_in_score_rule", "q", add_rule("  - id: r2\n    when: {score: d, op: ge, value: 1}\n    score: {d: 1}\n"),
         msg="score conditions", line=44, threat="rules"),
    Case("q_score_condition_in_when", "q", qsub("prompt: Yes or no?", "prompt: Yes or no?\n        when: {score: d, op: ge, value: 1}"),
         msg="score conditions", line=21, threat="rules"),
    Case("q_unknown_calculator", "q", q(BASE_Q.replace("rules:\n", "derived:\n  - {id: e, fn: eval, inputs: {x: n}}\nrules:\n")),
         msg="unknown calculator `eval`", line=40, threat="calculators"),
    Case("q_calculator_bad_input", "q", q(BASE_Q.replace("rules:\n", "derived:\n  - {id: e, fn: expected_errors, inputs: {population: n, base_rate: t}}\nrules:\n")),
         msg="base_rate", line=40, threat="calculators"),
    Case("q_unknown_derived", "q", qsub("when: {q: a, op: eq, value: x}", "when: {derived: e.fp, op: gt, value: 1}"),
         msg="unknown derived value", line=L_RULE_WHEN, threat="calculators"),
    Case("q_unknown_dimension", "q", qsub("score: {d: 1}", "score: {zz: 1}"), msg="unknown dimension `zz`", line=42,
         threat="rules"),
    Case("q_unknown_tier", "q", add_rule("  - id: r2\n    when: {q: a, op: eq, value: y}\n    tier: banned\n    reason: x\n"),
         msg="tier `banned`", line=45, threat="rules"),
    Case("q_any_row_on_non_group", "q", qsub("when: {q: a, op: eq, value: x}", "when: {any_row: a, where: {q: f, op: answered}}"),
         msg="not a repeatable group", line=L_RULE_WHEN, threat="rules"),
    Case("q_two_combinators", "q", qsub("when: {q: a, op: eq, value: x}", "when: {all: [{q: a, op: answered}], any: [{q: a, op: answered}]}"),
         msg="must be the only key", line=L_RULE_WHEN, threat="rules"),
    Case("q_empty_all", "q", qsub("when: {q: a, op: eq, value: x}", "when: {all: []}"), msg="non-empty list",
         line=L_RULE_WHEN, threat="rules"),
    Case("q_when_list", "q", qsub("when: {q: a, op: eq, value: x}", "when: [{q: a, op: answered}]"), msg="when",
         line=L_RULE_WHEN, threat="rules"),
    # --- schema
    Case("q_unknown_top_key", "q", qsub("title: Hostile base", "title: Hostile base\ntitel: typo"),
         msg="unknown key `titel`", line=4, threat="schema"),
    Case("q_unknown_question_key", "q", qsub("prompt: Say something", "prompt: Say something\n        promt: typo"),
         msg="unknown key `promt`", line=24, threat="schema"),
    Case("q_missing_id", "q", qsub("id: hostile\n", ""), msg="missing required key `id`", line=1, threat="schema"),
    Case("q_unknown_type", "q", qsub("type: text\n", "type: essay\n"), msg="unknown question type `essay`", line=21,
         threat="schema"),
    Case("q_missing_type", "q", qsub("        type: text\n", ""), msg="missing `type`", line=21, threat="schema"),
    Case("q_bad_slug", "q", qsub("id: hostile", "id: \"Hostile Questionnaire!\""), msg="not a valid id", line=1,
         threat="schema"),
    Case("q_path_slug", "q", qsub("      - id: t\n", "      - id: ../../etc/passwd\n"), msg="not a valid id", line=21,
         threat="schema"),
    Case("q_no_options", "q", qsub("""\
        options:
          - {value: x, label: X}
          - {value: y, label: Y}""", "        options: []"), msg="options", line=15, threat="schema"),
    Case("q_min_above_max", "q", qsub("prompt: How many?", "prompt: How many?\n        min: 5\n        max: 1"),
         msg="min is larger than max", line=24, threat="schema"),
    Case("q_percent_bounds", "q", add_question("      - {id: p, type: percent, prompt: P, max: 200}\n"),
         msg="percentage bounds", line=27, threat="schema"),
    Case("q_group_in_group", "q", qsub("fields:\n          - {id: f, type: text, prompt: Field}",
                                       "fields:\n          - {id: f, type: group, prompt: Inner, fields: [{id: h, type: text, prompt: H}]}"),
         msg="unknown question type `group`", line=31, threat="schema"),
    Case("q_group_field_when", "q", qsub("{id: f, type: text, prompt: Field}", "{id: f, type: text, prompt: Field, when: {q: a, op: answered}}"),
         msg="not supported inside a group", line=27, threat="schema"),
    Case("q_text_as_int_bool", "q", qsub("type: text\n", "type: text\n        multiline: 'yes'\n"),
         msg="multiline", line=23, threat="schema"),
    Case("q_max_rows_huge", "q", qsub("prompt: Rows", "prompt: Rows\n        max_rows: 10000000"),
         msg="max_rows", line=30, threat="10k rows"),
    Case("q_huge_int", "q", qsub("prompt: How many?", "prompt: How many?\n        max: " + "9" * 5000),
         msg="number", line=27, threat="numbers"),
    Case("q_long_prompt", "q", long_prompt, msg="at most 20000", line=L_Q_T_PROMPT, threat="size"),
    Case("q_huge_3mb", "q", huge_q(3 * 1024 * 1024), msg="the limit is", threat="size", generated=True),
    Case("q_huge_9mb", "q", huge_q(9 * 1024 * 1024), msg="the limit is", threat="size", generated=True),
    Case("q_many_nodes", "q", many_nodes, msg="too many", threat="size", generated=True),
    # --- valid but weird: must load; rendering later shows it literally
    Case("q_markup_text", "q", qsub("prompt: Say something", "prompt: \"Score [/bold] x [bold]y[/] [@click=app.quit]quit[/] [link=file:///etc/passwd]z[/link]\"").replace(
        b"title: Hostile base", b"title: \"[bold red]Title[/] [@click=app.quit]\""), exit=0, msg="ok (hostile",
         threat="markup"),
    Case("q_html_text", "q", qsub("prompt: Say something", "prompt: \"<script>alert(1)</script><img src=x onerror=alert(1)> <link rel=attachment href=file:///etc/passwd>\"").replace(
        b'citation: "A source"', b"citation: \"<style>@import url(http://127.0.0.1:1/x)</style>\"\n    url: \"javascript:alert(1)\""),
         exit=0, msg="ok (hostile", threat="html"),
    Case("q_unicode_weird", "q", qsub("prompt: Say something", "prompt: \"RTL \\u202e txt, ZWJ \\u200d, NEL \\x85, LS \\u2028, BOM \\ufeff, emoji \\U0001F600\""),
         exit=0, msg="ok (hostile", threat="unicode"),
    Case("q_inline_nul_escape", "q", qsub("prompt: Say something", 'prompt: "nul \\0 escape"'), exit=0,
         msg="ok (hostile", threat="control"),
]

# --------------------------------------------------------------------------- answers files

BASE_A = """\
format: riskwizard-answers/1
system:
  name: Hostile system
questionnaires:
- id: mini
  version: '1.0'
answers:
  mini:
    kind:
      value: scorer
    people:
      value: 'yes'
    domains:
      value: [credit]
    users:
      value: 1200
    notes:
      value: some text
      note: a note
    groups:
      value:
      - {name: women, severity: 4}
"""
LA_FORMAT, LA_QID, LA_KIND_VALUE, LA_PEOPLE_VALUE, LA_DOMAINS_VALUE = 1, 5, 10, 12, 14
LA_USERS_VALUE, LA_NOTES_VALUE, LA_NOTE, LA_ROW = 16, 18, 19, 22


def asub(old: str, new: str) -> bytes:
    return _sub(old, new, BASE_A).encode("utf-8")


def rows(n: int) -> Callable[[], bytes]:
    def make() -> bytes:
        body = "".join(f"      - {{name: group {i}, severity: {i % 5 + 1}}}\n" for i in range(n))
        return _sub("      - {name: women, severity: 4}\n", body, BASE_A).encode()

    return make


def huge_answers(size: int) -> Callable[[], bytes]:
    def make() -> bytes:
        filler = "x" * 1000
        notes = "".join(f"    q{i}: {{value: 1, note: {filler}}}\n" for i in range(size // 1020 + 1))
        return (BASE_A + notes).encode()

    return make


def long_text_answer() -> bytes:
    return asub("value: some text", "value: " + "y" * 12_000)


def deep_answer(levels: int) -> Callable[[], bytes]:
    return lambda: asub("value: some text", "value: " + "[" * levels + "]" * levels)


ANSWERS_CASES: list[Case] = [
    Case("a_valid_base", "a", BASE_A.encode(), exit=0, msg="ok (answers for mini)"),
    Case("a_wrong_format", "a", asub("format: riskwizard-answers/1", "format: riskwizard-answers/3"),
         msg="format", line=LA_FORMAT, threat="format line"),
    Case("a_format_number", "a", asub("format: riskwizard-answers/1", "format: 1"), msg="format", line=LA_FORMAT,
         threat="format line"),
    Case("a_format_missing", "a", asub("format: riskwizard-answers/1\n", ""), msg="error", line=1,
         threat="format line"),
    Case("a_unknown_questionnaire", "a", asub("- id: mini", "- id: nope"), msg="no questionnaire with id `nope`",
         line=LA_QID, threat="unknown questionnaire"),
    Case("a_questionnaire_path_traversal", "a", asub("  version: '1.0'", "  version: '1.0'\n  path: ../../../../../../../etc/passwd"),
         msg="no questionnaire", line=LA_QID, threat="unknown questionnaire"),
    Case("a_questionnaire_path_to_bomb", "a", asub("  version: '1.0'", "  version: '1.0'\n  path: ../q/q_alias_bomb.yaml"),
         msg="anchor", threat="unknown questionnaire"),
    Case("a_no_questionnaires", "a", asub("- id: mini\n  version: '1.0'\n", "[]\n").replace(b"questionnaires:\n[]", b"questionnaires: []").replace(b"  mini:\n", b"  {}\n").split(b"  {}\n")[0] + b"  {}\n",
         msg="names no questionnaire", threat="unknown questionnaire"),
    Case("a_single_not_option", "a", asub("value: scorer", "value: robot"), msg="`robot` is not one of",
         line=LA_KIND_VALUE, threat="option values"),
    Case("a_single_int", "a", asub("value: scorer", "value: 3"), msg="is not one of", line=LA_KIND_VALUE,
         threat="value types"),
    Case("a_single_mapping", "a", asub("value: scorer", "value: {a: b}"), msg="is not one of", line=LA_KIND_VALUE,
         threat="value types"),
    Case("a_yesno_unquoted_yes", "a", asub("value: 'yes'", "value: yes"), msg="is not one of", line=LA_PEOPLE_VALUE,
         threat="norway"),
    Case("a_yesno_unquoted_no", "a", asub("value: 'yes'", "value: no"), msg="is not one of", line=LA_PEOPLE_VALUE,
         threat="norway"),
    Case("a_yesno_on", "a", asub("value: 'yes'", "value: on"), msg="is not one of", line=LA_PEOPLE_VALUE,
         threat="norway"),
    Case("a_multi_scalar", "a", asub("value: [credit]", "value: credit"), msg="expected a list",
         line=LA_DOMAINS_VALUE, threat="value types"),
    Case("a_multi_unknown_option", "a", asub("value: [credit]", "value: [credit, crime]"), msg="crime",
         line=LA_DOMAINS_VALUE, threat="option values"),
    Case("a_multi_duplicate", "a", asub("value: [credit]", "value: [credit, credit]"), msg="listed twice",
         line=LA_DOMAINS_VALUE, threat="value types"),
    Case("a_multi_norway", "a", asub("value: [credit]", "value: [no]"), msg="expected a list of options",
         line=LA_DOMAINS_VALUE, threat="norway"),
    Case("a_number_as_text", "a", asub("value: 1200", "value: '1200'"), msg="expected a number",
         line=LA_USERS_VALUE, threat="value types"),
    Case("a_number_bool", "a", asub("value: 1200", "value: yes"), msg="expected a number", line=LA_USERS_VALUE,
         threat="value types"),
    Case("a_number_nan", "a", asub("value: 1200", "value: .nan"), msg="not a plain decimal", line=LA_USERS_VALUE,
         threat="nan"),
    Case("a_number_inf", "a", asub("value: 1200", "value: -.inf"), msg="not a plain decimal", line=LA_USERS_VALUE,
         threat="nan"),
    Case("a_number_overflow", "a", asub("value: 1200", "value: 1.0e+400"), msg="finite", line=LA_USERS_VALUE,
         threat="nan"),
    Case("a_number_octal", "a", asub("value: 1200", "value: 010"), msg="ambiguous number", line=LA_USERS_VALUE,
         threat="numbers"),
    Case("a_number_sexagesimal", "a", asub("value: 1200", "value: 1:30"), msg="ambiguous number",
         line=LA_USERS_VALUE, threat="numbers"),
    Case("a_number_below_min", "a", asub("value: 1200", "value: -5"), msg="below the minimum", line=LA_USERS_VALUE,
         threat="value types"),
    Case("a_number_not_integer", "a", asub("value: 1200", "value: 1.5"), msg="whole number", line=LA_USERS_VALUE,
         threat="value types"),
    Case("a_number_huge_int", "a", asub("value: 1200", "value: " + "9" * 5000), msg="error",
         line=LA_USERS_VALUE, threat="numbers"),
    Case("a_text_number", "a", asub("value: some text", "value: 12"), msg="expected text", line=LA_NOTES_VALUE,
         threat="value types"),
    Case("a_text_date", "a", asub("value: some text", "value: 2024-01-01"), msg="expected text",
         line=LA_NOTES_VALUE, threat="dates"),
    Case("a_text_norway", "a", asub("value: some text", "value: no"), msg="expected text", line=LA_NOTES_VALUE,
         threat="norway"),
    Case("a_text_too_long", "a", long_text_answer, msg="the limit is 10000", line=LA_NOTES_VALUE, threat="size"),
    Case("a_note_number", "a", asub("note: a note", "note: 12"), msg="expected text", line=LA_NOTE,
         threat="value types"),
    Case("a_note_date", "a", asub("note: a note", "note: 2024-01-01"), msg="date", line=LA_NOTE, threat="dates"),
    Case("a_note_norway", "a", asub("note: a note", "note: off"), msg="yes/no boolean", line=LA_NOTE,
         threat="norway"),
    Case("a_created_datetime", "a", asub("system:", "created: 2026-11-22T21:40:22Z\nsystem:"), msg="date", line=2,
         threat="dates"),
    Case("a_version_float", "a", asub("version: '1.0'", "version: 1.0"), msg="as a number", line=6,
         threat="numbers"),
    Case("a_unknown_string", "a", asub("value: scorer", "value: scorer\n      unknown: 'yes'"), msg="unknown",
         line=11, threat="value types"),
    Case("a_unknown_key_in_answer", "a", asub("value: scorer", "valu: scorer"), msg="unknown key `valu`",
         line=LA_KIND_VALUE, threat="schema"),
    Case("a_unknown_top_key", "a", asub("system:", "sytem: {}\nsystem:"), msg="unknown key `sytem`", line=2,
         threat="schema"),
    Case("a_answers_list", "a", asub("  mini:\n", "  - mini:\n"), msg="answers", threat="schema"),
    Case("a_bad_stage", "a", asub("system:", "stage: production\nsystem:"), msg="stage", line=2, threat="schema"),
    Case("a_group_not_list", "a", asub("      - {name: women, severity: 4}\n", "        women\n"), msg="list of rows",
         threat="value types"),
    Case("a_group_unknown_field", "a", asub("{name: women, severity: 4}", "{name: women, sev: 4}"),
         msg="unknown field `sev`", threat="value types"),
    Case("a_group_wrong_type", "a", asub("{name: women, severity: 4}", "{name: women, severity: high}"),
         msg="expected a number", threat="value types"),
    Case("a_group_norway_name", "a", asub("{name: women, severity: 4}", "{name: no, severity: 4}"),
         msg="expected text", threat="norway"),
    Case("a_group_10k_rows", "a", rows(10_000), msg="at most 50", line=22, threat="10k rows", generated=True),
    Case("a_group_60_rows", "a", rows(60), msg="at most 50", line=22, threat="10k rows"),
    Case("a_duplicate_answer", "a", asub("    people:\n", "    kind:\n      value: other\n    people:\n"),
         msg="duplicate key `kind` (first defined on line 9)", line=11, threat="duplicates"),
    Case("a_duplicate_top", "a", asub("system:", "format: riskwizard-answers/1\nsystem:"),
         msg="duplicate key `format`", line=2, threat="duplicates"),
    Case("a_colliding_keys", "a", asub("    kind:\n", "    1: {value: scorer}\n    '1': {value: other}\n    kind:\n"),
         msg="key `1` is read as a number", line=9, threat="colliding"),
    Case("a_alias_bomb", "a", BILLION_LAUGHS, msg="anchor", line=1, threat="alias bomb"),
    Case("a_anchor_alias", "a", asub("value: some text", "value: &t some text").replace(b"note: a note", b"note: *t"),
         msg="anchor", line=LA_NOTES_VALUE, threat="anchors"),
    Case("a_merge", "a", asub("      value: scorer", "      <<: {value: scorer}"), msg="merge keys",
         line=LA_KIND_VALUE, threat="merge"),
    Case("a_python_tag", "a", asub("value: some text", "value: !!python/object/apply:os.system [id]"),
         msg="explicit YAML tag", line=LA_NOTES_VALUE, threat="tags"),
    Case("a_binary", "a", asub("value: some text", "value: !!binary aGVsbG8="), msg="explicit YAML tag",
         line=LA_NOTES_VALUE, threat="tags"),
    Case("a_set", "a", asub("value: [credit]", "value: !!set {credit}"), msg="explicit YAML tag",
         line=LA_DOMAINS_VALUE, threat="tags"),
    Case("a_deep_30k", "a", deep_answer(30_000), msg="nesting deeper than", line=LA_NOTES_VALUE, threat="depth",
         generated=True),
    Case("a_deep_1000", "a", deep_answer(1000), msg="nesting deeper than", line=LA_NOTES_VALUE, threat="depth",
         generated=True),
    Case("a_empty", "a", b"", msg="file is empty", line=1, threat="empty"),
    Case("a_comments_only", "a", b"# riskwizard answers file\n# nothing else\n", msg="file is empty", line=1,
         threat="empty"),
    Case("a_multi_document", "a", BASE_A.encode() + b"---\n" + BASE_A.encode(), msg="YAML documents", line=24,
         threat="multi-document"),
    Case("a_invalid_utf8", "a", asub("note: a note", "note: a BAD note").replace(b"BAD", b"\x80"),
         msg="invalid UTF-8 byte 0x80", line=LA_NOTE, threat="encoding"),
    Case("a_lone_surrogate", "a", asub("note: a note", 'note: "a \\udc80 note"'), msg="surrogate", line=LA_NOTE,
         threat="surrogates"),
    Case("a_control_char", "a", asub("note: a note", "note: a \x08 note"), msg="control character", line=LA_NOTE,
         threat="control"),
    Case("a_bom_valid", "a", b"\xef\xbb\xbf" + BASE_A.encode(), exit=0, msg="ok (answers for mini)", threat="bom"),
    Case("a_huge_9mb", "a", huge_answers(9 * 1024 * 1024), msg="the limit is", threat="size", generated=True),
    Case("a_unknown_question_orphaned", "a", asub("    kind:\n", "    gone_question:\n      value: x\n    kind:\n"),
         exit=0, msg="kept in `orphaned`", threat="unknown ids"),
    Case("a_unknown_for_text_orphaned", "a", asub("value: some text", "unknown: true"), exit=0,
         msg="kept in `orphaned`", threat="value types"),
    # --- valid data that looks like code: must pass validate (the report leak check is separate)
    Case("a_html_payloads", "a", asub("value: some text", "value: \"<script>alert(1)</script><link rel=attachment href=file:///etc/passwd>\"").replace(
        b"note: a note", b"note: \"<img src=http://127.0.0.1:1/img> <style>body{background:url(http://127.0.0.1:1/x)}</style>\"").replace(
        b"{name: women, severity: 4}", b"{name: \"url(http://127.0.0.1:1/x) <iframe src=file:///etc/passwd>\", severity: 4}"),
         exit=0, msg="ok (answers for mini)", threat="html"),
    Case("a_markup_payloads", "a", asub("value: some text", "value: \"[bold]x[/bold] [/bold] [@click=app.quit]quit[/]\"").replace(
        b"name: Hostile system", b"name: \"[@click=app.quit]System[/] [link=file:///etc/passwd]x[/link]\""),
         exit=0, msg="ok (answers for mini)", threat="markup"),
    Case("a_template_payloads", "a", asub("value: some text", "value: \"{{ cycler.__init__.__globals__.os.popen('id').read() }} {% include '/etc/passwd' %}\"").replace(
        b"note: a note", b"note: \"\\\\input{/etc/passwd} \\\\write18{id} $(id) `id`\""),
         exit=0, msg="ok (answers for mini)", threat="html"),
    Case("a_unicode_round_trip_text", "a", asub("note: a note", 'note: "NEL \\x85 LS \\u2028 PS \\u2029 BOM \\ufeff\\ttab  trailing  \\r\\n"'),
         exit=0, msg="ok (answers for mini)", threat="unicode"),
    # --- score must not crash either
    Case("a_score_html", "a", asub("value: some text", "value: \"<script>alert(1)</script> [bold]x[/]\""),
         exit=0, cmd="score", msg="Overall", threat="html"),
    Case("a_score_bad_value", "a", asub("value: scorer", "value: robot"), exit=2, cmd="score",
         msg="`robot` is not one of", line=LA_KIND_VALUE, threat="value types"),
    Case("a_score_json_inf_score", "a", asub("- id: mini\n  version: '1.0'", "- id: hostile\n  version: '1.0'\n  path: ../q/q_overflow_score.yaml").replace(
        b"  mini:\n", b"  hostile:\n    a: {value: x}\n"), exit=2, cmd="score --json",
         msg="finite", line=None, threat="nan"),
    Case("a_answers_for_unknown_questionnaire", "a", asub("  mini:\n", "  nope:\n    x: {value: 1}\n  mini:\n"),
         msg="no questionnaire with id `nope`", line=8, threat="unknown questionnaire"),
    Case("a_score_json_overflow", "a", asub("value: 1200", "value: 1.0e+308").replace(b"    groups:", b"    base:\n      value: 50\n    fpr:\n      value: 50\n    groups:"),
         exit=0, cmd="score --json", msg="\"overall_tier\"", threat="nan"),
    Case("a_score_overflow", "a", asub("value: 1200", "value: 1.0e+308").replace(b"    groups:", b"    base:\n      value: 50\n    fpr:\n      value: 50\n    groups:"),
         exit=0, cmd="score", msg="Overall", threat="nan"),
]

CASES: list[Case] = QUESTIONNAIRE_CASES + ANSWERS_CASES


def mini_questionnaire() -> bytes:
    return (HERE.parent / "fixtures" / "mini.yaml").read_bytes()


def write_corpus(folder: Path = CORPUS, include_generated: bool = False) -> list[Path]:
    """Write the cases' files (and the questionnaire the answers files use) under ``folder``."""
    written = []
    for sub in ("q", "a", "a/questionnaires"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    (folder / "a" / "questionnaires" / "mini.yaml").write_bytes(mini_questionnaire())
    for case in CASES:
        if case.generated and not include_generated:
            continue
        path = folder / case.relpath
        path.write_bytes(case.data())
        written.append(path)
    return written


if __name__ == "__main__":
    if "--write" in sys.argv:
        for old in CORPUS.glob("[qa]/*.yaml"):
            old.unlink()
        files = write_corpus()
        print(f"wrote {len(files)} files under {CORPUS}")
    else:
        print(f"{len(CASES)} cases ({sum(c.generated for c in CASES)} generated at test time); "
              "run with --write to regenerate corpus/")
