//! `#[hooks::events]`: declares an event family.

mod contract;
mod dispatcher;
mod docs;
mod family;
pub(crate) mod forms;
mod module;
mod parse;
mod scope;
mod shape;
mod table;

use proc_macro2::TokenStream;

pub(crate) fn events(args: TokenStream, item: &TokenStream) -> TokenStream {
    let (args, args_result) = parse::FamilyArgs::parse(args);
    let Ok(trait_item) = syn::parse2::<syn::ItemTrait>(item.clone()) else {
        let e = syn::Error::new(
            proc_macro2::Span::call_site(),
            "`#[hooks::events]` declares an event family on a trait: \
             `pub trait PoolEvents { fn connect(conn: &Conn); }`",
        )
        .to_compile_error();
        // The item is still emitted, so that its uses do not cascade into more errors.
        return quote::quote!(#e #item);
    };
    if scope::declared_in_block(&trait_item.ident) {
        return in_block_error(&trait_item.ident);
    }
    let (family, family_result) = parse::FamilyDecl::parse(args, trait_item);
    // Every error is reported, and whatever part of the family is valid is still expanded, so
    // that its uses do not cascade into errors of their own.
    let errors = [args_result.err(), family_result.err()]
        .into_iter()
        .flatten()
        .map(|e| e.to_compile_error());
    let family = family.map(|f| expand(&f));
    quote::quote!(#(#errors)* #family)
}

/// The whole expansion of a family: the documented trait (the catalog page), the module of
/// markers and dispatcher, the `Family` impl and the hidden table targets read.
fn expand(family: &parse::FamilyDecl) -> TokenStream {
    let shapes: Vec<shape::Shape<'_>> = family
        .events
        .iter()
        .map(|e| shape::Shape::new(family, e))
        .collect();
    let the_trait = docs::expand_trait(family, &shapes);
    let module = module::expand_module(family, &shapes);
    let family_impl = family::expand_family_impl(family, &shapes);
    let table = table::expand_table(family, &shapes);
    quote::quote! {
        #the_trait
        #module
        #family_impl
        #table
    }
}

/// The one error for a family declared in a fn body. Nothing else is emitted: the trait's
/// event attributes would each be an error of their own, and its module cannot be generated.
fn in_block_error(ident: &syn::Ident) -> TokenStream {
    syn::Error::new(
        ident.span(),
        format!(
            "event family `{ident}` is declared inside a fn body\n\
             note: its generated module reaches the trait and the argument types through \
             `super`, which cannot see items declared in a block\n\
             help: declare `{ident}` at module level, outside any fn"
        ),
    )
    .to_compile_error()
}
