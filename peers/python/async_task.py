"""The write-up's second program: the same task with an await instead of the
blocking call.

asyncio.sleep(3) suspends the coroutine and gives the loop control, so the
loop fires the 1 s timeout on time: the coroutine is cancelled and
wait_for raises TimeoutError at 1 s.
"""

import asyncio


async def async_task():
    print("async task started")
    await asyncio.sleep(3)  # suspends: the loop runs on, timers included
    print("async task finished")
    return "done"


async def main():
    try:
        result = await asyncio.wait_for(async_task(), timeout=1)
        print(f"result: {result}")
    except asyncio.TimeoutError:
        print("timeout occurred")


if __name__ == "__main__":
    asyncio.run(main())
