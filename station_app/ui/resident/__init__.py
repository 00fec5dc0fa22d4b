"""The resident's side of the counter: their own screen, or the whole window when there is one."""

from station_app.ui.resident.desk import ResidentDesk
from station_app.ui.resident.view import ResidentView

__all__ = ["ResidentDesk", "ResidentView"]
