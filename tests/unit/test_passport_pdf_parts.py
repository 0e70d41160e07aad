from __future__ import annotations

from ckanext.lutsk.passport_pdf import value_parts


def test_short_text_is_one_part():
    assert value_parts("Бюджет") == ["Бюджет"]


def test_long_text_is_split_within_the_line_budget():
    text = "\n".join(f"рядок {i}" for i in range(100)) + "\n" + "слово " * 2000
    parts = value_parts(text, max_lines=30, line_chars=55)
    assert len(parts) > 3
    for part in parts:
        assert sum(max(1, -(-len(line) // 55)) for line in part.split("\n")) <= 30
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_control_characters_are_dropped():
    assert value_parts("a\x0bb\x00c\ud800") == ["abc"]
