//! The write-up's three Python programs, written the way the Python is, and
//! its remarks on `wait_for`: the table of yields after a block, and a
//! future that is already done.
//!
//! The programs say exactly what the Python prints (through [`Env::say`],
//! which is `print`), with the same durations, so that on the real clock
//! `diff <(python3 blocking_task.py) <(cargo run -q --example blocking_task)`
//! is empty.

use crate::common::{ms, secs, Case, Env, Outcome, Report, Timing};
use std::fmt;
use std::future::Future;
use std::time::Duration;
use waitfor::{sleep, spawn, yield_now};

/// ```python
/// async def blocking_task():
///     print("blocking task started")
///     time.sleep(5)  #simulates blocking operation
///     print("blocking task finished")
///     return "done"
///
/// async def main():
///     try:
///         result = await asyncio.wait_for(blocking_task(), timeout=1)
///         print(f"result: {result}")
///     except asyncio.TimeoutError:
///         print("timeout occurred")
/// ```
pub fn blocking_task(env: &Env) -> Vec<Report> {
    let case = Case::new(
        "as written",
        "time.sleep(5) inside the coroutine holds the loop for 5 s",
        secs(5),
        Timing::Never,
    );
    vec![env.run_case(case, python_main(env, blocking_task_coro(env)))]
}

/// The first two programs' `main()`: the coroutine under a 1 s timeout,
/// then print the result or "timeout occurred".
async fn python_main(env: &Env, coroutine: impl Future<Output = &'static str>) -> Outcome {
    match env.wait_for(coroutine, secs(1)).await {
        Ok(result) => {
            env.say(format!("result: {result}"));
            Outcome::Ok(format!("{result:?}"))
        }
        Err(_) => {
            env.say("timeout occurred");
            Outcome::TimedOut
        }
    }
}

async fn blocking_task_coro(env: &Env) -> &'static str {
    env.say("blocking task started");
    env.block(secs(5)); // time.sleep(5): simulates a blocking operation
    env.say("blocking task finished");
    "done"
}

/// ```python
/// async def async_task():
///     print("async task started")
///     await asyncio.sleep(3)  #yielding and making the loop go on
///     print("async task finished")
///     return "done"
///
/// # main() as in blocking_task, with async_task()
/// ```
pub fn async_task(env: &Env) -> Vec<Report> {
    let case = Case::new(
        "as written",
        "await asyncio.sleep(3) gives the loop back: the 1 s timer fires",
        secs(3),
        Timing::OnTime,
    );
    vec![env.run_case(case, python_main(env, async_task_coro(env)))]
}

async fn async_task_coro(env: &Env) -> &'static str {
    env.say("async task started");
    sleep(secs(3)).await; // yielding and making the loop go on
    env.say("async task finished");
    "done"
}

/// Python's `ValueError`.
#[derive(Debug)]
pub struct ValueError(pub &'static str);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// ```python
/// async def problematic_async_task():
///     print("task started")
///     await asyncio.sleep(0.5)
///     raise ValueError("something went bad!")
///
/// async def main():
///     try:
///         result = await asyncio.wait_for(problematic_async_task(), timeout=1)
///         print(f"result: {result}")
///     except asyncio.TimeoutError:
///         print("timeout error")
///     except ValueError as e:
///         print(f"value error: {e}")
/// ```
pub fn problematic_async_task(env: &Env) -> Vec<Report> {
    let case = Case::new(
        "as written",
        "the error after 0.5 s comes through; the 1 s timeout has no part in it",
        ms(500),
        Timing::OnTime,
    );
    let report = env.run_case(case, async {
        let result = env
            .wait_for(problematic_async_task_coro(env), secs(1))
            .await;
        match &result {
            Ok(Ok(result)) => env.say(format!("result: {result}")),
            Err(_) => env.say("timeout error"),
            Ok(Err(e)) => env.say(format!("value error: {e}")),
        }
        Outcome::of_fallible(&result)
    });
    vec![report]
}

async fn problematic_async_task_coro(env: &Env) -> Result<&'static str, ValueError> {
    env.say("task started");
    sleep(ms(500)).await;
    Err(ValueError("something went bad!"))
}

/// The table in the executor's docs, shortened: a 500 ms block under a
/// 100 ms timeout, then 0, 1 or 2 yields. CPython 3.12 and tokio answer the
/// same: `Ok`, `Ok`, `Err` 400 ms late.
pub fn yield_table(env: &Env) -> Vec<Report> {
    const CASES: [Case; 3] = [
        Case::new(
            "0 yields",
            "returns right after the block: the timer never got a turn",
            ms(500),
            Timing::Never,
        ),
        Case::new(
            "1 yield",
            "the timer fires during the yield, but wait_for polls the future first",
            ms(500),
            Timing::Never,
        ),
        Case::new(
            "2 yields",
            "the second yield lets wait_for see the fired timer",
            ms(500),
            Timing::Late,
        ),
    ];
    (0..3)
        .map(|yields| {
            env.run_case(CASES[yields], async move {
                let blocked_then_yields = async {
                    env.block(ms(500));
                    for _ in 0..yields {
                        yield_now().await;
                    }
                    "done"
                };
                Outcome::of(&env.wait_for(blocked_then_yields, ms(100)).await)
            })
        })
        .collect()
}

/// "If a task is already completed when `asyncio.wait_for` is called, then
/// the timeout is not considered": `wait_for` polls the future before the
/// timer, so a future that is ready at once wins even against a zero
/// timeout. One that needs time loses at once.
pub fn already_done(env: &Env) -> Vec<Report> {
    let ready = Case::new(
        "ready future, timeout 0",
        "std::future::ready(\"done\"): ready on its first poll",
        Duration::ZERO,
        Timing::OnTime,
    );
    let finished = Case::new(
        "finished task, timeout 0",
        "the JoinHandle of a task that has already run to the end",
        Duration::ZERO,
        Timing::OnTime,
    );
    let needs_time = Case::new(
        "sleep(100 ms), timeout 0",
        "a future that is not ready yet: the timeout fires at once",
        ms(100),
        Timing::OnTime,
    );
    vec![
        env.run_case(ready, async {
            Outcome::of(
                &env.wait_for(std::future::ready("done"), Duration::ZERO)
                    .await,
            )
        }),
        env.run_case(finished, async {
            let task = spawn(async { "done" });
            yield_now().await; // the task runs, and finishes, in this turn
            Outcome::of_fallible(&env.wait_for(task, Duration::ZERO).await)
        }),
        env.run_case(needs_time, async {
            let needs_time = async {
                sleep(ms(100)).await;
                "done"
            };
            Outcome::of(&env.wait_for(needs_time, Duration::ZERO).await)
        }),
    ]
}
