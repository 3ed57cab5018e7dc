"""The part of RFC 8941 (Structured Field Values) that RFC 9421 signatures need.

Parses dictionaries whose members are items or inner lists, with parameters, and serializes inner
lists back (the ``@signature-params`` line is the serialization of the signature's inner list).
Follows the parsing algorithms of https://www.rfc-editor.org/rfc/rfc8941#section-4.2.
"""

from __future__ import annotations

import base64
import binascii
import re
import string
from dataclasses import dataclass, field

KEY_START = string.ascii_lowercase + "*"
KEY_CHARS = KEY_START + string.digits + "_-."
TOKEN_START = string.ascii_letters + "*"
TOKEN_CHARS = TOKEN_START + string.digits + "!#$%&'+-.^_`|~:/"
BASE64 = re.compile(r"[A-Za-z0-9+/=]*")
NUMBER = re.compile(r"-?\d{1,15}(\.\d{1,3})?")


class StructuredError(ValueError):
    """The field is not a well-formed structured field."""


class Token(str):
    """An RFC 8941 token (an unquoted word), as opposed to a string."""


@dataclass(frozen=True)
class Item:
    value: object  # int, float, str, Token, bytes or bool
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class InnerList:
    items: list[Item]
    params: dict[str, object] = field(default_factory=dict)


class _Parser:
    def __init__(self, text: str):
        self.text, self.pos = text, 0

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def take(self, expected: str) -> None:
        if self.peek() != expected:
            raise StructuredError(f"expected {expected!r} at {self.pos} in {self.text!r}")
        self.pos += 1

    def skip(self, chars: str = " \t") -> None:
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def dictionary(self) -> dict[str, Item | InnerList]:
        members: dict[str, Item | InnerList] = {}
        self.skip(" ")
        while self.peek():
            name = self.key()
            if self.peek() == "=":
                self.pos += 1
                members[name] = self.member()
            else:
                members[name] = Item(True, self.parameters())
            self.skip()
            if not self.peek():
                break
            self.take(",")
            self.skip()
            if not self.peek():
                raise StructuredError("trailing comma")
        return members

    def member(self) -> Item | InnerList:
        if self.peek() == "(":
            return self.inner_list()
        return Item(self.bare_item(), self.parameters())

    def inner_list(self) -> InnerList:
        self.take("(")
        items = []
        while True:
            self.skip(" ")
            if self.peek() == ")":
                self.pos += 1
                return InnerList(items, self.parameters())
            items.append(Item(self.bare_item(), self.parameters()))
            if self.peek() not in (" ", ")"):
                raise StructuredError(f"bad inner list in {self.text!r}")

    def parameters(self) -> dict[str, object]:
        params: dict[str, object] = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip(" ")
            name = self.key()
            value: object = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare_item()
            params[name] = value
        return params

    def key(self) -> str:
        return self.word(KEY_START, KEY_CHARS, "key")

    def word(self, start: str, chars: str, what: str) -> str:
        begin = self.pos
        if not self.peek() or self.peek() not in start:
            raise StructuredError(f"expected a {what} at {self.pos} in {self.text!r}")
        while self.peek() and self.peek() in chars:
            self.pos += 1
        return self.text[begin : self.pos]

    def bare_item(self) -> object:
        char = self.peek()
        if char == '"':
            return self.quoted()
        if char == ":":
            return self.byte_sequence()
        if char == "?":
            return self.boolean()
        if char == "-" or char.isdigit():
            return self.number()
        return Token(self.word(TOKEN_START, TOKEN_CHARS, "token"))

    def quoted(self) -> str:
        self.take('"')
        out = []
        while True:
            char = self.peek()
            self.pos += 1
            if char == "\\" and self.peek() in ('"', "\\"):
                out.append(self.peek())
                self.pos += 1
            elif char == '"':
                return "".join(out)
            elif char and " " <= char <= "~" and char != "\\":
                out.append(char)
            else:
                raise StructuredError(f"bad string in {self.text!r}")

    def byte_sequence(self) -> bytes:
        self.take(":")
        encoded = BASE64.match(self.text, self.pos).group()
        self.pos += len(encoded)
        self.take(":")
        try:
            return base64.b64decode(encoded, validate=True)
        except binascii.Error as exc:
            raise StructuredError(f"bad byte sequence in {self.text!r}") from exc

    def boolean(self) -> bool:
        self.take("?")
        value = self.peek()
        if value not in ("0", "1"):
            raise StructuredError(f"bad boolean in {self.text!r}")
        self.pos += 1
        return value == "1"

    def number(self) -> int | float:
        match = NUMBER.match(self.text, self.pos)
        if match is None:
            raise StructuredError(f"bad number in {self.text!r}")
        self.pos = match.end()
        return float(match.group()) if match.group(1) else int(match.group())


def parse_dictionary(text: str) -> dict[str, Item | InnerList]:
    """A Dictionary field value; StructuredError when it is not one."""
    return _Parser(text).dictionary()


def serialize_bare_item(value: object) -> str:
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, bytes):
        return f":{base64.b64encode(value).decode()}:"
    if isinstance(value, Token):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def serialize_params(params: dict[str, object]) -> str:
    return "".join(
        f";{name}" if value is True else f";{name}={serialize_bare_item(value)}"
        for name, value in params.items()
    )


def serialize_item(item: Item) -> str:
    return serialize_bare_item(item.value) + serialize_params(item.params)


def serialize_inner_list(inner: InnerList) -> str:
    members = " ".join(serialize_item(item) for item in inner.items)
    return f"({members}){serialize_params(inner.params)}"
