"""A programme's data as pandas tables, for trainers and analysts working in JupyterLab.

Open it with :func:`mentorkit.open_programme` and an access code: the tables hold what that
person may see, no more. A facilitator (or trainer with a facilitator's code) sees the whole
programme as the cohort page does: people, relationships, their progress, answers to
``programme`` fields, and competency averages with small groups hidden. A mentor or mentee
sees their own relationships, with everything their pages show them (their partner's private
answers never). Nothing here writes to the programme::

    import mentorkit
    programme = mentorkit.open_programme("~/mentoring-2027", code="K7QM-4XRT-9B2H")
    programme.relationships()            # one row per relationship
    programme.answers("negotiating-expectations")
    programme.ratings()                  # one row per item rated
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING, Any

from mentorkit.core import access, paths
from mentorkit.core.display import answer_text
from mentorkit.core.models import Person, Relationship
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import Store
from mentorkit.exceptions import ConfigError, NotAllowed
from mentorkit.facilitator import cohort, dashboard
from mentorkit.facilitator.programme_answers import programme_tables
from mentorkit.programme import rating_analysis, ratings
from mentorkit.programme.frameworks import Framework
from mentorkit.programme.kit_specs import load_specs
from mentorkit.programme.plan import ProgrammePlan

if TYPE_CHECKING:
    import pandas as pd


class ProgrammeData:
    """One programme, as seen by one person (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        viewer: Person,
        worksheets: dict[str, Worksheet],
        frameworks: dict[str, Framework],
        plan: ProgrammePlan | None = None,
    ) -> None:
        self.store, self.viewer = store, viewer
        self.worksheets, self.frameworks, self.plan = worksheets, frameworks, plan

    @classmethod
    def open(
        cls, data_folder: str | os.PathLike | None = None, code: str | None = None
    ) -> ProgrammeData:
        """The programme in ``data_folder`` (default: as ``mentorkit serve`` finds it), seen
        by the person whose access ``code`` is given (default: ``$MENTORKIT_CODE``)."""
        code = code or os.environ.get("MENTORKIT_CODE")
        if not code:
            raise ConfigError(
                "Say whose view to open with code=... (an access code), or set MENTORKIT_CODE. "
                "A facilitator's code opens the whole programme."
            )
        database = paths.database_path(data_folder)
        if not database.exists():
            raise ConfigError(
                f"There is no programme in {database.parent}. Give the data folder that "
                "`mentorkit init` made."
            )
        store = Store(database)
        viewer = access.sign_in(store, code, client="scripting")
        folder = paths.worksheets_folder()
        specs = load_specs(folder)
        return cls(
            store,
            viewer,
            specs.worksheets,
            specs.frameworks,
            specs.plan,
        )

    # --- who and what ------------------------------------------------------------------------

    @property
    def is_facilitator(self) -> bool:
        """True when the tables cover the whole programme."""
        return self.viewer.is_facilitator

    def relationship_list(self) -> list[Relationship]:
        """The relationships this person may see (all of the programme for its facilitator)."""
        if self.is_facilitator:
            return self.store.relationships(self.viewer.programme_id)
        return self.store.relationships_of(self.viewer.id)

    def _rows(self) -> list[dashboard.RelationshipRow]:
        self._facilitator_only("the programme's progress")
        return dashboard.dashboard_rows(
            self.store, self.viewer.programme_id, self.worksheets, self.plan, dt.date.today()
        )

    def _facilitator_only(self, what: str) -> None:
        if not self.is_facilitator:
            raise NotAllowed(f"Only the programme's facilitator may read {what}.")

    # --- tables ------------------------------------------------------------------------------

    def people(self) -> pd.DataFrame:
        """One row per person this viewer may see: the whole programme for its facilitator
        (name, email, role, unit, years, relationships), else the viewer and their partners."""
        import pandas as pd

        if self.is_facilitator:
            return self._programme_tables()["people"]
        seen: dict[int, dict[str, Any]] = {}
        for relationship in self.relationship_list():
            for member in relationship.members:
                row = seen.setdefault(
                    member.person_id,
                    {"person_id": member.person_id, "name": member.name, "relationships": []},
                )
                row["relationships"].append(f"{relationship.title} ({member.role})")
        for row in seen.values():
            row["relationships"] = "; ".join(row["relationships"])
        return pd.DataFrame(list(seen.values()), columns=["person_id", "name", "relationships"])

    def relationships(self) -> pd.DataFrame:
        """One row per relationship: for the facilitator with each worksheet's state, last
        activity, sessions, hours and flags (the dashboard's figures); else title, kind and
        members."""
        import pandas as pd

        if self.is_facilitator:
            return self._programme_tables()["relationships"]
        return pd.DataFrame(
            [
                {
                    "relationship_id": r.id,
                    "title": r.title,
                    "kind": r.kind,
                    "members": ", ".join(f"{m.name} ({m.role})" for m in r.members),
                }
                for r in self.relationship_list()
            ],
            columns=["relationship_id", "title", "kind", "members"],
        )

    def answers(self, worksheet_id: str | None = None) -> pd.DataFrame:
        """One row per answer this viewer may read: relationship, worksheet, whose copy,
        field, and the answer as people read it. The store decides what each viewer may read
        (a facilitator: ``programme`` fields only; a member: never a partner's private ones)."""
        import pandas as pd

        wanted = [
            w
            for w in self.worksheets.values()
            if (worksheet_id is None or w.id == worksheet_id) and not w.per_session
        ]
        if worksheet_id is not None and not wanted:
            raise ConfigError(
                f"There is no worksheet {worksheet_id!r}. Choose one of: "
                + ", ".join(sorted(self.worksheets))
            )
        rows = []
        for relationship in self.relationship_list():
            for worksheet in wanted:
                for subject in self._copies(worksheet, relationship):
                    values = self.store.load(
                        worksheet, relationship.id, self.viewer.id, subject
                    ).values
                    for field in worksheet.fields:
                        if field.has_value and field.id in values:
                            rows.append(
                                {
                                    "relationship_id": relationship.id,
                                    "relationship": relationship.title,
                                    "worksheet": worksheet.id,
                                    "copy_of": "joint"
                                    if worksheet.mode == "joint"
                                    else self._name_of(relationship, subject),
                                    "field": field.id,
                                    "question": field.label,
                                    "answer": answer_text(field, values[field.id]),
                                }
                            )
        return pd.DataFrame(
            rows,
            columns=[
                "relationship_id",
                "relationship",
                "worksheet",
                "copy_of",
                "field",
                "question",
                "answer",
            ],
        )

    def ratings(self) -> pd.DataFrame:
        """One row per competency item rated that this viewer may see (person, rater,
        relation self/partner, round, framework, domain, item, value); for the facilitator,
        use :meth:`competency_averages` (a cohort's ratings are only read as averages)."""
        import pandas as pd

        if self.is_facilitator:
            raise NotAllowed(
                "A facilitator reads ratings as averages of groups, never one person's: use "
                "competency_averages()."
            )
        records = [
            record
            for relationship in self.relationship_list()
            for record in ratings.rating_records(
                self.store, self.frameworks, relationship, self.viewer
            )
        ]
        return pd.DataFrame(records) if records else pd.DataFrame(columns=["value"])

    def domain_scores(self) -> pd.DataFrame:
        """Domain means per person, rater and round (N/A left out), from :meth:`ratings`."""
        table = self.ratings()
        if table.empty:
            return table
        return rating_analysis.domain_scores(rating_analysis.tidy(table.to_dict("records")))

    def dashboard(self) -> pd.DataFrame:
        """The facilitator's dashboard: the same as :meth:`relationships` for a facilitator."""
        return self.relationships()

    def competency_averages(self, min_group: int = cohort.MIN_GROUP) -> pd.DataFrame:
        """Average self-ratings per framework, domain, role and round; a group of fewer than
        ``min_group`` people shows no average (facilitator only)."""
        self._facilitator_only("the cohort's averages")
        return cohort.competency_averages(
            self.store, self.viewer.programme_id, self.frameworks, min_group
        )

    def completion(self) -> pd.DataFrame:
        """Each relationship's state on each worksheet (0 not started, 1 in progress, 2
        complete), as the cohort's heatmap shows it (facilitator only)."""
        return cohort.completion_matrix(self._rows())

    # --- helpers -----------------------------------------------------------------------------

    def _programme_tables(self) -> dict[str, pd.DataFrame]:
        return programme_tables(
            self.store, self.viewer.programme_id, self.worksheets, self._rows(), self.viewer
        )

    def _copies(self, worksheet: Worksheet, relationship: Relationship) -> list[int]:
        """Whose copies of a worksheet to read: a joint worksheet's one (with the viewer's own
        private answers, if a member), or each member's copy of an individual one."""
        if worksheet.mode == "joint":
            member = relationship.role_of(self.viewer.id) is not None
            return [self.viewer.id if member else relationship.members[0].person_id]
        return [m.person_id for m in relationship.members]

    @staticmethod
    def _name_of(relationship: Relationship, person_id: int) -> str:
        return next((m.name for m in relationship.members if m.person_id == person_id), "")
