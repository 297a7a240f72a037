//! Enums whose variants are names (`symbol = "place"`), read and written as
//! serde's derive does, but with one visitor for all of them: the derive
//! writes a visitor per enum, 1–1.5 KB of the browser's bundle each.

use std::fmt;

use serde::de::{self, Visitor};

/// Reads a string that is one of `0`, as the index of the name.
pub struct OneOf(pub &'static [&'static str]);

impl Visitor<'_> for OneOf {
    type Value = usize;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("one of ")?;
        for (index, name) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(formatter, "{separator}`{name}`")?;
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|name| *name == value)
            .ok_or_else(|| E::unknown_variant(value, self.0))
    }
}

/// An enum of unit variants, each written as its name, with `Serialize`,
/// `Deserialize` and `name()`:
///
/// ```ignore
/// named! {
///     #[derive(Debug, Clone, Copy)]
///     pub enum Symbol {
///         /// A translucent fill.
///         Area = "area",
///         Route = "route",
///     }
/// }
/// ```
macro_rules! named {
    (
        $(#[$attribute:meta])*
        $visibility:vis enum $type:ident {
            $($(#[$variant_attribute:meta])* $variant:ident = $name:literal),+ $(,)?
        }
    ) => {
        $(#[$attribute])*
        $visibility enum $type {
            $($(#[$variant_attribute])* $variant),+
        }

        impl $type {
            /// The name the variant is written as.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name),+
                }
            }

            /// Every variant, in order.
            #[allow(dead_code, reason = "not every enum is listed")]
            pub const VARIANTS: &'static [Self] = &[$(Self::$variant),+];

            /// The variant written as `name`, if there is one.
            #[allow(dead_code, reason = "not every enum is read from text")]
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.name())
            }
        }

        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const VARIANTS: &[$type] = &[$($type::$variant),+];
                const NAMES: &[&str] = &[$($name),+];
                let index = deserializer.deserialize_str($crate::named::OneOf(NAMES))?;
                Ok(VARIANTS[index])
            }
        }
    };
}

pub(crate) use named;

#[cfg(test)]
mod tests {
    named! {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum Shape {
            Circle = "circle",
            /// A variant may have attributes, as this doc comment.
            BigSquare = "big-square",
        }
    }

    #[test]
    fn reads_and_writes_names_as_the_derive_does() {
        assert_eq!(
            serde_json::to_string(&Shape::BigSquare).expect("written"),
            "\"big-square\""
        );
        let read: Vec<Shape> = serde_json::from_str(r#"["circle", "big-square"]"#).expect("read");
        assert_eq!(read, [Shape::Circle, Shape::BigSquare]);
    }

    #[test]
    fn says_what_was_expected() {
        let unknown = serde_json::from_str::<Shape>("\"square\"").expect_err("unknown");
        assert_eq!(
            unknown.to_string(),
            "unknown variant `square`, expected `circle` or `big-square` at line 1 column 8"
        );
        let number = serde_json::from_str::<Shape>("1").expect_err("a number");
        assert_eq!(
            number.to_string(),
            "invalid type: integer `1`, expected one of `circle`, `big-square` at line 1 column 1"
        );
    }
}
