"""Demo tasks for the code project: a function to write, its tests, and a flawed model draft."""
# ruff: noqa: E501 - a prompt paragraph is one line, as a requester writes it

# Each draft is plausible model output that fails its tests or the prompt in a way worth a
# reviewer's note: an off-by-one, a mutable default, a needless class, lying comments, a
# missing edge case.

CHUNK_PROMPT = '''Write a function `chunk(items: list, size: int) -> list[list]` that splits `items` into consecutive lists of length `size`; the last list may be shorter. A `size` below 1 raises `ValueError`.

It must pass these tests:

```python
import pytest

def test_even_split():
    assert chunk([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]

def test_last_chunk_is_shorter():
    assert chunk([1, 2, 3, 4, 5], 2) == [[1, 2], [3, 4], [5]]

def test_empty():
    assert chunk([], 3) == []

def test_size_must_be_positive():
    with pytest.raises(ValueError):
        chunk([1, 2], 0)
```
'''

CHUNK_DRAFT = '''def chunk(items: list, size: int) -> list[list]:
    """Split items into chunks of the given size."""
    if size < 0:
        raise ValueError("size must be positive")
    chunks = []
    # Loop over the list in steps of size, stopping one before the end
    # so that we never slice past the last element.
    for start in range(0, len(items) - 1, size):
        chunks.append(items[start:start + size])
    return chunks
'''

ADD_TAG_PROMPT = '''Write `add_tag(tag: str, tags: list[str] | None = None) -> list[str]` that returns a new list: `tags` with `tag` appended, unless it is already there (compare case-insensitively and keep the spelling already present). It must not modify the list it is given.

It must pass these tests:

```python
def test_adds_to_nothing():
    assert add_tag("python") == ["python"]

def test_calls_are_independent():
    add_tag("a")
    assert add_tag("b") == ["b"]

def test_ignores_duplicates_case_insensitively():
    assert add_tag("python", ["Python", "django"]) == ["Python", "django"]

def test_does_not_modify_its_argument():
    tags = ["x"]
    add_tag("y", tags)
    assert tags == ["x"]
```
'''

ADD_TAG_DRAFT = '''def add_tag(tag: str, tags: list[str] = []) -> list[str]:
    # Default to an empty list so callers don't have to pass one.
    if tag.lower() not in tags:
        tags.append(tag)
    return tags
'''

WORD_FREQUENCIES_PROMPT = '''Write `word_frequencies(text: str) -> dict[str, int]` that counts how often each word occurs. A word is a run of letters, digits and apostrophes; counting ignores case. Return the counts with the most frequent word first (ties: in order of first appearance).

It must pass these tests:

```python
def test_counts_ignore_case():
    assert word_frequencies("The cat and the hat") == {"the": 2, "cat": 1, "and": 1, "hat": 1}

def test_most_frequent_first():
    assert list(word_frequencies("b a b c b a")) == ["b", "a", "c"]

def test_punctuation_is_not_a_word():
    assert word_frequencies("Wait... what?! Don't.") == {"wait": 1, "what": 1, "don't": 1}

def test_numbers_are_words():
    assert word_frequencies("3 cats, 3 dogs") == {"3": 2, "cats": 1, "dogs": 1}

def test_empty():
    assert word_frequencies("") == {}
```
'''

WORD_FREQUENCIES_DRAFT = '''import re


class WordFrequencyCounter:
    """A reusable, extensible class for counting word frequencies."""

    def __init__(self, text: str, case_sensitive: bool = False):
        self.text = text
        self.case_sensitive = case_sensitive
        self.counts = {}

    def tokenize(self) -> list[str]:
        # Split the text on whitespace to get the words.
        return re.findall(r"[A-Za-z']+", self.text)

    def count(self) -> None:
        for word in self.tokenize():
            if not self.case_sensitive:
                word = word.lower()
            # Increment the count for this word.
            if word in self.counts:
                self.counts[word] += 1
            else:
                self.counts[word] = 1

    def sorted_counts(self) -> dict[str, int]:
        # Sort alphabetically so the output is deterministic.
        return dict(sorted(self.counts.items(), key=lambda kv: kv[1], reverse=True))


def word_frequencies(text: str) -> dict[str, int]:
    counter = WordFrequencyCounter(text)
    counter.count()
    return counter.sorted_counts()
'''

MOVING_AVERAGE_PROMPT = '''Write `moving_average(values: list[float], window: int) -> list[float]` that returns the mean of each run of `window` consecutive values, in order. If `window` is larger than the number of values, return an empty list. A `window` below 1 raises `ValueError`.

It must pass these tests:

```python
import pytest

def test_window_of_two():
    assert moving_average([1, 2, 3, 4], 2) == [1.5, 2.5, 3.5]

def test_window_equals_length():
    assert moving_average([2, 4, 6], 3) == [4.0]

def test_window_longer_than_values():
    assert moving_average([1, 2], 3) == []

def test_window_must_be_positive():
    with pytest.raises(ValueError):
        moving_average([1, 2, 3], 0)
```
'''

MOVING_AVERAGE_DRAFT = '''def moving_average(values: list[float], window: int) -> list[float]:
    """Return the moving average of values over the given window."""
    averages = []
    running_total = sum(values[:window])
    averages.append(running_total / window)
    # Slide the window one step at a time, adding the new value and
    # dropping the old one, so each step is O(1).
    for i in range(window, len(values)):
        running_total += values[i] - values[i - window]
        averages.append(running_total / window)
    return averages
'''

PARSE_DURATION_PROMPT = '''Write `parse_duration(text: str) -> int` that turns durations such as `"1h30m"`, `"45s"` or `"2h5s"` into a number of seconds. The units are `h`, `m` and `s`, each used at most once and in that order. Anything else, including an empty string, raises `ValueError`.

It must pass these tests:

```python
import pytest

def test_hours_and_minutes():
    assert parse_duration("1h30m") == 5400

def test_seconds_only():
    assert parse_duration("45s") == 45

def test_skipped_unit():
    assert parse_duration("2h5s") == 7205

@pytest.mark.parametrize("bad", ["", "5", "1m2h", "1x", "h"])
def test_rejects_malformed(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)
```
'''

PARSE_DURATION_DRAFT = '''import re

# Multipliers that convert each unit into milliseconds.
UNITS = {"h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> int:
    """Parse a duration string such as "1h30m" into seconds."""
    total = 0
    # The regex makes sure the whole string is a valid duration.
    for amount, unit in re.findall(r"(\\d+)([hms])", text):
        total += int(amount) * UNITS[unit]
    return total
'''

MEDIAN_PROMPT = '''Write `median(values: list[float]) -> float` that returns the median of a non-empty list (for an even count, the mean of the two middle values). It must not reorder the caller's list. An empty list raises `ValueError`.

It must pass these tests:

```python
import pytest

def test_odd_count():
    assert median([3, 1, 2]) == 2

def test_even_count_averages_the_middle_pair():
    assert median([4, 1, 3, 2]) == 2.5

def test_caller_list_is_untouched():
    values = [3, 1, 2]
    median(values)
    assert values == [3, 1, 2]

def test_empty_raises():
    with pytest.raises(ValueError):
        median([])
```
'''

MEDIAN_DRAFT = '''def median(values: list[float]) -> float:
    """Return the median of values."""
    # Sort first: the middle is only meaningful in sorted order.
    values.sort()
    middle = len(values) // 2
    if len(values) % 2 == 0:
        # middle is the lower of the two middle indexes here.
        return (values[middle] + values[middle + 1]) / 2
    return values[middle]
'''

CODER = ("qwen2.5-coder-7b-instruct", {"temperature": 0.2, "max_tokens": 768})
DEEPSEEK = ("deepseek-coder-6.7b-instruct", {"temperature": 0.2, "top_p": 0.95})
LLAMA = ("llama-3.1-8b-instruct", {"temperature": 0.7})


def _verifier(prompt: str, function: str) -> dict:
    """The prompt's own tests as the task's verifier: the document is `solution`."""
    tests = prompt.split("```python\n", 1)[1].split("\n```", 1)[0]
    return {"kind": "pytest", "module": "solution", "timeout_s": 10,
            "files": {"test_solution.py": f"from solution import {function}\n{tests}\n"}}


def _task(external_id: str, prompt: str, text: str, writer: str, model: tuple[str, dict],
          **metadata) -> dict:
    name, params = model
    function = external_id.removeprefix("pyfuncs-").replace("-", "_")
    return {"external_id": external_id, "prompt": prompt, "assignees": [writer],
            "draft": {"text": text, "model": name, "params": params}, "metadata": metadata,
            "verifier": _verifier(prompt, function)}


CODE_TASKS = [
    _task("pyfuncs-chunk", CHUNK_PROMPT, CHUNK_DRAFT, "writer1", CODER, topic="lists"),
    _task("pyfuncs-add-tag", ADD_TAG_PROMPT, ADD_TAG_DRAFT, "writer2", LLAMA,
          topic="lists"),
    _task("pyfuncs-word-frequencies", WORD_FREQUENCIES_PROMPT, WORD_FREQUENCIES_DRAFT,
          "writer1", DEEPSEEK, topic="text"),
    _task("pyfuncs-moving-average", MOVING_AVERAGE_PROMPT, MOVING_AVERAGE_DRAFT, "writer2",
          CODER, topic="numbers"),
    _task("pyfuncs-parse-duration", PARSE_DURATION_PROMPT, PARSE_DURATION_DRAFT, "writer1",
          LLAMA, topic="parsing"),
    _task("pyfuncs-median", MEDIAN_PROMPT, MEDIAN_DRAFT, "writer2", DEEPSEEK,
          topic="numbers"),
]
