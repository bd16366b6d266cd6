//! Reads `#[mapped(table = "…")]`, the fields and their `#[column(…)]` options.

use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, GenericArgument, LitStr, PathArguments, Type};

/// A struct to map.
pub(crate) struct Model {
    pub(crate) ident: syn::Ident,
    pub(crate) vis: syn::Visibility,
    pub(crate) table: LitStr,
    /// `#[mapped(mixins(…))]`, in order.
    pub(crate) mixins: Vec<syn::Path>,
    pub(crate) columns: Vec<Column>,
    /// The `Collection` / `Reference` fields, in field order.
    pub(crate) relationships: Vec<super::relationship::Relationship>,
}

/// One mapped field.
pub(crate) struct Column {
    pub(crate) ident: syn::Ident,
    pub(crate) sql_type: &'static str,
    /// The field's type, as written (`Option<String>`).
    pub(crate) ty: Type,
    /// Its Rust type without the `Option` (`String`): which attribute family its member
    /// target takes.
    pub(crate) rust_type: &'static str,
    pub(crate) nullable: bool,
    pub(crate) primary_key: bool,
    /// `#[column(foreign_key = "table.column")]`.
    pub(crate) foreign_key: Option<LitStr>,
    /// `#[column(server_default = "SQL")]`.
    pub(crate) server_default: Option<LitStr>,
    /// `#[column(listen)]`: the column is a target of its own (`#[listens_for(User::phone,
    /// "set")]`).
    pub(crate) listen: bool,
}

/// What a field's `#[column(...)]` says.
#[derive(Default)]
struct ColumnOptions {
    primary_key: bool,
    foreign_key: Option<LitStr>,
    server_default: Option<LitStr>,
    listen: bool,
}

/// The Rust types a column may have, with the SQL type variant they map to.
const SUPPORTED: &[(&str, &str)] = &[
    ("i64", "Integer"),
    ("i32", "Integer"),
    ("u32", "Integer"),
    ("bool", "Boolean"),
    ("f64", "Float"),
    ("String", "Text"),
];

impl Model {
    pub(crate) fn parse(input: &DeriveInput) -> syn::Result<Self> {
        let mut errors = Errors::default();
        reject_column_attr(&input.attrs, &mut errors, "a struct");
        if !input.generics.params.is_empty() {
            errors.push(syn::Error::new(
                input.generics.span(),
                "a mapped struct cannot be generic",
            ));
        }
        let (table, mixins) = mapped_options(input, &mut errors);
        let mut relationships = Vec::new();
        let columns = match &input.data {
            Data::Struct(data) => {
                if let Fields::Named(named) = &data.fields {
                    let mut found = Vec::new();
                    let mut columns = Vec::new();
                    for field in &named.named {
                        if let Some(relationship) =
                            super::relationship::Relationship::parse(field, &mut found)
                        {
                            relationships.push(relationship);
                        } else {
                            found.extend(super::relationship::misplaced(field));
                            columns.extend(Column::parse(field, &mut errors));
                        }
                    }
                    for error in found {
                        errors.push(error);
                    }
                    columns
                } else {
                    errors.push(syn::Error::new(
                        input.ident.span(),
                        "`Mapped` needs a struct with named fields",
                    ));
                    Vec::new()
                }
            }
            Data::Enum(data) => {
                errors.push(syn::Error::new(
                    data.enum_token.span,
                    "`Mapped` can only be derived for a struct, not an enum",
                ));
                Vec::new()
            }
            Data::Union(data) => {
                errors.push(syn::Error::new(
                    data.union_token.span,
                    "`Mapped` can only be derived for a struct, not a union",
                ));
                Vec::new()
            }
        };
        errors.finish()?;
        Ok(Model {
            ident: input.ident.clone(),
            vis: input.vis.clone(),
            table: table.expect("errors reported above"),
            mixins,
            columns,
            relationships,
        })
    }
}

impl Column {
    fn parse(field: &syn::Field, errors: &mut Errors) -> Option<Self> {
        let options = column_options(field, errors);
        let (inner, nullable) = match option_inner(&field.ty) {
            Some(inner) => (inner, true),
            None => (&field.ty, false),
        };
        let Some((rust_type, sql_type)) = sql_type(inner) else {
            errors.push(syn::Error::new(
                inner.span(),
                format!(
                    "unsupported column type `{}`\nexpected one of: {}, or `Option` of one",
                    type_text(inner),
                    SUPPORTED
                        .iter()
                        .map(|(rust, _)| format!("`{rust}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
            return None;
        };
        Some(Column {
            ident: field.ident.clone().expect("named field"),
            sql_type,
            ty: field.ty.clone(),
            rust_type,
            nullable,
            primary_key: options.primary_key,
            foreign_key: options.foreign_key,
            server_default: options.server_default,
            listen: options.listen,
        })
    }
}

/// `#[mapped(table = "users", mixins(Timestamped, …))]`: the table is required.
fn mapped_options(input: &DeriveInput, errors: &mut Errors) -> (Option<LitStr>, Vec<syn::Path>) {
    let mut table = None;
    let mut mixins = Vec::new();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("mapped")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("table") {
                table = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else if meta.path.is_ident("mixins") {
                meta.parse_nested_meta(|mixin| {
                    mixins.push(mixin.path);
                    Ok(())
                })
            } else {
                Err(meta.error(
                    "unknown `mapped` option\nexpected `table = \"name\"` or `mixins(Mixin, …)`",
                ))
            }
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
    if table.is_none() {
        errors.push(syn::Error::new(
            input.ident.span(),
            "missing `#[mapped(table = \"…\")]` on a `Mapped` struct",
        ));
    }
    (table, mixins)
}

/// A field's `#[column(primary_key, foreign_key = "…", server_default = "…", listen)]`.
fn column_options(field: &syn::Field, errors: &mut Errors) -> ColumnOptions {
    let mut options = ColumnOptions::default();
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("column")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("primary_key") {
                options.primary_key = true;
            } else if meta.path.is_ident("foreign_key") {
                options.foreign_key = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("server_default") {
                options.server_default = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("listen") {
                options.listen = true;
            } else {
                return Err(meta.error(
                    "unknown `column` option\nexpected `primary_key`, `foreign_key = \"table.column\"`, `server_default = \"SQL\"` or `listen`",
                ));
            }
            Ok(())
        });
        if let Err(error) = parsed {
            errors.push(error);
        }
    }
    options
}

/// `#[column]` belongs on fields; anywhere else it is an error on the attribute.
fn reject_column_attr(attrs: &[syn::Attribute], errors: &mut Errors, on: &str) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("column")) {
        errors.push(syn::Error::new(
            attr.path().span(),
            format!("`#[column]` is a field attribute, not allowed on {on}"),
        ));
    }
}

/// `T` when the type is `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// A type as a user writes it (`Vec<String>`, not the token stream's `Vec < String >`).
fn type_text(ty: &Type) -> String {
    quote::quote!(#ty)
        .to_string()
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
}

/// A supported Rust type's name and its SQL type variant.
fn sql_type(ty: &Type) -> Option<(&'static str, &'static str)> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() || path.path.segments.len() != 1 {
        return None;
    }
    let segment = &path.path.segments[0];
    if !segment.arguments.is_none() {
        return None;
    }
    SUPPORTED
        .iter()
        .find(|(rust, _)| segment.ident == rust)
        .copied()
}

/// Every error of one derive, reported together.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}
