"""Milestone phrases are matched in any case and as whole words, whichever way the text is
searched: ASCII text by the lower-case patterns that start with their first letter, other text
(an accent, a typographic apostrophe) by the case-insensitive ones."""
from __future__ import annotations

import pytest

from outagetl.events import classify

CASES = [
    # (text, where the time is, the milestone)
    ("Service was RESTORED at 10:00 UTC.", "10:00 UTC", "resolved"),
    ("Service was Restored at 10:00 UTC, the café said.", "10:00 UTC", "resolved"),  # not ASCII
    ("At 10:00 UTC the API Went  Down for everyone.", "10:00 UTC", "start"),  # a run of spaces
    ("At 10:00 UTC the API went down, it’s said.", "10:00 UTC", "start"),  # a typographic apostrophe
    # a phrase inside a longer word is no phrase: "unresolved" is not "resolved"
    ("At 10:00 UTC the ticket stayed unresolved.", "10:00 UTC", "other"),
    ("At 10:00 UTC the ticket stayed unresolvedé.", "10:00 UTC", "other"),
    ("At 10:00 UTC engineers ROLLED BACK the change.", "10:00 UTC", "mitigated"),
    ("Rolled back at 10:00 UTC.", "10:00 UTC", "mitigated"),  # at the very start of the text
]


@pytest.mark.parametrize("text,time,kind", CASES)
def test_a_phrase_is_found_in_any_case_and_only_as_whole_words(text, time, kind):
    start = text.index(time)
    assert classify(text, start, start + len(time), lang="en") == kind
