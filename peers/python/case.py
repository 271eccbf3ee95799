"""One case of a scenario: one asyncio.wait_for, and a line saying what came
back ("2 yields: TimeoutError").

The programs other than the write-up's three run their cases through run(),
which also tells observe.py (when it is watching) which case the wait_for
belongs to, in `current`.
"""

import asyncio
import time

current = "as written"


async def run(name, awaitable, timeout):
    global current
    current = name
    try:
        result = await asyncio.wait_for(awaitable, timeout)
    except asyncio.TimeoutError:
        result = "TimeoutError"
    print(f"{name}: {result}")


class Work:
    """CPU-bound work that holds the loop, done on a schedule: each step()
    busy-waits until its share of the total is due, counted from the first
    step, so that a busy machine (which takes the CPU away now and then)
    does not stretch the whole beyond its nominal length."""

    def __init__(self):
        self.until = time.perf_counter()

    def step(self, seconds):
        self.until += seconds
        while time.perf_counter() < self.until:
            pass
