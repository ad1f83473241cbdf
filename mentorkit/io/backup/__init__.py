"""Backing up a programme to one ``.zip`` file, and restoring it.

A backup holds three things:

``mentorkit.sqlite3``
    A consistent copy of the database, taken with SQLite's online backup API, so it is safe
    to make while ``mentorkit serve`` is running and people are saving.
``manifest.json``
    What the backup is (format, versions, when, which programme, how much is in it) and a
    SHA-256 of every file, so a damaged copy is refused instead of restored.
``worksheets/``
    Optionally, the trainer's worksheet files (and ``frameworks/``), so customised
    worksheets come back too. They are restored beside the database, never over the
    shipped ones.

A restore checks everything (the zip, the manifest, the checksums, ``PRAGMA
integrity_check``, and that :class:`~mentorkit.core.store.Store` opens the copy) before it touches
the data folder, and keeps any database it replaces under a ``before-restore`` name.

A backup file may come from anywhere, so it is read as if it were hostile. Before anything is
unpacked, every file that will be read is checked against what it says it holds: the packing
methods mentorkit writes (stored or deflated, never encrypted), a most for each file, and how
far it unpacks (a real backup packs at most :data:`MAX_RATIO` times; a "zip bomb" thousands of
times). Each file is then unpacked in chunks, counted as it comes, and refused the moment it
holds more than its header says, so a lying header is caught after one byte too many, and
free space for the whole restore is checked before the data folder is touched.

The parts: :mod:`.archive` (the format and what making, reading and restoring share),
:mod:`.make`, :mod:`.read` and :mod:`.restore`.
"""
