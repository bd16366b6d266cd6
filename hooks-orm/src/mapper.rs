//! Mapper definitions (what the derive generates) and mappers (what a registry builds).

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use hooks_sql::{ColumnType, Value};

use crate::events::{InstrumentationEvents, MapperEvents};

/// A mapped class as declared: its table and columns. `#[derive(Mapped)]` generates one per
/// struct; [`Registry::map_imperatively`](crate::Registry::map_imperatively) takes one built by
/// hand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapperDef {
    /// The struct's name.
    pub class_name: &'static str,
    /// The module the struct is declared in (`module_path!()`).
    pub module_path: &'static str,
    /// The table it maps to.
    pub table: &'static str,
    /// Its columns, in field order.
    pub columns: &'static [ColumnDef],
}

impl MapperDef {
    /// The names of the primary key columns, in field order.
    pub fn primary_key(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name)
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&'static ColumnDef> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// `module::Class`, the order key mappers are sorted by.
    pub fn qualified_name(&self) -> String {
        format!("{}::{}", self.module_path, self.class_name)
    }

    pub(crate) fn same_class(&self, other: &MapperDef) -> bool {
        self.class_name == other.class_name && self.module_path == other.module_path
    }
}

/// One mapped column: a field of the struct.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// The field's (and column's) name.
    pub name: &'static str,
    /// The SQL type, from the field's Rust type (`i64`, `i32`, `u32` → `INTEGER`, `bool` →
    /// `BOOLEAN`, `f64` → `FLOAT`, `String` → `TEXT`).
    pub sql_type: ColumnType,
    /// Marked `#[column(primary_key)]`.
    pub primary_key: bool,
    /// The field is an `Option`.
    pub nullable: bool,
}

/// A struct mapped to a table: implemented by `#[derive(Mapped)]`, which also registers
/// [`Mapped::MAPPER`] in the binary's list of declared mappers (collected by the linker;
/// nothing runs before `main`), read by [`Registry::map_declared`](crate::Registry::map_declared).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a mapped class",
    label = "not mapped",
    note = "derive `hooks_orm::Mapped` on the struct, with `#[mapped(table = \"…\")]`"
)]
pub trait Mapped: 'static {
    /// The class's mapper definition.
    const MAPPER: &'static MapperDef;

    /// The column values of this object, in [`MapperDef::columns`] order.
    fn values(&self) -> Vec<Value>;
}

/// The listeners of one [`Registry`](crate::Registry): what listening on `&registry` resolves
/// to. Each of the registry's mappers joins it, so its listeners see every mapper of the
/// registry; `before_configured`/`after_configured` fire on it directly.
#[hooks::target(
    MapperEvents(events = lifecycle),
    InstrumentationEvents(events = instrumentation)
)]
#[derive(Default)]
pub struct RegistryScope {
    lifecycle: hooks::Events<dyn MapperEvents>,
    instrumentation: hooks::Events<dyn InstrumentationEvents>,
}

impl fmt::Debug for RegistryScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RegistryScope")
    }
}

/// The mapper of one mapped class in one [`Registry`](crate::Registry).
///
/// As a target: the `Mapper` type is every mapper of every registry (and receives
/// `before_configured`/`after_configured` of every registry); a `&Mapper` is that class alone.
#[hooks::target(
    MapperEvents(events = lifecycle, join = &*self.scope),
    InstrumentationEvents(events = instrumentation, join = &*self.scope)
)]
pub struct Mapper {
    lifecycle: hooks::Events<dyn MapperEvents>,
    instrumentation: hooks::Events<dyn InstrumentationEvents>,
    class: &'static MapperDef,
    scope: Arc<RegistryScope>,
    configured: AtomicBool,
}

impl Mapper {
    pub(crate) fn new(class: &'static MapperDef, scope: Arc<RegistryScope>) -> Self {
        Mapper {
            lifecycle: hooks::Events::new(),
            instrumentation: hooks::Events::new(),
            class,
            scope,
            configured: AtomicBool::new(false),
        }
    }

    /// The mapped class's definition.
    pub fn class(&self) -> &'static MapperDef {
        self.class
    }

    /// The mapped table's name.
    pub fn table(&self) -> &'static str {
        self.class.table
    }

    /// Whether a configure run configured this mapper.
    pub fn is_configured(&self) -> bool {
        self.configured.load(Ordering::Acquire)
    }

    /// Marks the mapper configured; false when another run already did.
    pub(crate) fn claim_configured(&self) -> bool {
        self.configured
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
    }

    /// Back to unconfigured, when its `mapper_configured` refused it.
    pub(crate) fn unconfigure(&self) {
        self.configured.store(false, Ordering::Release);
    }
}

impl fmt::Debug for Mapper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mapper")
            .field("class", &self.class.class_name)
            .field("table", &self.class.table)
            .field("configured", &self.is_configured())
            .finish_non_exhaustive()
    }
}
