"""600 steps of 1 ms of CPU work under a 200 ms timeout, without and with
an `await asyncio.sleep(0)` every 5 steps.

Without a yield the loop never gets control: the work runs to its end and
returns. With one, the loop fires the timeout at the first yield after the
deadline, and the next resumption raises CancelledError in the coroutine.
"""

import asyncio

from case import Work, run


async def crunch(yield_every):
    work = Work()
    for step in range(1, 601):
        work.step(0.001)
        if yield_every and step % yield_every == 0:
            await asyncio.sleep(0)
    return 600


async def main():
    await run("no yield", crunch(None), timeout=0.2)
    await run("yield every 5 steps", crunch(5), timeout=0.2)


if __name__ == "__main__":
    asyncio.run(main())
