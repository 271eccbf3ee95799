//! The README's "Peers, run" table, read back, and compared with what the
//! peers did.
//!
//! The table is plain Markdown, one row per case:
//!
//! ```text
//! | scenario | case | CPython 3.11 | CPython 3.12 | tokio |
//! | --- | --- | --- | --- | --- |
//! | `yield_table` | 2 yields | `"done"` at 500 ms | `TimeoutError` at 500 ms, 400 ms late | `Err(Elapsed)` at 500 ms, 400 ms late |
//! ```
//!
//! A cell is the [`Cell`] observed for that case on that peer, or `—` where
//! the peer has no such case (CPython has no cooperative budget to turn
//! on, tokio cannot be run in a host's turns). A scenario whose cells in
//! every column of a peer are `—` has no counterpart there at all
//! ([`PeersTable::scenarios_run_on`]). [`PeersTable::mismatches`] lists every cell that differs from what
//! was observed, with the observed words, ready to paste.

use crate::observation::Cell;
use std::path::Path;

/// The cell of a case that a peer does not have.
pub const NO_SUCH_CASE: &str = "—";

/// The table: its peer columns, and a row per case.
#[derive(Debug)]
pub struct PeersTable {
    peers: Vec<String>,
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    scenario: String,
    case: String,
    cells: Vec<String>,
}

impl PeersTable {
    /// The table in the workspace's `README.md`.
    ///
    /// # Panics
    /// If the README cannot be read or has no such table.
    pub fn from_readme() -> PeersTable {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
        PeersTable::parse(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    }

    /// Finds the table (the one whose header begins `| scenario | case |`)
    /// in Markdown text.
    pub fn parse(text: &str) -> Result<PeersTable, String> {
        let mut lines = text
            .lines()
            .skip_while(|line| !line.starts_with("| scenario | case |"));
        let header = lines
            .next()
            .ok_or("no table beginning `| scenario | case |`")?;
        let peers = cells(header).split_off(2);
        lines.next(); // | --- | --- | ...
        let rows = lines
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let mut cells = cells(line);
                if cells.len() != peers.len() + 2 {
                    return Err(format!("row with {} cells: {line}", cells.len()));
                }
                let rest = cells.split_off(2);
                Ok(Row {
                    scenario: cells[0].trim_matches('`').to_string(),
                    case: cells[1].clone(),
                    cells: rest,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PeersTable { peers, rows })
    }

    /// Whether the table has a column for `peer` (such as `CPython 3.12`).
    pub fn has_column(&self, peer: &str) -> bool {
        self.peers.iter().any(|column| column == peer)
    }

    /// Every scenario in the table, in its order, once each.
    pub fn scenarios(&self) -> Vec<&str> {
        let mut scenarios: Vec<&str> = Vec::new();
        for row in &self.rows {
            if !scenarios.contains(&row.scenario.as_str()) {
                scenarios.push(&row.scenario);
            }
        }
        scenarios
    }

    /// The scenarios with a counterpart on a peer: those with a cell other
    /// than `—` in a column whose name begins with `peer` (`CPython` for
    /// every CPython column).
    pub fn scenarios_run_on(&self, peer: &str) -> Vec<&str> {
        let columns: Vec<usize> = (0..self.peers.len())
            .filter(|&column| self.peers[column].starts_with(peer))
            .collect();
        let mut scenarios = self.scenarios();
        scenarios.retain(|&scenario| {
            self.rows
                .iter()
                .filter(|row| row.scenario == scenario)
                .any(|row| {
                    columns
                        .iter()
                        .any(|&column| row.cells[column] != NO_SUCH_CASE)
                })
        });
        scenarios
    }

    /// Where the `peer` column of `scenario`'s rows differs from what the
    /// peer was `observed` doing: one line per difference, empty if none.
    ///
    /// # Panics
    /// If the table has no column for `peer`.
    pub fn mismatches(&self, peer: &str, scenario: &str, observed: &[Cell]) -> Vec<String> {
        let column = self
            .peers
            .iter()
            .position(|column| column == peer)
            .unwrap_or_else(|| panic!("the table has no column {peer:?}"));
        let rows: Vec<&Row> = self
            .rows
            .iter()
            .filter(|row| row.scenario == scenario)
            .collect();
        let mut mismatches: Vec<String> = observed
            .iter()
            .filter(|observation| !rows.iter().any(|row| row.case == observation.case))
            .map(|observation| {
                format!(
                    "{scenario}: no row for case {:?}, observed on {peer}: {}",
                    observation.case, observation.words
                )
            })
            .collect();
        for row in rows {
            let expected = observed
                .iter()
                .find(|observation| observation.case == row.case)
                .map_or(NO_SUCH_CASE, |observation| observation.words.as_str());
            if row.cells[column] != expected {
                mismatches.push(format!(
                    "{scenario} / {} on {peer}: the README says {:?}, observed {expected:?}",
                    row.case, row.cells[column]
                ));
            }
        }
        mismatches
    }
}

fn cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split(" | ")
        .map(|cell| cell.trim().to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{Clock, Observation};
    use std::time::Duration;

    const TABLE: &str = "text\n\n\
        | scenario | case | CPython 3.11 | tokio |\n\
        | --- | --- | --- | --- |\n\
        | `always_ready` | budget off | `600` at 600 ms | `Ok` at 600 ms |\n\
        | `always_ready` | budget on | — | `Err(Elapsed)` at 200 ms |\n\
        \nmore text\n";

    fn observed(case: &str, outcome: &str, millis: u64) -> Cell {
        Cell::from(&Observation {
            case: case.into(),
            outcome: outcome.into(),
            timed_out: outcome.starts_with("Err"),
            timeout: Duration::from_millis(200),
            returned_after: Duration::from_millis(millis),
            clock: Clock::Paused,
        })
    }

    #[test]
    fn a_table_that_says_what_was_observed_has_no_mismatch() {
        let table = PeersTable::parse(TABLE).unwrap();
        assert_eq!(table.scenarios(), ["always_ready"]);
        assert!(table.has_column("CPython 3.11") && !table.has_column("CPython 3.12"));
        let tokio = [
            observed("budget off", "Ok", 600),
            observed("budget on", "Err(Elapsed)", 200),
        ];
        assert!(table.mismatches("tokio", "always_ready", &tokio).is_empty());
        let python = [observed("budget off", "600", 600)];
        assert!(table
            .mismatches("CPython 3.11", "always_ready", &python)
            .is_empty());
    }

    #[test]
    fn every_difference_is_listed_with_the_observed_words() {
        let table = PeersTable::parse(TABLE).unwrap();
        let tokio = [
            observed("budget off", "Ok", 600),
            observed("budget on", "Err(Elapsed)", 230),
            observed("budget sideways", "Ok", 1),
        ];
        let mismatches = table.mismatches("tokio", "always_ready", &tokio);
        assert_eq!(
            mismatches,
            [
                "always_ready: no row for case \"budget sideways\", observed on tokio: `Ok` at 1 ms",
                "always_ready / budget on on tokio: the README says \
                 \"`Err(Elapsed)` at 200 ms\", observed \"`Err(Elapsed)` at 230 ms, 30 ms late\"",
            ]
        );
        let missing = table.mismatches("CPython 3.11", "always_ready", &[]);
        assert_eq!(missing.len(), 1, "{missing:?}");
    }

    #[test]
    fn a_scenario_of_dashes_has_no_counterpart_on_that_peer() {
        let table = PeersTable::parse(
            "| scenario | case | CPython 3.11 | CPython 3.12 | tokio |\n\
             | --- | --- | --- | --- | --- |\n\
             | `a` | one | — | `1` at 0 ms | — |\n\
             | `b` | one | — | — | `Ok` at 0 ms |\n\
             | `b` | two | — | — | — |\n",
        )
        .unwrap();
        assert_eq!(table.scenarios_run_on("CPython"), ["a"]);
        assert_eq!(table.scenarios_run_on("tokio"), ["b"]);
    }

    #[test]
    fn a_readme_without_the_table_is_an_error() {
        assert!(PeersTable::parse("# nothing here\n").is_err());
        let ragged = "| scenario | case | tokio |\n| --- |\n| `a` | b |\n";
        assert!(PeersTable::parse(ragged).unwrap_err().contains("2 cells"));
    }
}
