"""The template syntax customers' lines and endings use to quote memory."""

from __future__ import annotations

import pytest

from simulator.core.placeholders import TemplateError, parse, placeholders, render


def lookup(values: dict[str, object]):  # type: ignore[no-untyped-def]
    return lambda namespace, name: values.get(f"{namespace}.{name}")


def test_quotes_values_and_uses_fallbacks() -> None:
    text = "{fact.time|then}, you said, {customer.first_name}? Ref {fact.reference|pending}."
    assert render(text, lookup({"fact.time": "Thursday", "customer.first_name": "Dana"})) == (
        "Thursday, you said, Dana? Ref pending."
    )


def test_literal_braces() -> None:
    assert render("{{not a placeholder}}", lookup({})) == "{not a placeholder}"


def test_a_value_is_never_expanded_again() -> None:
    typed = "{fact.reference} {{x}} \x1b[31m" + "y" * 200
    shown = render("You said {fact.time}.", lookup({"fact.time": typed, "fact.reference": "SECRET"}))
    assert "SECRET" not in shown and "{" not in shown and "\x1b" not in shown
    assert len(shown) < 80


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("Hello {name}", 6, "does not start a placeholder"),
        ("Hello {fact.weather}", 12, "unknown fact"),
        ("Hello {os.system}", 7, "unknown placeholder namespace"),
        ("Hello {customer.__class__}", 16, "unknown customer field"),
        ("Hello {fact.time.__len__}", 6, "does not start a placeholder"),
        ("Hello {0}", 6, "does not start a placeholder"),
        ("Hello }", 6, "no '{'"),
        ("Hello {fact.time", 6, "does not start a placeholder"),
    ],
)
def test_bad_templates_are_errors_with_a_column(text: str, offset: int, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse(text)
    assert caught.value.offset == offset and message in caught.value.message


def test_unvalidated_bad_template_shows_no_raw_braces() -> None:
    shown = render("Hi {name}, see you {fact.time}", lookup({"fact.time": "Friday"}))
    assert "{" not in shown and "}" not in shown


def test_placeholders_lists_what_a_line_quotes() -> None:
    found = placeholders("{fact.time|soon} and {var.count}")
    assert [(p.key, p.fallback) for p in found] == [("fact.time", "soon"), ("var.count", None)]
