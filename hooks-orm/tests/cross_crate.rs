//! Mapped structs derived in another crate are collected by the linker and mapped in order.

mod common;

use common::{lines, record};
use hooks_orm::{Mapped, Registry};
use hooks_orm_test_models::{Order, lines::OrderLine};
use hooks_sql::ColumnType;

#[test]
fn another_crates_mappers_are_declared_and_fire() {
    let registry = Registry::new();
    let trace = record(&registry, &[]);
    let mapped = registry.map_declared("hooks_orm_test_models").unwrap();
    assert_eq!(
        mapped.iter().map(|m| m.table()).collect::<Vec<_>>(),
        ["orders", "order_lines"]
    );
    registry.configure().unwrap();
    let trace = lines(&trace);
    assert_eq!(
        trace.first().map(String::as_str),
        Some("instrument_class Order")
    );
    assert_eq!(trace.last().map(String::as_str), Some("after_configured"));
    // Per class three events plus one per column (2 + 3), then a configure run of two.
    assert_eq!(trace.len(), 2 * 3 + (2 + 3) + 1 + 2 * 2 + 1);
    let types: Vec<_> = OrderLine::MAPPER
        .columns
        .iter()
        .map(|c| c.sql_type.clone())
        .collect();
    assert_eq!(
        types,
        [ColumnType::Integer, ColumnType::Float, ColumnType::Boolean]
    );
    assert_eq!(Order::MAPPER.module_path, "hooks_orm_test_models");
}
