"""The 办件 (cases) screen: the lazily loaded case list, its filters, detail and 好差评."""

from station_app.ui.cases.cases_page import CasesPage

__all__ = ["CasesPage"]
