"""The write-up's first program: a blocking call inside the coroutine, under
a 1 s timeout.

time.sleep(5) holds the event loop for 5 s. The loop services the timeout's
timer only when the coroutine gives it control back, and by then the
coroutine has returned: no timeout, "result: done" after 5 s.
"""

import asyncio
import time


async def blocking_task():
    print("blocking task started")
    time.sleep(5)  # blocks the thread, and so the loop, for 5 s
    print("blocking task finished")
    return "done"


async def main():
    try:
        result = await asyncio.wait_for(blocking_task(), timeout=1)
        print(f"result: {result}")
    except asyncio.TimeoutError:
        print("timeout occurred")


if __name__ == "__main__":
    asyncio.run(main())
