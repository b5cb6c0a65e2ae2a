"""HQ serving two forces, as a national deployment does: Fernshire, with its North BCU, and Dalesmoor."""

from __future__ import annotations

from trainer_desk.core.unit_tree import UnitNode

TWO_FORCES = [
    UnitNode("FERN", "Fernshire Police", "force"),
    UnitNode("NORTH", "North BCU", "BCU", "FERN"),
    UnitNode("DALES", "Dalesmoor Police", "force"),
    UnitNode("DALES-1", "Dalesmoor BCU", "BCU", "DALES"),
]
