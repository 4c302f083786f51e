"""A format's line regex cut down to the prefix that decides whether a line matches.

A format regex ends like ``(?:\\s+(?P<body>.*))?$``: to know that a line matches, RE2 must still
scan the message to its end. On a line (no newline inside), ``X.*$`` matches exactly when ``X``
matches a prefix, an optional part before anything-goes is never needed, ``c+`` followed by
anything-goes is one ``c``, and ``(?:S.*)?$`` is "``S`` or the end". ``decision`` applies those
rewrites to the parsed pattern and prints it back, so a prefix match of the result (``re.match``,
RE2 without an end anchor) accepts the same lines as a match of the format regex, with the same
groups before the cut; RE2 stops after the line's first few dozen bytes. A pattern with
constructs these rules do not know is returned unchanged.
"""
from __future__ import annotations

import re
from functools import cache
from re import _constants as C  # noqa: N812 - the parser's opcodes, as the parser names them
from re import _parser

_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT)
_ATOMS = (C.LITERAL, C.NOT_LITERAL, C.IN, C.ANY, C.CATEGORY)
_CATEGORIES = {C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
               C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W"}
_AT = {C.AT_BEGINNING: "^", C.AT_END: "$", C.AT_BOUNDARY: r"\b", C.AT_NON_BOUNDARY: r"\B",
       C.AT_BEGINNING_STRING: r"\A"}
_GLOBAL_OK = C.SRE_FLAG_UNICODE | C.SRE_FLAG_IGNORECASE | C.SRE_FLAG_VERBOSE


class _Unknown(Exception):
    """A construct the rewrite does not handle: the pattern stays as written."""


@cache
def decision(pattern: str, keep: frozenset[str] = frozenset()) -> str:
    """The prefix pattern that accepts the same lines as ``pattern`` (see the module's docstring);
    the groups named in ``keep`` match what they match in ``pattern`` (the cut stops before them)."""
    try:
        tree = _parser.parse(pattern)
        if tree.state.flags & ~_GLOBAL_OK:
            raise _Unknown
        kept = frozenset(tree.state.groupdict[name] for name in keep if name in tree.state.groupdict)
        data = list(tree.data)
        items = _end(data[:-1], kept) if _is_end(data) else _anything(data, kept)
        if items is None:
            return pattern
        names = {index: name for name, index in tree.state.groupdict.items()}
        head = "(?i)" if tree.state.flags & C.SRE_FLAG_IGNORECASE else ""
        out = head + _print(items, names)
        re.compile(out)
        return out
    except (_Unknown, re.error, RecursionError):
        return pattern


def _kept(op, av, kept: frozenset[int]) -> bool:
    """Whether this item is, or holds, a group to keep."""
    if op is C.SUBPATTERN:
        return av[0] in kept or any(_kept(o, a, kept) for o, a in av[3])
    if op in _REPEATS:
        return any(_kept(o, a, kept) for o, a in av[2])
    if op is C.BRANCH:
        return any(_kept(o, a, kept) for alternative in av[1] for o, a in alternative)
    return False


def _is_end(items: list) -> bool:
    return bool(items) and items[-1] == (C.AT, C.AT_END)


def _is_dot_star(op, av) -> bool:
    return op in _REPEATS and av[0] == 0 and av[1] == C.MAXREPEAT and list(av[2]) == [(C.ANY, None)]


def _end(items: list, kept: frozenset[int]) -> list | None:
    """A prefix pattern equal to ``items`` followed by the end of the line; None if none is simpler."""
    if not items:
        return None
    op, av = items[-1]
    if _kept(op, av, kept):
        return None
    if _is_dot_star(op, av):
        return _anything(items[:-1], kept)
    if op is C.SUBPATTERN:
        inner = _end(list(av[3]), kept)
        if inner is None:
            return None
        return _anything(items[:-1] + [(C.SUBPATTERN, (*av[:3], inner))], kept)
    if op in _REPEATS and av[0] == 0 and av[1] == 1:  # (?:S)?$ is S$ or $
        inner = _end(list(av[2]), kept)
        alternative = inner if inner is not None else list(av[2]) + [(C.AT, C.AT_END)]
        return items[:-1] + [(C.BRANCH, (None, [alternative, [(C.AT, C.AT_END)]]))]
    if op is C.BRANCH:
        found = [_end(list(a), kept) for a in av[1]]
        if all(f is None for f in found):
            return None
        alternatives = [f if f is not None else list(a) + [(C.AT, C.AT_END)] for f, a in zip(found, av[1], strict=True)]
        return items[:-1] + [(C.BRANCH, (None, alternatives))]
    return None


def _anything(items: list, kept: frozenset[int]) -> list:
    """``items`` followed by anything at all, as a prefix pattern: what anything absorbs is dropped."""
    items = list(items)
    while items:
        op, av = items[-1]
        if _kept(op, av, kept):
            break
        if op in _REPEATS:
            if av[0] == 0:
                items.pop()
                continue
            items[-1] = (C.MAX_REPEAT, (av[0], av[0], av[2]))
        elif op is C.SUBPATTERN:
            inner = _anything(list(av[3]), kept)
            if not inner:
                items.pop()
                continue
            items[-1] = (C.SUBPATTERN, (*av[:3], inner))
        elif op is C.BRANCH:
            alternatives = [_anything(list(a), kept) for a in av[1]]
            if any(not a for a in alternatives):
                items.pop()
                continue
            items[-1] = (C.BRANCH, (None, alternatives))
        break
    return items


def _print(items, names: dict[int, str]) -> str:
    return "".join(_item(op, av, names) for op, av in items)


def _char(code: int, in_class: bool = False) -> str:
    ch = chr(code)
    if code < 32 or code == 127:
        return f"\\x{code:02x}"
    return "\\" + ch if ch in (r"]\^-[" if in_class else r".^$*+?{}[]\|()") else ch


def _item(op, av, names: dict[int, str]) -> str:
    if op is C.LITERAL:
        return _char(av)
    if op is C.NOT_LITERAL:
        return f"[^{_char(av, True)}]"
    if op is C.ANY:
        return "."
    if op is C.CATEGORY:
        return _CATEGORIES[av]
    if op is C.AT:
        if av not in _AT:
            raise _Unknown
        return _AT[av]
    if op is C.IN:
        if len(av) == 1 and av[0][0] is C.CATEGORY:
            return _CATEGORIES[av[0][1]]
        return "[" + "".join(_member(o, a) for o, a in av) + "]"
    if op in _REPEATS:
        lo, hi, sub = av
        sub = list(sub)
        body = _print(sub, names)
        if not (len(sub) == 1 and sub[0][0] in _ATOMS):
            body = f"(?:{body})"
        if (lo, hi) == (0, C.MAXREPEAT):
            quant = "*"
        elif (lo, hi) == (1, C.MAXREPEAT):
            quant = "+"
        elif (lo, hi) == (0, 1):
            quant = "?"
        elif lo == hi:
            quant = f"{{{lo}}}"
        elif hi == C.MAXREPEAT:
            quant = f"{{{lo},}}"
        else:
            quant = f"{{{lo},{hi}}}"
        return body + quant + ("?" if op is C.MIN_REPEAT else "")
    if op is C.SUBPATTERN:
        group, add, delete, sub = av
        if (add | delete) & ~C.SRE_FLAG_IGNORECASE:
            raise _Unknown
        body = _print(sub, names)
        if add or delete:
            flags = ("i" if add else "") + ("-i" if delete else "")
            body = f"(?{flags}:{body})"
        if group is None:
            return f"(?:{body})"
        return f"(?P<{names[group]}>{body})" if group in names else f"({body})"
    if op is C.BRANCH:
        return "(?:" + "|".join(_print(a, names) for a in av[1]) + ")"
    if op in (C.ASSERT, C.ASSERT_NOT):
        direction, sub = av
        kind = ("=" if op is C.ASSERT else "!") if direction == 1 else ("<=" if op is C.ASSERT else "<!")
        return f"(?{kind}{_print(sub, names)})"
    raise _Unknown


def _member(op, av) -> str:
    if op is C.NEGATE:
        return "^"
    if op is C.LITERAL:
        return _char(av, True)
    if op is C.RANGE:
        return f"{_char(av[0], True)}-{_char(av[1], True)}"
    if op is C.CATEGORY:
        return _CATEGORIES[av]
    raise _Unknown
