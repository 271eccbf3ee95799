"""The write-up's "if a task is already completed when asyncio.wait_for is
called, then the timeout is not considered", under a zero timeout.

A finished task returns its result. A coroutine that would return at once
is not finished yet: wait_for(timeout=0) wraps it in a task and cancels it
before it runs (TimeoutError), on 3.11 and 3.12 alike. A sleep times out.
"""

import asyncio

from case import run


async def ready():
    return "done"


async def main():
    await run("ready future, timeout 0", ready(), timeout=0)
    task = asyncio.create_task(ready())
    while not task.done():
        await asyncio.sleep(0)
    await run("finished task, timeout 0", task, timeout=0)
    await run("sleep(100 ms), timeout 0", asyncio.sleep(0.1, "done"), timeout=0)


if __name__ == "__main__":
    asyncio.run(main())
