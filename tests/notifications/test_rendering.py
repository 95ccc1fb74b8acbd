import pytest

from notifications import rendering


def test_render_fills_placeholders():
    assert rendering.render("Hi {name}, see {url}", {"name": "Ada", "url": "https://x"}) == "Hi Ada, see https://x"


def test_render_keeps_doubled_braces_literal():
    assert rendering.render("{{literal}} {name}", {"name": "Ada"}) == "{literal} Ada"


def test_render_does_not_reach_attributes_of_values():
    with pytest.raises(rendering.TemplateSyntaxError, match="not a placeholder"):
        rendering.render("{name.__class__}", {"name": "Ada"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Hi {name", "A { is never closed"),
        ("Hi name}", "A } has no matching {"),
        ("Hi {}", "Empty placeholder"),
        ("Hi {name!r}", "not a placeholder"),
        ("Hi {name:>10}", "not a placeholder"),
        ("Hi {names[0]}", "not a placeholder"),
    ],
)
def test_check_refuses_bad_syntax(text, message):
    with pytest.raises(rendering.TemplateSyntaxError, match=message):
        rendering.check(text, ["name"])


def test_check_names_the_unknown_placeholder_and_the_offered_ones():
    with pytest.raises(rendering.TemplateSyntaxError) as error:
        rendering.check("Hi {nmae}", ["name"])

    assert str(error.value) == "Unknown placeholder {nmae}. This event offers: {name}."


def test_render_except_keeps_the_named_placeholders_and_every_other_brace():
    template = rendering.render_except("{startup} {{literal}}: {link}", {"startup": "Acme {AI}"}, kept=["link"])

    assert rendering.render(template, {"link": "https://x.example/t/"}) == "Acme {AI} {literal}: https://x.example/t/"
