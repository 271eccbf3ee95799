"""An asyncio loop run by another framework's main loop: a GUI that draws a
frame every 250 ms and gives the loop turns only between frames, the way
Tk integrations do (`loop.call_soon(loop.stop); loop.run_forever()` runs
one iteration of the loop and returns). In the loop, a task waits 100 ms
for a reply that takes 600 ms.

Turns between frames: the timeout's timer is due at 100 ms, but nothing
runs it until the next frame's turns, at 250 ms, 150 ms late (the table's
times are rounded down to 100 ms). The fix is the host's, as qasync does it
inside Qt: it also wakes when the loop's next timer is due. asyncio has no
public call for either thing a host needs, so this reads the loop's own
state, as an integration must: `loop._ready` (callbacks that are ready,
to run turns until there are none) and `loop._scheduled` (the timers, a
heap: its first is the next due, in `loop.time()`, which is
`time.monotonic()`).
"""

import asyncio
import time

from case import run

FRAME = 0.25
TIMEOUT = 0.1
REPLY = 0.6


def one_turn(loop):
    """One iteration of the loop: due timers, then the ready callbacks."""
    loop.call_soon(loop.stop)
    loop.run_forever()


def main_loop(loop, honours_timers, done):
    """The GUI's main loop, until done(): a frame when one is due, the
    loop's turns until nothing is ready, then idle until the next frame, or,
    if it honours_timers, until the loop's next timer if sooner."""
    next_frame = time.monotonic()
    while True:
        if time.monotonic() >= next_frame:
            next_frame += FRAME  # a frame drawn
        one_turn(loop)
        while loop._ready:
            one_turn(loop)
        if done():
            return
        wake_at = next_frame
        if honours_timers and loop._scheduled:
            wake_at = min(wake_at, loop._scheduled[0].when())
        time.sleep(max(0.0, wake_at - time.monotonic()))  # the GUI's own wait


def under_a_gui(name, honours_timers):
    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(run(name, asyncio.sleep(REPLY), TIMEOUT))
        main_loop(loop, honours_timers, task.done)
        task.result()
    finally:
        loop.close()


def main():
    under_a_gui("turns between frames", honours_timers=False)
    under_a_gui("a turn at the next timer", honours_timers=True)


if __name__ == "__main__":
    main()
