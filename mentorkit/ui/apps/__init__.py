"""The apps that the notebooks show: each is one call that returns a widget."""

from mentorkit.ui.apps.agreement import agreement_app
from mentorkit.ui.apps.application import application_app
from mentorkit.ui.apps.cohort import cohort_app
from mentorkit.ui.apps.dashboard import dashboard_app
from mentorkit.ui.apps.goals import goals_app
from mentorkit.ui.apps.home import home
from mentorkit.ui.apps.matching import matching_app
from mentorkit.ui.apps.portfolio import portfolio_app
from mentorkit.ui.apps.ratings import ratings_app
from mentorkit.ui.apps.results import results_app
from mentorkit.ui.apps.sessions import schedule_app, session_notes_app
from mentorkit.ui.apps.setup import setup_app
from mentorkit.ui.apps.worksheet import worksheet

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
