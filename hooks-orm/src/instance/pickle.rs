//! An object's state to and from a JSON map: [`Obj::to_state`] and [`Obj::from_state`], where
//! `pickle` and `unpickle` fire (SQLAlchemy pickles the instance's `__dict__` and its state).

use hooks_sql::Value;
use serde_json::Value as Json;

use crate::mapper::{Mapped, MapperDef};
use crate::obj::Obj;
use crate::session::SessionError;
use crate::state::IdentityKey;

/// The saved state of an object: `"columns"` (name to value), `"identity_key"` (the primary
/// key values, or `null` for an object never persisted) and whatever `pickle` listeners added.
pub type StateDict = serde_json::Map<String, Json>;

const COLUMNS: &str = "columns";
const IDENTITY_KEY: &str = "identity_key";

impl<T: Mapped + Send + Sync> Obj<T> {
    /// The object's state as a JSON map, after `pickle` listeners added to it: its column
    /// values (reloaded first if expired) and its identity key. Blobs are arrays of bytes.
    /// [`from_state`](Obj::from_state) rebuilds the object.
    ///
    /// ```
    /// use hooks_orm::{Mapped, Obj, ObjectState};
    ///
    /// #[derive(Mapped)]
    /// #[mapped(table = "users")]
    /// struct User {
    ///     #[column(primary_key)]
    ///     id: Option<i64>,
    ///     name: String,
    /// }
    ///
    /// let state = Obj::new(User { id: None, name: "ed".into() }).to_state()?;
    /// assert_eq!(serde_json::Value::Object(state.clone()).to_string(),
    ///            r#"{"columns":{"id":null,"name":"ed"},"identity_key":null}"#);
    /// let copy = Obj::<User>::from_state(&state)?;
    /// assert_eq!(copy.read()?.name, "ed");
    /// assert_eq!(copy.object_state(), ObjectState::Transient);
    /// # Ok::<(), hooks_orm::SessionError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`read`](Obj::read); a [`SessionError::Value`] for a real value JSON cannot hold
    /// (NaN or an infinity).
    pub fn to_state(&self) -> Result<StateDict, SessionError> {
        let values = self.read()?.values();
        let columns = (T::MAPPER.columns.iter().zip(values))
            .map(|(column, value)| Ok((column.name.to_owned(), to_json(T::MAPPER, &value)?)))
            .collect::<Result<StateDict, SessionError>>()?;
        let key = match self.state().key.clone() {
            None => Json::Null,
            Some(key) => (key.primary_key().iter())
                .map(|v| to_json(T::MAPPER, v))
                .collect::<Result<_, _>>()?,
        };
        let mut state = StateDict::new();
        state.insert(COLUMNS.to_owned(), Json::Object(columns));
        state.insert(IDENTITY_KEY.to_owned(), key);
        super::pickle(self, &mut state);
        Ok(state)
    }

    /// The object `state` describes (from [`to_state`](Obj::to_state)), then `unpickle`
    /// with the whole map. With an identity key it is detached (add it to a session to use
    /// it again, as after SQLAlchemy's unpickling), else transient. No `init` fires.
    ///
    /// # Errors
    ///
    /// A [`SessionError::Value`] when `state` lacks an entry, has a column the class does
    /// not, or a value that does not fit its field.
    pub fn from_state(state: &StateDict) -> Result<Obj<T>, SessionError> {
        let Some(Json::Object(columns)) = state.get(COLUMNS) else {
            return Err(malformed(T::MAPPER, "no `columns` object").into());
        };
        let values = (T::MAPPER.columns.iter())
            .map(|column| match columns.get(column.name) {
                Some(json) => from_json(T::MAPPER, json),
                None => Err(malformed(
                    T::MAPPER,
                    &format!("no column `{}`", column.name),
                )),
            })
            .collect::<Result<Vec<Value>, _>>()?;
        let key = match state.get(IDENTITY_KEY) {
            None | Some(Json::Null) => None,
            Some(Json::Array(key)) => Some(
                key.iter()
                    .map(|v| from_json(T::MAPPER, v))
                    .collect::<Result<Vec<Value>, _>>()?,
            ),
            Some(_) => return Err(malformed(T::MAPPER, "`identity_key` is not an array").into()),
        };
        let obj = Obj::built(T::from_values(values)?);
        if let Some(key) = key {
            // A saved persistent object: the values it was built from are its committed state.
            let mut st = obj.state();
            st.key = Some(IdentityKey::new(T::MAPPER, key));
            st.commit_all();
        }
        super::unpickle(&obj, state);
        Ok(obj)
    }
}

fn malformed(class: &MapperDef, what: &str) -> crate::ValueError {
    crate::ValueError::saved_state(class, what)
}

fn to_json(class: &MapperDef, value: &Value) -> Result<Json, crate::ValueError> {
    Ok(match value {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(*i),
        Value::Real(r) => serde_json::Number::from_f64(*r)
            .map(Json::Number)
            .ok_or_else(|| malformed(class, &format!("the real {r} has no JSON form")))?,
        Value::Text(text) => Json::String(text.clone()),
        Value::Blob(bytes) => Json::Array(bytes.iter().map(|b| Json::from(*b)).collect()),
    })
}

fn from_json(class: &MapperDef, json: &Json) -> Result<Value, crate::ValueError> {
    match json {
        Json::Null => Ok(Value::Null),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Ok(Value::Integer(i)),
            (None, Some(r)) => Ok(Value::Real(r)),
            _ => Err(malformed(
                class,
                &format!("the number {n} fits no column type"),
            )),
        },
        Json::String(text) => Ok(Value::Text(text.clone())),
        Json::Array(items) => items
            .iter()
            .map(|item| item.as_u64().and_then(|b| u8::try_from(b).ok()))
            .collect::<Option<Vec<u8>>>()
            .map(Value::Blob)
            .ok_or_else(|| malformed(class, "an array that is not bytes")),
        other => Err(malformed(
            class,
            &format!("the value {other} fits no column type"),
        )),
    }
}
