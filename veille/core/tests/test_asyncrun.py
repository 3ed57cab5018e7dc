import asyncio
import threading

from veille.core.asyncrun import run_sync


async def _answer(value):
    await asyncio.sleep(0)
    return value, threading.current_thread()


def test_runs_in_this_thread_without_a_loop():
    value, thread = run_sync(_answer(42))
    assert value == 42
    assert thread is threading.current_thread()


def test_runs_in_a_worker_thread_from_inside_a_running_loop():
    async def async_view():
        return run_sync(_answer("nested"))  # sync code called from a running loop

    value, thread = asyncio.run(async_view())
    assert value == "nested"
    assert thread is not threading.current_thread()
