"""A unit counts itself and every unit under it, as HQ counts it: the rule every report and view on the
laptop picks people and sessions by, and the rows a report's per-unit table is made of."""

from __future__ import annotations

from tests.northshire import TREE
from trainer_desk.core.unit_tree import RolledUp, UnitNode, rolled_up, top_name, within


def test_a_bcu_covers_itself_and_its_teams_and_a_team_only_itself() -> None:
    assert within(TREE, "NORTH") == {"NORTH", "NORTH-RESP", "NORTH-NPT", "NORTH-CID"}
    assert within(TREE, "NORTH-CID") == {"NORTH-CID"}
    assert within(TREE, "NSP") == {node.code for node in TREE}
    assert within([], "NORTH") == {"NORTH"}  # a laptop with no tree: a unit is only itself


def test_units_as_deep_as_the_force_likes_are_covered() -> None:
    deeper = [*TREE, UnitNode("NORTH-CID-CYBER", "North Cyber Crime", "section", "NORTH-CID")]
    assert "NORTH-CID-CYBER" in within(deeper, "NORTH")


def test_the_force_is_named_by_the_one_unit_at_the_top() -> None:
    assert top_name(TREE) == "Northshire Police"
    two_forces = [*TREE, UnitNode("FERN", "Fernshire Constabulary", "force")]
    assert top_name(two_forces) is None  # no one name speaks for both
    assert top_name([]) is None


def test_each_row_counts_the_units_under_it_in_the_trees_order() -> None:
    own = {"NORTH": (1, 0), "NORTH-RESP": (4, 2), "NORTH-NPT": (3, 3), "EAST-CID": (1, 0), "WEST-RESP": (2, 0)}
    assert rolled_up(own, TREE) == [
        RolledUp("NSP", (11, 5), 0),
        RolledUp("EAST", (1, 0), 1),
        RolledUp("EAST-CID", (1, 0), 2),
        RolledUp("NORTH", (8, 5), 1),
        RolledUp("NORTH-NPT", (3, 3), 2),
        RolledUp("NORTH-RESP", (4, 2), 2),
        RolledUp("WEST", (2, 0), 1),
        RolledUp("WEST-RESP", (2, 0), 2),
    ]


def test_a_bcus_rows_start_at_the_bcu_and_a_unit_the_tree_lacks_stands_alone() -> None:
    own = {"NORTH": (1, 0), "NORTH-CID": (2, 1), "ELSEWHERE": (5, 5)}
    assert rolled_up(own, TREE, within(TREE, "NORTH")) == [
        RolledUp("NORTH", (3, 1), 0),
        RolledUp("NORTH-CID", (2, 1), 1),
    ]
    assert RolledUp("ELSEWHERE", (5, 5), 0) in rolled_up(own, TREE)
