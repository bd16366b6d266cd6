#!/usr/bin/env python3
"""SQLAlchemy's dispatch and registry costs, for hooks' BENCHMARKS.md.

Fires the same events the Rust cases fire, through real SQLAlchemy objects:
the pool's ``checkin`` (instance-level listeners on the pool) and the
engine's ``before_cursor_execute`` fired through a Connection's joined
dispatcher (listeners on the engine), with 0, 1 and 10 no-op listeners; and
times ``event.listen`` / ``event.remove`` / ``event.contains`` per operation
with 0 and 1,000 listeners already on the target.

Method: every case is a ``timeit.Timer`` whose batch size is calibrated to
about ``--sample-ms``; cases are run round-robin (the starting case rotates
each round) so that bursts of load hit all cases evenly; the result is the
median (and min) over the rounds, in ns per operation. Prints JSON on stdout.

Usage: python sqlalchemy_bench.py [--quick] [--rounds N] [--sample-ms MS]
"""

import argparse
import json
import platform
import statistics
import sys
import timeit

import sqlalchemy
from sqlalchemy import create_engine, event


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--sample-ms", type=float)
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.quick else 21)
    sample_s = (args.sample_ms or (5 if args.quick else 20)) / 1000

    timers = fire_cases()
    numbers = {name: calibrate(t, sample_s) for name, t in timers.items()}
    registry = {
        f"{part}/{present}": RegistryCase(part, present)
        for part in ("listen", "remove", "contains")
        for present in (0, 1000)
    }
    for case in registry.values():
        case.sample()  # warm-up
    names = list(timers) + list(registry)
    samples = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        if r % 2:
            order.reverse()
        for name in order:
            if name in timers:
                t = timers[name].timeit(numbers[name])
                samples[name].append(t * 1e9 / numbers[name])
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
