"""Answers remembered by text: a second identification of the same text is the same answer."""

from __future__ import annotations

from dataclasses import replace

from openness.licenses import answers
from openness.licenses.identify import identify_text
from tests.conftest import shared_license_text


def test_a_remembered_answer_is_the_answer_computed_the_first_time() -> None:
    text = shared_license_text("llama-3.1-license-2024") + "\nYou may not use the Model for military purposes.\n"
    first = identify_text(text, "LICENSE")
    assert answers.recall(text) is not None
    second = identify_text(text, "elsewhere/LICENSE")
    assert second == replace(first, path="elsewhere/LICENSE")
    assert second.entry is not None and second.entry.id == "LicenseRef-llama3.1"


def test_answers_are_keyed_by_the_text_and_the_engine() -> None:
    text = "This model is released under the Apache License, Version 2.0.\n"
    identify_text(text)
    assert answers.recall(text) is not None
    assert answers.recall(text + " ") is None
    assert len(answers.engine_stamp()) == 16


def test_unreadable_texts_are_not_remembered() -> None:
    assert identify_text("   \n").problem == "empty file"
    assert answers.recall("   \n") is None
