"""Draining a queue that never runs dry: 3,000 items already queued, 200 µs
of work each, under a 200 ms timeout.

`await queue.get()` on a queue that has an item returns it without
yielding, so the loop never gets control until the queue is empty: no
timeout. asyncio has no cooperative budget to turn on (tokio's makes a
receive yield every 128 items).
"""

import asyncio

from case import Work, run


async def drain(queue):
    work = Work()
    drained = 0
    while drained < 3000:
        await queue.get()  # an item is there: no yield
        work.step(0.0002)  # handle the item
        drained += 1
    return drained


async def main():
    queue = asyncio.Queue()
    for item in range(3000):
        queue.put_nowait(item)
    await run("budget off", drain(queue), timeout=0.2)


if __name__ == "__main__":
    asyncio.run(main())
