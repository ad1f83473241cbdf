"""The apps that the notebooks show: each is one call that returns a widget."""

from .agreement import agreement_app
from .application import application_app
from .cohort import cohort_app
from .dashboard import dashboard_app
from .goals import goals_app
from .home import home
from .matching import matching_app
from .portfolio import portfolio_app
from .ratings import ratings_app
from .results import results_app
from .sessions import schedule_app, session_notes_app
from .setup import setup_app
from .worksheet import worksheet

__all__ = [
    "agreement_app",
    "application_app",
    "cohort_app",
    "dashboard_app",
    "goals_app",
    "home",
    "matching_app",
    "portfolio_app",
    "ratings_app",
    "results_app",
    "schedule_app",
    "session_notes_app",
    "setup_app",
    "worksheet",
]
