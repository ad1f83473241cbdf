"""Three-way merge rules."""

from mentorkit.forms.merge import merge


def test_only_their_change_is_adopted():
    result = merge({"a": 1, "b": 1}, {"a": 1, "b": 2}, {"a": 3, "b": 1})
    assert result.adopt == {"a": 3}
    assert result.conflicts == {}


def test_same_change_on_both_sides_is_no_conflict():
    assert merge({"a": 1}, {"a": 2}, {"a": 2}).conflicts == {}


def test_different_changes_conflict_keeping_both():
    result = merge({"a": "x"}, {"a": "mine"}, {"a": "theirs"})
    assert result.conflicts == {"a": ("mine", "theirs")}
    assert result.adopt == {}


def test_new_keys_from_them_are_adopted():
    assert merge({}, {}, {"new": [1]}).adopt == {"new": [1]}
