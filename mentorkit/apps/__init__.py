"""The apps that the notebooks show: each is one call that returns a widget."""

from .home import home
from .worksheet import worksheet

__all__ = ["home", "worksheet"]
