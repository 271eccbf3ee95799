"""The fix for a blocking call: asyncio.to_thread. A 600 ms blocking call
under a 200 ms timeout, inline and on a thread.

Inline it holds the loop: no timeout. On a thread the loop runs on and the
timeout fires on time; the thread cannot be interrupted and runs to its
end (asyncio.run waits for it before it returns), its result dropped.
"""

import asyncio
import time

from case import run


async def inline():
    time.sleep(0.6)
    return "done"


def blocking_call():
    time.sleep(0.6)
    return "done"


async def main():
    await run("inline", inline(), timeout=0.2)
    await run("on a thread", asyncio.to_thread(blocking_call), timeout=0.2)


if __name__ == "__main__":
    asyncio.run(main())
