"""TOML loading for house-backend.

Build environments hold nothing but ``build-system.requires``, and
house-backend requires nothing, so on Python < 3.11 (no ``tomllib``) there is
usually no TOML library to import.  This module then falls back to a small
parser that understands the part of TOML that ``pyproject.toml`` files use in
practice: tables, arrays of tables, dotted and quoted keys, strings (all four
kinds), integers, floats, booleans, arrays and inline tables.  Dates and
times, and non-decimal or special numbers (0x.., inf, nan), are rejected with
a clear error rather than guessed at.
"""

import re

try:  # Python 3.11+
    import tomllib as _tomllib
except ImportError:  # pragma: no cover - depends on the interpreter
    try:
        import tomli as _tomllib  # type: ignore[no-redef]
    except ImportError:
        _tomllib = None


class TOMLError(ValueError):
    """The document is not valid TOML (or uses a feature the fallback lacks)."""


def loads(text):
    """Parse a TOML document into plain dicts/lists/scalars."""
    if _tomllib is not None:
        try:
            return _tomllib.loads(text)
        except _tomllib.TOMLDecodeError as exc:
            raise TOMLError(str(exc)) from None
    return _Parser(text).parse()


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_NUMBER = re.compile(r"[+-]?(?:0|[1-9](?:_?[0-9])*)(\.[0-9](?:_?[0-9])*)?([eE][+-]?[0-9](?:_?[0-9])*)?")
_QUOTE_RUN = {'"': re.compile('"*'), "'": re.compile("'*")}
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _Parser:
    """A recursive-descent parser over the whole text; ``self.i`` is the cursor."""

    def __init__(self, text):
        self.s = text.replace("\r\n", "\n")
        self.i = 0

    # -- helpers -----------------------------------------------------------
    def error(self, message):
        line = self.s.count("\n", 0, self.i) + 1
        raise TOMLError("%s (at line %d)" % (message, line))

    def peek(self, n=1):
        return self.s[self.i:self.i + n]

    def expect(self, token):
        if not self.s.startswith(token, self.i):
            self.error("expected %r" % token)
        self.i += len(token)

    def skip_space(self):
        while self.peek() in (" ", "\t"):
            self.i += 1

    def skip_comment(self):
        if self.peek() == "#":
            end = self.s.find("\n", self.i)
            self.i = len(self.s) if end < 0 else end

    def skip_blank(self):
        """Whitespace, comments and newlines (between statements / array items)."""
        while self.i < len(self.s):
            self.skip_space()
            self.skip_comment()
            if self.peek() != "\n":
                return
            self.i += 1

    def end_of_line(self):
        self.skip_space()
        self.skip_comment()
        if self.i < len(self.s):
            self.expect("\n")

    # -- document ----------------------------------------------------------
    def parse(self):
        root = {}
        table = root
        while True:
            self.skip_blank()
            if self.i >= len(self.s):
                return root
            if self.s.startswith("[[", self.i):
                self.i += 2
                keys = self.key()
                self.expect("]]")
                array = self.descend(root, keys[:-1]).setdefault(keys[-1], [])
                if not isinstance(array, list):
                    self.error("%s is not an array of tables" % ".".join(keys))
                table = {}
                array.append(table)
            elif self.peek() == "[":
                self.i += 1
                table = self.descend(root, self.key())
                self.expect("]")
            else:
                keys = self.key()
                self.expect("=")
                self.skip_space()
                value = self.value()
                target = self.descend(table, keys[:-1])
                if keys[-1] in target:
                    self.error("duplicate key %r" % ".".join(keys))
                target[keys[-1]] = value
            self.end_of_line()

    def descend(self, table, keys):
        for key in keys:
            table = table.setdefault(key, {})
            if isinstance(table, list):  # [[x]] followed by [x.y]: use the last element
                table = table[-1]
            if not isinstance(table, dict):
                self.error("key %r is not a table" % key)
        return table

    def key(self):
        parts = []
        while True:
            self.skip_space()
            if self.peek() in ('"', "'"):
                parts.append(self.string())
            else:
                match = _BARE_KEY.match(self.s, self.i)
                if not match:
                    self.error("invalid key")
                parts.append(match.group())
                self.i = match.end()
            self.skip_space()
            if self.peek() != ".":
                return parts
            self.i += 1

    # -- values ------------------------------------------------------------
    def value(self):
        char = self.peek()
        if char in ('"', "'"):
            return self.string()
        if char == "[":
            return self.array()
        if char == "{":
            return self.inline_table()
        for word, result in (("true", True), ("false", False)):
            if self.s.startswith(word, self.i):
                self.i += len(word)
                return result
        match = _NUMBER.match(self.s, self.i)
        # A number followed by '-' or ':' is a date/time, which we do not support.
        if match and self.s[match.end():match.end() + 1] not in ("-", ":"):
            self.i = match.end()
            text = match.group().replace("_", "")
            return float(text) if (match.group(1) or match.group(2)) else int(text)
        self.error("unsupported or invalid value (house-backend's fallback TOML "
                   "parser; use Python 3.11+ for full TOML)")

    def array(self):
        self.expect("[")
        items = []
        while True:
            self.skip_blank()
            if self.peek() == "]":
                self.i += 1
                return items
            items.append(self.value())
            self.skip_blank()
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != "]":
                self.error("expected ',' or ']' in array")

    def inline_table(self):
        self.expect("{")
        table = {}
        self.skip_space()
        if self.peek() == "}":
            self.i += 1
            return table
        while True:
            keys = self.key()
            self.expect("=")
            self.skip_space()
            target = self.descend(table, keys[:-1])
            if keys[-1] in target:
                self.error("duplicate key %r" % ".".join(keys))
            target[keys[-1]] = self.value()
            self.skip_space()
            if self.peek() == "}":
                self.i += 1
                return table
            self.expect(",")

    def string(self):
        for quote in ('"""', "'''"):
            if self.s.startswith(quote, self.i):
                return self.multiline_string(quote)
        quote = self.peek()
        self.i += 1
        chars = []
        while True:
            char = self.peek()
            if char in ("", "\n"):
                self.error("unterminated string")
            self.i += 1
            if char == quote:
                return "".join(chars)
            if char == "\\" and quote == '"':
                chars.append(self.escape())
            else:
                chars.append(char)

    def multiline_string(self, quote):
        self.i += 3
        if self.peek() == "\n":  # a newline right after the opening quotes is trimmed
            self.i += 1
        chars = []
        while True:
            if self.i >= len(self.s):
                self.error("unterminated multi-line string")
            # The closing delimiter may be preceded by up to two quotes that
            # belong to the content: """a""""" is 'a""'.
            run = len(_QUOTE_RUN[quote[0]].match(self.s, self.i).group())
            if run >= 3:
                if run > 5:
                    self.error("too many quotes at the end of a multi-line string")
                chars.append(quote[0] * (run - 3))
                self.i += run
                return "".join(chars)
            char = self.s[self.i]
            self.i += 1
            if char == "\\" and quote == '"""':
                rest = self.s[self.i:self.s.find("\n", self.i) + 1 or len(self.s)]
                if rest.strip(" \t") in ("\n", ""):  # line-ending backslash: trim whitespace
                    while self.peek() in (" ", "\t", "\n"):
                        self.i += 1
                else:
                    chars.append(self.escape())
            else:
                chars.append(char)

    def escape(self):
        char = self.peek()
        self.i += 1
        if char in _ESCAPES:
            return _ESCAPES[char]
        if char in ("u", "U"):
            width = 4 if char == "u" else 8
            digits = self.s[self.i:self.i + width]
            if not re.fullmatch(r"[0-9A-Fa-f]{%d}" % width, digits):
                self.error("invalid unicode escape")
            self.i += width
            return chr(int(digits, 16))
        self.error("invalid escape sequence \\%s" % char)
