"""Runs one program of this folder, as `python3 program.py` would, and says
on stderr what each of its asyncio.wait_for calls returned and when.

    python3 peers/python/observe.py yield_table

The program's own output goes to stdout untouched. observe.py replaces
asyncio.wait_for with a wrapper that awaits the real one in the same task
(so the program behaves as it does alone) and, when it returns or raises,
writes one tab-separated line to stderr:

    observed  CASE  OUTCOME  TIMED_OUT(0|1)  TIMEOUT_US  RETURNED_AFTER_US

OUTCOME is the result (a string in double quotes) or the exception's type.
CASE is case.current: the name the program gave the case, or "as written"
for the write-up's programs, which have one case each.

A program's main() is a coroutine, run with asyncio.run, or a plain
function that drives event loops of its own (host_loop.py), called as is.
"""

import asyncio
import importlib
import inspect
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import case  # noqa: E402  (the programs' own helper, found next to this file)


def report(outcome, timed_out, timeout, began):
    returned_after = asyncio.get_running_loop().time() - began
    fields = [case.current, outcome, "1" if timed_out else "0",
              str(round(timeout * 1e6)), str(round(returned_after * 1e6))]
    print("observed\t" + "\t".join(fields), file=sys.stderr, flush=True)


def watch(wait_for):
    async def observed_wait_for(awaitable, timeout):
        began = asyncio.get_running_loop().time()
        try:
            result = await wait_for(awaitable, timeout)
        except Exception as error:
            report(type(error).__name__, isinstance(error, TimeoutError), timeout, began)
            raise
        shown = json.dumps(result) if isinstance(result, str) else repr(result)
        report(shown, False, timeout, began)
        return result

    return observed_wait_for


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PROGRAM  (a program of {pathlib.Path(__file__).parent})")
    program = importlib.import_module(sys.argv[1])
    asyncio.wait_for = watch(asyncio.wait_for)
    if inspect.iscoroutinefunction(program.main):
        asyncio.run(program.main())
    else:
        program.main()


if __name__ == "__main__":
    main()
