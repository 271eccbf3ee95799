//! The time axis both timelines share, and how they write lengths of time
//! and fit labels and sentences into their room.
//!
//! Ticks fall on round values (1, 2 or 5 times a power of ten seconds), as
//! many as fit, and are labelled in the unit that suits the whole axis: a
//! trace that ends within a millisecond reads "0 µs … 800 µs", one within a
//! second "0 ms … 600 ms", anything longer in seconds. A label never needs
//! more decimals than its step has, so "0.0000 s … 0.0010 s" cannot happen.
//!
//! Lengths in text ([`human`]) pick their unit one by one ("4.5 s",
//! "500 ms", "80 µs"). Both write `µ`; the ASCII timeline, which promises
//! plain ASCII, turns it into `u`.

/// A time axis over round ticks, labelled in one unit.
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    step: f64,
    decimals: usize,
    /// Seconds to the unit, and its name.
    unit: (f64, &'static str),
}

impl Axis {
    /// The finest round step covering `first..=last` in at most `max_ticks` steps.
    pub(super) fn new(first: f64, last: f64, max_ticks: usize) -> Axis {
        // A trace of one instant still gets an axis: a millisecond.
        let last = if last > first { last } else { first + 1e-3 };
        let bounds = |step: f64| {
            let lo = (first / step + 1e-9).floor() * step;
            (lo, (last / step - 1e-9).ceil() * step)
        };
        let fits = |&(step, _): &(f64, i32)| {
            let (lo, hi) = bounds(step);
            hi > lo && (hi - lo) / step <= max_ticks.max(1) as f64 + 1e-9
        };
        let mut steps =
            (-9..=12).flat_map(|exp| [1.0, 2.0, 5.0].map(|m| (m * 10f64.powi(exp), exp)));
        let (step, exp) = steps.find(fits).unwrap_or((last - first, -3));
        let (lo, hi) = bounds(step);
        let (unit, places) = match hi {
            hi if hi >= 1.0 => ((1.0, "s"), 0),
            hi if hi >= 1e-3 => ((1e3, "ms"), 3),
            _ => ((1e6, "µs"), 6),
        };
        let decimals = usize::try_from(-(exp + places)).unwrap_or(0);
        Axis {
            lo,
            hi,
            step,
            decimals,
            unit,
        }
    }

    /// How many steps the axis spans.
    pub(super) fn steps(&self) -> usize {
        ((self.hi - self.lo) / self.step).round() as usize
    }

    /// The unit its ticks are labelled in: `s`, `ms` or `µs`.
    pub(super) fn unit(&self) -> &'static str {
        self.unit.1
    }

    /// The ticks and their labels, from `lo` to `hi`.
    pub(super) fn ticks(&self) -> impl Iterator<Item = (f64, String)> + '_ {
        let (scale, unit) = self.unit;
        (0..=self.steps()).map(move |i| {
            let t = self.lo + i as f64 * self.step;
            (t, format!("{:.*} {unit}", self.decimals, t * scale))
        })
    }

    /// Where `t` falls, from 0 (`lo`) to 1 (`hi`).
    pub(super) fn fraction(&self, t: f64) -> f64 {
        (t - self.lo) / (self.hi - self.lo)
    }
}

/// A length in seconds, in the unit that reads best ("4.5 s", "500 ms", "80 µs").
pub(super) fn human(secs: f64) -> String {
    // To the nanosecond, which the trace's instants are in: 0.999999999999
    // (a difference of two floats) reads "1 s", not "1000 ms".
    let secs = (secs * 1e9).round() / 1e9;
    let (value, unit) = match secs.abs() {
        s if s == 0.0 || s >= 1.0 => (secs, "s"),
        s if s >= 1e-3 => (secs * 1e3, "ms"),
        _ => (secs * 1e6, "µs"),
    };
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

/// A length measured, not asked for: to three significant digits, with
/// `≈` if that rounded it. A sleep's length is read as its deadline minus
/// the moment its timer was filed, a little after the sleep was created on
/// a real clock, so `sleep(50 ms)` measures 49.998 ms and reads `≈50 ms`; on
/// a virtual clock nothing moves between the two, and it reads `50 ms`.
pub(super) fn about(secs: f64) -> String {
    if secs <= 0.0 {
        return human(secs);
    }
    let magnitude = 10f64.powi(secs.log10().floor() as i32 - 2);
    let rounded = (secs / magnitude).round() * magnitude;
    match (rounded - secs).abs() < 1e-12 {
        true => human(secs),
        false => format!("≈{}", human(rounded)),
    }
}

/// Shortens a label to `max` characters: an unnamed task's spawn site to
/// its file name (`task #3 (main.rs:9)`), then by cutting out the middle.
pub(super) fn shorten(label: &str, max: usize) -> String {
    let mut chars: Vec<char> = label.chars().collect();
    let site = label
        .split_once(" (spawned at ")
        .filter(|_| chars.len() > max);
    if let Some((task, site)) = site {
        let file = site.rsplit(['/', '\\']).next().unwrap_or(site);
        chars = format!("{task} ({file}").chars().collect();
    }
    if chars.len() > max {
        let keep = max.saturating_sub(3);
        let tail = chars.split_off(chars.len() - (keep - keep / 2));
        chars.truncate(keep / 2);
        chars.extend("...".chars().chain(tail));
    }
    chars.into_iter().collect()
}

/// `text` as lines at most `width` wide, broken between words, never
/// between a number and its unit ("4 s").
pub(super) fn wrap(text: &str, first: &str, rest: &str, width: usize) -> String {
    let is_unit = |word: &str| {
        let letters = word.trim_end_matches(|c: char| c.is_ascii_punctuation());
        ["s", "ms", "µs"].contains(&letters)
    };
    let mut words: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match words.last_mut() {
            Some(number) if is_unit(word) => *number += &format!(" {word}"),
            _ => words.push(word.to_owned()),
        }
    }
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    for word in &words {
        if !empty && line.chars().count() + 1 + word.chars().count() > width {
            out += &line;
            out.push('\n');
            (line, empty) = (rest.to_owned(), true);
        }
        if !empty {
            line.push(' ');
        }
        line += word;
        empty = false;
    }
    out + &line + "\n"
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_keeps_a_number_with_its_unit() {
        assert_eq!(
            wrap("late 4 s, then 80 µs", "", "  ", 7),
            "late\n  4 s,\n  then\n  80 µs\n"
        );
    }
}
