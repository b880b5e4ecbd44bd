"""Maps count a linked case once: the earliest record's place and goods, every member's fines."""

from __future__ import annotations

import pandas as pd

from service.map_views.repository import one_row_per_case


def test_a_linked_case_is_one_row_with_the_fines_of_all_its_records() -> None:
    frame = pd.DataFrame(  # in any order, as the query returns them
        {
            "case_key": ["case-1", "b", "case-1"],
            "occurred_epoch": [1_772_500_000.0, 1_772_400_000.0, 1_772_600_000.0],  # QLTT's record first
            "agency": ["QLTT", "HQ", "CA"],
            "unit_2025": ["03388", "03549", "03408"],
            "goods_value_vnd": [32_000_000.0, 5_000_000.0, 32_000_000.0],
            "fine_vnd": [15_000_000.0, 0.0, 2_000_000.0],
        }
    )
    rows = one_row_per_case(frame).set_index("case_key")
    assert len(rows) == 2
    assert rows.loc["case-1", "agency"] == "QLTT" and rows.loc["case-1", "unit_2025"] == "03388"
    assert rows.loc["case-1", "goods_value_vnd"] == 32_000_000 and rows.loc["case-1", "fine_vnd"] == 17_000_000
    assert rows.loc["b", "fine_vnd"] == 0


def test_without_links_the_frame_is_unchanged() -> None:
    frame = pd.DataFrame({"case_key": ["a", "b"], "occurred_epoch": [2.0, 1.0], "fine_vnd": [1.0, 2.0]})
    assert one_row_per_case(frame) is frame
