"""The bit-vector Levenshtein distance equals the textbook dynamic programme."""

from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.core.levenshtein import levenshtein


def textbook(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def test_known_distances():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("flaw", "lawn") == 2
    assert levenshtein("数👍🏽e\u0301", "数👍e\u0301!") == 2  # one skin tone gone, one mark added


words = st.text(alphabet="abc数👍\u0301 ", max_size=40)


@settings(deadline=None)
@given(a=words, b=words)
def test_equals_the_dynamic_programme(a, b):
    assert levenshtein(a, b) == textbook(a, b)


@settings(max_examples=min(50, settings.default.max_examples), deadline=None)
@given(a=st.text(alphabet="ab", min_size=65, max_size=200), b=st.text(alphabet="ab", max_size=200))
def test_patterns_longer_than_a_machine_word(a, b):
    assert levenshtein(a, b) == textbook(a, b)
