//! Relationship fields: `Collection<Child>` (one-to-many) and `Reference<Parent>`
//! (many-to-one), with `#[relationship(back_populates = "…", cascade = "…")]`. They are not
//! columns: the derive lists them in the mapper definition, builds them empty in
//! `from_values` and hands them to the ORM through `relation_mut`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{GenericArgument, LitStr, PathArguments, Type};

/// One relationship field.
pub(crate) struct Relationship {
    pub(crate) ident: syn::Ident,
    one_to_many: bool,
    target: Type,
    back_populates: Option<LitStr>,
    cascade: [bool; 3],
}

/// The cascade names SQLAlchemy accepts; the ones without an effect here (`merge`,
/// `refresh-expire`, `expunge`) are accepted for a familiar spelling.
const CASCADES: &[&str] = &[
    "all",
    "save-update",
    "delete",
    "delete-orphan",
    "merge",
    "refresh-expire",
    "expunge",
];

impl Relationship {
    /// The relationship a field declares, if its type is `Collection<T>` or `Reference<T>`;
    /// its option errors are pushed to `errors`.
    pub(crate) fn parse(field: &syn::Field, errors: &mut Vec<syn::Error>) -> Option<Self> {
        let (one_to_many, target) = relationship_type(&field.ty)?;
        let mut relationship = Relationship {
            ident: field.ident.clone().expect("named field"),
            one_to_many,
            target: target.clone(),
            back_populates: None,
            cascade: [true, false, false],
        };
        for attr in field
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("relationship"))
        {
            if let Err(error) = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("back_populates") {
                    relationship.back_populates = Some(meta.value()?.parse()?);
                    Ok(())
                } else if meta.path.is_ident("cascade") {
                    let text: LitStr = meta.value()?.parse()?;
                    relationship.cascade = parse_cascade(&text)?;
                    Ok(())
                } else {
                    Err(meta.error(
                        "unknown `relationship` option\nexpected `back_populates = \"…\"` or \
                         `cascade = \"…\"`",
                    ))
                }
            }) {
                errors.push(error);
            }
        }
        Some(relationship)
    }

    /// The `RelationshipDef` of the mapper definition, with the function naming its target.
    pub(crate) fn def(&self, index: usize) -> (TokenStream, TokenStream) {
        let name = self.ident.to_string();
        let kind = if self.one_to_many {
            quote!(OneToMany)
        } else {
            quote!(ManyToOne)
        };
        let target = &self.target;
        let target_fn = format_ident!("__hooks_orm_relationship_target_{}", index);
        let back = option(self.back_populates.as_ref());
        let [save_update, delete, delete_orphan] = self.cascade;
        let def = quote! {
            ::hooks_orm::RelationshipDef {
                name: #name,
                kind: ::hooks_orm::RelationshipKind::#kind,
                target: #target_fn,
                back_populates: #back,
                cascade: ::hooks_orm::Cascade { save_update: #save_update, delete: #delete, delete_orphan: #delete_orphan },
            }
        };
        let function = quote! {
            fn #target_fn() -> &'static ::hooks_orm::MapperDef {
                <#target as ::hooks_orm::Mapped>::MAPPER
            }
        };
        (def, function)
    }
}

/// `Some("…")` or `None`, as an expression.
pub(crate) fn option(text: Option<&LitStr>) -> TokenStream {
    text.map_or_else(
        || quote!(::core::option::Option::None),
        |text| quote!(::core::option::Option::Some(#text)),
    )
}

/// `relation_mut`, an item of the `Mapped` impl.
pub(crate) fn relation_mut(relationships: &[Relationship]) -> TokenStream {
    if relationships.is_empty() {
        return TokenStream::new();
    }
    let arms = relationships.iter().enumerate().map(|(index, r)| {
        let field = &r.ident;
        quote!(#index => ::core::option::Option::Some(&mut self.#field),)
    });
    quote! {
        fn relation_mut(
            &mut self,
            index: usize,
        ) -> ::core::option::Option<&mut dyn ::hooks_orm::__private::Relation> {
            match index {
                #(#arms)*
                _ => ::core::option::Option::None,
            }
        }
    }
}

/// `(one_to_many, T)` for `Collection<T>` / `Reference<T>` (any path ending so).
fn relationship_type(ty: &Type) -> Option<(bool, &Type)> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let one_to_many = match last.ident.to_string().as_str() {
        "Collection" => true,
        "Reference" => false,
        _ => return None,
    };
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some((one_to_many, inner)),
        _ => None,
    }
}

/// `"all, delete-orphan"` → `[save_update, delete, delete_orphan]`.
fn parse_cascade(text: &LitStr) -> syn::Result<[bool; 3]> {
    let mut cascade = [false; 3];
    for name in text
        .value()
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        match name {
            "all" => {
                cascade[0] = true;
                cascade[1] = true;
            }
            "save-update" => cascade[0] = true,
            "delete" => cascade[1] = true,
            "delete-orphan" => cascade[2] = true,
            other if CASCADES.contains(&other) => {}
            other => {
                return Err(syn::Error::new(
                    text.span(),
                    format!(
                        "unknown cascade `{other}`\nexpected a comma-separated list of: {}",
                        CASCADES.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(cascade)
}

/// `#[relationship]` on a field that is not a `Collection` or `Reference`.
pub(crate) fn misplaced(field: &syn::Field) -> Option<syn::Error> {
    let attr = field
        .attrs
        .iter()
        .find(|a| a.path().is_ident("relationship"))?;
    Some(syn::Error::new(
        attr.path().span(),
        "`#[relationship]` belongs on a `Collection<T>` or `Reference<T>` field",
    ))
}
