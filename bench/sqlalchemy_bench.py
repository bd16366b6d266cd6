#!/usr/bin/env python3
"""SQLAlchemy's dispatch and registry costs, for hooks' BENCHMARKS.md.

Fires the same events the Rust cases fire, through real SQLAlchemy objects:
the pool's ``checkin`` (instance-level listeners on the pool) and the
engine's ``before_cursor_execute`` fired through a Connection's joined
dispatcher (listeners on the engine), with 0, 1 and 10 no-op listeners; and
times ``event.listen`` / ``event.remove`` / ``event.contains`` per operation
with 0 and 1,000 listeners already on the target; and the ORM cases of
``bench/src/orm.rs``: a flush of 1,000 new objects (``add_all`` + ``commit``
in a fresh ``Session``) and a load of 1,000 rows into a fresh ``Session``
(``session.scalars(select(...)).all()``), with 0 and 10 no-op listeners on
the mapped class's ``before_insert`` and ``load``, on in-memory SQLite.

Method: every case is a ``timeit.Timer`` whose batch size is calibrated to
about ``--sample-ms``; cases are run round-robin (the starting case rotates
each round) so that bursts of load hit all cases evenly; the result is the
median (and min) over the rounds, in ns per operation. An ORM case times each
operation alone, with the garbage collector off as timeit has it, and empties
its table after each flush outside the timed part. Prints JSON on stdout.

Usage: python sqlalchemy_bench.py [--quick] [--rounds N] [--sample-ms MS] [--only PREFIX]
"""

import argparse
import gc
import json
import platform
import sqlite3
import statistics
import sys
import timeit
from typing import Optional

import sqlalchemy
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

ORM_ROWS = 1000


def noop(*args):
    return None


def make_listener():
    def listener(*args):
        return None

    return listener


def fire_cases():
    cases = {}
    # Baselines: the Python floor.
    cases["py/call"] = timeit.Timer("f(None, None)", globals={"f": noop})
    ten = [make_listener() for _ in range(10)]
    cases["py/loop/10"] = timeit.Timer(
        "for fn in fns: fn(None, None)", globals={"fns": ten}
    )
    for n in (0, 1, 10):
        engine = create_engine("sqlite://")
        pool = engine.pool
        for _ in range(n):
            event.listen(pool, "checkin", make_listener())
        cases[f"pool-checkin/{n}"] = timeit.Timer(
            "p.dispatch.checkin(None, None)", globals={"p": pool}
        )
    for n in (0, 1, 10):
        engine = create_engine("sqlite://")
        for _ in range(n):
            event.listen(engine, "before_cursor_execute", make_listener())
        conn = engine.connect()
        cases[f"engine-before-cursor-execute/{n}"] = timeit.Timer(
            "c.dispatch.before_cursor_execute(c, None, 'SELECT 1', (), None, False)",
            globals={"c": conn},
        )
    # End to end: SQLAlchemy Core executing the statement the Rust host case executes.
    for n in (0, 10):
        engine = create_engine("sqlite://")
        for _ in range(n):
            event.listen(engine, "before_cursor_execute", make_listener())
        conn = engine.connect()
        cases[f"exec-driver-sql/{n}"] = timeit.Timer(
            "c.exec_driver_sql(s, (7,)).scalar()",
            globals={"c": conn, "s": "SELECT ?1 + 1"},
        )
    return cases


def calibrate(timer, sample_s):
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= sample_s / 4:
            return max(1, int(number * sample_s / t))
        number *= 4


class RegistryCase:
    """Whole listen/contains/remove cycles of BATCH distinct fns; times one part."""

    BATCH = 100

    def __init__(self, part, present):
        self.part = part
        engine = create_engine("sqlite://")
        self.pool = engine.pool
        self._engine = engine
        for _ in range(present):
            event.listen(self.pool, "checkin", make_listener())
        self.fns = [make_listener() for _ in range(self.BATCH)]

    def sample(self):
        clock = timeit.default_timer
        pool, fns = self.pool, self.fns
        t0 = clock()
        for fn in fns:
            event.listen(pool, "checkin", fn)
        t1 = clock()
        for fn in fns:
            event.contains(pool, "checkin", fn)
        t2 = clock()
        for fn in fns:
            event.remove(pool, "checkin", fn)
        t3 = clock()
        elapsed = {"listen": t1 - t0, "contains": t2 - t1, "remove": t3 - t2}[self.part]
        return elapsed * 1e9 / self.BATCH


def bench_class(table):
    """A declarative class in a registry of its own, with the columns of bench/src/orm.rs."""

    class Base(DeclarativeBase):
        pass

    class Bench(Base):
        __tablename__ = table
        id: Mapped[int] = mapped_column(primary_key=True)
        name: Mapped[str]
        email: Mapped[str]
        age: Mapped[int]
        note: Mapped[Optional[str]]

    return Bench


def numbered(cls, i):
    """The i-th row, the values Person::numbered builds."""
    return cls(
        name=f"name {i}",
        email=f"user{i}@example.com",
        age=i % 100,
        note=f"note {i}" if i % 2 == 0 else None,
    )


class OrmCase:
    """One whole ORM operation per call, timed alone; then an untimed reset."""

    def __init__(self, op, reset=None):
        self.op = op
        self.reset = reset or (lambda: None)

    def once(self):
        clock = timeit.default_timer
        enabled = gc.isenabled()
        gc.disable()
        try:
            t0 = clock()
            self.op()
            t1 = clock()
        finally:
            if enabled:
                gc.enable()
        self.reset()
        return t1 - t0

    def sample(self, number):
        return sum(self.once() for _ in range(number)) * 1e9 / number

    # As in bench/src/orm.rs: a few operations per sample, however long one takes.
    MIN_NUMBER = 3

    def calibrate(self, sample_s):
        self.once()  # warm-up
        return max(self.MIN_NUMBER, int(sample_s / self.once()))


def orm_cases():
    cases = {}
    for n in (0, 10):
        # Listeners on a class are global: each count has its own class, as in Rust.
        cls = bench_class(f"bench{n}")
        for _ in range(n):
            event.listen(cls, "before_insert", make_listener())
            event.listen(cls, "load", make_listener())
        flush_engine = create_engine("sqlite://")
        load_engine = create_engine("sqlite://")
        for engine in (flush_engine, load_engine):
            cls.metadata.create_all(engine)

        def flush(cls=cls, engine=flush_engine):
            objects = [numbered(cls, i) for i in range(ORM_ROWS)]
            with Session(engine) as session:
                session.add_all(objects)
                session.commit()

        def empty(table=cls.__table__, engine=flush_engine):
            with engine.begin() as conn:
                conn.execute(table.delete())

        def load(cls=cls, engine=load_engine):
            with Session(engine) as session:
                return session.scalars(select(cls)).all()

        flush(engine=load_engine)
        assert len(load()) == ORM_ROWS
        cases[f"orm/flush-1000/{n}"] = OrmCase(flush, empty)
        cases[f"orm/load-1000/{n}"] = OrmCase(load)
    cases.update(raw_sqlite3_cases())
    return cases


class Person:
    """One row, as hand-written Python holds it."""

    __slots__ = ("id", "name", "email", "age", "note")

    def __init__(self, id, name, email, age, note):
        self.id = id
        self.name = name
        self.email = email
        self.age = age
        self.note = note


RAW_DDL = (
    "CREATE TABLE bench (id INTEGER NOT NULL, name VARCHAR NOT NULL, email VARCHAR NOT NULL, "
    "age INTEGER NOT NULL, note VARCHAR, PRIMARY KEY (id))"
)


def raw_sqlite3_cases():
    """The floor under SQLAlchemy: the sqlite3 module doing what the raw rusqlite cases do
    (one transaction, one cached INSERT per row reading back the key; one SELECT mapped
    into objects)."""

    def connection():
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute(RAW_DDL)
        return conn

    def insert(conn):
        rows = [
            Person(None, f"name {i}", f"user{i}@example.com", i % 100,
                   f"note {i}" if i % 2 == 0 else None)
            for i in range(ORM_ROWS)
        ]
        cursor = conn.cursor()
        cursor.execute("BEGIN")
        for row in rows:
            cursor.execute(
                "INSERT INTO bench (name, email, age, note) VALUES (?, ?, ?, ?)",
                (row.name, row.email, row.age, row.note),
            )
            row.id = cursor.lastrowid
        cursor.execute("COMMIT")
        return rows

    def select(conn):
        cursor = conn.execute("SELECT id, name, email, age, note FROM bench")
        return [Person(*row) for row in cursor.fetchall()]

    writer, reader = connection(), connection()
    insert(reader)
    assert len(select(reader)) == ORM_ROWS
    return {
        "orm/raw-sqlite3/insert-1000": OrmCase(
            lambda: insert(writer), lambda: writer.execute("DELETE FROM bench")
        ),
        "orm/raw-sqlite3/select-1000": OrmCase(lambda: select(reader)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--sample-ms", type=float)
    parser.add_argument("--only", default="", help="run only the cases whose name starts so")
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 21)
    sample_s = (args.sample_ms or (5 if args.quick else 20)) / 1000

    wanted = lambda name: name.startswith(args.only)  # noqa: E731
    timers = {name: t for name, t in fire_cases().items() if wanted(name)}
    numbers = {name: calibrate(t, sample_s) for name, t in timers.items()}
    registry = {
        f"{part}/{present}": RegistryCase(part, present)
        for part in ("listen", "remove", "contains")
        for present in (0, 1000)
        if wanted(f"{part}/{present}")
    }
    for case in registry.values():
        case.sample()  # warm-up
    orm = {name: case for name, case in orm_cases().items() if wanted(name)}
    numbers.update({name: case.calibrate(sample_s) for name, case in orm.items()})
    names = list(timers) + list(registry) + list(orm)
    samples = {name: [] for name in names}
    for r in range(rounds if names else 0):
        order = names[r % len(names):] + names[: r % len(names)]
        if r % 2:
            order.reverse()
        for name in order:
            if name in timers:
                t = timers[name].timeit(numbers[name])
                samples[name].append(t * 1e9 / numbers[name])
            elif name in orm:
                samples[name].append(orm[name].sample(numbers[name]))
            else:
                samples[name].append(registry[name].sample())
    out = {
        "sqlalchemy": sqlalchemy.__version__,
        "python": platform.python_version(),
        "rounds": rounds,
        "cases": [
            {
                "id": "sqlalchemy/" + name,
                "median_ns": statistics.median(s),
                "min_ns": min(s),
            }
            for name, s in samples.items()
        ],
    }
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
