"""Translatable messages: a template in English plus named parameters.

Rules build messages as `T("the fee `{name}` is ...", name=fee.name)`. The
English text is the message id of the catalogues in `reports/locale/`; the
parameters (campaign text, amounts) are never translated. `str(T(...))` is
the English message used in JSON, SARIF and JUnit output.
"""

from __future__ import annotations

from collections.abc import Callable

Gettext = Callable[[str], str]


def _identity(text: str) -> str:
    return text


class T:
    __slots__ = ("template", "params")

    def __init__(self, template: str, **params):
        self.template = template
        self.params = params

    def render(self, gettext: Gettext | None = None) -> str:
        gettext = gettext or _identity
        values = {key: render_value(value, gettext) for key, value in self.params.items()}
        return gettext(self.template).format(**values)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"T({self.template!r}, **{self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, T) and (self.template, self.params) == (other.template, other.params)

    def __hash__(self) -> int:
        return hash((self.template, tuple(sorted((k, str(v)) for k, v in self.params.items()))))


class Join:
    """A list of messages joined with a translatable separator (", " or "、")."""

    __slots__ = ("items", "separator")

    def __init__(self, items, separator: str = ", "):
        self.items = list(items)
        self.separator = separator

    def render(self, gettext: Gettext | None = None) -> str:
        gettext = gettext or _identity
        return gettext(self.separator).join(render_value(i, gettext) for i in self.items)

    def __str__(self) -> str:
        return self.render()

    def __eq__(self, other) -> bool:
        return isinstance(other, Join) and (self.items, self.separator) == (other.items, other.separator)

    def __hash__(self) -> int:
        return hash((tuple(str(i) for i in self.items), self.separator))


def render_value(value, gettext: Gettext) -> str:
    if isinstance(value, (T, Join)):
        return value.render(gettext)
    return str(value)
