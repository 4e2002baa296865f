"""Pure rules of the BaS read model: categories, projection, figures, suppression, funder report."""

from __future__ import annotations

from altjung.federation.domain.derive import derive_figures
from altjung.federation.domain.export import report_lines, to_csv, to_xlsx
from altjung.federation.domain.figures import Counts, SiteMonth, combine
from altjung.federation.domain.projection import HANDLERS, apply, apply_all
from altjung.federation.domain.report import Period, Report, Section, build_report
from altjung.federation.domain.state import State
from altjung.federation.domain.suppression import (
    DEFAULT_THRESHOLD,
    Cell,
    SuppressedList,
    SuppressedTable,
    suppress_list,
    suppress_table,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "HANDLERS",
    "Cell",
    "Counts",
    "Period",
    "Report",
    "Section",
    "SiteMonth",
    "State",
    "SuppressedList",
    "SuppressedTable",
    "apply",
    "apply_all",
    "build_report",
    "combine",
    "derive_figures",
    "report_lines",
    "suppress_list",
    "suppress_table",
    "to_csv",
    "to_xlsx",
]
