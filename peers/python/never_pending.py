"""A hand-written awaitable that never yields, and one that does.

Both wait for a resource that is ready 600 ms from now, checking it (1 ms
a check) under a 200 ms timeout. Spinning's __await__ loops until it is
ready without ever yielding to the loop: no timeout. Checking yields after
each check (a bare `yield` reschedules the task at once): the timeout fires.
"""

import asyncio
import time

from case import Work, run


class Resource:
    """Ready at `ready_at`; each check costs 1 ms of CPU."""

    def __init__(self, ready_at):
        self.ready_at = ready_at
        self.work = Work()

    def ready(self):
        self.work.step(0.001)
        return time.monotonic() >= self.ready_at


class Spinning(Resource):
    def __await__(self):
        while not self.ready():
            pass  # check again, without yielding
        return "resource ready"
        yield  # never reached: it only makes __await__ a generator


class Checking(Resource):
    def __await__(self):
        while not self.ready():
            yield  # not ready: give the loop a turn
        return "resource ready"


async def main():
    await run("never Pending", Spinning(time.monotonic() + 0.6), timeout=0.2)
    await run("Pending until ready", Checking(time.monotonic() + 0.6), timeout=0.2)


if __name__ == "__main__":
    asyncio.run(main())
