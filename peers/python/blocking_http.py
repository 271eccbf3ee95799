"""The write-up's blocking HTTP client, on a real socket. A server on
127.0.0.1 answers after 600 ms; the timeout is 200 ms. The blocking client
(http.client, what `requests` does underneath) inline, an async client
(asyncio.open_connection, in the place of aiohttp), and the blocking client
on a thread (asyncio.to_thread).

Inline, the blocking read holds the loop: the reply comes back at 600 ms,
no timeout. The async client gives the loop back while it waits: the
timeout fires on time and the connection is closed. On a thread the
timeout fires on time too; the thread waits on for its reply (asyncio.run
waits for it before it returns).

Each case has a server of its own: a thread that answers one request and
stops, and that gives up if nobody connects within a few seconds.
"""

import asyncio
import http.client
import socket
import threading
import time

from case import run

SERVER_DELAY = 0.6
REPLY = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def slow_server():
    """Starts a server for one request on a free loopback port; its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)  # a server nobody calls stops by itself

    def serve():
        with listener:
            client, _ = listener.accept()
        with client:
            request = b""
            while not request.endswith(b"\r\n\r\n"):
                chunk = client.recv(1024)
                if not chunk:
                    return
                request += chunk
            time.sleep(SERVER_DELAY)
            try:
                client.sendall(REPLY)
            except OSError:
                pass  # the async client has hung up after its timeout

    threading.Thread(target=serve, daemon=True).start()
    return listener.getsockname()[1]


def blocking_get(port):
    """http.client, as requests.get() does it: blocks until the reply."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    try:
        connection.request("GET", "/slow")
        response = connection.getresponse()
        return f"{response.status} {response.reason}"
    finally:
        connection.close()


async def blocking_client(port):
    return blocking_get(port)


async def async_client(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(b"GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        await writer.drain()
        status = await reader.readline()  # waits for the reply, the loop runs on
        return status.decode().split(" ", 1)[1].strip()
    finally:
        writer.close()


async def main():
    await run("blocking client", blocking_client(slow_server()), timeout=0.2)
    await run("async client", async_client(slow_server()), timeout=0.2)
    on_a_thread = asyncio.to_thread(blocking_get, slow_server())
    await run("blocking client on a thread", on_a_thread, timeout=0.2)


if __name__ == "__main__":
    asyncio.run(main())
