"""The ``mentorkit`` command: ``main`` parses the command line and hands each group of
commands to its module (``setup`` for people and codes, ``export`` for documents and tables,
``match`` for matching), and ``serve`` to :mod:`mentorkit.server`.

May import: every layer.
"""
