"""The race CPython 3.12 decides the other way: the inner future and the
timeout come due in the same turn of the loop.

A sleep under a 100 ms timeout, while a neighbour task blocks the loop for
200 ms; the sleep is of 50 ms, then of 150 ms. When the block ends, both
timers are due, and the loop runs their callbacks in one turn, in deadline
order.

sleep(50 ms): the sleep's callback finishes the sleep and queues the
waiting task's wake-up; then the timeout's callback (3.12:
Timeout._on_timeout) cancels the task, whose wake-up is already queued, so
the finished sleep's result is dropped and wait_for raises TimeoutError.
On 3.11 the answer is TimeoutError too, for another reason: wait_for wraps
the sleep in a task of its own, which starts only in the next turn, after
the neighbour's block, so the sleep's 50 ms begin at 200 ms and the
timeout is the first to come due.

sleep(150 ms): the timeout's callback runs first and cancels the sleep
before its own callback can finish it: TimeoutError on both.

waitfor and tokio answer Ok to both: the task is woken once, and its poll
looks at the inner future first, which is done.
"""

import asyncio
import time

from case import run


async def neighbour():
    time.sleep(0.2)  # holds the loop while both deadlines pass


async def main():
    for name, inner in [("sleep(50 ms)", 0.05), ("sleep(150 ms)", 0.15)]:
        blocker = asyncio.create_task(neighbour())
        await run(name, asyncio.sleep(inner, "done"), timeout=0.1)
        await blocker


if __name__ == "__main__":
    asyncio.run(main())
