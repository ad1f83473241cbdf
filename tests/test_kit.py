"""A trainer's kit folder: made by `kit new`, chosen by --kit, $MENTORKIT_KIT or the
programme's record, and refused with a plain message when it is not a kit."""

from __future__ import annotations

import os
from pathlib import Path

from mentorkit.cli.kit import lab_environment
from mentorkit.cli.main import main
from mentorkit.core import paths
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.core.store import Store, recorded_kit


def make_kit(tmp_path: Path, capsys) -> Path:
    kit = tmp_path / "our-kit"
    assert main(["kit", "new", str(kit)]) == 0
    assert f"mentorkit init --kit {kit}" in capsys.readouterr().out
    return kit


def test_kit_new_copies_the_shipped_kit_with_a_readme_for_trainers(tmp_path, capsys):
    kit = make_kit(tmp_path, capsys)
    shipped = paths.SHIPPED_KIT
    for part in ("worksheets", "notebooks"):
        ours = sorted(p.relative_to(kit / part) for p in (kit / part).rglob("*") if p.is_file())
        theirs = sorted(
            p.relative_to(shipped / part)
            for p in (shipped / part).rglob("*")
            if p.is_file() and ".ipynb_checkpoints" not in p.parts and "__pycache__" not in p.parts
        )
        assert ours == theirs and ours
    assert (kit / "worksheets" / "frameworks" / "mentor-competencies.yaml").is_file()
    assert (kit / "worksheets" / "matching" / "weights.yaml").is_file()
    assert (kit / "notebooks" / "analysis" / "programme-data.ipynb").is_file()
    readme = (kit / "README.md").read_text()
    assert "mentorkit check --kit" in readme and "mentorkit lab --kit" in readme


def test_kit_new_never_overwrites_a_folder_with_something_in_it(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    assert main(["kit", "new", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "is not empty" in err and "Traceback" not in err
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_check_checks_the_kit_given(tmp_path, capsys, monkeypatch):
    kit = make_kit(tmp_path, capsys)
    sheet = kit / "worksheets" / "getting-to-know-each-other.yaml"
    sheet.write_text(sheet.read_text().replace("type: paragraph", "type: textbox", 1))
    assert main(["check", "--kit", str(kit)]) == 1
    err = capsys.readouterr().err
    assert str(sheet.name) in err and "textbox" in err
    monkeypatch.delenv("MENTORKIT_KIT")  # as a new command would start
    monkeypatch.setenv("MENTORKIT_DATA", str(tmp_path / "no-programme"))
    assert main(["check", str(kit)]) == 1  # the kit's folder itself, as a path, is a kit
    assert "textbox" in capsys.readouterr().err
    assert main(["check"]) == 0  # the shipped kit is untouched
    assert f"All is fine in {paths.SHIPPED_KIT}:" in capsys.readouterr().out


def test_a_folder_that_is_not_a_kit_is_named_and_refused(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["check", "--kit", str(missing)]) == 2
    assert f"There is no kit folder {missing}" in capsys.readouterr().err
    half = tmp_path / "half"
    (half / "worksheets").mkdir(parents=True)
    assert main(["check", "--kit", str(half)]) == 2
    assert f"The kit {half} has no notebooks/ folder" in capsys.readouterr().err
    (half / "notebooks").mkdir()
    assert main(["check", "--kit", str(half)]) == 2
    assert "no notebooks/home.ipynb" in capsys.readouterr().err


def test_the_programme_keeps_its_kit_and_later_commands_use_it(tmp_path, capsys, monkeypatch):
    kit = make_kit(tmp_path, capsys)
    data = tmp_path / "data"
    assert main(["init", "--data", str(data), "--kit", str(kit)]) == 0
    assert f"Kit: {kit}" in capsys.readouterr().out
    assert recorded_kit(data / DATABASE_NAME) == str(kit)

    # A later command without --kit uses the programme's kit...
    monkeypatch.delenv("MENTORKIT_KIT", raising=False)
    monkeypatch.setenv("MENTORKIT_DATA", str(data))
    assert main(["check"]) == 0
    assert f"All is fine in {kit}:" in capsys.readouterr().out
    assert os.environ["MENTORKIT_KIT"] == str(kit)

    # ...unless told otherwise for one run, by --kit or $MENTORKIT_KIT.
    other = tmp_path / "other-kit"
    main(["kit", "new", str(other)])
    monkeypatch.setenv("MENTORKIT_KIT", str(other))
    assert main(["check"]) == 0
    assert f"All is fine in {other}:" in capsys.readouterr().out
    monkeypatch.delenv("MENTORKIT_KIT")
    assert main(["check", "--kit", str(other)]) == 0
    assert f"All is fine in {other}:" in capsys.readouterr().out
    monkeypatch.delenv("MENTORKIT_KIT")

    # A kit that has moved: say so, and `kit use` records its new place.
    moved = tmp_path / "moved-kit"
    kit.rename(moved)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert f"uses the kit {kit}, which is not there any more" in err
    assert "mentorkit kit use DIR" in err
    assert main(["kit", "use", str(moved), "--data", str(data)]) == 0
    assert recorded_kit(data / DATABASE_NAME) == str(moved)
    monkeypatch.delenv("MENTORKIT_KIT", raising=False)
    assert main(["check"]) == 0


def test_a_programme_on_the_shipped_kit_records_none(tmp_path, capsys):
    data = tmp_path / "data"
    assert main(["init", "--data", str(data)]) == 0
    assert "Kit: the worksheets and pages shipped with mentorkit" in capsys.readouterr().out
    assert recorded_kit(data / DATABASE_NAME) is None
    store = Store(data / DATABASE_NAME)
    store.set_kit("/somewhere")
    assert store.kit() == "/somewhere"
    store.set_kit(None)
    assert store.kit() is None
    store.close()


def test_kit_use_without_a_programme_says_how_to_make_one(tmp_path, capsys):
    kit = make_kit(tmp_path, capsys)
    assert main(["kit", "use", str(kit), "--data", str(tmp_path / "empty")]) == 2
    assert f"mentorkit init --kit {kit}" in capsys.readouterr().err


def test_jupyterlab_opens_with_the_kit_and_the_data_folder_set(tmp_path):
    env = lab_environment(tmp_path / "kit", tmp_path / "data")
    assert env["MENTORKIT_KIT"] == str(tmp_path / "kit")
    assert env["MENTORKIT_DATA"] == str(tmp_path / "data")
