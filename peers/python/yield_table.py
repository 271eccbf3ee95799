"""A 500 ms block under a 100 ms timeout, then 0, 1 or 2 yields.

On 3.12, wait_for runs the coroutine in the caller's task under
asyncio.timeout: after the block the coroutine is resumed before the
timeout's callback runs, so it finishes at its first yield; the second
yield lets the callback cancel it (TimeoutError, 400 ms late). On 3.11 the
coroutine is a task of its own, which finishes before the waiting task
looks: "done" whatever the yields.
"""

import asyncio
import time

from case import run


async def blocked_then_yields(yields):
    time.sleep(0.5)
    for _ in range(yields):
        await asyncio.sleep(0)  # one turn of the loop
    return "done"


async def main():
    for yields, name in enumerate(["0 yields", "1 yield", "2 yields"]):
        await run(name, blocked_then_yields(yields), timeout=0.1)


if __name__ == "__main__":
    asyncio.run(main())
