//! Enums whose variants travel as bare names (`"voice"`, `"sfu"`, `"offer"`), read through
//! one function for all of them (`by_name!`; with `else Variant`, a name this side does not
//! know reads as that variant, as serde's `#[serde(other)]` does). Serde's derive makes a reader per enum, about 1 KB of the
//! web client's bundle each, for what is a lookup in a list. Written out by serde's derive
//! as before; the golden tests hold both directions to the same names.

use std::borrow::Cow;

use serde::de::{Deserializer, Error};
use serde::Deserialize;

/// The index in `names` of the name `d` holds, or an error naming the choices.
pub(crate) fn read<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    let name = Cow::<'de, str>::deserialize(d)?;
    (names.iter().position(|n| *n == name)).ok_or_else(|| D::Error::unknown_variant(&name, names))
}

/// The index in `names` of the name `d` holds, or `names.len()` for any other name.
pub(crate) fn read_or_other<'de, D: Deserializer<'de>>(
    d: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    let name = Cow::<'de, str>::deserialize(d)?;
    Ok((names.iter().position(|n| *n == name)).unwrap_or(names.len()))
}

/// `impl Deserialize` for a unit enum, from its variants and their names on the wire.
macro_rules! by_name {
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const ALL: &[$ty] = &[$($ty::$variant),+];
                Ok(ALL[$crate::names::read(d, &[$($name),+])?])
            }
        }
        // Every variant has a name: a new one left out does not compile.
        const _: fn($ty) = |v| match v { $($ty::$variant => {})+ };
    };
    ($ty:ident { $($variant:ident = $name:literal),+ $(,)? } else $other:ident) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                const ALL: &[$ty] = &[$($ty::$variant,)+ $ty::$other];
                Ok(ALL[$crate::names::read_or_other(d, &[$($name),+])?])
            }
        }
        const _: fn($ty) = |v| match v { $($ty::$variant => {})+ $ty::$other => {} };
    };
}
pub(crate) use by_name;

#[cfg(test)]
mod tests {
    use crate::call::{CallKind, SdpType, Via};

    #[test]
    fn each_name_reads_as_its_variant_and_writes_back_the_same() {
        for (json, kind) in [
            ("\"voice\"", CallKind::Voice),
            ("\"video\"", CallKind::Video),
        ] {
            assert_eq!(serde_json::from_str::<CallKind>(json).expect("reads"), kind);
            assert_eq!(serde_json::to_string(&kind).expect("writes"), json);
        }
        for (json, via) in [("\"mesh\"", Via::Mesh), ("\"sfu\"", Via::Sfu)] {
            assert_eq!(serde_json::from_str::<Via>(json).expect("reads"), via);
            assert_eq!(serde_json::to_string(&via).expect("writes"), json);
        }
        reads_back(&[
            SdpType::Offer,
            SdpType::Pranswer,
            SdpType::Answer,
            SdpType::Rollback,
        ]);
    }

    /// Each of `all` is written out and read back as itself.
    fn reads_back<T>(all: &[T])
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        for v in all {
            let json = serde_json::to_string(v).expect("writes");
            assert_eq!(
                &serde_json::from_str::<T>(&json).expect("reads"),
                v,
                "{json}"
            );
        }
    }

    #[test]
    fn end_reasons_and_error_codes_read_back_and_unknown_names_read_as_unknown() {
        use crate::call::EndReason as R;
        use crate::session::ErrorCode as C;
        reads_back(&[
            R::Declined,
            R::Cancelled,
            R::Missed,
            R::HungUp,
            R::Busy,
            R::Disconnected,
            R::AnsweredElsewhere,
            R::Removed,
            R::BroadcastEnded,
            R::Unknown,
        ]);
        reads_back(&[
            C::BadFrame,
            C::FrameTooLarge,
            C::Handshake,
            C::Invalid,
            C::UserNotFound,
            C::NotFriends,
            C::NotInConversation,
            C::Conflict,
            C::RateLimited,
            C::NoSuchCall,
            C::CallFull,
            C::Internal,
            C::Unknown,
        ]);
        assert_eq!(
            serde_json::from_str::<R>("\"beamed_up\"").expect("reads"),
            R::Unknown
        );
        assert_eq!(
            serde_json::from_str::<C>("\"teapot\"").expect("reads"),
            C::Unknown
        );
        assert!(serde_json::from_str::<C>("7").is_err());
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_choices() {
        let e = serde_json::from_str::<CallKind>("\"fax\"")
            .map_or_else(|e| e.to_string(), |k| format!("read as {k:?}"));
        assert!(
            e.contains("unknown variant `fax`, expected `voice` or `video`"),
            "{e}"
        );
        assert!(serde_json::from_str::<Via>("3").is_err());
        // An escaped name is still the name.
        assert_eq!(
            serde_json::from_str::<Via>("\"s\\u0066u\"").expect("reads"),
            Via::Sfu
        );
    }
}
