"""Answers kept for a repeat of the same command, so that it never imports pint (issue 19).

A run of the `gwcalc` program is a function of what it reads: its arguments, its environment,
the current folder, its terminal, the files it opens, the folders it lists and the code it
imports. The first run of a command records all of those (`Recorder`, through an audit hook:
every file opened, every folder listed) beside what it wrote on stdout and stderr; a later run
whose request is the same (`request_key`) and whose recorded files and folders are unchanged
(`unchanged`) writes the same characters again without importing click, pint or rich (`replay`).

An answer can never change this way: a set file is compared by its sha256, a module by its size
and modification time (as Python's own bytecode cache does), a folder by its listing, so that
editing a set, adding a version of one, or installing other code makes the next run compute
afresh. A run is kept only when it ended with exit 0 and did nothing but read: one that wrote a
file (--plot, `assumptions new`), read stdin, started a process or opened a device is not.

The store is a folder of JSON files in the platform's cache folder (`answer_dir`), readable by
the user alone, each written atomically and holding the sha256 of its request (never the
environment's values), the arguments, what was written and the states it was checked
against. A folder that is missing, read-only or full just means no store, a damaged entry is a
miss, and pruning removes only files named as entries. $GWCALC_NO_CACHE (any non-empty value)
turns it off; $GWCALC_CACHE_DIR moves it.

Lives here: `store` (the key of a request, the checks of a kept entry, replaying it, writing
one) and `record` (what a first run reads and writes). Imported before anything else of the
program, so May import: the standard library and `gwcalc.sets.paths` (the platform folders), and
nothing else (a test checks what importing it loads)."""
