//! `#[hooks::target(...)]`: makes a type an event target, and the hidden `target_collect!` step
//! that gathers its families' events into the target's table.

mod collect;
mod parse;

pub(crate) use collect::target_collect;

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::ParseStream;

use parse::{FamilySpec, Resolution};

pub(crate) fn target(args: TokenStream, item: &TokenStream) -> TokenStream {
    let Ok(derive_input) = syn::parse2::<syn::DeriveInput>(item.clone()) else {
        let e = syn::Error::new(
            proc_macro2::Span::call_site(),
            "`#[hooks::target]` applies to a struct or an enum",
        )
        .to_compile_error();
        return quote!(#e #item);
    };
    let item = derive_input;
    let (parsed, result) = parse::parse(args, &item);
    match result {
        Ok(()) => {
            let documented = with_family_docs(&item, &parsed);
            let impls = expand(&item, &parsed);
            quote!(#documented #impls)
        }
        Err(e) => {
            let e = e.to_compile_error();
            let partial = expand_partial(&item, &parsed);
            quote!(#e #item #partial)
        }
    }
}

/// `hooks::declare_target!(pub User: Family(options), …)`: the impls and table
/// `#[hooks::target]` generates, for a type declared elsewhere in the same module (a derive
/// makes the struct it derives for a target this way, without annotating it).
pub(crate) fn declare_target(input: TokenStream) -> TokenStream {
    let header = |input: ParseStream<'_>| {
        let vis: syn::Visibility = input.parse()?;
        let ident: syn::Ident = input.parse()?;
        input.parse::<syn::Token![:]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected `:` and the families: `hooks::declare_target!(pub Type: \
                 Family(events = field), …)`",
            )
        })?;
        let args: TokenStream = input.parse()?;
        Ok((vis, ident, args))
    };
    let (vis, ident, args) = match syn::parse::Parser::parse2(header, input) {
        Ok(parts) => parts,
        Err(e) => return e.to_compile_error(),
    };
    // The type itself is declared elsewhere: only its name and visibility are read.
    let item: syn::DeriveInput = syn::parse_quote!(#vis struct #ident;);
    let (parsed, result) = parse::parse(args, &item);
    match result {
        Ok(()) => expand(&item, &parsed),
        Err(e) => {
            let e = e.to_compile_error();
            let partial = expand_partial(&item, &parsed);
            quote!(#e #partial)
        }
    }
}

/// A target in error: the impls of its valid families (so that firing them still compiles),
/// and a table that accepts every listener unchecked, so that the listeners of this target do
/// not each repeat the target's error.
fn expand_partial(item: &syn::DeriveInput, parsed: &parse::Parsed) -> TokenStream {
    if !item.generics.params.is_empty() {
        return TokenStream::new();
    }
    let h = parsed.krate.private();
    let (ident, name) = (&item.ident, display_name(item, parsed));
    let specs = &parsed.specs;
    let (impls, _) = family_impls(ident, specs, &h);
    let accesses = specs.iter().map(|s| family_access(s, &h));
    // The rejected families are still named, so that their imports do not warn as unused.
    let rejected = parsed.rejected.iter().chain(&parsed.related).map(|path| {
        quote!(const _: ::core::marker::PhantomData<dyn #path> = ::core::marker::PhantomData;)
    });
    let table = collect::lenient_table(item);
    quote! {
        impl #h::Target for #ident {
            const NAME: &'static str = #name;
            const FAMILIES: &'static [#h::FamilyAccess<Self>] = &[#(#accesses),*];
        }
        #(#impls)*
        #(#rejected)*
        #table
    }
}

/// The item with a `# Events` section listing its families.
fn with_family_docs(item: &syn::DeriveInput, parsed: &parse::Parsed) -> syn::DeriveInput {
    let name = item.ident.to_string();
    let mut docs = vec![
        String::new(),
        "# Events".to_owned(),
        String::new(),
        format!(
            "`{name}` is an event target (class level: `hooks::Class::<{name}>::new()`; instance level: `&value`). It accepts:"
        ),
        String::new(),
    ];
    let (_, family_docs) = family_impls(&item.ident, &parsed.specs, &parsed.krate.private());
    docs.extend(family_docs);
    let mut item = item.clone();
    item.attrs
        .extend(docs.iter().map(|line| syn::parse_quote!(#[doc = #line])));
    item
}

/// The impls that make the type a target, and its table.
fn expand(item: &syn::DeriveInput, parsed: &parse::Parsed) -> TokenStream {
    let (specs, h) = (&parsed.specs, parsed.krate.private());
    let ident = &item.ident;
    let name = display_name(item, parsed);
    let (impls, _) = family_impls(ident, specs, &h);
    let accesses = specs.iter().map(|s| family_access(s, &h));
    let chain = collect::start_chain(item, parsed);
    quote! {
        impl #h::Target for #ident {
            const NAME: &'static str = #name;
            const FAMILIES: &'static [#h::FamilyAccess<Self>] = &[#(#accesses),*];
        }
        #(#impls)*
        #chain
    }
}

/// The target's name at runtime and in errors: `name = "…"`, or its type's.
fn display_name(item: &syn::DeriveInput, parsed: &parse::Parsed) -> String {
    parsed
        .name
        .as_ref()
        .map_or_else(|| item.ident.to_string(), syn::LitStr::value)
}

fn family_access(spec: &FamilySpec, h: &TokenStream) -> TokenStream {
    let path = &spec.family;
    let family = quote!(dyn #path);
    match &spec.resolution {
        Resolution::Direct { .. } | Resolution::ClassOnly => {
            quote!(#h::FamilyAccess::new::<#family>(::core::option::Option::None))
        }
        Resolution::Via { ty, .. } => {
            let via = crate::common::tidy(&quote!(#ty).to_string());
            quote!(#h::FamilyAccess::new::<#family>(::core::option::Option::Some(#via)))
        }
    }
}

/// The impls that make `ident` a target of each family, and one line of docs per family.
fn family_impls(
    ident: &syn::Ident,
    specs: &[FamilySpec],
    h: &TokenStream,
) -> (Vec<TokenStream>, Vec<String>) {
    let mut impls = Vec::new();
    let mut docs = Vec::new();
    for (index, spec) in specs.iter().enumerate() {
        let path = &spec.family;
        let family = quote!(dyn #path);
        let family_text = crate::common::tidy(&quote!(#path).to_string());
        impls.push(quote! {
            #[doc(hidden)]
            impl #h::TargetFamily<#index> for #ident {
                type Family = #family;
            }
        });
        match &spec.resolution {
            Resolution::Direct { events, join } => {
                docs.push(format!("- [`{family_text}`]"));
                let class_storage = class_storage(&family, h);
                let join = join.as_ref().map(|expr| {
                    quote! {
                        #[inline]
                        fn join(&self) -> ::core::option::Option<&dyn #h::Join<#family>> {
                            #h::IntoJoin::into_join(#expr)
                        }
                    }
                });
                impls.push(quote! {
                    #[allow(clippy::declare_interior_mutable_const)]
                    impl #h::HasEvents<#family> for #ident {
                        #class_storage
                        #[inline]
                        fn events(&self) -> &#h::Events<#family> {
                            &self.#events
                        }
                        #join
                    }
                    impl #h::Accepts<#family> for #ident {
                        type Resolved = Self;
                        #[inline]
                        fn resolve(&self) -> impl ::core::ops::Deref<Target = Self> + '_ {
                            self
                        }
                    }
                    impl #h::InstanceAccepts<#family> for #ident {}
                });
            }
            Resolution::ClassOnly => {
                docs.push(format!("- [`{family_text}`], at class level only"));
                impls.push(class_only_impls(ident, &family, h));
            }
            Resolution::Via { ty, expr } => {
                let via = crate::common::tidy(&quote!(#ty).to_string());
                docs.push(format!("- [`{family_text}`], resolved to [`{via}`]"));
                impls.push(quote! {
                    impl #h::Accepts<#family> for #ident {
                        type Resolved = #ty;
                        #[inline]
                        fn resolve(&self) -> impl ::core::ops::Deref<Target = #ty> + '_ {
                            #expr
                        }
                    }
                    impl #h::InstanceAccepts<#family> for #ident {}
                });
            }
        }
    }
    (impls, docs)
}

/// The per-class statics of a `HasEvents` impl: the class-level slots and the class's own
/// listener storage (what `Class::<T>::dispatch` fires, exec-once per class).
fn class_storage(family: &TokenStream, h: &TokenStream) -> TokenStream {
    quote! {
        #[inline]
        fn class_slots() -> &'static <#family as #h::Family>::Slots {
            static SLOTS: <#family as #h::Family>::Slots = <#family as #h::Family>::SLOTS;
            &SLOTS
        }
        #[inline]
        fn class_events() -> &'static #h::Events<#family> {
            static CLASS: #h::Events<#family> = #h::Events::new();
            &CLASS
        }
    }
}

/// A class-only family: class slots, and the class's own storage standing in for every value's
/// (it never gets a listener: `listen(&value, …)` does not compile without `InstanceAccepts`,
/// and the by-name API refuses it).
fn class_only_impls(ident: &syn::Ident, family: &TokenStream, h: &TokenStream) -> TokenStream {
    let class_storage = class_storage(family, h);
    quote! {
        #[allow(clippy::declare_interior_mutable_const)]
        impl #h::HasEvents<#family> for #ident {
            #class_storage
            #[inline]
            fn events(&self) -> &#h::Events<#family> {
                <Self as #h::HasEvents<#family>>::class_events()
            }
        }
        impl #h::Accepts<#family> for #ident {
            const CLASS_ONLY: bool = true;
            type Resolved = Self;
            #[inline]
            fn resolve(&self) -> impl ::core::ops::Deref<Target = Self> + '_ {
                self
            }
        }
    }
}
