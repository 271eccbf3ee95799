"""The write-up's third program: the coroutine fails before the timeout.

The ValueError raised after 0.5 s comes out of wait_for as it is; the 1 s
timeout plays no part, which can look as if it "did not work".
"""

import asyncio


async def problematic_async_task():
    print("task started")
    await asyncio.sleep(0.5)
    raise ValueError("something went bad!")


async def main():
    try:
        result = await asyncio.wait_for(problematic_async_task(), timeout=1)
        print(f"result: {result}")
    except asyncio.TimeoutError:
        print("timeout error")
    except ValueError as e:
        print(f"value error: {e}")


if __name__ == "__main__":
    asyncio.run(main())
