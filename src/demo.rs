//! What a teaching program needs to run the same lesson on either clock.
//!
//! Every example in `examples/` is a plain program: it builds its
//! [`Executor`], calls [`wait_for`](crate::wait_for) and
//! prints. Three things differ between a run on the real clock, where a
//! blocking call really blocks, and a run with `--virtual`, where the same
//! program finishes at once with exact times. This module holds exactly
//! those three, so that each example stays a page the reader follows:
//!
//! * [`Clock::from_args`] reads the command line (`--virtual`, `--help`,
//!   and nothing else: an unknown argument is an error, not a silent real
//!   run) and [`Clock::builder`] starts the executor on that clock;
//! * [`Clock::block`] is `time.sleep` (the thread sleeps, or the virtual
//!   clock [`advance`]s) and [`Clock::burn`] is CPU work;
//!   both hold the loop, which is the point;
//! * [`say`] is Python's `print`. It prints a line to stdout, unless a
//!   program that runs the lessons itself (the tour) is [`listen`]ing, to
//!   show each line with when it was said.
//!
//! ```
//! use std::time::Duration;
//! use waitfor::demo::Clock;
//!
//! let clock = Clock::Virtual;
//! let executor = clock.builder().build();
//! let result = executor.block_on(async {
//!     let blocking = async {
//!         clock.block(Duration::from_secs(5)); // time.sleep(5): holds the loop
//!         "done"
//!     };
//!     waitfor::wait_for(blocking, Duration::from_secs(1)).await
//! });
//! assert_eq!(result, Ok("done")); // the timer never had a chance
//! ```

use crate::{advance, Builder, Executor};
use std::cell::RefCell;
use std::fmt::Display;
use std::time::{Duration, Instant};

/// Which clock a program runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The system clock: blocking calls block, CPU work spins.
    Real,
    /// The executor's virtual clock: blocking calls and CPU work
    /// [`advance`] it, so a run is instant and its times exact.
    Virtual,
}

impl Clock {
    /// The clock `args` (the arguments after the program's name) ask for:
    /// `Ok(None)` for `-h` / `--help`, an error naming the first argument
    /// that is neither that nor `--virtual`.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Clock>, String> {
        let mut clock = Clock::Real;
        for arg in args {
            match arg.as_str() {
                "--virtual" => clock = Clock::Virtual,
                "-h" | "--help" => return Ok(None),
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        Ok(Some(clock))
    }

    /// The clock this process's command line asks for. `--help` prints the
    /// usage to stdout and exits with 0; a bad argument prints its cause and
    /// the usage to stderr and exits with 2. `about` is one line: what the
    /// program shows.
    pub fn from_args(about: &str) -> Clock {
        let program = program_name();
        let args = std::env::args().skip(1);
        let usage = format!(
            "{program}: {about}\n\n\
             usage: {program} [--virtual]\n\
             \x20 --virtual   run on the virtual clock: blocking calls advance time; instant, exact\n\
             \x20 -h, --help  print this help\n"
        );
        match Clock::parse(args) {
            Ok(Some(clock)) => clock,
            Ok(None) => {
                print!("{usage}");
                std::process::exit(0);
            }
            Err(error) => {
                eprint!("{program}: {error}\n\n{usage}");
                std::process::exit(2);
            }
        }
    }

    /// For a program whose lesson needs real time (a real thread, a real
    /// server): reads the command line as [`Clock::from_args`] does, and
    /// refuses `--virtual`, saying `why` on stderr and exiting with 2.
    pub fn real_only(about: &str, why: &str) {
        if Clock::from_args(about) == Clock::Virtual {
            eprintln!("{}: --virtual is not possible here: {why}", program_name());
            std::process::exit(2);
        }
    }

    /// `Executor::builder()`, with `.virtual_clock()` for [`Clock::Virtual`].
    pub fn builder(self) -> Builder {
        match self {
            Clock::Real => Executor::builder(),
            Clock::Virtual => Executor::builder().virtual_clock(),
        }
    }

    /// A blocking call that holds the loop for `duration` without using the
    /// CPU: `time.sleep(duration)`.
    ///
    /// # Panics
    /// With [`Clock::Virtual`], outside an executor built with a virtual clock.
    pub fn block(self, duration: Duration) {
        match self {
            Clock::Real => std::thread::sleep(duration),
            Clock::Virtual => advance(duration),
        }
    }

    /// `duration` of CPU-bound work, holding the loop.
    ///
    /// # Panics
    /// As [`Clock::block`].
    pub fn burn(self, duration: Duration) {
        match self {
            Clock::Real => {
                let end = Instant::now() + duration;
                let mut x = 1u64;
                while Instant::now() < end {
                    x = std::hint::black_box(x.wrapping_mul(6_364_136_223_846_793_005) | 1);
                }
            }
            Clock::Virtual => advance(duration),
        }
    }
}

/// This program's name, as `--help` and errors call it.
fn program_name() -> String {
    std::env::args()
        .next()
        .and_then(|path| {
            let name = std::path::Path::new(&path).file_stem()?;
            Some(name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "example".into())
}

type Listener = Box<dyn FnMut(&str)>;

thread_local! {
    static LISTENER: RefCell<Option<Listener>> = const { RefCell::new(None) };
}

/// Python's `print`: writes `line` to stdout, or hands it to the
/// [`listen`]er running on this thread.
pub fn say(line: impl Display) {
    let line = line.to_string();
    let unheard = LISTENER.with(|listener| match listener.borrow_mut().as_mut() {
        Some(listener) => {
            listener(&line);
            None
        }
        None => Some(line),
    });
    if let Some(line) = unheard {
        println!("{line}");
    }
}

/// Runs `body` with every [`say`] on this thread handed to `listener`
/// instead of stdout; the previous listener, if any, is back afterwards,
/// even if `body` panics. `listener` must not call `say` itself.
pub fn listen<R>(listener: impl FnMut(&str) + 'static, body: impl FnOnce() -> R) -> R {
    struct Restore(Option<Listener>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            LISTENER.with(|listener| *listener.borrow_mut() = previous);
        }
    }
    let previous = LISTENER.with(|slot| slot.borrow_mut().replace(Box::new(listener)));
    let _restore = Restore(previous);
    body()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn the_command_line_picks_the_clock_and_refuses_anything_else() {
        assert_eq!(Clock::parse(args(&[])), Ok(Some(Clock::Real)));
        assert_eq!(Clock::parse(args(&["--virtual"])), Ok(Some(Clock::Virtual)));
        assert_eq!(Clock::parse(args(&["--virtual", "--help"])), Ok(None));
        assert_eq!(
            Clock::parse(args(&["--virtaul"])),
            Err("unknown argument \"--virtaul\"".into())
        );
    }

    #[test]
    fn a_listener_hears_every_line_and_is_removed_afterwards() {
        let heard = std::rc::Rc::new(RefCell::new(Vec::new()));
        let sink = std::rc::Rc::clone(&heard);
        listen(
            move |line| sink.borrow_mut().push(line.to_string()),
            || {
                say("one");
                say(format_args!("{}", 2));
            },
        );
        assert_eq!(*heard.borrow(), ["one", "2"]);
        assert!(LISTENER.with(|listener| listener.borrow().is_none()));
    }
}
