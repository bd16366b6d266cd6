//! Procedural macros of the `hooks` event framework. Use them through the `hooks` crate, whose
//! documentation is the manual: [`macro@events`] declares an event family, [`macro@target`]
//! makes a type an event target, [`macro@listens_for`] registers a listener checked at compile
//! time.

mod common;
mod descriptor;
mod events;
mod listens_for;
mod target;
use hooks_runtime::text;

use proc_macro::TokenStream;

/// Declares an event family on a trait of event signatures. See the `hooks` manual.
#[proc_macro_attribute]
pub fn events(args: TokenStream, item: TokenStream) -> TokenStream {
    events::events(args.into(), &item.into()).into()
}

/// Makes a struct or enum an event target of the families it names. See the `hooks` manual.
#[proc_macro_attribute]
pub fn target(args: TokenStream, item: TokenStream) -> TokenStream {
    target::target(args.into(), &item.into()).into()
}

/// Makes a type declared elsewhere in the same module an event target, as
/// `#[hooks::target(...)]` on it would: `hooks::declare_target!(pub User: Family(options), …)`.
/// See the `hooks` manual.
#[proc_macro]
pub fn declare_target(input: TokenStream) -> TokenStream {
    target::declare_target(input.into()).into()
}

/// Registers a fn as a listener of a target's event, checked at compile time. See the `hooks`
/// manual.
#[proc_macro_attribute]
pub fn listens_for(args: TokenStream, item: TokenStream) -> TokenStream {
    listens_for::listens_for(args.into(), &item.into()).into()
}

#[doc(hidden)]
#[proc_macro]
pub fn __target_collect(input: TokenStream) -> TokenStream {
    target::target_collect(input.into()).into()
}

#[doc(hidden)]
#[proc_macro]
pub fn __listens_for_impl(input: TokenStream) -> TokenStream {
    listens_for::listens_for_impl(input.into()).into()
}
