"""Inline JavaScript state of a page: the JSON a client-side app ships with its HTML.

:func:`state_values` yields ``(name, value)`` for each state blob of a page:
``<script type="application/json">`` (``__NEXT_DATA__``; named by the script's id),
Nuxt 3's ``__NUXT_DATA__`` payload (devalue format, decoded by :func:`revive_devalue`), the
Next.js app router's ``self.__next_f.push([1, "…"])`` chunks (the JSON values on the lines of
its React Server Components stream, :func:`next_flight_values`),
``NAME = {...}`` assignments of known state names or of any ``window.X`` (``__INITIAL_STATE__``,
``__PRELOADED_STATE__``, ``__APOLLO_STATE__``), ``NAME = JSON.parse('...')``, and Nuxt's
function form ``__NUXT__=(function(a,b){return {...}}(1,"x"))``. JavaScript object literals
(unquoted keys, single quotes, trailing commas) are read by chompjs; nothing is run.

Nuxt's function form is the one case chompjs cannot do: its parameters must be replaced by the
call's arguments, and chompjs reads a bare identifier as a string (``{title:a}`` ->
``{"title": "a"}``), indistinguishable from the string ``"a"``; chompjs 1.4 also reads
``false,null`` as ``"false", None``. :func:`js_literal_to_json`, a small tokenizer that never
evaluates anything, reads that form.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

import chompjs

from spiders.parsers.structured import loads_lenient

__all__ = [
    "STATE_MARKER_RE",
    "js_literal_to_json",
    "next_flight_values",
    "parse_js_literal",
    "revive_devalue",
    "state_values",
]

#: Names of inline state that client-side frameworks use (a page with one is an app shell).
STATE_MARKER_RE = re.compile(
    r"__NEXT_DATA__|__NUXT__|__NUXT_DATA__|__INITIAL_STATE__|__PRELOADED_STATE__|__APOLLO_STATE__|"
    r"__APP_STATE__|__STATE__|window\.__data|__REDUX_STATE__|__INITIAL_PROPS__",
)
_ASSIGN_RE = re.compile(
    r"(?:window\.|self\.|globalThis\.|var\s+|let\s+|const\s+)?"
    r"(?P<name>__[A-Z_]+__|__NEXT_DATA__|__NUXT__|__APOLLO_STATE__|initialState|INITIAL_STATE|"
    r"__PRELOADED_STATE__|__INITIAL_STATE__|__INITIAL_PROPS__|__DATA__|jobsData|__REDUX_STATE__|"
    r"(?<=window\.)[\w$]+)"
    r"\s*=\s*(?:JSON\.parse\(\s*(?P<q>['\"]))?",
)
_SCRIPT_RE = re.compile(
    r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_JSON_TYPE_RE = re.compile(r"type\s*=\s*[\"']?application/(?:[\w.+-]*\+)?json", re.IGNORECASE)
#: What chompjs leaves of JavaScript-only values (it reads bare words as strings).
_JS_VALUES: dict[str, Any] = {"!0": True, "!1": False, "undefined": None, "void 0": None}


def state_values(html: str) -> Iterator[tuple[str, Any]]:
    """``(name, value)`` of each JSON state blob in the page's inline scripts."""
    if "__next_f" in html:
        for value in next_flight_values(html):
            yield "__next_f", value
    for m in _SCRIPT_RE.finditer(html):
        attrs, body = m.group("attrs"), m.group("body")
        if _JSON_TYPE_RE.search(attrs):
            if "ld+json" in attrs.lower():
                continue
            ident = re.search(r"id\s*=\s*[\"']?([\w-]+)", attrs)
            try:
                values, _ = loads_lenient(body)
            except ValueError:
                continue
            name = ident.group(1) if ident else "application/json"
            for v in values:
                if name == "__NUXT_DATA__" or "data-nuxt-data" in attrs:
                    v = revive_devalue(v)
                    if v is None:
                        continue
                yield name, v
            continue
        if "=" not in body:
            continue
        for fm in _NUXT_FN_RE.finditer(body):
            try:
                yield "__NUXT__", _nuxt_function_state(body, fm)
            except (ValueError, IndexError):
                continue
        for am in _ASSIGN_RE.finditer(body):
            try:
                value = _assigned_value(body, am)
            except (ValueError, IndexError):
                continue
            if value is not None:
                yield am.group("name"), value


def _assigned_value(body: str, am: re.Match[str]) -> Any:
    """The value of ``NAME = {...}`` / ``NAME = JSON.parse('...')`` (None: not an object)."""
    start = am.end()
    quote = am.group("q")
    if quote:  # JSON.parse('...'): a JS string literal holding JSON
        end = _string_end(body, start, quote)
        values, _ = loads_lenient(_js_string_value(body[start - 1 : end + 1]))
        return values[0] if values else None
    while start < len(body) and body[start] in " \t\r\n":
        start += 1
    if start >= len(body) or body[start] not in "{[":
        return None
    try:
        value, _end = json.JSONDecoder(strict=False).raw_decode(body, start)
    except ValueError:
        return parse_js_literal(body[start:])
    return value


def parse_js_literal(text: str) -> Any:
    """A JavaScript object or array literal as Python values (chompjs), with ``!0``/``!1`` as
    booleans and ``undefined``/``void 0``/``NaN`` as None. ``ValueError`` when unreadable."""
    try:
        value: Any = chompjs.parse_js_object(text)
    except Exception as exc:  # chompjs raises ValueError and its parser's own errors
        raise ValueError(f"unreadable JS literal: {exc}") from exc
    return _js_values(value)


def _js_values(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _js_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_js_values(v) for v in value]
    if isinstance(value, str):
        return _JS_VALUES.get(value, value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_NUXT_FN_RE = re.compile(
    r"__NUXT__\s*=\s*\(?\s*function\s*\((?P<params>[\w$,\s]*)\)\s*\{\s*return\s*(?=\{)"
)
#: From the end of the returned object to the call's arguments: ``}}(``, ``;})(``.
_NUXT_CALL_RE = re.compile(r"\s*;?\s*\}\s*\)?\s*\(")
_JS_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)|(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|"""
    r"(?P<num>-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<bang>!\s*[01])|"
    r"(?P<ident>[A-Za-z_$][\w$]*)|(?P<punct>[{}\[\],:])",
    re.DOTALL,
)


def _js_string_value(token: str) -> str:
    """A JS string literal (either quote) as a Python string."""
    quote = token[0]
    inner = token[1:-1]
    if quote == "'":
        inner = inner.replace("\\'", "'").replace('"', '\\"')
    inner = re.sub(r"\\x([0-9a-fA-F]{2})", r"\\u00\1", inner)
    value: str = json.loads(f'"{inner}"', strict=False)
    return value


def js_literal_to_json(text: str, env: dict[str, str] | None = None) -> str:
    """A JS object/array literal as JSON text, without evaluating anything: unquoted keys
    quoted, single-quoted strings converted, ``!0``/``!1`` as booleans, ``undefined``/``void 0``
    as null, and identifiers replaced by ``env`` (JSON texts), else null. ``ValueError`` on
    anything else (function calls, operators)."""
    env = env or {}
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    expect_key = False
    while pos < len(text):
        m = _JS_TOKEN_RE.match(text, pos)
        if m is None:
            raise ValueError(f"unexpected JS at {pos}: {text[pos : pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        tok = m.group(0)
        if kind == "ws":
            continue
        if kind == "punct":
            if tok in "}]" and out and out[-1] == ",":
                out.pop()
            if tok in "{[":
                stack.append(tok)
            elif tok in "}]":
                if not stack:
                    raise ValueError("unbalanced")
                stack.pop()
            out.append(tok)
            expect_key = tok in "{," and bool(stack) and stack[-1] == "{"
            if not stack:
                break
            continue
        if expect_key and kind in ("ident", "str", "num"):
            key = _js_string_value(tok) if kind == "str" else tok
            out.append(json.dumps(key))
            expect_key = False
            continue
        if kind == "str":
            out.append(json.dumps(_js_string_value(tok)))
        elif kind == "num":
            out.append(tok if not tok.startswith((".", "-.")) else tok.replace(".", "0.", 1))
        elif kind == "bang":
            out.append("true" if tok.strip("! \t") == "0" else "false")
        elif tok in ("true", "false", "null"):
            out.append(tok)
        elif tok == "void":
            nxt = _JS_TOKEN_RE.match(text, pos)
            while nxt is not None and nxt.lastgroup == "ws":
                nxt = _JS_TOKEN_RE.match(text, nxt.end())
            if nxt is None or nxt.lastgroup != "num":
                raise ValueError("void without operand")
            pos = nxt.end()
            out.append("null")
        elif tok in env:
            out.append(env[tok])
        else:
            out.append("null")  # undefined, NaN, an unknown variable
    if stack:
        raise ValueError("unbalanced JS literal")
    return "".join(out)


def _closing_bracket(text: str, start: int) -> int:
    """The index of the first bracket from ``start`` that closes one opened before it
    (brackets inside strings do not count)."""
    depth = 0
    quote: str | None = None
    i = start
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise ValueError("unbalanced brackets")


def _nuxt_function_state(body: str, fm: re.Match[str]) -> Any:
    """``window.__NUXT__=(function(a,b){return {...}}(1,"x"))``: the returned object with
    the parameters replaced by the call's arguments (literal values only; nothing is run)."""
    params = [p.strip() for p in fm.group("params").split(",") if p.strip()]
    obj_end = _closing_bracket(body, fm.end() + 1) + 1
    obj = body[fm.end() : obj_end]
    m = _NUXT_CALL_RE.match(body, obj_end)
    if m is None:
        raise ValueError("no call of the NUXT function")
    args_end = _closing_bracket(body, m.end())
    # the tokenizer, not chompjs: chompjs 1.4 reads ``false,null`` as ``"false", None``
    args = json.loads(js_literal_to_json("[" + body[m.end() : args_end] + "]"), strict=False)
    if not isinstance(args, list):
        raise ValueError("NUXT arguments unreadable")
    env = {name: json.dumps(args[i]) if i < len(args) else "null" for i, name in enumerate(params)}
    return json.loads(js_literal_to_json(obj, env), strict=False)


def _string_end(body: str, start: int, quote: str) -> int:
    i = start
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == quote:
            return i
        i += 1
    raise ValueError("unterminated string")


# --- Nuxt 3 payloads (devalue) -------------------------------------------------------------
#: Wrappers whose one argument is the value itself (Vue's reactivity and Nuxt's revivers).
_DEVALUE_WRAPPERS = frozenset(
    {"Reactive", "ShallowReactive", "Ref", "ShallowRef", "NuxtError", "Island", "Object"}
)
#: devalue's negative indices: undefined, an array hole, NaN, +/-Infinity, -0.
_DEVALUE_CONSTANTS: dict[int, Any] = {-1: None, -2: None, -3: None, -4: None, -5: None, -6: 0}
#: Bounds: a payload is read up to this many values and this depth (the rest is None).
MAX_DEVALUE_VALUES = 200_000
MAX_DEVALUE_DEPTH = 60


def revive_devalue(payload: Any) -> Any:
    """A devalue payload (Nuxt 3's ``__NUXT_DATA__``: a JSON array whose objects and arrays
    hold indices into the array, the root at index 0) as plain JSON values; None when it is
    not one. Special forms: ``["Date", iso]`` -> the string, ``["Set", i...]`` -> a list,
    ``["Map", k, v...]`` -> a dict, ``["null", k, v...]`` (null-prototype object) -> a dict,
    ``["Reactive"|"ShallowReactive"|"Ref"|"ShallowRef"|..., i]`` -> the value,
    ``["EmptyRef", json]`` -> the JSON's value, ``["RegExp", src, flags]`` -> the source,
    ``["BigInt", "123"]`` -> the integer; negative indices are undefined/NaN/Infinity (None).
    Cycles, indices out of range and nesting deeper than :data:`MAX_DEVALUE_DEPTH` become None.
    Never raises."""
    if not isinstance(payload, list) or not payload or len(payload) > MAX_DEVALUE_VALUES:
        return None
    memo: dict[int, Any] = {}
    active: set[int] = set()

    def value(index: Any, depth: int) -> Any:
        if isinstance(index, bool) or not isinstance(index, int):
            return None
        if index < 0:
            return _DEVALUE_CONSTANTS.get(index)
        if index >= len(payload) or index in active or depth > MAX_DEVALUE_DEPTH:
            return None
        if index in memo:
            return memo[index]
        active.add(index)
        try:
            out = node(payload[index], depth)
        finally:
            active.discard(index)
        memo[index] = out
        return out

    def node(raw: Any, depth: int) -> Any:
        if isinstance(raw, dict):
            return {str(k): value(v, depth + 1) for k, v in raw.items()}
        if not isinstance(raw, list):
            return raw  # a string, number, boolean or null stored in place
        if raw and isinstance(raw[0], str):
            return special(raw[0], raw[1:], depth)
        return [value(i, depth + 1) for i in raw]

    def special(tag: str, args: list[Any], depth: int) -> Any:
        if tag in _DEVALUE_WRAPPERS:
            return value(args[0], depth + 1) if args else None
        if tag == "Date":
            return args[0] if args and isinstance(args[0], str) else None
        if tag == "Set":
            return [value(i, depth + 1) for i in args]
        if tag in ("Map", "null"):
            pairs = zip(args[0::2], args[1::2], strict=False)
            if tag == "null":  # keys are stored in place, values as indices
                return {str(k): value(v, depth + 1) for k, v in pairs}
            out: dict[str, Any] = {}
            for k, v in pairs:
                key = value(k, depth + 1)
                if isinstance(key, str | int | float):
                    out[str(key)] = value(v, depth + 1)
            return out
        if tag in ("EmptyRef", "EmptyShallowRef"):
            if not args or not isinstance(args[0], str) or args[0] in ("_", "0n"):
                return None
            try:
                return json.loads(args[0])
            except ValueError:
                return None
        if tag == "RegExp":
            return args[0] if args and isinstance(args[0], str) else None
        if tag == "BigInt":
            try:
                return int(args[0]) if args else None
            except (TypeError, ValueError):
                return None
        return None  # an unknown reviver: its value is not plain data

    try:
        return value(0, 0)
    except (RecursionError, TypeError, ValueError):
        return None


# --- Next.js app router (React Server Components stream) ------------------------------------
_NEXT_F_RE = re.compile(r"self\.__next_f\.push\(\s*\[\s*1\s*,\s*(?P<q>\")")
#: A line of the stream: ``<hex id>:<JSON>`` (other row kinds, ``I[...]``, ``HL[...]``, are not
#: data); only objects and arrays are read.
_FLIGHT_ROW_RE = re.compile(r"^[0-9a-f]{1,8}:(?=[\[{])", re.MULTILINE)
#: Bounds: the stream read and the rows decoded per page.
MAX_FLIGHT_CHARS = 5_000_000
MAX_FLIGHT_ROWS = 2_000


def next_flight_values(html: str) -> list[Any]:
    """The JSON values in a Next.js app-router page's ``self.__next_f.push([1, "…"])``
    chunks: the chunks are JS strings joined into one stream whose rows are ``id:JSON``.
    Unreadable rows are skipped; never raises."""
    chunks: list[str] = []
    size = 0
    for m in _NEXT_F_RE.finditer(html):
        try:
            end = _string_end(html, m.end(), '"')
            chunk = _js_string_value(html[m.end() - 1 : end + 1])
        except (ValueError, IndexError):
            continue
        size += len(chunk)
        if size > MAX_FLIGHT_CHARS:
            break
        chunks.append(chunk)
    stream = "".join(chunks)
    values: list[Any] = []
    decoder = json.JSONDecoder(strict=False)
    for row in _FLIGHT_ROW_RE.finditer(stream):
        if len(values) >= MAX_FLIGHT_ROWS:
            break
        try:
            value, _ = decoder.raw_decode(stream, row.end())
        except (ValueError, RecursionError):
            continue
        values.append(value)
    return values
