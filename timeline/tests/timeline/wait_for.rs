//! What the timelines say about each `wait_for`, in the cases they must
//! tell apart: a timeout never filed (the future blocked and returned on
//! its first poll), one that fired late, one that fired late and lost, one
//! cancelled because the future finished first, a sleep inside the task
//! beside its timeout, a fire late only by the tick's rounding; and axes in
//! µs, and a bounded picture of many timers. Each case asserts the words,
//! the marks and where they fall, so that no picture can again say "every
//! timer fired on time" where no timer was filed.

use super::{assert_balanced, dump, traced, MS, SECOND};
use std::time::Duration;
use waitfor_executor::trace::{EventKind, Trace};
use waitfor_executor::{advance, sleep, task, wait_for, yield_now, Executor};
use waitfor_timeline::{render_ascii, render_svg, render_svg_titled};

/// The cases the timelines must tell apart: a timeout never filed, one that
/// fired late, one that fired late and lost, one cancelled because the
/// future finished first, and a sleep inside the task beside its timeout.
/// Each returns its trace; `dump` writes `NAME.txt` and `NAME.svg`.
fn wait_for_case(name: &str, blocking: Duration, yields: usize) -> Trace {
    in_task(name, async move {
        let inner = async move {
            advance(blocking); // time.sleep(...): no yield
            for _ in 0..yields {
                yield_now().await;
            }
        };
        let _ = wait_for(inner, SECOND).await;
    })
}

/// Runs `body` in a task named `name` on a traced virtual clock, and
/// returns the trace (dumped as `name`).
fn in_task(name: &str, body: impl std::future::Future<Output = ()> + 'static) -> Trace {
    let executor = traced(4096);
    executor.block_on(async {
        let task = task::Builder::new().name(name).spawn(body);
        task.await.unwrap();
    });
    let trace = executor.trace().unwrap();
    dump(name, &trace);
    trace
}

/// The column of the ASCII timeline's tick labelled `label` (not the last).
fn tick_column(ascii: &str, label: &str) -> usize {
    let ruler = ascii
        .lines()
        .position(|line| line.trim_start().starts_with("+--"));
    let labels = ascii.lines().nth(ruler.expect("a ruler") + 1).unwrap();
    let at = format!(" {label} ");
    labels
        .find(&at)
        .unwrap_or_else(|| panic!("no tick {label} in\n{ascii}"))
        + 1
}

/// The text with its line breaks and runs of spaces as single spaces.
fn flatten(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column of the first `mark` in a row's plot (after its label).
fn mark_column(row: &str, mark: char) -> usize {
    let plot = row.find('|').expect("a plot");
    plot + row[plot..]
        .find(mark)
        .unwrap_or_else(|| panic!("no {mark:?} in {row}"))
}

/// The row of the ASCII timeline whose label is `label`, and the next one.
fn two_rows<'a>(ascii: &'a str, label: &str) -> (&'a str, &'a str) {
    let mut lines = ascii.lines();
    let first = lines.find(|line| line.contains(&format!("{label} |")));
    let first = first.unwrap_or_else(|| panic!("no row {label} in\n{ascii}"));
    (first, lines.next().unwrap_or(""))
}

#[test]
fn a_timeout_that_was_never_filed_is_drawn_with_its_deadline_and_why() {
    // The write-up's blocking_task: the future blocks 5 s and returns on its
    // first poll, so wait_for never gets to file its timer.
    let trace = wait_for_case("blocking_task", 5 * SECOND, 0);
    let filed = trace.events().iter().filter(|e| {
        matches!(
            e.kind,
            EventKind::TimerInsert { .. } | EventKind::WaitForTimerFiled { .. }
        )
    });
    assert_eq!(filed.count(), 0, "no timer was filed");
    let never = "never filed, because the poll that would have filed it returned the result \
                 (Ok at 5 s, 4 s after the deadline)";

    let ascii = render_ascii(&trace, 100);
    let (timeout, owner) = two_rows(&ascii, "timeout of wait_for, 1 s");
    assert!(owner.contains("in task `blocking_task` |"), "\n{ascii}");
    let plot = &timeout[timeout.find('|').unwrap()..];
    assert!(plot.contains(" never filed "), "\n{ascii}");
    assert!(!plot.contains(['+', '*', '!']), "no timer drawn\n{ascii}");
    // Created at 0 s, due at 1 s, returned at 5 s, the end of the plot.
    assert_eq!(
        mark_column(timeout, 'o'),
        tick_column(&ascii, "0 s"),
        "\n{ascii}"
    );
    assert_eq!(
        mark_column(timeout, '^'),
        tick_column(&ascii, "1 s"),
        "\n{ascii}"
    );
    assert!(plot.ends_with(">|"), "\n{ascii}");
    let flat = flatten(&ascii);
    assert!(flat.contains(never), "\n{ascii}");
    assert!(flat.contains("while a 5 s poll of task `blocking_task` held the loop"));

    // The tour's width: the sentence wraps.
    let narrow = render_ascii(&trace, 72);
    assert!(narrow.lines().all(|line| line.len() <= 72), "\n{narrow}");
    assert!(flatten(&narrow).contains(never), "\n{narrow}");

    let svg = render_svg_titled(&trace, "blocking_task: no yield");
    assert!(svg.contains(">blocking_task: no yield</text>"));
    assert!(
        !svg.contains("waitfor trace"),
        "the caller's title replaces the default"
    );
    assert!(
        svg.contains(&format!(">{never}</text>")),
        "the words above its line"
    );
    assert!(
        svg.contains(&format!(": {never}</text>")),
        "and in the header"
    );
    assert!(svg.contains(">timeout of wait_for, 1 s</text>"));
    assert!(svg.contains(">in task `blocking_task`</text>"));
    let deadline = "(timeout 1 s, due at 1 s): its deadline, 1 s</title>";
    assert!(svg.contains(deadline), "the deadline is drawn");
    assert!(svg.contains("overdue, and its timer never filed"));
    assert!(svg.contains("returned Ok at 5 s"));
    for claim in ["all on time", "fired on time:", "every timer"] {
        assert!(!svg.contains(claim), "nothing claims a timer fired on time");
    }
    assert_balanced(&svg);
}

#[test]
fn a_timeout_that_fired_late_says_how_late_and_what_wait_for_returned() {
    // Blocks 5 s, then yields twice: the timer is filed overdue at 5 s,
    // fires at the next timer step, and the second yield lets it win.
    let trace = wait_for_case("yields_twice", 5 * SECOND, 2);
    let words = "fired 4 s late: Err(Elapsed) at 5 s";
    let ascii = render_ascii(&trace, 100);
    let (timeout, _) = two_rows(&ascii, "timeout of wait_for, 1 s");
    assert!(
        timeout.contains(" 4 s late ") && timeout.contains('!'),
        "\n{ascii}"
    );
    assert!(ascii.contains(words), "\n{ascii}");
    let svg = render_svg_titled(&trace, "yield_table: 2 yields");
    assert!(svg.contains(&format!(">{words}</text>")));
    assert!(svg.contains("returned Err(Elapsed) at 5 s"));
    assert!(!svg.contains("never filed</title>"));
}

#[test]
fn a_timeout_that_fired_late_but_lost_says_the_future_was_polled_first() {
    // Blocks 5 s, then yields once: the timer fires at 5 s, but the next
    // poll runs the future first, and it finishes.
    let trace = wait_for_case("yields_once", 5 * SECOND, 1);
    let words = "fired 4 s late, but the future was polled first and finished: Ok at 5 s";
    let flat = flatten(&render_ascii(&trace, 100));
    assert!(flat.contains(words), "{flat}");
    let svg = render_svg(&trace);
    assert!(svg.contains(&format!(">{words}</text>")));
    assert!(svg.contains("returned Ok at 5 s"));
}

#[test]
fn a_timeout_cancelled_because_the_future_finished_first_says_so() {
    let trace = in_task("quick", async {
        wait_for(sleep(500 * MS), SECOND).await.unwrap();
    });
    let words = "cancelled: the future finished first (Ok at 500 ms)";
    let ascii = render_ascii(&trace, 100);
    let (timeout, _) = two_rows(&ascii, "timeout of wait_for, 1 s");
    assert!(!timeout.contains(['~', '!', '*']), "\n{ascii}");
    // Cancelled at 500 ms, as the sleep fired; its deadline, at 1 s, is
    // still drawn.
    let (sleep_row, _) = two_rows(&ascii, "sleep(500 ms)");
    assert_eq!(
        mark_column(timeout, 'x'),
        mark_column(sleep_row, '*'),
        "\n{ascii}"
    );
    assert!(timeout.ends_with("^|"), "\n{ascii}");
    assert!(flatten(&ascii).contains(words), "\n{ascii}");
    let svg = render_svg(&trace);
    assert!(svg.contains(&format!(">{words}</text>")));
    assert!(!svg.contains("s late"), "nothing was late");
}

#[test]
fn a_sleep_inside_the_task_has_its_own_row_beside_the_timeout() {
    // The write-up's async_task: sleep(3 s) under a 1 s timeout.
    let trace = in_task("async_task", async {
        wait_for(sleep(3 * SECOND), SECOND).await.unwrap_err();
    });
    let ascii = render_ascii(&trace, 100);
    let (timeout, owner) = two_rows(&ascii, "timeout of wait_for, 1 s");
    assert!(owner.contains("in task `async_task` |"), "\n{ascii}");
    assert!(
        timeout.contains('*') && !timeout.contains('!'),
        "on time\n{ascii}"
    );
    let (sleep_row, owner) = two_rows(&ascii, "sleep(3 s)");
    assert!(owner.contains("in task `async_task` |"), "\n{ascii}");
    // Filed at 0 s, cancelled when the timeout won at 1 s, the plot's end.
    assert_eq!(
        mark_column(sleep_row, '+'),
        tick_column(&ascii, "0.0 s"),
        "\n{ascii}"
    );
    assert!(sleep_row.ends_with("x|"), "\n{ascii}");
    let words = "fired on time: Err(Elapsed) at 1 s";
    assert!(ascii.contains(words), "\n{ascii}");
    let svg = render_svg_titled(&trace, "async_task");
    for text in [
        ">timeout of wait_for, 1 s<",
        ">sleep(3 s)<",
        ">in task `async_task`<",
    ] {
        assert!(svg.contains(text), "no {text:?} in the SVG");
    }
    assert!(svg.contains(&format!(">{words}</text>")));
}

#[test]
fn a_sub_millisecond_trace_has_its_axis_in_microseconds() {
    let executor = Executor::builder()
        .virtual_clock()
        .tick(Duration::from_micros(1))
        .trace(256)
        .build();
    let micros = Duration::from_micros;
    executor.block_on(async {
        wait_for(sleep(micros(800)), micros(300)).await.unwrap_err();
    });
    let trace = executor.trace().unwrap();
    dump("microseconds", &trace);
    let svg = render_svg(&trace);
    for text in [
        ">0 µs<",
        ">300 µs<",
        "(µs)<",
        ">timeout of wait_for, 300 µs<",
        ">sleep(800 µs)<",
    ] {
        assert!(svg.contains(text), "no {text:?} in the SVG");
    }
    assert!(!svg.contains("0.000"), "no seconds with zeros");
    let ascii = render_ascii(&trace, 80);
    assert!(ascii.is_ascii(), "\n{ascii}");
    assert!(
        ascii.contains("0 us") && ascii.contains("300 us"),
        "\n{ascii}"
    );
}

#[test]
fn a_return_later_than_the_fire_says_how_long_after_the_deadline() {
    // cpu_bound with a yield every 10 ms: the timer fires on time at
    // 200 ms, but wait_for polls the future first, which runs 10 ms more.
    let executor = traced(1024);
    executor.block_on(async {
        let busy = async {
            loop {
                advance(10 * MS);
                yield_now().await;
            }
        };
        wait_for(busy, 200 * MS).await.unwrap_err();
    });
    let trace = executor.trace().unwrap();
    let words = "fired on time: Err(Elapsed) at 210 ms, 10 ms after the deadline";
    assert!(flatten(&render_ascii(&trace, 100)).contains(words));
    assert!(render_svg(&trace).contains(&format!(">{words}</text>")));
}

#[test]
fn many_timers_make_a_bounded_picture() {
    // Twelve kinds of sleep, and a hundred wait_fors of one kind.
    let trace = in_task("busy", async {
        for ms in 1..=12 {
            sleep(ms * MS).await;
        }
        for _ in 0..100 {
            wait_for(sleep(MS), SECOND).await.unwrap();
        }
    });
    let ascii = render_ascii(&trace, 100);
    let kinds = ascii
        .lines()
        .filter(|line| line.trim_start().starts_with("sleep("));
    assert_eq!(kinds.count(), 7, "eight rows of one kind each\n{ascii}");
    assert_eq!(ascii.matches("other timers |").count(), 1, "\n{ascii}");
    assert_eq!(ascii.matches("timeout of wait_for, 1 s |").count(), 1);
    assert!(ascii.contains("wait_for (100):") && ascii.contains("... and 92 more"));
    let svg = render_svg(&trace);
    assert!(svg.contains("... and 96 more wait_for"));
    assert_balanced(&svg);
}

#[test]
fn a_fire_late_only_by_the_ticks_rounding_says_so() {
    // A 10 ms tick: a deadline at 103 ms is filed at the 110 ms tick.
    let executor = Executor::builder()
        .virtual_clock()
        .tick(10 * MS)
        .trace(256)
        .build();
    let elapsed = executor.block_on(async {
        advance(3 * MS);
        wait_for(std::future::pending::<()>(), 100 * MS)
            .await
            .unwrap_err()
    });
    assert_eq!(elapsed.lateness(), 7 * MS);
    let trace = executor.trace().unwrap();
    let words = "fired at its tick, 7 ms after the deadline: Err(Elapsed) at 110 ms";
    assert!(flatten(&render_ascii(&trace, 100)).contains(words));
    let svg = render_svg(&trace);
    assert!(svg.contains(&format!(">{words}</text>")));
    let blame_line = r#"stroke-dasharray="3 3""#;
    assert!(
        !svg.contains(blame_line),
        "nothing overdue to blame a poll for"
    );
}

#[test]
fn a_deadline_beyond_the_axis_is_not_drawn_at_its_edge() {
    // Done in 10 ms under a 1 h timeout: the axis does not stretch to the
    // deadline, and no deadline bar stands at its right edge.
    let trace = in_task("quick", async {
        wait_for(sleep(10 * MS), Duration::from_secs(3600))
            .await
            .unwrap();
    });
    let svg = render_svg(&trace);
    assert!(svg.contains("(timeout 3600 s, due at 3600 s)"));
    assert!(!svg.contains("its deadline"), "no deadline bar");
    let ascii = render_ascii(&trace, 100);
    let (timeout, _) = two_rows(&ascii, "timeout of wait_for, 3600 s");
    assert!(
        !timeout.contains('^') && timeout.ends_with("x|"),
        "\n{ascii}"
    );
}
