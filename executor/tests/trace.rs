//! The trace: the events of known programs, in order and on the virtual
//! clock's exact instants; the bounded ring; task labels; and the ASCII and
//! SVG renderings of the write-up's blocking program.
//!
//! Set `WAITFOR_TRACE_DIR` to a directory to also write the renderings
//! there (`blocking.txt`, `blocking.svg`, `offloaded.txt`, `offloaded.svg`).

use std::time::Duration;
use waitfor_executor::trace::{EventKind, Trace, TraceEvent};
use waitfor_executor::{
    advance, sleep, spawn, spawn_blocking, task, wait_for, yield_now, Executor,
};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

fn traced(capacity: usize) -> Executor {
    Executor::builder()
        .virtual_clock()
        .trace(capacity)
        .on_slow_poll(|_| {})
        .build()
}

fn event(at: Duration, kind: EventKind) -> TraceEvent {
    TraceEvent { at, kind }
}

/// The write-up's blocking program, plus a task whose 500 ms sleeps starve too.
fn blocking_program() -> Trace {
    let executor = traced(1024);
    let outcome = executor.block_on(async {
        let ticker = task::Builder::new().name("ticker").spawn(async {
            for _ in 0..4 {
                sleep(500 * MS).await;
            }
        });
        let blocking_task = task::Builder::new().name("blocking_task").spawn(async {
            let blocking = async {
                advance(5 * SECOND); // time.sleep(5): no yield
                yield_now().await;
                yield_now().await;
                "done"
            };
            wait_for(blocking, SECOND).await
        });
        let outcome = blocking_task.await.unwrap();
        ticker.await.unwrap();
        outcome
    });
    assert_eq!(outcome.unwrap_err().lateness(), 4 * SECOND);
    executor.trace().unwrap()
}

/// The fix on the real clock: the blocking call runs on a pool thread, and
/// the timeout around it fires on time.
fn offloaded_program() -> Trace {
    let executor = Executor::builder().trace(1024).build();
    executor.block_on(async {
        let ticker = task::Builder::new().name("ticker").spawn(async {
            for _ in 0..6 {
                sleep(50 * MS).await;
            }
        });
        let job = spawn_blocking(|| std::thread::sleep(200 * MS));
        let outcome = wait_for(job, 100 * MS).await;
        assert!(outcome.is_err(), "the timeout fires while the job runs");
        sleep(150 * MS).await; // the job ends meanwhile
        ticker.await.unwrap();
    });
    executor.trace().unwrap()
}

fn dump(name: &str, trace: &Trace) {
    if let Some(dir) = std::env::var_os("WAITFOR_TRACE_DIR") {
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join(format!("{name}.txt")), trace.render_ascii(100)).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), trace.render_svg()).unwrap();
    }
}

#[test]
fn a_sleep_records_its_poll_timer_park_and_fire_in_order() {
    let executor = traced(64);
    executor.block_on(async { sleep(40 * MS).await });
    let main = match executor.trace().unwrap().events()[0].kind {
        EventKind::PollStart { task } => task,
        ref other => panic!("the trace starts with {other:?}"),
    };
    let expected = [
        event(Duration::ZERO, EventKind::PollStart { task: main }),
        event(
            Duration::ZERO,
            EventKind::TimerInsert {
                deadline: 40 * MS,
                requested: 40 * MS,
            },
        ),
        event(Duration::ZERO, EventKind::PollEnd { task: main }),
        event(
            Duration::ZERO,
            EventKind::Park {
                until: Some(40 * MS),
            },
        ),
        event(40 * MS, EventKind::Unpark),
        event(40 * MS, EventKind::TimerFire { deadline: 40 * MS }),
        event(40 * MS, EventKind::PollStart { task: main }),
        event(40 * MS, EventKind::PollEnd { task: main }),
    ];
    let trace = executor.trace().unwrap();
    assert_eq!(trace.events(), expected);
    assert_eq!(trace.dropped(), 0);
}

#[test]
fn a_fire_after_a_blocking_poll_records_its_lateness() {
    let executor = traced(64);
    executor.block_on(async {
        drop(spawn(async { advance(3 * SECOND) }));
        sleep(SECOND).await;
    });
    let trace = executor.trace().unwrap();
    let fires: Vec<(Duration, Duration)> = trace
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TimerFire { deadline } => Some((deadline, e.at - deadline)),
            _ => None,
        })
        .collect();
    assert_eq!(fires, [(SECOND, 2 * SECOND)], "(deadline, lateness)");
    // The poll that blocked ends at 3 s, before the timer's step.
    let block_end = trace
        .events()
        .iter()
        .position(|e| e.at == 3 * SECOND)
        .unwrap();
    assert!(matches!(
        trace.events()[block_end].kind,
        EventKind::PollEnd { .. }
    ));
    assert!(matches!(
        trace.events()[block_end + 1].kind,
        EventKind::TimerFire { .. }
    ));
}

#[test]
fn the_ring_keeps_the_newest_events_and_counts_the_dropped() {
    let program = || async {
        for _ in 0..5 {
            sleep(10 * MS).await;
        }
    };
    let (full, small) = (traced(1024), traced(4));
    full.block_on(program());
    small.block_on(program());
    let (full, small) = (full.trace().unwrap(), small.trace().unwrap());
    assert_eq!(full.dropped(), 0);
    assert_eq!(small.events().len(), 4);
    assert_eq!(small.dropped() as usize, full.events().len() - 4);
    assert_eq!(small.events(), &full.events()[full.events().len() - 4..]);
    // A trace missing its beginning still renders.
    assert!(small.render_ascii(80).contains("older events dropped"));
    assert!(small.render_svg().ends_with("</svg>\n"));
}

#[test]
fn tasks_are_labelled_by_name_or_spawn_site() {
    let executor = traced(64);
    executor.block_on(async {
        task::Builder::new()
            .name("fetch")
            .spawn(async {})
            .await
            .unwrap();
        spawn(async {}).await.unwrap();
    });
    let trace = executor.trace().unwrap();
    let mut labels: Vec<String> = Vec::new();
    for e in trace.events() {
        if let EventKind::PollStart { task } = e.kind {
            let label = trace.label(task);
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
    }
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert_eq!(labels[1], "task `fetch`");
    assert!(labels[2].contains("spawned at") && labels[2].contains("trace.rs"));
}

fn row<'a>(ascii: &'a str, label: &str) -> &'a str {
    let line = ascii
        .lines()
        .find(|line| line.contains(&format!("{label} |")));
    line.unwrap_or_else(|| panic!("no row {label} in\n{ascii}"))
}

fn longest_run(row: &str, mark: char) -> usize {
    let plot = &row[row.find('|').unwrap()..];
    plot.split(|c| c != mark).map(str::len).max().unwrap_or(0)
}

#[test]
fn the_ascii_timeline_shows_the_blocked_poll_above_the_late_timers() {
    let trace = blocking_program();
    dump("blocking", &trace);
    let ascii = trace.render_ascii(100);
    assert_eq!(ascii, trace.render_ascii(100), "deterministic");
    assert!(ascii.lines().all(|line| line.len() <= 100), "\n{ascii}");
    let blocked = longest_run(row(&ascii, "task `blocking_task`"), '#');
    let ticker = longest_run(row(&ascii, "task `ticker`"), '#');
    assert!(ticker >= 1 && blocked >= 40 * ticker, "\n{ascii}");
    let timeout = row(&ascii, "timeout of wait_for, 1 s");
    let sleeps = row(&ascii, "sleep(500 ms)");
    assert!(
        timeout.contains(" 4 s late ") && timeout.contains('!'),
        "\n{ascii}"
    );
    assert!(
        sleeps.contains(" 4.5 s late ") && sleeps.contains('!'),
        "\n{ascii}"
    );
    assert!(
        ascii.contains(" in task `ticker` |"),
        "the owner, under the row's label\n{ascii}"
    );
    assert!(row(&ascii, "block_on").contains('#'));
    assert!(row(&ascii, "loop").contains('.'));
    for key in [
        "0 s",
        "5 s",
        "late timers (1)",
        "4.5 s late: sleep(500 ms) in task `ticker`, due at 500 ms",
        "wait_for in task `blocking_task` (timeout 1 s, due at 1 s): fired 4 s late: Err(Elapsed) at 5 s",
        "poll of task `blocking_task` held",
    ] {
        assert!(ascii.contains(key), "no {key:?} in\n{ascii}");
    }
    // The block ends at 5 s: the late fires are in the bar's last column.
    let end_of_bar = row(&ascii, "task `blocking_task`").rfind("##").unwrap() + 1;
    assert_eq!(timeout.find('!'), Some(end_of_bar), "\n{ascii}");
    assert_eq!(sleeps.find('!'), Some(end_of_bar), "\n{ascii}");
    // Narrow terminals still get every row.
    let narrow = trace.render_ascii(60);
    assert!(narrow.contains("task `blocking_task` |") && narrow.contains("sleep(500 ms) |"));
    // Virtual time makes the picture exact: 10 columns a second at 100 wide.
    let rows = [
        "    task `blocking_task` |###################################################                   |",
        "timeout of wait_for, 1 s |o---------^~~~~~~~~~~~~~~ 4 s late ~~~~~~~~~~~~~~~!                   |",
        "           sleep(500 ms) |+----~~~~~~~~~~~~~~~~~ 4.5 s late ~~~~~~~~~~~~~~~~!----*----*----*    |",
        "                          0 s       1 s       2 s       3 s       4 s       5 s       6 s     7 s",
    ];
    for expected in rows {
        assert!(
            ascii.lines().any(|line| line == expected),
            "no row\n{expected}\nin\n{ascii}"
        );
    }
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn the_ascii_timeline_draws_blocking_jobs_on_their_own_row() {
    let trace = offloaded_program();
    dump("offloaded", &trace);
    let ascii = trace.render_ascii(90);
    assert!(row(&ascii, "blocking job 0").contains('='), "\n{ascii}");
    assert!(row(&ascii, "task `ticker`").contains('#'), "\n{ascii}");
}

#[test]
fn the_svg_is_self_contained_and_escapes_labels() {
    let executor = traced(256);
    executor.block_on(async {
        let name = r#"<b>"Tom" & 'Jerry'</b>"#;
        let task = task::Builder::new().name(name).spawn(async {
            advance(2 * SECOND);
            sleep(SECOND).await;
        });
        wait_for(sleep(3 * SECOND), SECOND).await.unwrap_err();
        task.await.unwrap();
    });
    let svg = executor.trace().unwrap().render_svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;"));
    assert!(!svg.contains("<b>") && !svg.contains("'Jerry'"));
    for text in [
        "time since the executor started (s)",
        ">0.0 s<",
        ">3.0 s<",
        "1 s late",
    ] {
        assert!(svg.contains(text), "no {text:?} in the SVG");
    }
    assert_eq!(
        svg.matches("http").count(),
        1,
        "nothing external but the xmlns"
    );
    assert!(!svg.contains("<script") && !svg.contains("href"));
    assert_balanced(&svg);
}

#[test]
fn empty_and_tiny_traces_render() {
    let empty = Trace::default();
    assert!(empty.render_ascii(0).contains("0 events"));
    assert_balanced(&empty.render_svg());
    let executor = traced(1);
    executor.block_on(async {});
    assert_eq!(executor.trace().unwrap().events().len(), 1);
    assert!(executor
        .trace()
        .unwrap()
        .render_ascii(30)
        .contains("block_on |"));
}

/// Every element opened is closed, in order: well-formed enough for a browser.
fn assert_balanced(svg: &str) {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').expect("an unclosed tag");
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "a '<' inside a tag: {tag}");
        let name = |t: &'_ str| t.split_whitespace().next().unwrap_or("").to_owned();
        if let Some(closing) = tag.strip_prefix('/') {
            assert_eq!(
                open.pop().map(name),
                Some(name(closing)),
                "mismatched </{closing}>"
            );
        } else if !tag.ends_with('/') {
            open.push(tag);
        }
        assert!(!rest[..start].contains('>'), "a stray '>' in text");
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert_eq!(svg.trim_end().rsplit('<').next(), Some("/svg>"));
}

#[test]
fn a_cancelled_timer_is_recorded_and_drawn_where_it_was_cancelled() {
    // The inner 5 s sleep loses to a 1 s timeout and is dropped at 1 s.
    let executor = traced(1024);
    executor.block_on(async {
        let _ = wait_for(sleep(Duration::from_secs(5)), Duration::from_secs(1)).await;
    });
    let trace = executor.trace().unwrap();
    let kinds: Vec<&EventKind> = trace.events().iter().map(|e| &e.kind).collect();
    let inserted = kinds
        .iter()
        .filter(|k| matches!(k, EventKind::TimerInsert { .. }))
        .count();
    assert_eq!(inserted, 2);
    let cancel = trace
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::TimerCancel { .. }))
        .expect("the inner sleep's timer is cancelled");
    assert_eq!(
        cancel,
        &event(
            Duration::from_secs(1),
            EventKind::TimerCancel {
                deadline: Duration::from_secs(5)
            }
        )
    );
    let ascii = trace.render_ascii(80);
    assert!(ascii.contains("x cancelled"), "{ascii}");
    let wheel_lanes = ascii.lines().filter(|l| l.contains('|') && l.contains('+'));
    assert_eq!(
        wheel_lanes.filter(|l| l.contains('x')).count(),
        1,
        "{ascii}"
    );
}

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

    let ascii = trace.render_ascii(100);
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
    let narrow = trace.render_ascii(72);
    assert!(narrow.lines().all(|line| line.len() <= 72), "\n{narrow}");
    assert!(flatten(&narrow).contains(never), "\n{narrow}");

    let svg = trace.render_svg_titled("blocking_task: no yield");
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
    let ascii = trace.render_ascii(100);
    let (timeout, _) = two_rows(&ascii, "timeout of wait_for, 1 s");
    assert!(
        timeout.contains(" 4 s late ") && timeout.contains('!'),
        "\n{ascii}"
    );
    assert!(ascii.contains(words), "\n{ascii}");
    let svg = trace.render_svg_titled("yield_table: 2 yields");
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
    let flat = flatten(&trace.render_ascii(100));
    assert!(flat.contains(words), "{flat}");
    let svg = trace.render_svg();
    assert!(svg.contains(&format!(">{words}</text>")));
    assert!(svg.contains("returned Ok at 5 s"));
}

#[test]
fn a_timeout_cancelled_because_the_future_finished_first_says_so() {
    let trace = in_task("quick", async {
        wait_for(sleep(500 * MS), SECOND).await.unwrap();
    });
    let words = "cancelled: the future finished first (Ok at 500 ms)";
    let ascii = trace.render_ascii(100);
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
    let svg = trace.render_svg();
    assert!(svg.contains(&format!(">{words}</text>")));
    assert!(!svg.contains("s late"), "nothing was late");
}

#[test]
fn a_sleep_inside_the_task_has_its_own_row_beside_the_timeout() {
    // The write-up's async_task: sleep(3 s) under a 1 s timeout.
    let trace = in_task("async_task", async {
        wait_for(sleep(3 * SECOND), SECOND).await.unwrap_err();
    });
    let ascii = trace.render_ascii(100);
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
    let svg = trace.render_svg_titled("async_task");
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
    let svg = trace.render_svg();
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
    let ascii = trace.render_ascii(80);
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
    assert!(flatten(&trace.render_ascii(100)).contains(words));
    assert!(trace.render_svg().contains(&format!(">{words}</text>")));
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
    let ascii = trace.render_ascii(100);
    let kinds = ascii
        .lines()
        .filter(|line| line.trim_start().starts_with("sleep("));
    assert_eq!(kinds.count(), 7, "eight rows of one kind each\n{ascii}");
    assert_eq!(ascii.matches("other timers |").count(), 1, "\n{ascii}");
    assert_eq!(ascii.matches("timeout of wait_for, 1 s |").count(), 1);
    assert!(ascii.contains("wait_for (100):") && ascii.contains("... and 92 more"));
    let svg = trace.render_svg();
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
    assert!(flatten(&trace.render_ascii(100)).contains(words));
    let svg = trace.render_svg();
    assert!(svg.contains(&format!(">{words}</text>")));
    let blame_line = r#"stroke-dasharray="3 3""#;
    assert!(
        !svg.contains(blame_line),
        "nothing overdue to blame a poll for"
    );
}
