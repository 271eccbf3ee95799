//! The timelines: the ASCII and SVG renderings of the write-up's blocking
//! program, of its fix, of empty, tiny and truncated traces, and of a
//! cancelled timer.
//!
//! `timeline/wait_for.rs` holds the cases the timelines must tell apart,
//! and `trace_json.rs` the Perfetto export.
//!
//! Set `WAITFOR_TRACE_DIR` to a directory to also write the renderings
//! there (`blocking.txt`, `blocking.svg`, `offloaded.txt`, `offloaded.svg`,
//! and one pair per case of `trace/wait_for.rs`).

use std::time::Duration;
use waitfor_executor::trace::Trace;
use waitfor_executor::{advance, sleep, spawn_blocking, task, wait_for, yield_now, Executor};
use waitfor_timeline::{render_ascii, render_svg};

// A child of this test crate, not a test target of its own: it shares the
// helpers above.
#[path = "timeline/wait_for.rs"]
mod wait_for;

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

/// A virtual-clock executor that records a trace (diagnostics off: the
/// timelines draw only what the trace holds).
fn traced(capacity: usize) -> Executor {
    Executor::builder().virtual_clock().trace(capacity).build()
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
        std::fs::write(dir.join(format!("{name}.txt")), render_ascii(trace, 100)).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), render_svg(trace)).unwrap();
    }
}

#[test]
fn a_trace_missing_its_beginning_still_renders() {
    let executor = traced(4);
    executor.block_on(async {
        for _ in 0..5 {
            sleep(10 * MS).await;
        }
    });
    let small = executor.trace().unwrap();
    assert!(small.dropped() > 0);
    assert!(render_ascii(&small, 80).contains("older events dropped"));
    assert!(render_svg(&small).ends_with("</svg>\n"));
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
    let ascii = render_ascii(&trace, 100);
    assert_eq!(ascii, render_ascii(&trace, 100), "deterministic");
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
    let narrow = render_ascii(&trace, 60);
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
    let ascii = render_ascii(&trace, 90);
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
    let svg = render_svg(&executor.trace().unwrap());
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
    assert!(render_ascii(&empty, 0).contains("0 events"));
    assert_balanced(&render_svg(&empty));
    let executor = traced(1);
    executor.block_on(async {});
    assert_eq!(executor.trace().unwrap().events().len(), 1);
    assert!(render_ascii(&executor.trace().unwrap(), 30).contains("block_on |"));
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
fn a_cancelled_timer_is_drawn_where_it_was_cancelled() {
    // The inner 5 s sleep loses to a 1 s timeout and is dropped at 1 s.
    let executor = traced(1024);
    executor.block_on(async {
        let _ = wait_for(sleep(Duration::from_secs(5)), Duration::from_secs(1)).await;
    });
    let trace = executor.trace().unwrap();
    let ascii = render_ascii(&trace, 80);
    assert!(ascii.contains("x cancelled"), "{ascii}");
    let wheel_lanes = ascii.lines().filter(|l| l.contains('|') && l.contains('+'));
    assert_eq!(
        wheel_lanes.filter(|l| l.contains('x')).count(),
        1,
        "{ascii}"
    );
}
