"""Reading files at the boundary: safe YAML with line numbers, and JSON the tool wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from resilience.errors import InputError

M = TypeVar("M", bound=BaseModel)


_SAFE_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when available


class _StrictLoader(_SAFE_BASE):  # type: ignore[misc, valid-type]
    """A safe loader (no object construction) that refuses duplicate keys."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, list | dict):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark
            )
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key '{key}' (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class YamlDocument:
    """A parsed YAML file: its data and a way to find the line of any path into it."""

    def __init__(self, path: str, data: Any, root: yaml.Node | None):
        self.path = path
        self.data = data
        self._root = root

    def line_of(self, loc: tuple[Any, ...]) -> int | None:
        """The 1-based line of the deepest node found along ``loc`` (a pydantic error location)."""
        node = self._root
        line = node.start_mark.line + 1 if node is not None else None
        for part in loc:
            child = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == str(part):
                        child = value_node
                        line = key_node.start_mark.line + 1
                        break
            elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
                  and 0 <= part < len(node.value)):
                child = node.value[part]
                line = child.start_mark.line + 1
            if child is None:
                break
            node = child
        return line


def read_text(path: Path | str) -> str:
    """Read a UTF-8 text file, turning OS errors into one clear InputError."""
    data = read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None


def read_bytes(path: Path | str) -> bytes:
    """Read a file whole, turning OS errors into one clear InputError."""
    p = Path(path)
    try:
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", path=str(p)) from None
    except IsADirectoryError:
        raise InputError("is a folder, expected a file", path=str(p)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(p)) from None


def parse_yaml(text: str, path: str) -> YamlDocument:
    """Parse YAML text safely (no object construction), keeping node positions."""
    try:
        # Compose once and construct from the same node tree: positions and data in one parse.
        loader = _StrictLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        ctx = exc.context_mark
        opened = exc.context and ("flow" in exc.context or "quoted" in exc.context)
        if (opened and ctx is not None and exc.problem_mark is not None
                and ctx.line < exc.problem_mark.line):
            # An unclosed bracket or quote: where it opened is more useful than where the
            # parser gave up.
            problem = (f"{exc.context} that starts here: {problem} "
                       f"(the parser gave up on line {exc.problem_mark.line + 1})")
            mark = ctx
        line = mark.line + 1 if mark else None
        raise InputError(f"YAML syntax error: {problem}", path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML syntax error: {exc}", path=path) from None
    except RecursionError:
        raise InputError("YAML is nested too deeply", path=path) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise these for values such as the date 2024-13-45
        raise InputError(f"YAML value error: {exc}", path=path) from None
    return YamlDocument(path, data, root)


def load_yaml(path: Path | str) -> YamlDocument:
    """Read and parse a YAML file."""
    return parse_yaml(read_text(path), str(path))


def describe_location(loc: tuple[Any, ...]) -> str:
    """``('systems', 3, 'tier')`` -> ``systems[3].tier``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _describe_error(err: dict[str, Any]) -> str:
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
    field = describe_location(loc)
    kind = err["type"]
    msg = err["msg"]
    if kind == "extra_forbidden":
        return f"unknown key '{loc[-1] if loc else field}' at {field}"
    if kind == "missing":
        return f"missing required key '{field}'"
    value = err.get("input")
    shown = ""
    if value is not None and not isinstance(value, dict | list) and len(repr(value)) < 60:
        shown = f" (got {value!r})"
    return f"{field}: {msg[0].lower() + msg[1:] if msg else msg}{shown}"


def validation_error(exc: ValidationError, doc: YamlDocument, prefix: tuple = ()) -> InputError:
    """Turn a pydantic ValidationError into one InputError naming file, line and field."""
    errors = exc.errors()
    first = errors[0]
    loc = prefix + tuple(p for p in first["loc"] if not str(p).startswith("function-"))
    text = _describe_error({**first, "loc": loc})
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return InputError(text, path=doc.path, line=doc.line_of(loc))


def validate_document(model: type[M], doc: YamlDocument, *, what: str) -> M:
    """Validate a parsed document against a model, or raise one clear InputError."""
    if doc.data is None:
        raise InputError(f"the file is empty; expected {what}", path=doc.path)
    if not isinstance(doc.data, dict):
        raise InputError(f"expected {what} (a mapping of keys), found a {type(doc.data).__name__}",
                         path=doc.path, line=1)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise validation_error(exc, doc) from None


def load_model(model: type[M], path: Path | str, *, what: str) -> M:
    """Load a YAML file into a validated model."""
    return validate_document(model, load_yaml(path), what=what)


def load_json_model(model: type[M], path: Path | str, *, what: str, how: str = "",
                    version: int) -> M:
    """Read a JSON file the tool wrote (a snapshot, a report) into ``model``, with one clear
    error when it is not valid JSON, not ``what``, or of another ``schema_version``."""
    data = read_bytes(path)  # pydantic reads UTF-8 bytes itself: no second copy as text
    try:
        loaded = model.model_validate_json(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        if err["type"] == "json_invalid":
            raise InputError(f"not valid JSON ({err['msg']})", path=str(path)) from None
        raise InputError(f"not {what}{how}: {describe_location(err['loc'])}: {err['msg']}",
                         path=str(path)) from None
    found = getattr(loaded, "schema_version", version)
    if found != version:
        raise InputError(f"{what.removeprefix('a ')} schema_version {found} is not supported "
                         f"(this version reads {version})", path=str(path))
    return loaded
