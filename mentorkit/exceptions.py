"""Every error mentorkit raises on purpose.

The tree::

    MentorkitError
    ├── SpecError                 one or more problems in worksheet files (carries SpecProblem list)
    ├── StoreError
    │   ├── DatabaseTooNew        written by a newer mentorkit; never touched
    │   ├── DatabaseDamaged       not a mentorkit database, or corrupt; never touched
    │   ├── StoreUnavailable      cannot be used just now; nothing saved is lost
    │   │   ├── DataFolderUnwritable  the disk is full or the folder read-only
    │   │   └── DatabaseUnreachable   PostgreSQL does not answer, or refuses the credentials
    │   ├── RefusedByDatabase     a change that breaks one of the database's own rules
    │   ├── CopyRefused           ``mentorkit store copy`` into a database that is not empty
    │   ├── MissingEntry          a programme, person, relationship or worksheet that is not there
    │   ├── InvalidAnswer         an answer the worksheet does not allow (refused at the store)
    │   └── StaleRevision         someone saved since you loaded; merge and try again
    ├── AccessError
    │   ├── SignInRefused         wrong or unknown access code
    │   ├── TooManyAttempts       wrong codes came too quickly; carries wait_seconds
    │   ├── SavingTooFast         one person saved too often in a short time; carries wait_seconds
    │   ├── SignedOut             the page's session ended (signed out, or code withdrawn)
    │   └── NotAllowed            signed in, but this is not yours to see
    └── ConfigError               a bad command-line option or setting

Messages say what is wrong and how to put it right, in plain words a facilitator can act on.
"""

from __future__ import annotations

from dataclasses import dataclass


class MentorkitError(Exception):
    """Base class: catch this to catch anything mentorkit raises on purpose."""


@dataclass(frozen=True)
class SpecProblem:
    """One problem found in a worksheet file."""

    file: str
    line: int | None
    path: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        at = f" at {self.path}" if self.path else ""
        return f"{where}{at}: {self.message} Fix: {self.fix}"


class SpecError(MentorkitError):
    """A kit file (worksheet, framework, plan, weights, notebook) could not be used; every
    problem found is listed."""

    def __init__(self, problems: list[SpecProblem]):
        self.problems = list(problems)
        count = len(self.problems)
        heading = f"{count} problem{'s' if count != 1 else ''} in the kit's files:"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))


class StoreError(MentorkitError):
    """Something is wrong with the programme's database."""


class DatabaseTooNew(StoreError):
    """The database was written by a newer mentorkit."""

    def __init__(self, path: str, found: int, supported: int):
        self.path, self.found, self.supported = path, found, supported
        super().__init__(
            f"The database {path} was written by a newer mentorkit (schema {found}; this "
            f"version understands up to {supported}). It has not been changed. "
            "Upgrade mentorkit (pip install -U mentorkit) to open it."
        )


class DatabaseDamaged(StoreError):
    """The file is not a mentorkit database, or it is damaged."""

    def __init__(self, path: str, detail: str):
        self.path, self.detail = path, detail
        super().__init__(
            f"The file {path} is not a readable mentorkit database ({detail}). It has not been "
            "changed. Restore it from a backup, or point --data at another folder."
        )


class StoreUnavailable(StoreError):
    """The programme's database cannot be used just now; nothing saved before is lost.

    ``public`` is what a page shows anyone, participants included: it names no file, folder
    or server (the message itself, for the facilitator's command line and the server's log,
    may)."""

    public: str = ""


class DataFolderUnwritable(StoreUnavailable):
    """The database could not be written: the disk is full, or the folder is read-only.

    The message is for anyone, participants included: it names no file or folder (the
    server's log has the details)."""

    def __init__(self, detail: str):
        self.detail = detail
        if "full" in detail:
            why = "the disk is full"
        elif "readonly" in detail or "read-only" in detail:
            why = "the folder is read-only"
        else:
            why = "the disk refused to write"
        self.public = (
            f"mentorkit's data folder cannot be written just now ({why}). Nothing saved "
            "before is lost, and what you typed is still on your screen. Please tell your "
            "facilitator; once there is room again, this works again by itself."
        )
        super().__init__(self.public)


class DatabaseUnreachable(StoreUnavailable):
    """A PostgreSQL store that does not answer, or will not let mentorkit in."""

    def __init__(self, location: str, why: str, fix: str):
        self.location, self.why = location, why
        self.public = (
            "The programme's database cannot be reached just now. Nothing saved before is "
            "lost, and what you typed is still on your screen. Please tell your facilitator; "
            "once the database is back, this works again by itself."
        )
        super().__init__(f"The programme's database {location} cannot be used: {why}. {fix}")


class RefusedByDatabase(StoreError):
    """The database refused a change that breaks one of its rules: a repeated value that
    must be unique, a reference to nothing, or an edit to the append-only history."""


class CopyRefused(StoreError):
    """``mentorkit store copy`` into a database that already holds a programme."""


class MissingEntry(StoreError):
    """A record that was asked for is not in the database."""


class InvalidAnswer(StoreError):
    """An answer that does not fit its field; the store refuses to keep it."""

    def __init__(self, field_id: str, label: str, problem: str):
        self.field_id, self.problem = field_id, problem
        super().__init__(f"“{label}” was not saved: {problem}")


class StaleRevision(StoreError):
    """Someone saved the same worksheet since this copy was loaded."""

    def __init__(self, expected: int | None, latest: int | None):
        self.expected, self.latest = expected, latest
        super().__init__(
            f"This worksheet was saved by someone else since you opened it "
            f"(you had revision {expected}, the latest is {latest})."
        )


class AccessError(MentorkitError):
    """Sign-in or permission problems."""


class SignInRefused(AccessError):
    """The access code is not one we know."""

    def __init__(self) -> None:
        super().__init__(
            "That access code was not recognised. Check it against the one your facilitator "
            "gave you (letters and digits; dashes and capitals do not matter) and try again."
        )


class TooManyAttempts(AccessError):
    """Wrong codes arrived too quickly, from one place or across the whole programme."""

    def __init__(self, wait_seconds: int, everywhere: bool = False):
        self.wait_seconds, self.everywhere = wait_seconds, everywhere
        if everywhere:
            message = (
                "Many wrong codes have been tried on this programme in the last few minutes, "
                f"so sign-in is paused for everyone. Please wait {wait_seconds} seconds, "
                "then try again."
            )
        else:
            message = (
                f"Too many wrong codes in a row. Please wait {wait_seconds} seconds, "
                "then try again."
            )
        super().__init__(message)


class SavingTooFast(AccessError):
    """One person saved more often in a short time than anyone typing could."""

    def __init__(self, wait_seconds: int):
        self.wait_seconds = wait_seconds
        super().__init__(
            "you are saving faster than the programme allows. Your answers are still here; "
            f"they will be saved in about {wait_seconds} seconds, or press Save then."
        )


class SignedOut(AccessError):
    """The session behind an open page has ended."""

    def __init__(self) -> None:
        super().__init__(
            "You have been signed out. Sign in again with your access code to carry on."
        )


class NotAllowed(AccessError):
    """The signed-in person may not see or change this."""


class ConfigError(MentorkitError):
    """A command-line option or setting is wrong."""


class ImportRefused(MentorkitError):
    """A file of people (or applications) cannot be imported at all: not a CSV or XLSX file,
    not readable text, or missing a required column. Nothing was imported."""


class BackupError(MentorkitError):
    """A backup file cannot be restored (not a mentorkit backup, damaged, or newer)."""
