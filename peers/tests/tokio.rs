//! The README's peers table, tokio column: every scenario's counterpart on
//! tokio, run on its paused clock (one case on the real clock), must be
//! what the table says, cell for cell.

use waitfor_peers::readme::PeersTable;
use waitfor_peers::tokio::ALL;

#[test]
fn the_readme_says_what_tokio_does() {
    let table = PeersTable::from_readme();
    let mismatches: Vec<String> = ALL
        .iter()
        .flat_map(|scenario| table.mismatches("tokio", scenario.name, &(scenario.run)()))
        .collect();
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}

#[test]
fn every_scenario_in_the_table_has_a_tokio_counterpart() {
    let table = PeersTable::from_readme();
    let counterparts: Vec<&str> = ALL.iter().map(|scenario| scenario.name).collect();
    assert_eq!(table.scenarios(), counterparts);
}
