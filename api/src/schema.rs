//! JSON Schemas of the text rules, for fields' `#[schema(schema_with = …)]`: each states a
//! rule of [`crate::patterns`] with the same constants the validation uses.

use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, SchemaType, Type};

use crate::patterns;

fn string(nullable: bool) -> ObjectBuilder {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new().schema_type(kind)
}

/// Required text of `MIN` to `MAX` characters once trimmed of white space.
pub fn text<const MIN: usize, const MAX: usize>() -> Object {
    string(false)
        .pattern(Some(patterns::trimmed(MIN, MAX)))
        .min_length(Some(MIN))
        .description(Some(format!(
            "Trimmed of white space, {MIN} to {MAX} characters."
        )))
        .build()
}

/// Optional text: absent, null or blank means none; otherwise at most `MAX` characters once
/// trimmed of white space.
pub fn optional_text<const MAX: usize>() -> Object {
    string(true)
        .pattern(Some(patterns::blank_or_trimmed(MAX)))
        .description(Some(format!(
            "Optional: blank means none; otherwise at most {MAX} characters once trimmed of \
             white space."
        )))
        .build()
}

/// An id matched against a list the server keeps: any text that is not blank (it is
/// trimmed); an id the list does not have is refused with a 422 naming the field.
pub fn id() -> Object {
    string(false)
        .pattern(Some(patterns::not_blank()))
        .min_length(Some(1))
        .description(Some(
            "An id from the list the server keeps (trimmed of white space); one it does not \
             have is refused with 422 naming this field.",
        ))
        .build()
}

/// The visitor's phone, for a call-back: blank, or a mainland mobile or landline number.
pub fn phone() -> Object {
    string(true)
        .pattern(Some(patterns::blank_or_phone()))
        .description(Some(
            "Optional, for a call-back; needs `consent`. Blank means none; otherwise, trimmed \
             of white space, a mobile number (11 digits starting with 1) or a landline (7 to \
             12 digits starting with 0, with at most one hyphen).",
        ))
        .build()
}

/// A field people never see and never fill: blank, or absent.
pub fn honeypot() -> Object {
    string(true)
        .pattern(Some(patterns::blank()))
        .description(Some(
            "A field people never see and never fill; a submission that fills it is refused \
             as automated (422).",
        ))
        .build()
}

/// A rating's reason tags: at most [`crate::ratings::TAGS_MAX`] ids, each a slug.
pub fn tags() -> Array {
    ArrayBuilder::new()
        .items(string(false).pattern(Some(crate::patterns::SLUG)))
        .max_items(Some(crate::ratings::TAGS_MAX))
        .description(Some(format!(
            "At most {} ids of active tags from `GET /api/v1/rating-tags`; any other is \
             refused (422 `unknown_tag`).",
            crate::ratings::TAGS_MAX
        )))
        .build()
}
