"""A defensive YAML reader for untrusted questionnaires and answers files.

PyYAML's ``safe_load`` still accepts things that hurt us later (see threats.md): anchors and
aliases (alias bombs), explicit tags, duplicate keys (the last one silently wins), non-text keys
that collide after a JSON round trip, octal-looking numbers, and nesting deep enough to crash the
C parser. This module scans tokens first (iteratively, so depth and size are checked before any
recursive code runs), composes a node tree with the safe loader, and then builds plain Python
values itself, remembering the line and column of every value so that schema errors can point at
``file:line:col``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, YamlError, display_path

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_TOKENS = 200_000
MAX_INT_DIGITS = 18

Path_ = tuple[str | int, ...]

_SCAN_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")

_KIND_WORDS = {
    _BOOL: "a yes/no boolean",
    _NULL: "an empty value (null)",
    _TIMESTAMP: "a date",
    _INT: "a number",
    _FLOAT: "a number",
}


@dataclass(frozen=True)
class ScalarInfo:
    """Where a value came from and how YAML read it."""

    line: int
    column: int
    tag: str = ""
    text: str = ""
    plain: bool = False


@dataclass
class SourcedYaml:
    """Plain Python data plus the source position of every value in it."""

    data: Any
    path: str
    info: dict[Path_, ScalarInfo] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # (line, column) of each mapping key

    def where_key(self, loc: tuple[Any, ...]) -> Location:
        """Location of the key that introduces ``loc`` (its line, not its value's), else of the value."""
        if loc in self.keys:
            line, column = self.keys[loc]
            return Location(self.path, line, column)
        return self.where(loc)

    def where(self, loc: tuple[Any, ...] = ()) -> Location:
        """Best source location for a data path; unknown trailing parts fall back to the parent."""
        info = self.info_at(loc)
        if info is None:
            return Location(self.path)
        return Location(self.path, info.line, info.column)

    def info_at(self, loc: tuple[Any, ...]) -> ScalarInfo | None:
        """Follow ``loc`` through the data as far as it matches, skipping parts that are not keys.

        pydantic error locations contain extra parts (the discriminator of a union, for
        example); skipping what does not match keeps the position useful.
        """
        if not self.info:
            return None  # data without positions (read from the parsed-data cache): nothing to follow
        best = self.info.get(())
        node = self.data
        current: Path_ = ()
        for part in loc:
            if not _has_child(node, part):
                continue
            node = node[part]
            current = (*current, part)
            best = self.info.get(current, best)
        return best

    def describe_scalar(self, loc: tuple[Any, ...]) -> str:
        """Explain how YAML read an unquoted scalar, for 'expected text' errors."""
        info = self.info_at(loc)
        if info is None or not info.plain or info.tag == _STR:
            return ""
        kind = _KIND_WORDS.get(info.tag, "a non-text value")
        return f"YAML reads the unquoted `{info.text}` as {kind}"


def _has_child(node: Any, part: Any) -> bool:
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """Read a UTF-8 file, refusing oversized files and invalid bytes with a line number."""
    return decode_utf8(read_bytes(path, max_bytes), display_path(path))


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A file's bytes; a missing, unreadable, oversized or non-regular file (FIFO, device, folder) is a
    YamlError naming the path and the reason. Never blocks on a FIFO or device."""
    from .safefile import DiskError, read_input

    try:
        return read_input(path, max_bytes)
    except DiskError as exc:
        raise YamlError(exc.message, exc.location, exc.fix) from None


def decode_utf8(raw: bytes, shown: str) -> str:
    """Decode strictly, naming the line and column of the first invalid byte."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise YamlError(
            f"invalid UTF-8 byte 0x{raw[exc.start]:02x}",
            Location(shown, line, column),
            "save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def load_yaml_file(path: str | Path, max_bytes: int = MAX_BYTES) -> SourcedYaml:
    """Read and safely parse one YAML file."""
    p = Path(path)
    return load_yaml_text(read_text(p, max_bytes), display_path(p), max_bytes)


def load_yaml_text(text: str, name: str = "<text>", max_bytes: int = MAX_BYTES) -> SourcedYaml:
    """Safely parse YAML text; ``name`` is used in error locations."""
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise YamlError(f"text is larger than {max_bytes:,} bytes", Location(name))
    if not text.strip() or all(
        not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()
    ):
        raise YamlError("file is empty", Location(name, 1, 1), "add the document's content")
    _scan(text, name)
    node = _compose(text, name)
    builder = _Builder(name)
    data = builder.build(node, ())
    return SourcedYaml(data=data, path=name, info=builder.info, keys=builder.keys)


def _mark_location(name: str, mark: Any) -> Location:
    if mark is None:
        return Location(name)
    return Location(name, mark.line + 1, mark.column + 1)


def _yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> YamlError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    return YamlError(
        f"YAML syntax: {problem}",
        _mark_location(name, mark),
        "check indentation, colons and quotes on this line",
    )


def _scan(text: str, name: str) -> None:
    """Walk the token stream once (no recursion) to refuse dangerous constructs early.

    libyaml's scanner is iterative (explicit stacks), safe on deep nesting and about ten times
    faster than the pure-Python one, so valid files go through it. When it objects to anything,
    the pure-Python scanner runs again so the message and position are the same on every machine
    (libyaml reads ahead inside flow collections and has its own depth limit).
    """
    if _SCAN_LOADER is yaml.SafeLoader:
        _scan_with(text, name, yaml.SafeLoader)
        return
    try:
        _scan_with(text, name, _SCAN_LOADER)
    except YamlError as c_error:
        _scan_with(text, name, yaml.SafeLoader)
        raise c_error from None


def _scan_with(text: str, name: str, loader: Any) -> None:
    depth = 0
    tokens = 0
    openers = (
        yaml.BlockMappingStartToken,
        yaml.BlockSequenceStartToken,
        yaml.FlowMappingStartToken,
        yaml.FlowSequenceStartToken,
    )
    closers = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
    # most tokens are scalars, keys, values and entries: skip them with one set lookup
    plain = {yaml.ScalarToken, yaml.KeyToken, yaml.ValueToken, yaml.FlowEntryToken, yaml.BlockEntryToken,
             yaml.StreamStartToken, yaml.StreamEndToken, yaml.DocumentStartToken, yaml.DocumentEndToken}
    try:
        for token in yaml.scan(text, Loader=loader):
            tokens += 1
            if type(token) in plain and tokens <= MAX_TOKENS:
                continue
            if tokens > MAX_TOKENS:
                raise YamlError(
                    "file has too many YAML elements",
                    _mark_location(name, token.start_mark),
                    "split the file or remove generated content",
                )
            if isinstance(token, openers):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlError(
                        f"nesting deeper than {MAX_DEPTH} levels",
                        _mark_location(name, token.start_mark),
                        "flatten the structure; questionnaires never need this depth",
                    )
            elif isinstance(token, closers):
                depth -= 1
            elif isinstance(token, yaml.TagToken):
                raise YamlError(
                    f"explicit YAML tag `{token.value[0]}{token.value[1]}` is not allowed",
                    _mark_location(name, token.start_mark),
                    "remove the tag; write plain values (quote text)",
                )
            elif isinstance(token, yaml.AnchorToken):
                raise YamlError(
                    f"YAML anchor `&{token.value}` is not allowed",
                    _mark_location(name, token.start_mark),
                    "write the value out in full instead of using anchors and aliases",
                )
            elif isinstance(token, yaml.AliasToken):
                raise YamlError(
                    f"YAML alias `*{token.value}` is not allowed",
                    _mark_location(name, token.start_mark),
                    "write the value out in full instead of using anchors and aliases",
                )
            elif isinstance(token, yaml.DirectiveToken):
                raise YamlError(
                    f"YAML directive `%{token.name}` is not allowed",
                    _mark_location(name, token.start_mark),
                    "remove the directive line",
                )
    except yaml.MarkedYAMLError as exc:
        raise _yaml_problem(exc, name) from None
    except yaml.reader.ReaderError as exc:  # control characters: a position, not a mark
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        raise YamlError(
            f"control character U+{exc.character:04X} is not allowed in YAML",
            Location(name, line, column),
            "remove the character (or write it as an escape inside double quotes)",
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML: {exc}", Location(name), "check the file's syntax") from None


def _compose(text: str, name: str) -> yaml.Node:
    loader_cls = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        documents = list(yaml.compose_all(text, Loader=loader_cls))
    except yaml.MarkedYAMLError as exc:
        raise _yaml_problem(exc, name) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML: {exc}", Location(name)) from None
    documents = [d for d in documents if d is not None]
    if not documents:
        raise YamlError("file is empty", Location(name, 1, 1), "add the document's content")
    if len(documents) > 1:
        second = documents[1].start_mark
        raise YamlError(
            f"file holds {len(documents)} YAML documents; only one is allowed",
            _mark_location(name, second),
            "remove the `---` separator and keep one document per file",
        )
    return documents[0]


class _Builder:
    """Turn a composed node tree into plain values, recording positions."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.info: dict[Path_, ScalarInfo] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.nodes = 0
        self._constructor = yaml.constructor.SafeConstructor()

    def _loc(self, node: yaml.Node) -> Location:
        return _mark_location(self.name, node.start_mark)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise YamlError("file has too many values", self._loc(node), "split the file")
        mark = node.start_mark
        if isinstance(node, yaml.MappingNode):
            self.info[path] = ScalarInfo(mark.line + 1, mark.column + 1, "map")
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.info[path] = ScalarInfo(mark.line + 1, mark.column + 1, "seq")
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        plain = node.style in (None, "")
        self.info[path] = ScalarInfo(mark.line + 1, mark.column + 1, node.tag, node.value, plain)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlError(
                    "a key must be plain text, not a list or mapping",
                    self._loc(key_node),
                    "use a simple name as the key",
                )
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(
                    "merge keys (`<<`) are not allowed",
                    self._loc(key_node),
                    "write the keys out in full",
                )
            if key_node.tag != _STR:
                kind = _KIND_WORDS.get(key_node.tag, "a non-text value")
                raise YamlError(
                    f"key `{key_node.value}` is read as {kind}; keys must be text",
                    self._loc(key_node),
                    f"quote the key ('{key_node.value}') or rename it to a slug such as `q{key_node.value}`"
                    if key_node.tag in (_INT, _FLOAT)
                    else f"quote the key: '{key_node.value}'",
                )
            key = key_node.value
            _check_surrogates(key, self, key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise YamlError(
                    f"duplicate key `{key}` (first defined on line {seen[key]})",
                    self._loc(key_node),
                    "remove or rename one of the two; YAML would silently keep only the last",
                )
            seen[key] = line
            self.keys[(*path, key)] = (line, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        text = node.value
        if tag == _STR:
            _check_surrogates(text, self, node)
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return self._constructor.construct_yaml_bool(node)
        if tag == _INT:
            if not _PLAIN_INT.match(text.replace("_", "")) or "_" in text:
                raise YamlError(
                    f"`{text}` is an ambiguous number (YAML 1.1 reads octal, binary, hex and 1:30 as base-60)",
                    self._loc(node),
                    "write a plain decimal number, or quote it if it is text",
                )
            digits = text.lstrip("+-")
            if len(digits) > MAX_INT_DIGITS:
                raise YamlError(
                    f"number with {len(digits)} digits is too large (at most {MAX_INT_DIGITS} digits)",
                    self._loc(node),
                    "write a smaller number (scientific notation such as 1.0e+25 is fine), or quote it if it is text",
                )
            return int(text)
        if tag == _FLOAT:
            if not _PLAIN_FLOAT.match(text):
                raise YamlError(
                    f"`{text}` is not a plain decimal number",
                    self._loc(node),
                    "write a finite decimal number such as 0.5, or quote it if it is text",
                )
            value = float(text)
            if not math.isfinite(value):
                raise YamlError(
                    f"`{text}` is not a finite number (it overflows to infinity)",
                    self._loc(node),
                    "write a finite decimal number below 1e308",
                )
            return value
        if tag == _TIMESTAMP:
            # Kept as its text but typed: schema checks see a date where text is expected.
            return _YamlDate(text)
        raise YamlError(f"unsupported value type {tag}", self._loc(node), "quote the value")


class _YamlDate(str):
    """An unquoted date. It is a str subclass so nothing breaks, but strict text fields refuse it."""


def is_yaml_date(value: Any) -> bool:
    return isinstance(value, _YamlDate)


def _check_surrogates(text: str, builder: _Builder, node: yaml.Node) -> None:
    """Refuse unpaired surrogates; the location is worked out only when there is a problem."""
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise YamlError(
            "text contains an unpaired surrogate escape (for example \\ud800), which is not valid Unicode",
            builder._loc(node),
            "remove the escape or write the real character",
        ) from None
