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
//!
//! Field types are whatever implements `Read`: the domain types, `String`, `bool`, `u32`,
//! `usize` (read as a `u32`), `Vec`, `Option`, `Box`, `BTreeMap<String, _>`, and
//! `serde_json::Value` (kept as given: an embedded document, a merge patch).
//!
//! What each enum becomes:
//!
//! | enum | read as |
//! |---|---|
//! | unit variants only | `read_enum!`: a string naming the variant |
//! | `#[serde(tag = "kind")]` | an object whose `kind` names the variant (`tag_index`); then a unit variant has no other field, `V(T)` reads `T`'s fields (`FromObj`) from the same object, `V { … }` its named fields as a struct's |
//! | `#[serde(untagged)]` | each variant tried in order (`untagged`), `V(T)` as `T`, `V { … }` as a struct; the first that reads; `invalid_value` at the value when none does |
//!
//! Always, as with `deny_unknown_fields`: a member no field names is `unknown_field` (the tag
//! of a tagged enum is a field of each variant). Attributes for serialization only
//! (`skip_serializing_if`, …) are ignored. Not read: tuple structs, tuple variants of more
//! than one field, unit variants of untagged enums, `flatten` inside a variant.

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::quote;
use syn::{parse_macro_input, Attribute, Data, DeriveInput, Fields, LitStr, Type};

/// The reader for a struct with named fields or a unit enum (see the crate's documentation).
#[proc_macro_derive(Read, attributes(read, serde))]
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
    tag: Option<String>,
    untagged: bool,
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
                "tag" => s.tag = Some(m.value()?.parse::<LitStr>()?.value()),
                "untagged" => s.untagged = true,
                "default" => {
                    s.default = Some(if m.input.peek(syn::Token![=]) {
                        Some(m.value()?.parse::<LitStr>()?.parse::<syn::Path>()?)
                    } else {
                        None
                    })
                }
                // Everything else concerns serialization only (skip_serializing_if), or is what
                // the reader always does (deny_unknown_fields); its value is consumed, ignored.
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

/// The JSON names of named fields in order (literal groups and the lists of flattened types),
/// and how each field is read (`name: req("json")`, …), for `read_struct!`.
struct FieldReads {
    parts: Vec<Tokens>,
    group: Vec<String>,
    reads: Vec<Tokens>,
    flattened: bool,
}

fn field_reads(fields: &syn::FieldsNamed, rename_all: Option<&str>) -> syn::Result<FieldReads> {
    let mut r = FieldReads {
        parts: Vec::new(),
        group: Vec::new(),
        reads: Vec::new(),
        flattened: false,
    };
    for f in &fields.named {
        let ident = f.ident.as_ref().expect("named field");
        let a = serde_attrs(&f.attrs)?;
        if a.flatten {
            let t = &f.ty;
            if !r.group.is_empty() {
                let g = &r.group;
                r.parts.push(quote!(&[#(#g),*]));
                r.group.clear();
            }
            r.parts.push(quote!(<#t as crate::read::Fields>::FIELDS));
            r.reads.push(quote!(#ident: flat(#t)));
            r.flattened = true;
            continue;
        }
        let json = match a.rename {
            Some(n) => n,
            None => renamed(&ident.to_string(), rename_all, false)?,
        };
        r.group.push(json.clone());
        r.reads
            .push(match (&a.default, a.present, is_option(&f.ty)) {
                (_, true, _) => quote!(#ident: present(#json)),
                (Some(Some(path)), _, _) => quote!(#ident: or(#json, #path)),
                (_, _, true) => quote!(#ident: opt(#json)),
                (Some(None), _, false) => quote!(#ident: dflt(#json)),
                (None, _, false) => quote!(#ident: req(#json)),
            });
    }
    Ok(r)
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
            let FieldReads {
                mut parts,
                group,
                reads,
                flattened,
            } = field_reads(fields, container.rename_all.as_deref())?;
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
        Data::Enum(e) if container.tag.is_none() && !container.untagged => {
            let mut entries = Vec::new();
            for v in &e.variants {
                if !matches!(v.fields, Fields::Unit) {
                    return Err(syn::Error::new_spanned(
                        v,
                        "derive(Read) reads unit enums, and enums with `#[serde(tag = \"…\")]` \
                         or `#[serde(untagged)]`",
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
        Data::Enum(e) => {
            // A reader per variant, from `v` at `at`, given the fields the object may have
            // besides its own (the tag, for a tagged enum).
            let extra: Vec<String> = container.tag.iter().cloned().collect();
            let n_extra = extra.len();
            let mut names = Vec::new();
            let mut arms = Vec::new();
            for v in &e.variants {
                let a = serde_attrs(&v.attrs)?;
                let ident = &v.ident;
                let what = format!("struct variant {ty}::{ident}");
                let body = match &v.fields {
                    Fields::Unit if container.tag.is_some() => quote! {{
                        crate::read::Obj::new(v, at, #what, &[#(#extra),*])?;
                        Ok(#ty::#ident)
                    }},
                    Fields::Unnamed(u) if u.unnamed.len() == 1 => {
                        let t = &u.unnamed[0].ty;
                        if container.tag.is_some() {
                            // A struct whose fields sit beside the tag.
                            quote! {{
                                const ALL: [&str; #n_extra + <#t as crate::read::Fields>::FIELDS.len()] =
                                    crate::read::concat_fields(&[&[#(#extra),*], <#t as crate::read::Fields>::FIELDS]);
                                let o = crate::read::Obj::new(v, at, concat!("struct ", stringify!(#t)), &ALL)?;
                                <#t as crate::read::FromObj>::from_obj(&o).map(#ty::#ident)
                            }}
                        } else {
                            quote! { <#t as crate::read::Read>::read(v, at).map(#ty::#ident) }
                        }
                    }
                    Fields::Named(fields) => {
                        let r = field_reads(fields, a.rename_all.as_deref())?;
                        if r.flattened {
                            return Err(syn::Error::new_spanned(
                                v,
                                "derive(Read): no flatten in an enum variant",
                            ));
                        }
                        let (group, reads) = (&r.group, &r.reads);
                        quote! {{
                            let o = crate::read::Obj::new(v, at, #what, &[#(#extra,)* #(#group),*])?;
                            crate::read::read_struct!(@build o, #ty::#ident { #(#reads),* })
                        }}
                    }
                    _ => {
                        return Err(syn::Error::new_spanned(
                            v,
                            "derive(Read): a variant of a tagged enum is a unit, one type or \
                             named fields; of an untagged enum, one type or named fields",
                        ))
                    }
                };
                let main = match a.rename {
                    Some(r) => r,
                    None => renamed(&ident.to_string(), container.rename_all.as_deref(), true)?,
                };
                for name in std::iter::once(main).chain(a.aliases) {
                    names.push(name);
                    arms.push(body.clone());
                }
            }
            let body = match &container.tag {
                Some(tag) => {
                    let what = format!("internally tagged enum {ty}");
                    // `tag_index` gives an index into the names: the last is `_`.
                    let last = arms.pop().expect("an enum with variants");
                    let index = 0..arms.len();
                    quote! {
                        match crate::read::tag_index(v, at, #what, #tag, &[#(#names),*])? {
                            #(#index => #arms,)*
                            _ => #last,
                        }
                    }
                }
                None => {
                    let what = ty.to_string();
                    let n = arms.len();
                    quote! {
                        let tries: [crate::read::Try<#ty>; #n] = [#(|v, at| { #arms }),*];
                        crate::read::untagged(v, at, #what, &tries)
                    }
                }
            };
            Ok(quote! {
                impl crate::read::Read for #ty {
                    fn read(v: &serde_json::Value, at: crate::read::At<'_>) -> Result<Self, crate::Error> {
                        #body
                    }
                }
            })
        }
        Data::Union(_) => Err(syn::Error::new_spanned(
            ty,
            "derive(Read) does not read unions",
        )),
    }
}
