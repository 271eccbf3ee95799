//! Plugging the instruments into the spine: building an executor with the
//! instruments its builder turned on, and reading what they recorded.
//!
//! The spine (`core/`, `executor.rs`) and the instruments (`instruments.rs`
//! and what it dispatches to) never import each other; both import the
//! interface, `observer.rs`. Something must still hand the one to the
//! other, and give the user the trace: that is this file, above both.

use crate::builder::Builder;
use crate::clock::Clock;
use crate::core::Core;
use crate::executor::Executor;
use crate::instruments::Instruments;
use crate::trace::Trace;

impl Builder {
    /// Builds the executor.
    pub fn build(self) -> Executor {
        let config = self.into_config();
        let clock = Clock::new(config.tick, config.virtual_clock);
        let instruments = Instruments::start(&config, &clock);
        Executor::from_core(Core::new(config, clock, instruments))
    }
}

impl Executor {
    /// A snapshot of the trace, if the executor was built with
    /// [`Builder::trace`]; `None` otherwise.
    pub fn trace(&self) -> Option<Trace> {
        let observer = self.core().observer()?;
        let instruments = observer.as_any().downcast_ref::<Instruments>()?;
        instruments.trace()
    }
}
