"""Reading a backup as if it were hostile: every member checked against what it says it holds
(packing, size, how far it unpacks) before it is unpacked in counted chunks, the manifest and
checksums verified.
"""

from __future__ import annotations

import copy as copying
import hashlib
import io
import json
import zipfile
import zlib
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from mentorkit.core.migrations import SCHEMA_VERSION
from mentorkit.core.paths import DATABASE_NAME
from mentorkit.exceptions import BackupError
from mentorkit.io.backup.archive import (
    CHUNK,
    ENCRYPTED,
    FORMAT,
    FORMAT_VERSION,
    KIT_SECTIONS,
    MANIFEST,
    MAX_DATABASE_BYTES,
    MAX_KIT_BYTES,
    MAX_KIT_FILE_BYTES,
    MAX_KIT_FILES,
    MAX_MANIFEST_BYTES,
    MAX_RATIO,
    NOTEBOOKS,
    PACKING,
    RATIO_FLOOR,
    WORKSHEETS,
    BackupInfo,
)

# --- reading a backup --------------------------------------------------------------------


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} is not a mentorkit backup ({why}). Nothing was changed.")


def damaged(path: Path, why: str) -> BackupError:
    return BackupError(
        f"The backup {path} is damaged ({why}), so it cannot be restored. Nothing was changed. "
        "Use another copy of the backup."
    )


def newer(path: Path, what: str) -> BackupError:
    return BackupError(
        f"The backup {path} was made by a newer mentorkit ({what}); upgrade first "
        "(pip install -U mentorkit), then restore it. Nothing was changed."
    )


def open_zip(path: Path) -> zipfile.ZipFile:
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError):
        raise BackupError(
            f"{path} is not a zip file, or only part of one (a copy that was cut short), so it "
            "is not a mentorkit backup that can be restored. Nothing was changed."
        ) from None


def _parse_manifest(path: Path, raw: bytes) -> BackupInfo:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _not_a_backup(path, "its manifest.json is not readable JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_a_backup(path, "its manifest.json does not describe a mentorkit backup")
    fmt = manifest.get("format_version")
    if not isinstance(fmt, int) or isinstance(fmt, bool) or fmt < 1:
        raise _not_a_backup(path, "its manifest.json has no valid format_version")
    if fmt > FORMAT_VERSION:
        raise newer(path, f"backup format {fmt}; this version reads format {FORMAT_VERSION}")
    try:
        counts, database = manifest["counts"], manifest["database"]
        info = BackupInfo(
            programme=_typed(manifest["programme"], str),
            created_at=datetime.fromisoformat(_typed(manifest["created_at"], str)),
            schema_version=_typed(manifest["schema_version"], int),
            mentorkit_version=_typed(manifest["mentorkit_version"], str),
            people=_typed(counts["people"], int),
            relationships=_typed(counts["relationships"], int),
            revisions=_typed(counts["revisions"], int),
            sha256=_typed(database["sha256"], str).lower(),
            size=_typed(database["bytes"], int),
            worksheets=_kit_part(manifest, WORKSHEETS),
            notebooks=_kit_part(manifest, NOTEBOOKS),
            format_version=fmt,
            path=path.resolve(),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise _not_a_backup(path, f"its manifest.json is incomplete: {error}") from None
    if info.created_at.tzinfo is None:
        info = replace(info, created_at=info.created_at.replace(tzinfo=timezone.utc))
    if info.schema_version > SCHEMA_VERSION:
        raise newer(
            path,
            f"database schema {info.schema_version}; this version understands up to "
            f"{SCHEMA_VERSION}",
        )
    return info


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}, found {value!r}")
    if isinstance(value, int) and value < 0:
        raise ValueError(f"expected a count, found {value!r}")
    return value


def _kit_part(manifest: dict[str, Any], part: str) -> dict[str, str]:
    """A kit part's files from a manifest (none when a format-1 backup has no notebooks)."""
    return {
        _kit_file_name(name, part): _typed(digest, str).lower()
        for name, digest in _typed(manifest.get(part, {}), dict).items()
    }


def _kit_file_name(name: str, part: str) -> str:
    """A kit file's path from a manifest, refused unless it is a plain relative path to a
    kind of file the part holds (YAML for worksheets, notebooks for notebooks)."""
    pure = PurePosixPath(_typed(name, str))
    if (
        pure.is_absolute()
        or "\\" in name
        or any(
            part in ("", ".", "..") or ":" in part or part.startswith(".") for part in pure.parts
        )
        or len(pure.parts) > 4
        or pure.suffix not in KIT_SECTIONS[part]
    ):
        raise ValueError(f"unexpected {part} file name {name!r}")
    return pure.as_posix()


def size_text(count: int) -> str:
    """A size for people: 812 bytes, 3.4 KB, 1.0 GB."""
    if count < 1024:
        return f"{count:,} byte{'' if count == 1 else 's'}"
    value, unit = count / 1024, "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:,.1f} {unit}"


def _unsafe(path: Path, why: str) -> BackupError:
    return BackupError(
        f"The backup {path} cannot be restored safely: {why}. A backup made by mentorkit never "
        "looks like this, and the file may have been built to fill the disk. Nothing was "
        "changed."
    )


def _checked_member(path: Path, archive: zipfile.ZipFile, name: str, most: int) -> zipfile.ZipInfo:
    """Member ``name``'s entry, once its header shows it is safe to unpack: packed the way
    mentorkit packs, not encrypted, no bigger than ``most`` and not unpacking to more than
    :data:`MAX_RATIO` times its packed size. Nothing is unpacked here."""
    entry = archive.getinfo(name)
    if entry.flag_bits & ENCRYPTED:
        raise _unsafe(path, f"{name} in it is locked with a password")
    if entry.compress_type not in PACKING:
        raise _unsafe(path, f"{name} in it is packed in a way mentorkit never uses")
    if entry.file_size > most:
        raise _unsafe(
            path,
            f"{name} in it says it unpacks to {size_text(entry.file_size)}, more than the "
            f"{size_text(most)} such a file can be",
        )
    if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * entry.compress_size:
        raise _unsafe(
            path,
            f"{name} in it would unpack from {size_text(entry.compress_size)} to "
            f"{size_text(entry.file_size)}, over {entry.file_size // max(entry.compress_size, 1):,} "
            f"times its packed size (a real backup unpacks to at most {MAX_RATIO} times)",
        )
    return entry


def _stream_member(
    path: Path, archive: zipfile.ZipFile, entry: zipfile.ZipInfo, out: BinaryIO | None = None
) -> str:
    """Unpack a checked member in chunks (writing them to ``out`` if given) and return its
    SHA-256. Refuses it the moment it holds more than its header says, and afterwards if it
    holds less or fails its CRC: the header is never trusted to bound what comes out."""
    declared = entry.file_size
    bounded = copying.copy(entry)
    bounded.file_size = declared + 1  # room for one byte too many, which gives a lie away
    bounded.CRC = None  # type: ignore[assignment]  # checked below, once the whole member has been read
    digest, crc, count = hashlib.sha256(), 0, 0
    try:
        with archive.open(bounded) as member:
            while chunk := member.read(min(CHUNK, declared + 1 - count)):
                count += len(chunk)
                if count > declared:
                    raise _unsafe(
                        path,
                        f"{entry.filename} in it holds more than the {size_text(declared)} its "
                        "header says",
                    )
                digest.update(chunk)
                crc = zlib.crc32(chunk, crc)
                if out is not None:
                    out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise damaged(path, f"{entry.filename} cannot be read: {error}") from None
    if count != declared:
        raise damaged(
            path,
            f"{entry.filename} holds {size_text(count)}, not the {size_text(declared)} it says",
        )
    if crc != entry.CRC:
        raise damaged(path, f"{entry.filename} does not match its own checksum (CRC)")
    return digest.hexdigest()


def _copy_member(
    path: Path,
    archive: zipfile.ZipFile,
    entry: zipfile.ZipInfo,
    expected: str,
    to: Path | None,
) -> None:
    """Check a member against its SHA-256 (writing it to ``to`` on the way)."""
    with to.open("wb") if to else nullcontext() as out:
        found = _stream_member(path, archive, entry, out)
    if found != expected:
        raise damaged(
            path, f"{entry.filename} does not match the checksum recorded when it was made"
        )


def _members(
    path: Path, archive: zipfile.ZipFile, info: BackupInfo
) -> tuple[zipfile.ZipInfo, dict[str, zipfile.ZipInfo]]:
    """The database's and each kit file's entries (kit files by their name in the archive,
    ``worksheets/…`` and ``notebooks/…``), every one checked (present, safe to unpack, sizes
    within bounds) before any of them is unpacked."""
    names = set(archive.namelist())
    if DATABASE_NAME not in names:
        raise damaged(path, f"the database {DATABASE_NAME} is missing from it")
    if archive.getinfo(DATABASE_NAME).file_size != info.size:
        raise damaged(path, f"{DATABASE_NAME} is not the size recorded when it was made")
    database = _checked_member(path, archive, DATABASE_NAME, MAX_DATABASE_BYTES)
    listed = [f"{part}/{name}" for part, files in info.kit().items() for name in files]
    if len(listed) > MAX_KIT_FILES:
        raise _unsafe(
            path,
            f"its manifest lists {len(listed):,} worksheet and notebook files, more than the "
            f"{MAX_KIT_FILES:,} a backup can hold",
        )
    kit: dict[str, zipfile.ZipInfo] = {}
    for member in listed:
        if member not in names:
            raise damaged(path, f"the kit file {member} is missing from it")
        kit[member] = _checked_member(path, archive, member, MAX_KIT_FILE_BYTES)
    total = sum(entry.file_size for entry in kit.values())
    if total > MAX_KIT_BYTES:
        raise _unsafe(
            path,
            f"its worksheet and notebook files say they unpack to {size_text(total)} together, "
            f"more than the {size_text(MAX_KIT_BYTES)} a kit can be",
        )
    return database, kit


def verify_members(
    path: Path,
    archive: zipfile.ZipFile,
    database_to: Path | None = None,
    kit_to: Path | None = None,
) -> BackupInfo:
    """Check the whole backup, unpacking the database to ``database_to`` and the kit files
    under ``kit_to`` (``worksheets/…``, ``notebooks/…``) when given (else only checking)."""
    if MANIFEST not in set(archive.namelist()):
        raise _not_a_backup(path, "it has no manifest.json")
    raw = io.BytesIO()
    _stream_member(path, archive, _checked_member(path, archive, MANIFEST, MAX_MANIFEST_BYTES), raw)
    info = _parse_manifest(path, raw.getvalue())
    database, kit = _members(path, archive, info)
    _copy_member(path, archive, database, info.sha256, database_to)
    digests = {
        f"{part}/{name}": d for part, files in info.kit().items() for name, d in files.items()
    }
    for member, entry in kit.items():
        target = None
        if kit_to is not None:
            target = Path(kit_to, *PurePosixPath(member).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
        _copy_member(path, archive, entry, digests[member], target)
    unpacked = database.file_size + sum(entry.file_size for entry in kit.values())
    return replace(info, unpacked=unpacked)


def read_backup(path: Path) -> BackupInfo:
    """The summary of a backup, after checking it is a whole mentorkit backup this version
    can restore (every file present and matching its checksum). Raises :class:`BackupError`."""
    path = Path(path)
    with open_zip(path) as archive:
        return verify_members(path, archive)
