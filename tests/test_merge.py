"""Three-way merge rules."""

from mentorkit.core.merge import merge


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


def test_items_added_on_both_sides_are_all_kept():
    base = {"list": [{"_id": "a", "text": "first"}]}
    mine = {"list": [{"_id": "a", "text": "first"}, {"_id": "m", "text": "mine"}]}
    theirs = {"list": [{"_id": "a", "text": "first"}, {"_id": "t", "text": "theirs"}]}
    result = merge(base, mine, theirs)
    assert result.conflicts == {}
    assert [i["_id"] for i in result.adopt["list"]] == ["a", "t", "m"]


def test_different_sub_fields_of_one_item_merge():
    base = {"list": [{"_id": "a", "text": "x", "outcome": None}]}
    mine = {"list": [{"_id": "a", "text": "x", "outcome": "agreed"}]}
    theirs = {"list": [{"_id": "a", "text": "y", "outcome": None}]}
    assert merge(base, mine, theirs).adopt["list"] == [
        {"_id": "a", "outcome": "agreed", "text": "y"}
    ]


def test_same_sub_field_changed_differently_conflicts():
    base = {"list": [{"_id": "a", "text": "x"}]}
    result = merge(
        base, {"list": [{"_id": "a", "text": "m"}]}, {"list": [{"_id": "a", "text": "t"}]}
    )
    assert "list" in result.conflicts


def test_removed_item_stays_removed_unless_the_other_side_edited_it():
    base = {"list": [{"_id": "a", "text": "x"}, {"_id": "b", "text": "y"}]}
    mine = {"list": [{"_id": "b", "text": "y"}]}
    theirs = {"list": [{"_id": "a", "text": "x"}, {"_id": "b", "text": "y2"}]}
    assert merge(base, mine, theirs).adopt["list"] == [{"_id": "b", "text": "y2"}]
    edited = {"list": [{"_id": "a", "text": "edited"}, {"_id": "b", "text": "y"}]}
    assert "list" in merge(base, mine, edited).conflicts
