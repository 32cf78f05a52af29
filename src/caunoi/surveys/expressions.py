"""The XPath subset XLSForm uses, parsed and evaluated in Python.

The browser's copy (static/surveys/expressions.js) follows the same grammar and semantics; both
are tested against one table of cases (tests/surveys/expression_cases.json).

Values are strings (answers, as XForms stores them), numbers (float) or booleans. Conversions
follow XPath 1.0: `=` compares as booleans if either side is one, else as numbers if either side
is one, else as strings; `<` and friends compare as numbers, where a date "YYYY-MM-DD" counts
as its day number so dates compare with today()."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

Value = str | float | bool
Node = tuple[Any, ...]  # ("num", float) ("str", s) ("ref", name) ("path", name) ("cur",) ("neg", n)
# ("bin", op, left, right) ("call", name, [args])


class ExpressionError(ValueError):
    """The expression does not parse; the message says where."""


_TOKEN = re.compile(
    r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?|\.\d+)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<ref>\$\{[A-Za-z_][\w.-]*\})
  | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.\.|\.|/)
  | (?P<name>[A-Za-z_][\w.-]*)
)""",
    re.VERBOSE,
)

FUNCTIONS: dict[str, tuple[int, int]] = {
    # name: (fewest, most) arguments; -1 is any number
    "selected": (2, 2),
    "count-selected": (1, 1),
    "string-length": (1, 1),
    "regex": (2, 2),
    "if": (3, 3),
    "coalesce": (2, 2),
    "concat": (1, -1),
    "today": (0, 0),
    "not": (1, 1),
    "true": (0, 0),
    "false": (0, 0),
    "number": (1, 1),
    "string": (1, 1),
    "int": (1, 1),
}


def _tokens(text: str) -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    at = 0
    while at < len(text):
        if text[at:].strip() == "":
            break
        match = _TOKEN.match(text, at)
        if match is None or match.end() == at:
            position = at + len(text[at:]) - len(text[at:].lstrip())
            raise ExpressionError(
                _("không hiểu ký tự “%(char)s” ở vị trí %(at)d")
                % {"char": text[position], "at": position + 1}
            )
        kind = match.lastgroup or ""
        found.append((kind, match.group(kind), match.start(kind)))
        at = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        if token is None:
            raise ExpressionError(_("biểu thức kết thúc giữa chừng"))
        self.at += 1
        return token

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "name" and token[1] in words

    def is_op(self, *ops: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] in ops

    def expect(self, op: str) -> None:
        token = self.take()
        if token[0] != "op" or token[1] != op:
            raise ExpressionError(
                _("cần “%(op)s” ở vị trí %(at)d, gặp “%(got)s”")
                % {"op": op, "at": token[2] + 1, "got": token[1]}
            )

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError(_("biểu thức trống"))
        node = self.or_()
        token = self.peek()
        if token is not None:
            raise ExpressionError(
                _("thừa “%(got)s” ở vị trí %(at)d") % {"got": token[1], "at": token[2] + 1}
            )
        return node

    def or_(self) -> Node:
        node = self.and_()
        while self.is_word("or"):
            self.take()
            node = ("bin", "or", node, self.and_())
        return node

    def and_(self) -> Node:
        node = self.equality()
        while self.is_word("and"):
            self.take()
            node = ("bin", "and", node, self.equality())
        return node

    def equality(self) -> Node:
        node = self.relational()
        while self.is_op("=", "!="):
            op = self.take()[1]
            node = ("bin", op, node, self.relational())
        return node

    def relational(self) -> Node:
        node = self.additive()
        while self.is_op("<", "<=", ">", ">="):
            op = self.take()[1]
            node = ("bin", op, node, self.additive())
        return node

    def additive(self) -> Node:
        node = self.multiplicative()
        while self.is_op("+", "-"):
            op = self.take()[1]
            node = ("bin", op, node, self.multiplicative())
        return node

    def multiplicative(self) -> Node:
        node = self.unary()
        while self.is_op("*") or self.is_word("div", "mod"):
            op = self.take()[1]
            node = ("bin", op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.is_op("-"):
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self) -> Node:
        kind, text, position = self.take()
        if kind == "num":
            return ("num", float(text))
        if kind == "str":
            return ("str", text[1:-1])
        if kind == "ref":
            return ("ref", text[2:-1])
        if kind == "op" and text == "(":
            node = self.or_()
            self.expect(")")
            return node
        if kind == "op" and text in (".", "..", "/"):
            return self.path(text, position)
        if kind == "name":
            if self.is_op("("):
                return self.call(text, position)
            return self.path(text, position)
        raise ExpressionError(
            _("không mong đợi “%(got)s” ở vị trí %(at)d") % {"got": text, "at": position + 1}
        )

    def path(self, first: str, position: int) -> Node:
        steps = [first]
        wants_step = first == "/"
        while True:
            token = self.peek()
            if wants_step:
                if token is None or not (
                    (token[0] == "name" and token[1] not in FUNCTIONS)
                    or (token[0] == "op" and token[1] in (".", ".."))
                ):
                    raise ExpressionError(_("đường dẫn sai ở vị trí %(at)d") % {"at": position + 1})
                steps.append(self.take()[1])
                wants_step = False
            elif self.is_op("/"):
                self.take()
                wants_step = True
            else:
                break
        last = steps[-1]
        if last == ".":
            return ("cur",)
        if last == "..":
            raise ExpressionError(_("đường dẫn sai ở vị trí %(at)d") % {"at": position + 1})
        return ("path", last)

    def call(self, name: str, position: int) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(
                _("hàm “%(name)s” không được hỗ trợ (vị trí %(at)d)")
                % {"name": name, "at": position + 1}
            )
        self.expect("(")
        args: list[Node] = []
        if not self.is_op(")"):
            args.append(self.or_())
            while self.is_op(","):
                self.take()
                args.append(self.or_())
        self.expect(")")
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most >= 0 and len(args) > most):
            raise ExpressionError(
                _("hàm “%(name)s” nhận sai số đối số (%(n)d)") % {"name": name, "n": len(args)}
            )
        return ("call", name, args)


_CACHE: dict[str, Node] = {}


def parse(text: str) -> Node:
    """The syntax tree of `text`; ExpressionError says what does not parse."""
    node = _CACHE.get(text)
    if node is None:
        node = _Parser(text).parse()
        if len(_CACHE) < 10_000:
            _CACHE[text] = node
    return node


def references(node: Node) -> set[str]:
    """The ${name} references in a tree."""
    if node[0] == "ref":
        return {node[1]}
    found: set[str] = set()
    for part in node[1:]:
        if isinstance(part, tuple):
            found |= references(part)
        elif isinstance(part, list):
            for arg in part:
                found |= references(arg)
    return found


# --- values -------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^\s*-?(\d+(\.\d*)?|\.\d+)\s*$")
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_EPOCH = date(1970, 1, 1).toordinal()


def to_number(value: Value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if _NUMBER.match(value):
        return float(value)
    day = _DATE.match(value)
    if day:
        try:
            return float(date(*(int(p) for p in day.groups())).toordinal() - _EPOCH)
        except ValueError:
            return math.nan
    return math.nan


def to_string(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == int(value) and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return value


def to_bool(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return not (value == 0 or math.isnan(value))
    return value != ""


def _equal(left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_bool(left) == to_bool(right)
    if isinstance(left, float) or isinstance(right, float):
        return to_number(left) == to_number(right)
    return left == right


def _divide(left: float, right: float) -> float:
    if right == 0:
        if left == 0 or math.isnan(left):
            return math.nan
        return math.inf if (left > 0) == (math.copysign(1, right) > 0) else -math.inf
    return left / right


def _modulo(left: float, right: float) -> float:
    if right == 0 or math.isinf(left) or math.isnan(left) or math.isnan(right):
        return math.nan
    if math.isinf(right):
        return left
    return math.fmod(left, right)


def _int(value: float) -> float:
    if math.isnan(value) or math.isinf(value):
        return value
    return float(math.trunc(value))


@dataclass
class Context:
    values: Mapping[str, str]
    current: str = ""
    today: date = field(default_factory=date.today)
    item: Mapping[str, str] | None = None  # a choice row, for choice_filter


def evaluate(node: Node, context: Context) -> Value:
    kind = node[0]
    if kind == "num":
        return float(node[1])
    if kind == "str":
        return str(node[1])
    if kind == "ref":
        return context.values.get(node[1], "")
    if kind == "path":
        if context.item is not None and node[1] in context.item:
            return context.item[node[1]]
        return context.values.get(node[1], "")
    if kind == "cur":
        return context.current
    if kind == "neg":
        return -to_number(evaluate(node[1], context))
    if kind == "bin":
        return _binary(node[1], node[2], node[3], context)
    return _call(node[1], node[2], context)


def _binary(op: str, left_node: Node, right_node: Node, context: Context) -> Value:
    if op == "or":
        return to_bool(evaluate(left_node, context)) or to_bool(evaluate(right_node, context))
    if op == "and":
        return to_bool(evaluate(left_node, context)) and to_bool(evaluate(right_node, context))
    left, right = evaluate(left_node, context), evaluate(right_node, context)
    if op == "=":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    a, b = to_number(left), to_number(right)
    operations: dict[str, Callable[[float, float], Value]] = {
        "<": lambda x, y: x < y,
        "<=": lambda x, y: x <= y,
        ">": lambda x, y: x > y,
        ">=": lambda x, y: x >= y,
        "+": lambda x, y: x + y,
        "-": lambda x, y: x - y,
        "*": lambda x, y: x * y,
        "div": _divide,
        "mod": _modulo,
    }
    try:
        return operations[op](a, b)
    except OverflowError:
        return math.nan


def _call(name: str, args: list[Node], context: Context) -> Value:
    if name == "if":
        chosen = args[1] if to_bool(evaluate(args[0], context)) else args[2]
        return evaluate(chosen, context)
    values = [evaluate(arg, context) for arg in args]
    if name == "selected":
        return to_string(values[1]).strip() in to_string(values[0]).split()
    if name == "count-selected":
        return float(len(to_string(values[0]).split()))
    if name == "string-length":
        return float(len(to_string(values[0])))
    if name == "regex":
        try:
            return re.search(to_string(values[1]), to_string(values[0])) is not None
        except re.error:
            return False
    if name == "coalesce":
        first = to_string(values[0])
        return first if first != "" else to_string(values[1])
    if name == "concat":
        return "".join(to_string(v) for v in values)
    if name == "today":
        return context.today.isoformat()
    if name == "not":
        return not to_bool(values[0])
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "number":
        return to_number(values[0])
    if name == "string":
        return to_string(values[0])
    return _int(to_number(values[0]))  # int


def run(text: str, context: Context) -> Value:
    return evaluate(parse(text), context)
