"""A 600 ms query under a 200 ms timeout: through a blocking client, through
an async one, and through the async one while a neighbour task uses the
blocking client for 500 ms.

The blocking client holds the loop (no timeout); the async one awaits (the
timeout fires on time); the neighbour's block holds the timeout back until
it ends (300 ms late).
"""

import asyncio
import time

from case import run


class BlockingClient:
    """A client without asyncio support: get() blocks the thread."""

    def __init__(self, latency):
        self.latency = latency

    def get(self, key):
        time.sleep(self.latency)  # waits for the reply, holding the loop
        return f"{key}=alice"


class AsyncClient:
    def __init__(self, latency):
        self.latency = latency

    async def get(self, key):
        await asyncio.sleep(self.latency)  # waits for the reply, the loop runs on
        return f"{key}=alice"


def load_profile(client, user):
    """A synchronous helper between the handler and the client."""
    return client.get(f"user:{user}")


async def handler(client):
    return load_profile(client, 42)


async def main():
    await run("blocking client", handler(BlockingClient(0.6)), timeout=0.2)
    await run("async client", AsyncClient(0.6).get("user:42"), timeout=0.2)

    async def warm_cache():
        BlockingClient(0.5).get("user:7")

    warmer = asyncio.create_task(warm_cache())
    case = "async client, blocking neighbour"
    await run(case, AsyncClient(0.6).get("user:42"), timeout=0.2)
    await warmer


if __name__ == "__main__":
    asyncio.run(main())
