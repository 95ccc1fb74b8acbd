import pytest

from applicants import identity
from tests.factories import StartupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pattern():
    startup = StartupFactory(name="Zorblax Asfxg Labs", website="https://www.zorblax.ai/about")
    terms = identity.identity_terms(startup, people=[("Ada Quimby", "ada@zorblax-mail.example"), ("Li Wu", "li@x.io")])
    return identity.identity_pattern(terms)


@pytest.mark.parametrize(
    "written",
    ["Zorblax Asfxg Labs", "ZorblaxAsfxgLabs", "zorblax-asfxg-labs", "ZORBLAX_ASFXG.LABS"],
)
def test_the_startup_s_name_is_found_however_it_is_written(pattern, written):
    assert identity.mask(f"At {written}, we ship.", pattern) == f"At {identity.MASK}, we ship."


def test_a_name_run_into_another_word_is_found_where_the_case_changes(pattern):
    assert identity.mask("ZorblaxAsfxgLabsAI and QuimbyCorp", pattern) == f"{identity.MASK}AI and {identity.MASK}Corp"


@pytest.mark.parametrize("written", ["Quimby", "ADA", "zorblax.ai", "zorblax", "ada@zorblax-mail.example"])
def test_each_name_domain_and_address_is_found_on_its_own(pattern, written):
    assert identity.mask(f"Ask {written} today", pattern) == f"Ask {identity.MASK} today"


@pytest.mark.parametrize("text", ["Adam and Adams adapt", "a data lab", "Li and Wu", "zorblaxian", "labs"])
def test_words_that_only_contain_a_term_or_are_too_short_are_left_alone(pattern, text):
    assert identity.mask(text, pattern) == text


def test_a_webmail_domain_is_left_readable_while_the_address_is_masked():
    startup = StartupFactory(name="Zorblax Labs", website="")
    terms = identity.identity_terms(startup, people=[("Ada Quimby", "ada.q@gmail.com")])

    masked = identity.mask(
        "Write to ada.q@gmail.com; we sync with gmail.com and Gmail", identity.identity_pattern(terms)
    )

    assert masked == f"Write to {identity.MASK}; we sync with gmail.com and Gmail"
