//! `#[derive(Read)]`: tiercost's JSON reader (`tiercost::read`) generated from the type and
//! the serde attributes it already carries, so a JSON field is declared once — on the Rust
//! field — and serialization, the JSON Schema and the reader agree by construction.
//!
//! For a struct with named fields it expands to `crate::read::read_struct!(…)`, the macro
//! that writes the reader (`src/reading/read.rs`); for a unit enum to `crate::read::read_enum!(…)`.
//! The expansion is exactly what was written by hand before, so the wasm is unchanged.
//!
//! What each field becomes, from its serde attributes and type:
//!
//! | field | read as |
//! |---|---|
//! | `#[serde(flatten)] f: T` | `flat(T)`: a struct whose fields sit in this object |
//! | `#[serde(default = "path")] f: T` | `or("name", path)`: absent → `path()` |
//! | `f: Option<T>` | `opt("name")`: absent or null → `None` |
//! | `#[serde(default)] f: T` | `dflt("name")`: absent → `T::default()` |
//! | `f: T` | `req("name")`: required |
//! | `#[read(present)] f: Option<T>` | `present("name")`: absent → `None`, else read even if null |
//!
//! The JSON name is `#[serde(rename = "…")]`, else the field's name under the container's
//! `rename_all` (`camelCase`, `snake_case`, `lowercase`). A variant's names are its
//! `rename` (or `rename_all` form) followed by its `alias`es.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::quote;
use syn::{parse_macro_input, Attribute, Data, DeriveInput, Fields, LitStr, Type};

/// The reader for a struct with named fields or a unit enum (see the crate's documentation).
#[proc_macro_derive(Read, attributes(read))]
pub fn derive_read(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// The serde attributes the reader follows.
#[derive(Default)]
struct Serde {
    rename: Option<String>,
    rename_all: Option<String>,
    aliases: Vec<String>,
    default: Option<Option<syn::Path>>,
    flatten: bool,
    present: bool,
}

fn serde_attrs(attrs: &[Attribute]) -> syn::Result<Serde> {
    let mut s = Serde::default();
    for a in attrs {
        if a.path().is_ident("read") {
            a.parse_nested_meta(|m| {
                if m.path.is_ident("present") {
                    s.present = true;
                    Ok(())
                } else {
                    Err(m.error("expected `present`"))
                }
            })?;
            continue;
        }
        if !a.path().is_ident("serde") {
            continue;
        }
        a.parse_nested_meta(|m| {
            let name = m
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            match name.as_str() {
                "rename" => s.rename = Some(m.value()?.parse::<LitStr>()?.value()),
                "rename_all" => s.rename_all = Some(m.value()?.parse::<LitStr>()?.value()),
                "alias" => s.aliases.push(m.value()?.parse::<LitStr>()?.value()),
                "flatten" => s.flatten = true,
                "default" => {
                    s.default = Some(if m.input.peek(syn::Token![=]) {
                        Some(m.value()?.parse::<LitStr>()?.parse::<syn::Path>()?)
                    } else {
                        None
                    })
                }
                // Everything else (skip_serializing_if, deny_unknown_fields, tag, …) concerns
                // serialization only; its value, if any, is consumed and ignored.
                _ => {
                    if m.input.peek(syn::Token![=]) {
                        m.value()?.parse::<syn::Expr>()?;
                    }
                }
            }
            Ok(())
        })?;
    }
    Ok(s)
}

/// A Rust name in a serde `rename_all` case.
fn renamed(name: &str, case: Option<&str>, is_variant: bool) -> syn::Result<String> {
    let words: Vec<String> = if is_variant {
        // PascalCase → words
        let mut w: Vec<String> = Vec::new();
        for c in name.chars() {
            if c.is_uppercase() || w.is_empty() {
                w.push(c.to_lowercase().collect());
            } else {
                w.last_mut().unwrap().push(c);
            }
        }
        w
    } else {
        name.split('_').map(str::to_string).collect()
    };
    Ok(match case {
        None if is_variant => name.to_string(),
        None => name.to_string(),
        Some("camelCase") => {
            let mut out = words[0].clone();
            for w in &words[1..] {
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(cs.as_str());
                }
            }
            out
        }
        Some("snake_case") => words.join("_"),
        Some("lowercase") => words.concat(),
        Some(other) => {
            return Err(syn::Error::new(
                Span::call_site(),
                format!("derive(Read): rename_all = \"{other}\" is not supported"),
            ))
        }
    })
}

fn is_option(t: &Type) -> bool {
    matches!(t, Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let ty = &input.ident;
    let container = serde_attrs(&input.attrs)?;
    match &input.data {
        Data::Struct(s) => {
            let Fields::Named(fields) = &s.fields else {
                return Err(syn::Error::new_spanned(
                    ty,
                    "derive(Read) reads structs with named fields",
                ));
            };
            // The JSON names in field order: literal groups, and the lists of flattened types.
            let mut parts: Vec<Tokens> = Vec::new();
            let mut group: Vec<String> = Vec::new();
            let mut reads = Vec::new();
            let mut flattened = false;
            for f in &fields.named {
                let ident = f.ident.as_ref().expect("named field");
                let a = serde_attrs(&f.attrs)?;
                if a.flatten {
                    let t = &f.ty;
                    if !group.is_empty() {
                        parts.push(quote!(&[#(#group),*]));
                        group.clear();
                    }
                    parts.push(quote!(<#t as crate::read::Fields>::FIELDS));
                    reads.push(quote!(#ident: flat(#t)));
                    flattened = true;
                    continue;
                }
                let json = match a.rename {
                    Some(r) => r,
                    None => renamed(&ident.to_string(), container.rename_all.as_deref(), false)?,
                };
                group.push(json.clone());
                reads.push(match (&a.default, a.present, is_option(&f.ty)) {
                    (_, true, _) => quote!(#ident: present(#json)),
                    (Some(Some(path)), _, _) => quote!(#ident: or(#json, #path)),
                    (_, _, true) => quote!(#ident: opt(#json)),
                    (Some(None), _, false) => quote!(#ident: dflt(#json)),
                    (None, _, false) => quote!(#ident: req(#json)),
                });
            }
            if !flattened {
                return Ok(quote! {
                    crate::read::read_struct!(#ty [#(#group),*] { #(#reads),* });
                });
            }
            if !group.is_empty() {
                parts.push(quote!(&[#(#group),*]));
            }
            let lens = parts.iter().map(|p| quote!((#p).len()));
            Ok(quote! {
                crate::read::read_struct!(#ty ({
                    const ALL: [&str; 0 #(+ #lens)*] = crate::read::concat_fields(&[#(#parts),*]);
                    &ALL
                }) { #(#reads),* });
            })
        }
        Data::Enum(e) => {
            let mut entries = Vec::new();
            for v in &e.variants {
                if !matches!(v.fields, Fields::Unit) {
                    return Err(syn::Error::new_spanned(
                        v,
                        "derive(Read) reads unit enums (tagged enums: write a Read impl)",
                    ));
                }
                let a = serde_attrs(&v.attrs)?;
                let ident = &v.ident;
                let main = match a.rename {
                    Some(r) => r,
                    None => renamed(&ident.to_string(), container.rename_all.as_deref(), true)?,
                };
                entries.push(quote!(#ident = #main));
                for alias in &a.aliases {
                    entries.push(quote!(#ident = #alias));
                }
            }
            Ok(quote! { crate::read::read_enum!(#ty { #(#entries),* }); })
        }
        Data::Union(_) => Err(syn::Error::new_spanned(
            ty,
            "derive(Read) does not read unions",
        )),
    }
}
