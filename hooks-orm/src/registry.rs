//! The registry: maps classes, configures their mappers, disposes of them.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hooks_sql::{Column, Engine, MetaData, Table};

use crate::error::Error;
use crate::events::{InstrumentationEvents, MapperEvents};
use crate::fire;
use crate::mapper::{Mapped, Mapper, MapperDef, RegistryScope};

/// A set of mappers configured together: SQLAlchemy's `registry`.
///
/// Mapping a class constructs its [`Mapper`] and fires the construction events at once;
/// [`configure`](Registry::configure) configures the new mappers; [`dispose`](Registry::dispose)
/// uninstruments them all. No lock is held while listeners run, so a listener may use the
/// registry (map another class, read the mappers).
///
/// As a target, `&registry` means every mapper of this registry, present and future, plus its
/// configure runs ([`RegistryScope`] holds those listeners).
#[hooks::target(
    MapperEvents(via = RegistryScope, resolve = &*self.scope),
    InstrumentationEvents(via = RegistryScope, resolve = &*self.scope)
)]
#[derive(Default)]
pub struct Registry {
    scope: Arc<RegistryScope>,
    mappers: Mutex<Vec<Arc<Mapper>>>,
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Registry::default()
    }

    /// Maps the class `T` (derived with `#[derive(Mapped)]`); see
    /// [`map_imperatively`](Registry::map_imperatively).
    ///
    /// # Errors
    ///
    /// As [`map_imperatively`](Registry::map_imperatively).
    pub fn map<T: Mapped>(&self) -> Result<Arc<Mapper>, Error> {
        self.map_imperatively(T::MAPPER)
    }

    /// Maps every class derived with `#[derive(Mapped)]` in the binary whose module is
    /// `module` or inside it (`""` = all), sorted by module path and class name so the order
    /// does not depend on link order. Returns their mappers in that order.
    ///
    /// # Errors
    ///
    /// As [`map_imperatively`](Registry::map_imperatively); the classes before the failing
    /// one stay mapped.
    pub fn map_declared(&self, module: &str) -> Result<Vec<Arc<Mapper>>, Error> {
        let mut declared: Vec<&'static MapperDef> = crate::DECLARED_MAPPERS
            .iter()
            .copied()
            .filter(|def| in_module(def.module_path, module))
            .collect();
        declared.sort_by(|a, b| (a.module_path, a.class_name).cmp(&(b.module_path, b.class_name)));
        declared
            .into_iter()
            .map(|def| self.map_imperatively(def))
            .collect()
    }

    /// Maps the class `class` describes, at runtime (SQLAlchemy's `map_imperatively`), firing
    /// `instrument_class`, `class_instrument`, `attribute_instrument` per column and
    /// `after_mapper_constructed`. The mapper is configured by the next
    /// [`configure`](Registry::configure).
    ///
    /// # Errors
    ///
    /// [`Error::AlreadyMapped`], [`Error::DuplicateTable`] or [`Error::NoPrimaryKey`]; nothing
    /// fires then.
    pub fn map_imperatively(&self, class: &'static MapperDef) -> Result<Arc<Mapper>, Error> {
        if class.primary_key().next().is_none() {
            return Err(Error::NoPrimaryKey {
                class: class.class_name,
            });
        }
        check_new(&self.lock(), class)?;
        let mapper = Arc::new(Mapper::new(class, Arc::clone(&self.scope)));
        fire::construct(&mapper);
        let mut mappers = self.lock();
        // A listener (or another thread) may have mapped the class meanwhile.
        check_new(&mappers, class)?;
        mappers.push(Arc::clone(&mapper));
        Ok(mapper)
    }

    /// Configures the mappers no run configured yet, in mapping order: `before_configured`;
    /// per new mapper `before_mapper_configured` (a `true` skips it: it stays new for the next
    /// run) then `mapper_configured`; `after_configured`. With no new mapper nothing fires.
    ///
    /// # Errors
    ///
    /// [`Error::MapperConfigured`] when a `mapper_configured` listener refuses a mapper: that
    /// mapper and the ones after it stay unconfigured, `after_configured` does not fire.
    pub fn configure(&self) -> Result<(), Error> {
        let new: Vec<Arc<Mapper>> = self
            .lock()
            .iter()
            .filter(|m| !m.is_configured())
            .cloned()
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        fire::before_configured(&self.scope);
        for mapper in &new {
            configure_one(mapper)?;
        }
        fire::after_configured(&self.scope);
        Ok(())
    }

    /// Uninstruments every class of the registry (`class_uninstrument`, in mapping order) and
    /// forgets their mappers: SQLAlchemy's `registry.dispose()`. The registry can map again.
    pub fn dispose(&self) {
        let mappers = std::mem::take(&mut *self.lock());
        for mapper in &mappers {
            fire::class_uninstrument(mapper);
        }
    }

    /// The registry's mappers, in mapping order.
    pub fn mappers(&self) -> Vec<Arc<Mapper>> {
        self.lock().clone()
    }

    /// The mapper of class `T`, if this registry maps it.
    pub fn mapper<T: Mapped>(&self) -> Option<Arc<Mapper>> {
        self.lock()
            .iter()
            .find(|m| m.class().same_class(T::MAPPER))
            .cloned()
    }

    /// A [`MetaData`] with one table per mapper, in mapping order: the attach events of
    /// [`DDLEvents`](hooks_sql::DDLEvents) fire as it is built.
    ///
    /// # Errors
    ///
    /// A table the schema layer refuses ([`hooks_sql::Error::Argument`]).
    pub fn metadata(&self) -> Result<MetaData, Error> {
        let metadata = MetaData::new();
        for mapper in self.mappers() {
            table_of(mapper.class()).build(&metadata)?;
        }
        Ok(metadata)
    }

    /// Configures, then creates every mapped table on `engine` through
    /// [`MetaData::create_all`], so the DDL and Core events fire underneath. Returns the
    /// metadata.
    ///
    /// # Errors
    ///
    /// A configure error, or the SQL error of the `CREATE TABLE`.
    pub fn create_all(&self, engine: &Engine) -> Result<MetaData, Error> {
        self.configure()?;
        let metadata = self.metadata()?;
        metadata.create_all(engine, true)?;
        Ok(metadata)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Arc<Mapper>>> {
        // The list is only pushed to or replaced whole: a panic elsewhere cannot corrupt it.
        self.mappers.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("mappers", &*self.lock())
            .finish()
    }
}

/// One mapper's step of a configure run.
fn configure_one(mapper: &Mapper) -> Result<(), Error> {
    if fire::before_mapper_configured(mapper) || !mapper.claim_configured() {
        return Ok(());
    }
    fire::mapper_configured(mapper).map_err(|source| {
        mapper.unconfigure();
        Error::MapperConfigured {
            class: mapper.class().class_name,
            source,
        }
    })
}

fn check_new(mappers: &[Arc<Mapper>], class: &MapperDef) -> Result<(), Error> {
    for mapper in mappers {
        if mapper.class().same_class(class) {
            return Err(Error::AlreadyMapped {
                class: class.class_name,
            });
        }
        if mapper.table() == class.table {
            return Err(Error::DuplicateTable { table: class.table });
        }
    }
    Ok(())
}

fn in_module(path: &str, module: &str) -> bool {
    module.is_empty()
        || path == module
        || path
            .strip_prefix(module)
            .is_some_and(|rest| rest.starts_with("::"))
}

fn table_of(class: &MapperDef) -> hooks_sql::TableBuilder {
    class
        .columns
        .iter()
        .fold(Table::builder(class.table), |table, c| {
            let mut column = Column::new(c.name, c.sql_type.clone())
                .primary_key(c.primary_key)
                .nullable(c.nullable);
            if let Some(default) = c.server_default {
                column = column.with_default(default);
            }
            table.column(match c.foreign_key {
                Some(target) => column.references(target),
                None => column,
            })
        })
}
